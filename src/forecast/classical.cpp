#include "grucast/forecast/classical.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "forecast/exp_smoothing.hpp"
#include "forecast/seasonal_adjust.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

namespace {

// Calls visit(j, t) for the origins in increasing order of t (j its column).
template <typename Visit>
void in_time_order(std::span<const std::size_t> origins, Visit visit) {
  std::vector<std::size_t> order(origins.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return origins[a] < origins[b]; });
  for (std::size_t j : order) visit(j, origins[j]);
}

// out(h − 1, j) += weight · (smoothing forecast h steps after origins[j]) on adjusted data.
void add_smoothing(std::span<const double> adjusted, std::span<const std::size_t> origins, std::size_t first,
                   Trend trend, double weight, arma::mat& out) {
  const SmoothingModel model = fit_smoothing(adjusted.first(first), trend);
  SmoothingState state{model.level, model.slope};
  std::size_t seen = 0;
  in_time_order(origins, [&](std::size_t j, std::size_t t) {
    for (; seen < t; ++seen) state = smoothing_step(model, state, adjusted[seen]);
    for (std::size_t h = 1; h <= out.n_rows; ++h) out(h - 1, j) += weight * smoothing_forecast(model, state, h);
  });
}

// The least-squares line a + b·x through (x, y) for x = 1, 2, ..., updated one point at a time
// (Welford's centred sums, stable for long series).
struct RunningLine {
  double n = 0.0, mean_x = 0.0, mean_y = 0.0, sxx = 0.0, sxy = 0.0;
  void add(double y) {
    n += 1.0;
    const double dx = n - mean_x;
    mean_x += dx / n;
    mean_y += (y - mean_y) / n;
    sxx += dx * (n - mean_x);
    sxy += dx * (y - mean_y);
  }
  double slope() const { return sxx > 0.0 ? sxy / sxx : 0.0; }
  double at(double x) const { return mean_y + slope() * (x - mean_x); }
};

// Theta (Assimakopoulos & Nikolopoulos 2000, as the M4 benchmark): with line 0 the regression
// a + b·x on x = 1..t and line 2 z_i = 2y_i − (a + b·i) smoothed by SES (α, l_0),
//   ŷ_{t+h} = ½·l_t(z) + ½·(a + b·(t + h)),
// where, for a fixed α, l_t(z) = (1 − α)^t·l_0 + 2·S_t(y) − a·S_t(1) − b·S_t(x) and
// S_t(v) = Σ_{i≤t} α(1 − α)^{t−i}·v_i follows S ← (1 − α)S + αv: O(1) per new row.
void add_theta(std::span<const double> adjusted, std::span<const std::size_t> origins, std::size_t first,
               bool clamp, arma::mat& out) {
  RunningLine line;
  for (std::size_t i = 0; i < first; ++i) line.add(adjusted[i]);
  std::vector<double> theta2(first);
  for (std::size_t i = 0; i < first; ++i) theta2[i] = 2.0 * adjusted[i] - line.at(static_cast<double>(i + 1));
  const SmoothingModel ses = fit_smoothing(theta2, Trend::none);
  const double alpha = ses.alpha, level0 = ses.level;
  RunningLine seen_line;
  double decay = 1.0, smooth_y = 0.0, smooth_one = 0.0, smooth_x = 0.0;
  std::size_t seen = 0;
  in_time_order(origins, [&](std::size_t j, std::size_t t) {
    for (; seen < t; ++seen) {
      seen_line.add(adjusted[seen]);
      decay *= 1.0 - alpha;
      smooth_y = (1.0 - alpha) * smooth_y + alpha * adjusted[seen];
      smooth_one = (1.0 - alpha) * smooth_one + alpha;
      smooth_x = (1.0 - alpha) * smooth_x + alpha * static_cast<double>(seen + 1);
    }
    const double b = seen_line.slope(), a = seen_line.at(0.0);
    const double level = decay * level0 + 2.0 * smooth_y - a * smooth_one - b * smooth_x;
    for (std::size_t h = 1; h <= out.n_rows; ++h) {
      const double value = 0.5 * level + 0.5 * seen_line.at(static_cast<double>(t + h));
      out(h - 1, j) += clamp ? std::max(value, 0.0) : value;
    }
  });
}

// Indices of classical multiplicative decomposition when the history is positive and
// seasonal at lag m, else none (all 1).
std::vector<double> seasonal_indices(std::span<const double> history, std::size_t m) {
  if (m <= 1 || history.size() < 2 * m) return {};
  if (*std::min_element(history.begin(), history.end()) <= 0.0) return {};
  if (!seasonal_by_acf(history, m)) return {};
  return multiplicative_indices(history, m);
}

}  // namespace

ClassicalForecaster::ClassicalForecaster(ClassicalMethod method, std::size_t season) : method_(method), season_(season) {
  if (season == 0) throw UsageError("season 0", "--season", "use a season of 1 or more");
}

std::string ClassicalForecaster::name() const {
  switch (method_) {
    case ClassicalMethod::ses: return "ses";
    case ClassicalMethod::holt: return "holt";
    case ClassicalMethod::damped: return "damped";
    case ClassicalMethod::theta: return "theta";
    case ClassicalMethod::comb: return "comb";
  }
  return "";
}

void ClassicalForecaster::forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                                   arma::mat& out) const {
  out.zeros(horizon, origins.size());
  if (origins.empty()) return;
  const std::size_t first = *std::min_element(origins.begin(), origins.end());
  const std::size_t last = *std::max_element(origins.begin(), origins.end());
  std::vector<double> adjusted(last);
  for (std::size_t i = 0; i < last; ++i) adjusted[i] = series.values(0, i);
  const std::span<const double> history(adjusted.data(), first);
  const bool nonnegative = *std::min_element(history.begin(), history.end()) >= 0.0;
  const std::vector<double> index = seasonal_indices(history, season_);
  const auto index_at = [&](std::size_t row) { return index.empty() ? 1.0 : index[row % season_]; };
  for (std::size_t i = 0; i < last; ++i) adjusted[i] /= index_at(i);
  switch (method_) {
    case ClassicalMethod::ses: add_smoothing(adjusted, origins, first, Trend::none, 1.0, out); break;
    case ClassicalMethod::holt: add_smoothing(adjusted, origins, first, Trend::additive, 1.0, out); break;
    case ClassicalMethod::damped: add_smoothing(adjusted, origins, first, Trend::damped, 1.0, out); break;
    case ClassicalMethod::theta: add_theta(adjusted, origins, first, nonnegative, out); break;
    case ClassicalMethod::comb:
      for (Trend trend : {Trend::none, Trend::additive, Trend::damped})
        add_smoothing(adjusted, origins, first, trend, 1.0 / 3.0, out);
      break;
  }
  // ŷ_{t+h} sits in row t + h − 1.
  for (std::size_t j = 0; j < origins.size(); ++j)
    for (std::size_t h = 1; h <= horizon; ++h) out(h - 1, j) *= index_at(origins[j] + h - 1);
}

}  // namespace grucast
