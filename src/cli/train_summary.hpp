// What train prints when it is done: the summary as text or JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "grucast/forecast/trained_model.hpp"

namespace grucast::cli {

/// The summary table: the model, training, --final, the ensemble, the validation choice, the test scores.
std::string summary_text(const TrainedModel& model, const std::string& path, bool signalled);

/// The summary as one JSON object; "test" is null when there are no test scores.
nlohmann::ordered_json summary_json(const TrainedModel& model, const std::string& path);

}  // namespace grucast::cli
