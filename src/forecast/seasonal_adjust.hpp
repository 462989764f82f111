// The M4 competition's seasonal adjustment: a 90% autocorrelation test for seasonality, then
// classical multiplicative decomposition (R's decompose(type = "multiplicative")).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace grucast {

/// Whether y is seasonal at lag m: n ≥ 3m, m within R's acf lags (10·log10 n), and
///   |r_m| > 1.645 · √((1 + 2·Σ_{k<m} r_k²)/n),
/// r_k the sample autocorrelation at lag k. False for m ≤ 1.
bool seasonal_by_acf(std::span<const double> y, std::size_t m);

/// The multiplicative seasonal index of each phase (row i has phase i mod m), averaging to 1:
/// y over its centred moving average of m (2×m for an even m), averaged per phase. Needs
/// n ≥ 2m and positive values.
std::vector<double> multiplicative_indices(std::span<const double> y, std::size_t m);

/// The additive seasonal effect of each phase, summing to 0: y minus its centred moving
/// average, averaged per phase (R's decompose(type = "additive")). Needs n ≥ 2m.
std::vector<double> additive_indices(std::span<const double> y, std::size_t m);

}  // namespace grucast
