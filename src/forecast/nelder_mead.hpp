// Nelder-Mead minimisation as R's optim(method = "Nelder-Mead") does it (Nash, Compact Numerical
// Methods, algorithm 19), so that exponential smoothing fits land where R's forecast package does.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace grucast {

struct NelderMeadResult {
  std::vector<double> point;
  double value = 0.0;
  std::size_t evaluations = 0;
};

/// Minimises f from `start`. A non-finite value counts as 1e35 (a point outside the bounds).
/// Stops when the simplex's values are within reltol·(|f(start)| + reltol) of each other, when
/// a shrink no longer shrinks it, or after max_evaluations (R: reltol √ε, maxit 2000).
/// Coefficients: reflection 1, contraction 0.5, expansion 2.
NelderMeadResult nelder_mead(const std::function<double(std::span<const double>)>& f, std::vector<double> start,
                             double reltol, std::size_t max_evaluations);

}  // namespace grucast
