// Whether a series' variation grows with its level: the evidence --transform auto needs before it
// tries logarithms for a series (workflow/fit.hpp, choose_transform).
#pragma once

#include <cstddef>
#include <span>

namespace grucast {

/// Guerrero's (1993) check, between λ = 1 (no transform) and λ = 0 (logarithms). The values are
/// cut into blocks of L rows, the last block ending at the last value: L = m (`season`) when
/// there are at least kMultiplicativeBlocks such blocks, else 2. With the blocks' means μ_i and
/// standard deviations s_i, logarithms suit the series when s_i/μ_i varies less over the blocks
/// than s_i does:
///   CV(s/μ) < CV(s),  CV(x) = sd(x) / mean(x).
/// False unless every value is positive, there are kMultiplicativeBlocks blocks, some s_i > 0,
/// and the level moves: max μ_i ≥ kLevelRatio · min μ_i (with a steady level, logarithms are
/// nearly linear and the two transforms agree, so the check would be a coin toss).
bool looks_multiplicative(std::span<const double> values, std::size_t season);
inline constexpr std::size_t kMultiplicativeBlocks = 4;
inline constexpr double kLevelRatio = 1.5;

}  // namespace grucast
