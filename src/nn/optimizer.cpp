#include "nn/optimizer.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

constexpr auto kOptimizerNames = std::to_array<Named<OptimizerKind>>(
    {{OptimizerKind::adam, "adam"}, {OptimizerKind::adamw, "adamw"}, {OptimizerKind::sgd, "sgd"}});
constexpr auto kScheduleNames = std::to_array<Named<ScheduleKind>>(
    {{ScheduleKind::constant, "constant"}, {ScheduleKind::cosine, "cosine"}, {ScheduleKind::plateau, "plateau"}});

}  // namespace

OptimizerKind parse_optimizer(const std::string& text) {
  if (const auto kind = value_of(kOptimizerNames, to_lower(trim(text)))) return *kind;
  throw UsageError("unknown optimizer " + quoted(text), "--optimizer", "use " + names_text(kOptimizerNames));
}

std::string optimizer_name(OptimizerKind kind) { return name_of(kOptimizerNames, kind); }

ScheduleKind parse_schedule(const std::string& text) {
  if (const auto kind = value_of(kScheduleNames, to_lower(trim(text)))) return *kind;
  throw UsageError("unknown schedule " + quoted(text), "--schedule", "use " + names_text(kScheduleNames));
}

std::string schedule_name(ScheduleKind kind) { return name_of(kScheduleNames, kind); }

template <class E>
Optimizer<E>::Optimizer(const OptimizerOptions& options, std::size_t size)
    : options_(options), m_(size, arma::fill::zeros), v_(options.kind == OptimizerKind::sgd ? 0 : size, arma::fill::zeros) {}

template <class E>
void Optimizer<E>::step(arma::Col<E>& params, const arma::Col<E>& grad, double lr) {
  ++steps_;
  const OptimizerOptions& o = options_;
  const E decay = static_cast<E>(o.weight_decay);
  E* theta = params.memptr();
  const E* g = grad.memptr();
  E* m = m_.memptr();
  if (o.kind == OptimizerKind::sgd) {
    const E mu = static_cast<E>(o.momentum), rate = static_cast<E>(lr);
    for (std::size_t i = 0; i < params.n_elem; ++i) {
      m[i] = mu * m[i] + g[i] + decay * theta[i];
      theta[i] -= rate * m[i];
    }
    return;
  }
  const bool decoupled = o.kind == OptimizerKind::adamw;
  const double t = static_cast<double>(steps_);
  const E b1 = static_cast<E>(o.beta1), b2 = static_cast<E>(o.beta2), eps = static_cast<E>(o.epsilon);
  const E step = static_cast<E>(lr / (1.0 - std::pow(o.beta1, t)));
  const E correction2 = static_cast<E>(1.0 / std::sqrt(1.0 - std::pow(o.beta2, t)));
  const E shrink = static_cast<E>(1.0 - lr * o.weight_decay);
  E* v = v_.memptr();
  for (std::size_t i = 0; i < params.n_elem; ++i) {
    const E gi = decoupled ? g[i] : g[i] + decay * theta[i];
    if (decoupled) theta[i] *= shrink;
    m[i] = b1 * m[i] + (E(1) - b1) * gi;
    v[i] = b2 * v[i] + (E(1) - b2) * gi * gi;
    theta[i] -= step * m[i] / (std::sqrt(v[i]) * correction2 + eps);
  }
}

template <class E>
double clip_by_norm(arma::Col<E>& grad, double max_norm) {
  double squares = 0.0;
  for (const E g : grad) squares += static_cast<double>(g) * static_cast<double>(g);
  const double norm = std::sqrt(squares);
  if (max_norm > 0.0 && norm > max_norm) grad *= static_cast<E>(max_norm / (norm + 1e-6));
  return norm;
}

Schedule::Schedule(ScheduleKind kind, double lr, std::size_t epochs, std::size_t wait)
    : kind_(kind), base_(lr), lr_(lr), epochs_(epochs), wait_(wait), best_(std::numeric_limits<double>::infinity()) {}

void Schedule::update(std::size_t epoch, double loss) {
  if (kind_ == ScheduleKind::cosine) {
    const double floor = base_ / 100.0, progress = static_cast<double>(epoch + 1) / static_cast<double>(epochs_);
    lr_ = floor + (base_ - floor) * 0.5 * (1.0 + std::cos(std::numbers::pi * std::min(progress, 1.0)));
  } else if (kind_ == ScheduleKind::plateau) {
    if (loss < best_) {
      best_ = loss;
      since_best_ = 0;
    } else if (++since_best_ >= wait_) {
      lr_ /= 2.0;
      since_best_ = 0;
    }
  }
}

template <class E>
void Optimizer<E>::restore(const OptimizerState<E>& state) {
  if (state.m.n_elem != m_.n_elem || state.v.n_elem != v_.n_elem) {
    throw std::invalid_argument("Optimizer::restore: the state's sizes are not the optimizer's");
  }
  m_ = state.m;
  v_ = state.v;
  steps_ = state.steps;
}

void Schedule::restore(const ScheduleState& state) {
  lr_ = state.lr;
  since_best_ = state.since_best;
  best_ = state.best;
}

template class Optimizer<float>;
template class Optimizer<double>;
template double clip_by_norm<float>(arma::Col<float>&, double);
template double clip_by_norm<double>(arma::Col<double>&, double);

}  // namespace grucast
