// Training: shuffled mini-batches, data-parallel shards, clipping, schedules, early stopping.
#pragma once

#include <armadillo>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "grucast/nn/network_config.hpp"
#include "data/prepare.hpp"
#include "data/window.hpp"
#include "nn/loss.hpp"
#include "nn/network.hpp"
#include "nn/optimizer.hpp"

namespace grucast {

/// The windows to learn from, and the per-series prepared data they are views into. The set owns
/// that data, so a moved or copied set keeps its windows and their data together.
struct TrainingSet {
  std::vector<arma::mat> prepared;  ///< (D, N) per series
  WindowIndex train{1, 1};
  WindowIndex validation{1, 1};
  NormalizeKind normalize = NormalizeKind::none;
};

/// Windows per forward pass of the validation loss.
inline constexpr std::size_t kValidationChunk = 256;

/// Where training stands between two epochs: everything it needs to continue bit for bit.
template <class E>
struct TrainState {
  std::size_t epoch = 0;  ///< epochs completed
  std::size_t since_best = 0;
  std::size_t samples = 0;  ///< windows trained on so far
  arma::Col<E> params;      ///< the weights now
  arma::Col<E> best;        ///< the best epoch's weights
  OptimizerState<E> optimizer;
  ScheduleState schedule;
  std::uint64_t random = 0;  ///< the shuffling generator
  std::vector<std::size_t> order;  ///< the training windows' order, which each epoch shuffles further
  TrainSummary summary;      ///< so far; summary.seconds is the training time so far
};

/// Stop requests, checkpoints and resumption.
template <class E>
struct TrainControl {
  const std::atomic<bool>* stop = nullptr;  ///< checked after every step
  std::size_t checkpoint_every = 0;         ///< epochs between checkpoints; 0: none
  std::function<void(const TrainState<E>&)> checkpoint;
  const TrainState<E>* resume = nullptr;  ///< continue from this state instead of `params`
  /// Training ends after the epoch that finishes past it (StopReason::time), keeping the best weights.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

/// Trains `params` (initialized by the caller) in place and leaves the best epoch's weights.
/// The same inputs, seed and thread count give bit-identical weights, and so does a run resumed
/// from a checkpoint of it. A stop request ends training after the step it is in, and a loss or
/// gradient that is not finite ends it before that step is taken (summary.stop tells which);
/// both keep the best finished epoch's weights. When no epoch has finished, a stop request
/// throws Interrupted and a fault throws DataError.
template <class E>
TrainSummary train_model(const Network<E>& model, arma::Col<E>& params, const TrainingSet& data,
                         const TrainOptions& options, const ProgressCallback& progress,
                         const TrainControl<E>& control = {});

/// Mean loss of `params` over the windows of `index` (forward only).
template <class E>
double mean_loss(const Network<E>& model, const arma::Col<E>& params, const TrainingSet& data,
                 const WindowIndex& index, const TrainOptions& options);

}  // namespace grucast
