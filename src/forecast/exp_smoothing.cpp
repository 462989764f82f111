#include "forecast/exp_smoothing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "forecast/nelder_mead.hpp"

namespace grucast {

namespace {

// R's ets defaults ("usual" bounds; the admissible ones hold inside them for these models).
constexpr double kLower = 1e-4, kUpper = 0.9999, kPhiLower = 0.8, kPhiUpper = 0.98;

bool has_slope(Trend trend) { return trend != Trend::none; }

// The parameter vector R optimises: alpha, [beta], [phi], l0, [b0].
std::vector<double> to_vector(const SmoothingModel& model, bool with_states) {
  std::vector<double> x{model.alpha};
  if (has_slope(model.trend)) x.push_back(model.beta);
  if (model.trend == Trend::damped) x.push_back(model.phi);
  if (with_states) {
    x.push_back(model.level);
    if (has_slope(model.trend)) x.push_back(model.slope);
  }
  return x;
}

SmoothingModel from_vector(SmoothingModel model, std::span<const double> x, bool with_states) {
  std::size_t i = 0;
  model.alpha = x[i++];
  if (has_slope(model.trend)) model.beta = x[i++];
  if (model.trend == Trend::damped) model.phi = x[i++];
  if (with_states) {
    model.level = x[i++];
    if (has_slope(model.trend)) model.slope = x[i++];
  }
  return model;
}

bool within_bounds(const SmoothingModel& model) {
  if (model.alpha < kLower || model.alpha > kUpper) return false;
  if (has_slope(model.trend) && (model.beta < kLower || model.beta > kUpper || model.beta > model.alpha)) return false;
  if (model.trend == Trend::damped && (model.phi < kPhiLower || model.phi > kPhiUpper)) return false;
  return true;
}

// The mean squared one-step error, as a running mean (R's amse[0]); +inf outside the bounds.
double mean_squared_error(const SmoothingModel& model, std::span<const double> y) {
  if (!within_bounds(model)) return std::numeric_limits<double>::infinity();
  SmoothingState state{model.level, model.slope};
  double mse = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double e = y[i] - (state.level + model.phi * state.slope);
    mse = (mse * static_cast<double>(i) + e * e) / static_cast<double>(i + 1);
    state = smoothing_step(model, state, y[i]);
  }
  return mse;
}

// R's initparam: α = 0.2 of its range, β = 0.1 of [lower, α], φ = 0.99 of its range; and
// initstate: l_0 the mean of the first max(10, 2m) values (m = 1 here), or a straight line
// through them for a trend.
SmoothingModel start_values(std::span<const double> y, Trend trend) {
  SmoothingModel model{trend};
  model.alpha = kLower + 0.2 * (kUpper - kLower);
  if (has_slope(trend)) model.beta = kLower + 0.1 * (std::min(kUpper, model.alpha) - kLower);
  model.phi = trend == Trend::damped ? kPhiLower + 0.99 * (kPhiUpper - kPhiLower) : 1.0;
  const std::size_t count = std::min<std::size_t>(10, y.size());
  double mean_x = 0.0, mean_y = 0.0;
  for (std::size_t i = 0; i < count; ++i) mean_x += static_cast<double>(i + 1), mean_y += y[i];
  mean_x /= static_cast<double>(count), mean_y /= static_cast<double>(count);
  if (!has_slope(trend)) {
    model.level = mean_y;
    return model;
  }
  double sxy = 0.0, sxx = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    const double dx = static_cast<double>(i + 1) - mean_x;
    sxy += dx * (y[i] - mean_y), sxx += dx * dx;
  }
  model.slope = sxx > 0.0 ? sxy / sxx : 0.0;  // one value: no slope
  model.level = mean_y - model.slope * mean_x;
  if (std::fabs(model.level + model.slope) < 1e-8) model.level *= 1.001, model.slope *= 0.999;
  return model;
}

std::size_t parameter_count(Trend trend) { return trend == Trend::none ? 2 : trend == Trend::additive ? 4 : 5; }

}  // namespace

SmoothingState smoothing_step(const SmoothingModel& model, SmoothingState state, double y) {
  const double predicted = state.level + model.phi * state.slope;
  const double error = y - predicted;
  return {predicted + model.alpha * error, has_slope(model.trend) ? model.phi * state.slope + model.beta * error : 0.0};
}

SmoothingState smoothing_filter(const SmoothingModel& model, std::span<const double> y) {
  SmoothingState state{model.level, model.slope};
  for (double value : y) state = smoothing_step(model, state, value);
  return state;
}

double smoothing_forecast(const SmoothingModel& model, SmoothingState state, std::size_t h) {
  double damping = 0.0, power = 1.0;
  for (std::size_t i = 1; i <= h; ++i) power *= model.phi, damping += power;
  return state.level + damping * state.slope;
}

namespace {

SmoothingModel fit_as_r_does(std::span<const double> y, Trend trend) {
  constexpr std::size_t kMaxEvaluations = 2000;
  const double reltol = std::sqrt(std::numeric_limits<double>::epsilon());
  if (y.size() > parameter_count(trend) + 4) {
    const SmoothingModel start = start_values(y, trend);
    const auto objective = [&](std::span<const double> x) {
      return mean_squared_error(from_vector(start, x, true), y);
    };
    const NelderMeadResult best = nelder_mead(objective, to_vector(start, true), reltol, kMaxEvaluations);
    return from_vector(start, best.point, true);
  }
  // Too short to estimate the initial states too: start from the first values (the first
  // forecast is y_1), fit the smoothing parameters only.
  SmoothingModel start = start_values(y, trend);
  start.slope = has_slope(trend) && y.size() > 1 ? y[1] - y[0] : 0.0;
  start.level = y[0] - start.phi * start.slope;
  const auto objective = [&](std::span<const double> x) { return mean_squared_error(from_vector(start, x, false), y); };
  const NelderMeadResult best = nelder_mead(objective, to_vector(start, false), reltol, kMaxEvaluations);
  return from_vector(start, best.point, false);
}

}  // namespace

// Values so large that their squared errors overflow (past about 1e150) are fitted divided by
// their largest magnitude, and the states scaled back; R's path is kept for all others.
SmoothingModel fit_smoothing(std::span<const double> y, Trend trend) {
  const SmoothingModel start = start_values(y, trend);
  if (std::isfinite(mean_squared_error(start, y))) return fit_as_r_does(y, trend);
  double largest = 0.0;
  for (double v : y) largest = std::max(largest, std::fabs(v));
  if (!(largest > 0.0) || !std::isfinite(largest)) return start;
  std::vector<double> scaled(y.begin(), y.end());
  for (double& v : scaled) v /= largest;
  if (!std::isfinite(mean_squared_error(start_values(scaled, trend), scaled))) return start;  // not numbers
  SmoothingModel model = fit_as_r_does(scaled, trend);
  model.level *= largest;
  model.slope *= largest;
  return model;
}

}  // namespace grucast
