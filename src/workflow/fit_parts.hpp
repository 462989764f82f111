// The two halves of fit_model, which fit_ensemble runs apart (internal to the library).
#pragma once

#include "grucast/workflow/fit.hpp"

namespace grucast {

/// The network of `config` trained on `frame`: no calibration, validation choice or test scores.
TrainedModel train_network(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                           const ProgressCallback& progress, const FitControl& control);

/// `config` for a run on every row of every series (no split) for `epochs`, with no early stop.
ModelConfig every_row_config(ModelConfig config, std::size_t epochs);

/// The calibration, the validation choice (control.fallback) and the test scores of a trained
/// model (one network or an ensemble), as fit_model gives them.
void finish_model(const Frame& frame, const FitControl& control, TrainedModel& model);

}  // namespace grucast
