// The parts of fit_model and fit_final, which fit_ensemble and the calendar choice run apart
// (internal to the library).
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

/// `control` with a deadline `parts` times nearer (1/parts of the time left), for one of several runs.
FitControl budget_share(const FitControl& control, int parts);

/// fit_final's second run: the network of the split run's configuration trained afresh on every
/// row for its best epoch count, returned with the split run's scores, calibration, choice and
/// FinalFit; the split run itself when the deadline cuts the second run short.
TrainedModel refit_on_every_row(const Frame& frame, const DataConfig& data, const ProgressCallback& progress,
                                const FitControl& control, TrainedModel split_run);

}  // namespace grucast
