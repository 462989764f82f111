// Central-difference gradient checks in double precision, reporting the worst element by slice and index.
#pragma once

#include <armadillo>
#include <cmath>
#include <functional>
#include <string>

#include <fmt/format.h>

#include "nn/params.hpp"

namespace grucast::test {

struct GradientReport {
  double worst = 0.0;  ///< largest relative error |a − n| / max(|a| + |n|, floor)
  std::size_t index = 0;
  double analytic = 0.0;
  double numeric = 0.0;
  std::string where;  ///< "gru.weight_hh_l1[3, 7]" or "input[5]"

  std::string describe() const {
    return fmt::format("worst relative error {:.3g} at {}: analytic {:.10g}, numeric {:.10g}", worst, where,
                       analytic, numeric);
  }
};

/// Compares `analytic` with the central differences (f(v + ε) − f(v − ε)) / 2ε of `loss` at
/// every element of `values` (restored afterwards). `name` names element i for the report
/// (e.g. by slice); the floor (an absolute 1e−9 at the default tolerance) keeps
/// the rounding noise of near-zero gradients, about 1e−10, from dominating.
inline GradientReport check_gradient(arma::vec& values, const arma::vec& analytic, const std::function<double()>& loss,
                                     const std::function<std::string(std::size_t)>& name, double epsilon = 1e-6,
                                     double floor = 1e-3) {
  GradientReport report;
  for (std::size_t i = 0; i < values.n_elem; ++i) {
    const double saved = values[i];
    values[i] = saved + epsilon;
    const double up = loss();
    values[i] = saved - epsilon;
    const double down = loss();
    values[i] = saved;
    const double numeric = (up - down) / (2.0 * epsilon);
    const double error = std::abs(analytic[i] - numeric) / std::max(std::abs(analytic[i]) + std::abs(numeric), floor);
    if (error >= report.worst) report = {error, i, analytic[i], numeric, name(i)};
  }
  return report;
}

inline std::function<std::string(std::size_t)> slice_names(const ParamLayout& layout) {
  return [&layout](std::size_t i) { return layout.describe(i); };
}

inline std::function<std::string(std::size_t)> named(const std::string& what) {
  return [what](std::size_t i) { return fmt::format("{}[{}]", what, i); };
}

}  // namespace grucast::test
