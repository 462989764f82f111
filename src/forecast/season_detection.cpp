#include "grucast/forecast/season_detection.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace grucast {

namespace {

constexpr double kZ = 3.9;           // one-sided: P(N(0,1) > 3.9) = 4.8e-5, × 1,000 lags ≈ 5%
constexpr double kDivisorShare = 0.9;

// r_0..r_last of x: r_k = Σ_{t<n−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_t (x_t − x̄)².
std::vector<double> autocorrelations(const std::vector<double>& x, std::size_t last) {
  const std::size_t n = x.size();
  double mean = 0.0;
  for (const double v : x) mean += v;
  mean /= static_cast<double>(n);
  double variance = 0.0;
  for (const double v : x) variance += (v - mean) * (v - mean);
  std::vector<double> r(last + 1, 0.0);
  if (variance == 0.0) return r;
  for (std::size_t k = 0; k <= last; ++k) {
    double sum = 0.0;
    for (std::size_t t = 0; t + k < n; ++t) sum += (x[t] - mean) * (x[t + k] - mean);
    r[k] = sum / variance;
  }
  return r;
}

// Whether the seasonal naive forecasts y in-sample better than the naive over horizons
// h = 1..K: Σ |y_t − y_{t−m⌈h/m⌉}| < Σ |y_t − y_{t−h}|, over the same t for each h (t where
// all three values are present).
bool beats_naive(std::span<const double> y, std::size_t m, std::size_t horizon) {
  double seasonal = 0.0, naive = 0.0;
  for (std::size_t h = 1; h <= horizon; ++h) {
    const std::size_t back = m * ((h + m - 1) / m);
    for (std::size_t t = back; t < y.size(); ++t) {
      const double by_season = std::fabs(y[t] - y[t - back]), by_last = std::fabs(y[t] - y[t - h]);
      if (!std::isfinite(by_season) || !std::isfinite(by_last)) continue;
      seasonal += by_season;
      naive += by_last;
    }
  }
  return seasonal < naive;
}

// The values of series j of `looked`, evenly spaced over the frame's series.
std::span<const double> sampled_values(const Frame& frame, std::size_t j, std::size_t looked,
                                       std::vector<double>& values) {
  const Series& series = frame.series[j * frame.series.size() / looked];
  values.resize(series.values.n_cols);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = series.values(0, i);
  return values;
}

// The best peak, or its smallest divisor that is a peak within kDivisorShare of it; 0 for none.
std::size_t strongest_peak(const std::vector<double>& r, std::size_t last, std::size_t n) {
  std::vector<double> squares(last + 1, 0.0);  // squares[m] = Σ_{0<k<m} r_k²
  for (std::size_t m = 2; m <= last; ++m) squares[m] = squares[m - 1] + r[m - 1] * r[m - 1];
  const auto peak = [&](std::size_t m) {
    const double limit = kZ * std::sqrt((1.0 + 2.0 * squares[m]) / static_cast<double>(n));
    return r[m] > r[m - 1] && r[m] >= r[m + 1] && r[m] > limit;
  };
  std::size_t best = 0;
  for (std::size_t m = 2; m <= last; ++m) {
    if (peak(m) && (best == 0 || r[m] > r[best])) best = m;
  }
  for (std::size_t m = 2; m < best; ++m) {
    if (best % m == 0 && peak(m) && r[m] >= kDivisorShare * r[best]) return m;
  }
  return best;
}

}  // namespace

std::size_t series_season(std::span<const double> values, std::size_t horizon) {
  const std::size_t keep = std::min(values.size(), 10 * kMaxDetectedSeason + 1);
  const std::span<const double> tail = values.subspan(values.size() - keep);
  std::vector<double> d;
  for (std::size_t i = 1; i < tail.size(); ++i) {
    if (!std::isfinite(tail[i]) || !std::isfinite(tail[i - 1])) return 1;
    d.push_back(tail[i] - tail[i - 1]);
  }
  const std::size_t n = d.size(), last = std::min(n / 3, kMaxDetectedSeason);
  if (n < 6 || last < 2) return 1;
  const std::size_t season = strongest_peak(autocorrelations(d, last + 1), last, n);
  return season > 0 && beats_naive(tail, season, std::clamp<std::size_t>(horizon, 1, kMaxDetectedSeason)) ? season : 1;
}

DetectedSeason detect_season(const Frame& frame, std::size_t horizon) {
  DetectedSeason found;
  const std::size_t total = frame.series.size();
  if (total == 0) return found;
  const std::size_t looked = std::min(total, kSeasonSeries);
  std::map<std::size_t, std::size_t> votes;
  std::vector<double> values;
  for (std::size_t j = 0; j < looked; ++j) ++votes[series_season(sampled_values(frame, j, looked, values), horizon)];
  found.series = looked;
  for (const auto& [season, count] : votes) {
    if (season > 1 && count > found.agreeing) found = {season, looked, count};
  }
  if (3 * found.agreeing < looked) found = {1, looked, 0};
  return found;
}

DetectedSeason confirm_season(const Frame& frame, std::size_t season, std::size_t horizon) {
  DetectedSeason found{season, 0, 0};
  const std::size_t total = frame.series.size();
  const std::size_t looked = std::min(total, kSeasonSeries);
  const std::size_t steps = std::clamp<std::size_t>(horizon, 1, kMaxDetectedSeason);
  const std::size_t needed = 2 * season * ((steps + season - 1) / season);  // a few pairs at the longest lag
  std::vector<double> values;
  for (std::size_t j = 0; j < looked; ++j) {
    const std::span<const double> y = sampled_values(frame, j, looked, values);
    if (y.size() < needed) continue;
    const std::span<const double> tail = y.subspan(y.size() - std::min(y.size(), 10 * kMaxDetectedSeason + 1));
    ++found.series;
    if (beats_naive(tail, season, steps)) ++found.agreeing;
  }
  if (found.series > 0 && 3 * found.agreeing < found.series) found.season = 1;
  return found;
}

}  // namespace grucast
