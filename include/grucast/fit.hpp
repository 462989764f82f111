// Training a forecaster on a frame: windows, per-series scalers, the network, and the test scores.
#pragma once

#include <vector>

#include "grucast/frame.hpp"
#include "grucast/trained_model.hpp"

namespace grucast {

/// The prepared (transformed, scaled) series and the training and validation windows over them.
struct PreparedData {
  std::vector<arma::mat> prepared;  ///< (D, N) per series
  std::vector<SeriesScaler> scalers;
  std::vector<SplitPoints> splits;
  TrainingSet set;
};

/// Transforms and scales every series with a scaler fitted on its own training part, and
/// indexes the windows whose targets lie in the training and in the validation part. A
/// DataError when a series is too short for the split, or no training window exists.
PreparedData prepare_data(const Frame& frame, const ModelConfig& config);

/// A UsageError for settings that cannot work together (lookback, horizon, dropout, ...).
void validate_config(const ModelConfig& config);

/// Trains the network of `config` on `frame` and scores it on the test part beside the
/// baselines (when every series has one).
TrainedModel fit_model(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                       const ProgressCallback& progress);

}  // namespace grucast
