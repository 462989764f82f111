#include "forecast/quantiles.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "grucast/forecast/intervals.hpp"
#include "grucast/util/error.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

// Quantiles that differ by less than this are the same (0.1 and (1 − 0.8)/2 = 0.09999999999999998).
constexpr double kSame = 1e-9;

std::optional<std::size_t> find_quantile(const std::vector<double>& quantiles, double tau) {
  for (std::size_t i = 0; i < quantiles.size(); ++i) {
    if (std::abs(quantiles[i] - tau) < kSame) return i;
  }
  return std::nullopt;
}

double parse_one(const std::string& item) {
  double tau = 0.0;
  const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), tau);
  if (item.empty() || error != std::errc() || end != item.data() + item.size()) {
    throw UsageError(fmt::format("quantile {} is not a number", quoted(item)), "--quantiles",
                     "give quantile levels between 0 and 1, e.g. 0.1,0.5,0.9");
  }
  if (!(tau > 0.0 && tau < 1.0)) {
    throw UsageError(fmt::format("quantile {} is not between 0 and 1", quoted(item)), "--quantiles",
                     "give quantile levels strictly between 0 and 1, e.g. 0.1,0.5,0.9");
  }
  return tau;
}

}  // namespace

std::vector<double> parse_quantiles(const std::string& text) {
  std::vector<double> quantiles;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    quantiles.push_back(parse_one(std::string(trim(std::string_view(text).substr(begin, end - begin)))));
    if (end == text.size()) break;
    begin = end + 1;
  }
  std::sort(quantiles.begin(), quantiles.end());
  for (std::size_t i = 1; i < quantiles.size(); ++i) {
    if (quantiles[i] - quantiles[i - 1] < kSame) {
      throw UsageError(fmt::format("quantile {:g} is given twice", quantiles[i]), "--quantiles",
                       "give each quantile once");
    }
  }
  if (!find_quantile(quantiles, 0.5)) quantiles.insert(std::upper_bound(quantiles.begin(), quantiles.end(), 0.5), 0.5);
  return quantiles;
}

std::size_t median_index(const std::vector<double>& quantiles) {
  const auto median = find_quantile(quantiles, 0.5);
  if (!median) throw std::logic_error("a quantile model without the median 0.5");
  return *median;
}

std::optional<std::pair<std::size_t, std::size_t>> quantile_pair(const std::vector<double>& quantiles, double level) {
  const auto lower = find_quantile(quantiles, (1.0 - level) / 2.0);
  const auto upper = find_quantile(quantiles, (1.0 + level) / 2.0);
  if (!lower || !upper) return std::nullopt;
  return std::pair{*lower, *upper};
}

std::vector<double> quantile_levels(const std::vector<double>& quantiles) {
  std::vector<double> levels;
  for (const double tau : quantiles) {
    if (tau < 0.5 - kSame && find_quantile(quantiles, 1.0 - tau)) levels.push_back(1.0 - 2.0 * tau);
  }
  std::sort(levels.begin(), levels.end());
  return levels;
}

void check_quantile_levels(const std::vector<double>& quantiles, const std::vector<double>& levels) {
  std::vector<std::string> available;
  for (const double level : quantile_levels(quantiles)) available.push_back(fmt::format("{:g}", level));
  for (const double level : levels) {
    if (quantile_pair(quantiles, level)) continue;
    const std::string what = fmt::format("the model learned the quantiles {}, which give no {}% interval (it needs "
                                         "the quantiles {:g} and {:g})",
                                         quantiles_text(quantiles), level_name(level), (1.0 - level) / 2.0,
                                         (1.0 + level) / 2.0);
    throw UsageError(what, "--intervals",
                     available.empty() ? "train with --quantiles that hold pairs such as 0.1,0.9 for 0.8"
                                       : fmt::format("ask for {} (or train with those quantiles)", join(available, ",")));
  }
}

std::string quantiles_text(const std::vector<double>& quantiles) {
  std::vector<std::string> items;
  for (const double tau : quantiles) items.push_back(fmt::format("{:g}", tau));
  return join(items, ", ");
}

}  // namespace grucast
