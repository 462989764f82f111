// Quantile forecasts (--loss quantile): the quantile levels τ a model learns, and the central
// intervals they give.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace grucast {

/// The quantiles of --quantiles: "0.1,0.9" → {0.1, 0.5, 0.9}: each in (0, 1), no repeats,
/// ascending, and 0.5 added when missing (the median is the point forecast). A UsageError otherwise.
std::vector<double> parse_quantiles(const std::string& text);

/// The position of the median 0.5 in `quantiles` (which must hold it).
std::size_t median_index(const std::vector<double>& quantiles);

/// The positions of τ = (1 − L)/2 and τ = (1 + L)/2 in `quantiles`, which bound the central
/// interval at level L; nothing when the model lacks either.
std::optional<std::pair<std::size_t, std::size_t>> quantile_pair(const std::vector<double>& quantiles, double level);

/// Every level L whose bounds (1 ∓ L)/2 are both in `quantiles`, ascending: {0.1, 0.5, 0.9} → {0.8}.
std::vector<double> quantile_levels(const std::vector<double>& quantiles);

/// A UsageError at --intervals unless `quantiles` give every one of `levels`; it lists the
/// levels the model can give.
void check_quantile_levels(const std::vector<double>& quantiles, const std::vector<double>& levels);

/// "0.1, 0.5, 0.9"
std::string quantiles_text(const std::vector<double>& quantiles);

}  // namespace grucast
