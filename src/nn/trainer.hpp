// Training: shuffled mini-batches, data-parallel shards, clipping, schedules, early stopping.
#pragma once

#include <armadillo>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/prepare.hpp"
#include "data/window.hpp"
#include "nn/loss.hpp"
#include "nn/model.hpp"
#include "nn/optimizer.hpp"

namespace grucast {

struct TrainOptions {
  LossKind loss = LossKind::huber;
  std::vector<double> quantiles;  ///< with the quantile loss: τ_1 < ... < τ_Q, one holding 0.5
  OptimizerOptions optimizer;
  double clip = 1.0;  ///< max global gradient norm; 0: none
  ScheduleKind schedule = ScheduleKind::constant;
  std::size_t batch_size = 64;
  std::size_t epochs = 100;   ///< cap
  std::size_t patience = 10;  ///< epochs without a better validation loss before stopping
  std::uint64_t seed = 1;
  std::size_t threads = 1;
};

/// The windows to learn from: views into per-series (D, N) prepared data.
struct TrainingSet {
  const std::vector<arma::mat>* prepared = nullptr;
  WindowIndex train{1, 1};
  WindowIndex validation{1, 1};
  NormalizeKind normalize = NormalizeKind::none;
};

struct EpochReport {
  std::size_t epoch = 0;  ///< 1-based
  std::size_t epochs = 0;  ///< the cap
  double train_loss = 0.0;
  double validation_loss = 0.0;  ///< NaN without validation windows
  double lr = 0.0;
  double seconds = 0.0;  ///< since training started
  double samples_per_second = 0.0;
  bool improved = false;
};

/// Why training ended: the epoch cap, early stopping, a stop request (SIGINT), or a loss or
/// gradient that was not finite.
enum class StopReason { epochs, early, interrupted, diverged };
std::string stop_reason_name(StopReason reason);
StopReason parse_stop_reason(const std::string& text);

struct TrainSummary {
  std::size_t epochs_run = 0;
  std::size_t best_epoch = 0;  ///< 1-based
  double best_loss = 0.0;      ///< validation loss of the best epoch (training loss without validation)
  bool early_stopped = false;
  double seconds = 0.0;
  std::size_t train_windows = 0;
  std::size_t validation_windows = 0;
  std::vector<double> train_losses;       ///< per epoch
  std::vector<double> validation_losses;  ///< per epoch
  StopReason stop = StopReason::epochs;
  std::size_t stop_epoch = 0;  ///< 1-based epoch in which an interruption or a fault came (0: none)
  std::size_t stop_step = 0;   ///< 1-based batch of that epoch; 0 when it came at the epoch's end
  std::string fault;           ///< with diverged: what was not finite, e.g. "the training loss is nan"
};

/// Why training ended, as " (stopped early)", " (diverged: the training loss is nan)", or "" (the epoch cap).
std::string stop_text(const TrainSummary& summary);

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
};

using ProgressCallback = std::function<void(const EpochReport&)>;

/// Trains `params` (initialized by the caller) in place and leaves the best epoch's weights.
/// The same inputs, seed and thread count give bit-identical weights, and so does a run resumed
/// from a checkpoint of it. A stop request ends training after the step it is in, and a loss or
/// gradient that is not finite ends it before that step is taken (summary.stop tells which);
/// both keep the best finished epoch's weights. When no epoch has finished, a stop request
/// throws Interrupted and a fault throws DataError.
template <class E>
TrainSummary train_model(const GruModel<E>& model, arma::Col<E>& params, const TrainingSet& data,
                         const TrainOptions& options, const ProgressCallback& progress,
                         const TrainControl<E>& control = {});

/// Mean loss of `params` over the windows of `index` (forward only).
template <class E>
double mean_loss(const GruModel<E>& model, const arma::Col<E>& params, const TrainingSet& data,
                 const WindowIndex& index, const TrainOptions& options);

}  // namespace grucast
