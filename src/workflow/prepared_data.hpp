// What training reads: every series transformed and scaled, with the windows of its training
// and validation parts (internal to the library: fit_model and the tests use it).
#pragma once

#include <armadillo>
#include <cstdint>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/split.hpp"
#include "grucast/forecast/trained_model.hpp"
#include "nn/trainer.hpp"

namespace grucast {

/// The prepared (transformed, scaled) series and the training and validation windows over them.
struct PreparedData {
  std::vector<SeriesScaler> scalers;
  std::vector<SplitPoints> splits;
  SeriesUse use;
  TrainingSet set;  ///< the prepared series (D, N) and their windows
};

/// Transforms and scales every series with a scaler fitted on its own training part, and
/// indexes the windows whose targets lie in the training and in the validation part. One series
/// too short for the split is a DataError; in a file of several, a series too short for a part
/// is left out of it (counted in `use`), and only no training window at all is a DataError.
PreparedData prepare_data(const Frame& frame, const ModelConfig& config);

/// FNV-1a 64 of the prepared series, which a checkpoint records.
std::uint64_t data_fingerprint(const PreparedData& data);

}  // namespace grucast
