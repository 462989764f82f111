#include "grucast/forecast/multiplicative.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace grucast {

namespace {

// sd(x) / mean(x), the population standard deviation; NaN for a mean of 0.
double variation(const std::vector<double>& x) {
  double mean = 0.0;
  for (const double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double squares = 0.0;
  for (const double v : x) squares += (v - mean) * (v - mean);
  return mean > 0.0 ? std::sqrt(squares / static_cast<double>(x.size())) / mean : std::nan("");
}

}  // namespace

bool looks_multiplicative(std::span<const double> values, std::size_t season) {
  if (values.empty() || std::any_of(values.begin(), values.end(), [](double v) { return !(v > 0.0); })) return false;
  const std::size_t n = values.size();
  const std::size_t block = season >= 2 && n / season >= kMultiplicativeBlocks ? season : 2;
  const std::size_t blocks = n / block;
  if (blocks < kMultiplicativeBlocks) return false;
  std::vector<double> spread(blocks), relative(blocks), level(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::span<const double> rows = values.subspan(n - (blocks - b) * block, block);
    double mean = 0.0;
    for (const double v : rows) mean += v;
    mean /= static_cast<double>(block);
    double squares = 0.0;
    for (const double v : rows) squares += (v - mean) * (v - mean);
    level[b] = mean;
    spread[b] = std::sqrt(squares / static_cast<double>(block - 1));
    relative[b] = spread[b] / mean;
  }
  const auto [low, high] = std::minmax_element(level.begin(), level.end());
  if (*high < kLevelRatio * *low) return false;
  if (*std::max_element(spread.begin(), spread.end()) <= 0.0) return false;
  return variation(relative) < variation(spread);
}

}  // namespace grucast
