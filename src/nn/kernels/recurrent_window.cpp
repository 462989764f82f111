#include "nn/kernels/recurrent_window.hpp"

#include <mutex>

#include "nn/kernels/gemv.hpp"
#include "nn/kernels/step_team.hpp"

namespace grucast {

namespace {

// Units [begin, end) of step t of one window in float: their rows of W_hh h_{t−1} by the
// AVX2/FMA kernel into gh (G blocks end − begin apart), then their gates.
void window_step_units(GateLoop<float> gate_loop, std::size_t G, const float* w_hh, const float* b_hh,
                       RecurrentCache<float>& cache, std::size_t t, std::size_t begin, std::size_t end, float* gh) {
  const std::size_t H = cache.h.n_rows, units = end - begin;
  if (units == H) {
    rows_times_vector(w_hh, G * H, H, 0, G * H, cache.h.colptr(t), gh);  // the blocks are contiguous
  } else {
    for (std::size_t block = 0; block < G; ++block) {
      rows_times_vector(w_hh, G * H, H, block * H + begin, units, cache.h.colptr(t), gh + block * units);
    }
  }
  gate_loop(GateStep<float>{units, H, units, cache.gates.colptr(t) + begin, gh, b_hh + begin, cache.h.colptr(t) + begin,
                            cache.h.colptr(t + 1) + begin, t, 1, begin},
            cache.cell);
}

// Hidden sizes from which two cores share the steps of one window: below, a step is too short
// for the hand-over between the cores to pay.
constexpr std::size_t kSplitHidden = 192;

}  // namespace

void window_steps(GateLoop<float> gate_loop, std::size_t gates, const float* w_hh, const float* b_hh,
                  RecurrentCache<float>& cache) {
  const std::size_t H = cache.h.n_rows, T = cache.steps, G = gates;
  std::unique_lock<StepTeam> team;
  if (H >= kSplitHidden) team = StepTeam::acquire();
  if (!team) {
    cache.gh.set_size(G * H, 1);
    for (std::size_t t = 0; t < T; ++t) window_step_units(gate_loop, G, w_hh, b_hh, cache, t, 0, H, cache.gh.memptr());
    return;
  }
  const std::size_t split = (H / 2 + 15) / 16 * 16;  // a whole number of cache lines of h
  cache.gh.set_size(G * H, 1);  // both parts' products, allocated here: the job must not throw
  team.mutex()->run([&](std::size_t part) {
    const std::size_t begin = part == 0 ? 0 : split, end = part == 0 ? split : H;
    float* gh = cache.gh.memptr() + G * begin;
    for (std::size_t t = 0; t < T; ++t) {
      window_step_units(gate_loop, G, w_hh, b_hh, cache, t, begin, end, gh);
      team.mutex()->arrive_and_wait(t + 1);
    }
  });
}

}  // namespace grucast
