#include "forecast/seasonal_adjust.hpp"

#include <cmath>
#include <stdexcept>

namespace grucast {

// r_k = Σ_{t<n−k} (y_t − ȳ)(y_{t+k} − ȳ) / Σ_t (y_t − ȳ)²
bool seasonal_by_acf(std::span<const double> y, std::size_t m) {
  const std::size_t n = y.size();
  if (m <= 1 || n < 3 * m) return false;
  if (static_cast<double>(m) > std::floor(10.0 * std::log10(static_cast<double>(n)))) return false;
  double mean = 0.0;
  for (double v : y) mean += v;
  mean /= static_cast<double>(n);
  double variance = 0.0;
  for (double v : y) variance += (v - mean) * (v - mean);
  if (variance == 0.0) return false;
  const auto r = [&](std::size_t k) {
    double sum = 0.0;
    for (std::size_t t = 0; t + k < n; ++t) sum += (y[t] - mean) * (y[t + k] - mean);
    return sum / variance;
  };
  double squares = 0.0;
  for (std::size_t k = 1; k < m; ++k) squares += r(k) * r(k);
  const double limit = 1.645 / std::sqrt(static_cast<double>(n)) * std::sqrt(1.0 + 2.0 * squares);
  return std::fabs(r(m)) > limit;
}

namespace {

// Centred moving average of m (weights 1/m; for an even m, m + 1 terms with halves at the
// ends), defined where the whole window lies inside; y over (or minus) that trend averaged per
// phase, then divided by its mean (or minus it).
std::vector<double> decomposition_indices(std::span<const double> y, std::size_t m, bool multiplicative) {
  const std::size_t n = y.size();
  if (m < 2 || n < 2 * m) throw std::invalid_argument("seasonal indices: fewer than two seasons");
  const std::size_t half = m / 2;
  const bool even = m % 2 == 0;
  std::vector<double> sum(m, 0.0);
  std::vector<std::size_t> count(m, 0);
  for (std::size_t t = half; t + half < n; ++t) {
    double trend = 0.0;
    for (std::size_t i = t - half; i <= t + half; ++i) {
      const bool end = even && (i == t - half || i == t + half);
      trend += (end ? 0.5 : 1.0) * y[i];
    }
    trend /= static_cast<double>(m);
    sum[t % m] += multiplicative ? y[t] / trend : y[t] - trend;
    ++count[t % m];
  }
  std::vector<double> index(m);
  double mean = 0.0;
  for (std::size_t phase = 0; phase < m; ++phase) mean += index[phase] = sum[phase] / static_cast<double>(count[phase]);
  mean /= static_cast<double>(m);
  for (double& value : index) value = multiplicative ? value / mean : value - mean;
  return index;
}

}  // namespace

std::vector<double> multiplicative_indices(std::span<const double> y, std::size_t m) {
  return decomposition_indices(y, m, true);
}

std::vector<double> additive_indices(std::span<const double> y, std::size_t m) {
  return decomposition_indices(y, m, false);
}

}  // namespace grucast
