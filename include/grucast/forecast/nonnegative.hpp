// Non-negative targets (train --nonnegative): counts, loads and amounts that cannot fall below 0.
// A model trained on such data keeps its forecasts and interval bounds at 0 or above.
#pragma once

#include <armadillo>
#include <string>

#include "grucast/data/frame.hpp"

namespace grucast {

/// --nonnegative: decided from the data (automatic), asked for (yes), or off (no).
enum class NonnegativeMode { automatic, yes, no };

/// Parses a --nonnegative value ("auto", "yes" or "no"); a UsageError otherwise.
NonnegativeMode parse_nonnegative(const std::string& text);
std::string nonnegative_name(NonnegativeMode mode);

/// Whether a model trained on `frame` keeps its forecasts at 0 or above: with automatic, when
/// every target value of every series (every row read, whatever its part of the split) is >= 0;
/// with yes, the same, and a DataError naming the first negative value's series and line when
/// one is not; with no, false.
bool resolve_nonnegative(NonnegativeMode mode, const Frame& frame);

/// A value raised to 0 when below it (and -0 written as 0); NaN stays NaN, to be refused as a
/// forecast that is not finite.
inline double at_least_zero(double value) { return value <= 0.0 ? 0.0 : value; }

/// Every value of `values` through at_least_zero.
void clamp_nonnegative(arma::mat& values);

}  // namespace grucast
