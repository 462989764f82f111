// Optimizers over the flat parameter vector, learning-rate schedules, and gradient clipping.
#pragma once

#include <armadillo>
#include <cstddef>
#include <string>

#include "grucast/nn/network_config.hpp"

namespace grucast {

/// What an optimizer carries from one step to the next (a checkpoint saves it).
template <class E>
struct OptimizerState {
  arma::Col<E> m, v;  ///< first moments (sgd: the velocity); second moments (adam, adamw; sgd: empty)
  std::size_t steps = 0;
};

/// One update of θ from the gradient g at learning rate lr (PyTorch's definitions):
///   sgd    g ← g + λθ;  v ← μv + g;  θ ← θ − lr·v
///   adam   g ← g + λθ;  m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;
///          θ ← θ − lr·(m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
///   adamw  as adam without λθ in g, and θ ← θ − lr·λθ first (decoupled weight decay)
template <class E>
class Optimizer {
 public:
  Optimizer(const OptimizerOptions& options, std::size_t size);
  void step(arma::Col<E>& params, const arma::Col<E>& grad, double lr);
  std::size_t steps() const { return steps_; }
  OptimizerState<E> state() const { return {m_, v_, steps_}; }
  /// Continues from `state`; std::invalid_argument (a bug: read_checkpoint checks them) when its
  /// sizes are not this optimizer's.
  void restore(const OptimizerState<E>& state);

 private:
  OptimizerOptions options_;
  arma::Col<E> m_, v_;
  std::size_t steps_ = 0;
};

/// Scales g so that its L2 norm is at most `max_norm` (0: no clipping); returns the norm before.
template <class E>
double clip_by_norm(arma::Col<E>& grad, double max_norm);

/// What a schedule carries from one epoch to the next.
struct ScheduleState {
  double lr = 0.0;
  std::size_t since_best = 0;
  double best = 0.0;
};

/// The learning rate of each epoch.
///   constant  lr
///   cosine    lr·(1 + cos(π·e/E))/2 over the epoch cap E, down to lr/100
///   plateau   halved when the validation loss has not improved for `wait` epochs
class Schedule {
 public:
  Schedule(ScheduleKind kind, double lr, std::size_t epochs, std::size_t wait);
  double lr() const { return lr_; }
  /// After epoch `epoch` (0-based) with validation loss `loss`: the learning rate of the next.
  void update(std::size_t epoch, double loss);
  ScheduleState state() const { return {lr_, since_best_, best_}; }
  void restore(const ScheduleState& state);

 private:
  ScheduleKind kind_;
  double base_, lr_;
  std::size_t epochs_, wait_, since_best_ = 0;
  double best_;
};

}  // namespace grucast
