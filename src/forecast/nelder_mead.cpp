#include "forecast/nelder_mead.hpp"

#include <cmath>
#include <stdexcept>

namespace grucast {

namespace {

constexpr double kBig = 1.0e35;  // the value of a point where f is not finite

// The simplex: n + 1 vertices of n coordinates, each with its value.
struct Simplex {
  std::vector<std::vector<double>> vertex;
  std::vector<double> value;
};

// The first vertex is the start; vertex j moves coordinate j − 1 by a tenth of the largest
// |start_i| (0.1 if all are 0), ten times more until the coordinate changes.
Simplex initial_simplex(const std::vector<double>& start, double& size) {
  const std::size_t n = start.size();
  double step = 0.0;
  for (double x : start) step = std::max(step, 0.1 * std::fabs(x));
  if (step == 0.0) step = 0.1;
  Simplex simplex{std::vector<std::vector<double>>(n + 1, start), std::vector<double>(n + 1, 0.0)};
  size = 0.0;
  for (std::size_t j = 1; j <= n; ++j) {
    double trial = step;
    while (simplex.vertex[j][j - 1] == start[j - 1]) {
      simplex.vertex[j][j - 1] = start[j - 1] + trial;
      trial *= 10.0;
    }
    size += trial;
  }
  return simplex;
}

}  // namespace

NelderMeadResult nelder_mead(const std::function<double(std::span<const double>)>& f, std::vector<double> start,
                             double reltol, std::size_t max_evaluations) {
  const std::size_t n = start.size();
  std::size_t evaluations = 0;
  const auto value_at = [&](const std::vector<double>& x) {
    ++evaluations;
    const double v = f(x);
    return std::isfinite(v) ? v : kBig;
  };
  const double first = f(start);
  ++evaluations;
  if (!std::isfinite(first)) throw std::invalid_argument("nelder_mead: f is not finite at the start");
  const double tolerance = reltol * (std::fabs(first) + reltol);
  double old_size = 0.0;
  Simplex s = initial_simplex(start, old_size);
  s.value[0] = first;
  std::size_t low = 0;
  bool evaluate_vertices = true;
  std::vector<double> centroid(n), trial(n);
  while (true) {
    if (evaluate_vertices) {
      for (std::size_t j = 0; j <= n; ++j)
        if (j != low) s.value[j] = value_at(s.vertex[j]);
      evaluate_vertices = false;
    }
    // The lowest and highest vertices; ties keep the earlier one, the current low first.
    std::size_t high = low;
    for (std::size_t j = 0; j <= n; ++j) {
      if (j == low) continue;
      if (s.value[j] < s.value[low]) low = j;
      if (s.value[j] > s.value[high]) high = j;
    }
    if (s.value[high] <= s.value[low] + tolerance) break;
    for (std::size_t i = 0; i < n; ++i) {
      double sum = -s.vertex[high][i];
      for (std::size_t j = 0; j <= n; ++j) sum += s.vertex[j][i];
      centroid[i] = sum / static_cast<double>(n);
    }
    // Reflection x_r = 2c − x_high.
    for (std::size_t i = 0; i < n; ++i) trial[i] = 2.0 * centroid[i] - s.vertex[high][i];
    const double reflected = value_at(trial);
    if (reflected < s.value[low]) {
      // Expansion x_e = 2x_r − c; keep the better of x_e and x_r.
      std::vector<double> expanded(n);
      for (std::size_t i = 0; i < n; ++i) expanded[i] = 2.0 * trial[i] - centroid[i];
      const double value = value_at(expanded);
      if (value < reflected) {
        s.vertex[high] = expanded, s.value[high] = value;
      } else {
        s.vertex[high] = trial, s.value[high] = reflected;
      }
    } else {
      const double high_before = s.value[high];
      if (reflected < high_before) s.vertex[high] = trial, s.value[high] = reflected;
      // Contraction x_c = (x_high + c)/2, toward the centroid from the (new) highest vertex.
      for (std::size_t i = 0; i < n; ++i) trial[i] = 0.5 * s.vertex[high][i] + 0.5 * centroid[i];
      const double contracted = value_at(trial);
      if (contracted < s.value[high]) {
        s.vertex[high] = trial, s.value[high] = contracted;
      } else if (reflected >= high_before) {
        // Shrink every vertex halfway toward the lowest; stop when that no longer shrinks.
        evaluate_vertices = true;
        double size = 0.0;
        for (std::size_t j = 0; j <= n; ++j) {
          if (j == low) continue;
          for (std::size_t i = 0; i < n; ++i) {
            s.vertex[j][i] = 0.5 * (s.vertex[j][i] - s.vertex[low][i]) + s.vertex[low][i];
            size += std::fabs(s.vertex[j][i] - s.vertex[low][i]);
          }
        }
        if (size >= old_size) break;
        old_size = size;
      }
    }
    if (evaluations > max_evaluations) break;
  }
  return {s.vertex[low], s.value[low], evaluations};
}

}  // namespace grucast
