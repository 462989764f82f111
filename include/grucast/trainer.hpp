// Training: shuffled mini-batches, data-parallel shards, clipping, schedules, early stopping.
#pragma once

#include <armadillo>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "grucast/loss.hpp"
#include "grucast/model.hpp"
#include "grucast/optimizer.hpp"
#include "grucast/prepare.hpp"
#include "grucast/window.hpp"

namespace grucast {

struct TrainOptions {
  LossKind loss = LossKind::huber;
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
};

using ProgressCallback = std::function<void(const EpochReport&)>;

/// Trains `params` (initialized by the caller) in place and leaves the best epoch's weights.
/// The same inputs, seed and thread count give bit-identical weights. When `stop` becomes
/// true, training ends after the epoch it is in.
template <class E>
TrainSummary train_model(const GruModel<E>& model, arma::Col<E>& params, const TrainingSet& data,
                         const TrainOptions& options, const ProgressCallback& progress,
                         const std::atomic<bool>* stop = nullptr);

/// Mean loss of `params` over the windows of `index` (forward only).
template <class E>
double mean_loss(const GruModel<E>& model, const arma::Col<E>& params, const TrainingSet& data,
                 const WindowIndex& index, const TrainOptions& options);

}  // namespace grucast
