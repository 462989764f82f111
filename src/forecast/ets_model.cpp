#include "forecast/ets_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "forecast/nelder_mead.hpp"
#include "forecast/seasonal_adjust.hpp"

namespace grucast {

namespace {

constexpr double kLower = 1e-4, kUpper = 0.9999, kPhiLower = 0.8, kPhiUpper = 0.98;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

bool has_slope(const EtsSpec& spec) { return spec.trend != Trend::none; }
bool has_season(const EtsSpec& spec) { return spec.season != EtsSeason::none; }
bool damped(const EtsSpec& spec) { return spec.trend == Trend::damped; }
bool needs_positive(const EtsSpec& spec) {
  return spec.multiplicative_error || spec.season == EtsSeason::multiplicative;
}

// The free values R optimises: α, [β], [γ], [φ], l_0, [b_0], [s of phases 0 .. m − 2]; the
// last phase's state makes the seasons sum to 0 (A) or to m (M).
std::vector<double> to_vector(const EtsModel& model) {
  std::vector<double> x{model.alpha};
  if (has_slope(model.spec)) x.push_back(model.beta);
  if (has_season(model.spec)) x.push_back(model.gamma);
  if (damped(model.spec)) x.push_back(model.phi);
  x.push_back(model.level);
  if (has_slope(model.spec)) x.push_back(model.slope);
  if (has_season(model.spec)) x.insert(x.end(), model.seasons.begin(), model.seasons.end() - 1);
  return x;
}

EtsModel from_vector(EtsModel model, std::span<const double> x) {
  std::size_t i = 0;
  model.alpha = x[i++];
  if (has_slope(model.spec)) model.beta = x[i++];
  if (has_season(model.spec)) model.gamma = x[i++];
  if (damped(model.spec)) model.phi = x[i++];
  model.level = x[i++];
  if (has_slope(model.spec)) model.slope = x[i++];
  if (has_season(model.spec)) {
    double sum = 0.0;
    for (std::size_t phase = 0; phase + 1 < model.period; ++phase) sum += model.seasons[phase] = x[i++];
    const double total = model.spec.season == EtsSeason::multiplicative ? static_cast<double>(model.period) : 0.0;
    model.seasons.back() = total - sum;
  }
  return model;
}

bool within_bounds(const EtsModel& model) {
  const auto inside = [](double v, double lo, double hi) { return v >= lo && v <= hi; };
  if (!inside(model.alpha, kLower, kUpper)) return false;
  if (has_slope(model.spec) && !inside(model.beta, kLower, std::min(kUpper, model.alpha))) return false;
  if (has_season(model.spec) && !inside(model.gamma, kLower, std::min(kUpper, 1.0 - model.alpha))) return false;
  if (damped(model.spec) && !inside(model.phi, kPhiLower, kPhiUpper)) return false;
  if (model.spec.season == EtsSeason::multiplicative) {
    for (double s : model.seasons) {
      if (!(s > 0.0)) return false;
    }
  }
  return true;
}

// R's criterion ("lik"): n·log Σ ε² for additive errors (ε = y − ŷ), and
// n·log Σ ε² + 2·Σ log|ŷ| for multiplicative ones (ε = (y − ŷ)/ŷ); +inf outside the bounds.
// Σ ε² is kept above `floor`, so that a series fitted exactly (a line) has a finite criterion.
double likelihood(const EtsModel& model, std::span<const double> y, double floor) {
  if (!within_bounds(model)) return kInfinity;
  EtsState state = ets_start(model);
  double squares = 0.0, logs = 0.0;
  for (double value : y) {
    const double predicted = ets_forecast(model, state, 1);
    if (model.spec.multiplicative_error) {
      if (!(std::fabs(predicted) > 1e-10)) return kInfinity;
      const double e = (value - predicted) / predicted;
      squares += e * e;
      logs += std::log(std::fabs(predicted));
    } else {
      squares += (value - predicted) * (value - predicted);
    }
    ets_step(model, state, value);
  }
  const double n = static_cast<double>(y.size());
  const double lik = n * std::log(std::max(squares, floor)) + 2.0 * logs;
  return std::isfinite(lik) ? lik : kInfinity;
}

// R's initparam: α = 0.2 of its range (over m with a season), β = 0.1 of [lower, α],
// γ = 0.05 of [lower, 1 − α], φ = 0.99 of its range; and initstate: seasons from a classical
// decomposition of the first three cycles, then l_0 (b_0) from the mean of (the line through)
// the first max(10, 2m) seasonally adjusted values.
EtsModel start_values(std::span<const double> y, std::size_t period, const EtsSpec& spec) {
  EtsModel model;
  model.spec = spec;
  model.period = has_season(spec) ? period : 1;
  model.alpha = kLower + 0.2 * (kUpper - kLower) / static_cast<double>(model.period);
  model.beta = kLower + 0.1 * (model.alpha - kLower);
  model.gamma = kLower + 0.05 * (1.0 - model.alpha - kLower);
  model.phi = damped(spec) ? kPhiLower + 0.99 * (kPhiUpper - kPhiLower) : 1.0;
  std::vector<double> adjusted(y.begin(), y.end());
  if (has_season(spec)) {
    const std::span<const double> head = y.first(std::min(y.size(), 3 * period));
    const bool multiplicative = spec.season == EtsSeason::multiplicative;
    model.seasons = multiplicative ? multiplicative_indices(head, period) : additive_indices(head, period);
    for (std::size_t i = 0; i < adjusted.size(); ++i) {
      const double s = model.seasons[i % period];
      adjusted[i] = multiplicative ? adjusted[i] / s : adjusted[i] - s;
    }
  }
  const std::size_t count = std::min<std::size_t>(std::max<std::size_t>(10, 2 * model.period), y.size());
  double mean_x = 0.0, mean_y = 0.0, sxy = 0.0, sxx = 0.0;
  for (std::size_t i = 0; i < count; ++i) mean_x += static_cast<double>(i + 1), mean_y += adjusted[i];
  mean_x /= static_cast<double>(count), mean_y /= static_cast<double>(count);
  for (std::size_t i = 0; i < count; ++i) {
    const double dx = static_cast<double>(i + 1) - mean_x;
    sxy += dx * (adjusted[i] - mean_y), sxx += dx * dx;
  }
  model.slope = has_slope(spec) && sxx > 0.0 ? sxy / sxx : 0.0;
  model.level = mean_y - model.slope * mean_x;
  return model;
}

}  // namespace

std::string ets_name(const EtsSpec& spec) {
  const char* trend = spec.trend == Trend::none ? "N" : spec.trend == Trend::additive ? "A" : "Ad";
  const char* season = spec.season == EtsSeason::none ? "N" : spec.season == EtsSeason::additive ? "A" : "M";
  return fmt::format("ETS({},{},{})", spec.multiplicative_error ? "M" : "A", trend, season);
}

EtsState ets_start(const EtsModel& model) { return {model.level, model.slope, model.seasons, 0}; }

void ets_step(const EtsModel& model, EtsState& state, double y) {
  const double q = state.level + model.phi * state.slope;
  double p = y;
  if (has_season(model.spec)) {
    double& s = state.seasons[state.row % model.period];
    const bool multiplicative = model.spec.season == EtsSeason::multiplicative;
    p = multiplicative ? y / s : y - s;
    s += model.gamma * ((multiplicative ? y / q : y - q) - s);
  }
  state.level = q + model.alpha * (p - q);
  state.slope = has_slope(model.spec) ? model.phi * state.slope + model.beta * (p - q) : 0.0;
  ++state.row;
}

double ets_forecast(const EtsModel& model, const EtsState& state, std::size_t h) {
  double damping = 0.0, power = 1.0;
  for (std::size_t i = 1; i <= h; ++i) power *= model.phi, damping += power;
  const double q = state.level + damping * state.slope;
  if (!has_season(model.spec)) return q;
  const double s = state.seasons[(state.row + h - 1) % model.period];
  return model.spec.season == EtsSeason::multiplicative ? q * s : q + s;
}

EtsModel fit_ets_model(std::span<const double> y, std::size_t period, const EtsSpec& spec) {
  EtsModel failed;
  failed.spec = spec;
  failed.aicc = kInfinity;
  const std::size_t n = y.size();
  if (has_season(spec) && (period < 2 || n < 2 * period)) return failed;
  if (needs_positive(spec) && *std::min_element(y.begin(), y.end()) <= 0.0) return failed;
  const EtsModel start = start_values(y, period, spec);
  const std::vector<double> x0 = to_vector(start);
  // R skips a model with n ≤ parameters + 4, counting every state (its npars).
  if (n <= x0.size() + 4) return failed;
  // Relative errors (multiplicative) are at most about 1; absolute ones scale with y.
  double sum_squares = 0.0;
  for (double v : y) sum_squares += v * v;
  const double floor = 1e-20 * (spec.multiplicative_error ? static_cast<double>(n) : sum_squares);
  const auto objective = [&](std::span<const double> x) { return likelihood(from_vector(start, x), y, floor); };
  if (!std::isfinite(objective(x0))) return failed;
  const NelderMeadResult best =
      nelder_mead(objective, x0, std::sqrt(std::numeric_limits<double>::epsilon()), 2000);
  EtsModel model = from_vector(start, best.point);
  // AICc = lik + 2k + 2k(k + 1)/(n − k − 1), k the free values and σ.
  const double k = static_cast<double>(x0.size() + 1), rows = static_cast<double>(n);
  model.aicc = std::isfinite(best.value) ? best.value + 2.0 * k + 2.0 * k * (k + 1.0) / (rows - k - 1.0) : kInfinity;
  return model;
}

EtsModel fit_ets(std::span<const double> y, std::size_t period) {
  const bool seasonal = period >= 2 && period <= kMaxEtsPeriod;
  EtsModel best;
  best.aicc = kInfinity;
  for (bool multiplicative_error : {false, true}) {
    for (Trend trend : {Trend::none, Trend::additive, Trend::damped}) {
      for (EtsSeason season : {EtsSeason::none, EtsSeason::additive, EtsSeason::multiplicative}) {
        if (season != EtsSeason::none && !seasonal) continue;
        if (!multiplicative_error && season == EtsSeason::multiplicative) continue;  // unstable (R's restrict)
        EtsModel model = fit_ets_model(y, period, {multiplicative_error, trend, season});
        if (model.aicc < best.aicc) best = std::move(model);
      }
    }
  }
  if (std::isfinite(best.aicc)) return best;
  const SmoothingModel ses = fit_smoothing(y, Trend::none);
  EtsModel fallback;
  fallback.alpha = ses.alpha;
  fallback.level = ses.level;
  fallback.aicc = kInfinity;
  return fallback;
}

}  // namespace grucast
