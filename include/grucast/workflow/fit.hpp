// Training a forecaster on a frame: windows, per-series scalers, the network, and the test scores.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/forecast/trained_model.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

/// The rows a model of `config` needs around each origin: lookback, horizon, season, the transform's lag.
TaskShape task_shape(const ModelConfig& config);

/// A UsageError for settings that cannot work together (lookback, horizon, dropout, ...).
void validate_config(const ModelConfig& config);

/// Stop requests, checkpoints and resumption for fit_model.
struct FitControl {
  const std::atomic<bool>* stop = nullptr;  ///< a stop request ends training after its step
  std::size_t checkpoint_every = 0;         ///< epochs between checkpoints; 0: none
  std::string checkpoint_path;              ///< where checkpoints go (replaced all-or-nothing)
  /// Called with the epoch and the error when a checkpoint cannot be written; training goes on
  /// (the old checkpoint stays). Without it, the IoError ends the run.
  std::function<void(std::size_t epoch, const IoError& error)> checkpoint_failed;
  std::string resume_path;                  ///< a checkpoint to continue from; "" to start afresh
  bool score_test = true;                   ///< false: leave TrainedModel::test empty (the caller scores)
  const TrainedModel* warm_start = nullptr;  ///< start from this model's weights (same shape), not the seed's
};

/// Trains the network of `config` on `frame` and scores it on the test part beside the
/// baselines (when every series has one, and training was not interrupted). Resuming, the
/// checkpoint must have the same configuration and data (else a UsageError or a DataError
/// saying what differs), and the result is bit for bit that of a run that was never stopped.
TrainedModel fit_model(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                       const ProgressCallback& progress, const FitControl& control = {});

}  // namespace grucast
