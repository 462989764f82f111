// The floor under one window's latency for the large configuration (H = 256, T = 168): every
// step reads all of W_hh (3H × H floats, 786 KB) once, by the kernel the forward pass uses.
// Measures that product alone, on one core and split over the two cores of the StepTeam with
// its per-step barrier: no gates, no input GEMM, no head.
//
// Build: cmake --build build --target grucast_latency_floor; run: build/grucast_latency_floor
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <armadillo>

#include "nn/kernels/gemv.hpp"
#include "nn/kernels/step_team.hpp"

using namespace grucast;

namespace {

constexpr std::size_t H = 256, T = 168, kRepeats = 400;

template <class F>
double median_us(F&& pass) {
  std::vector<double> times(kRepeats);
  for (int warm = 0; warm < 20; ++warm) pass();
  for (double& t : times) {
    const auto start = std::chrono::steady_clock::now();
    pass();
    t = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  }
  std::nth_element(times.begin(), times.begin() + kRepeats / 2, times.end());
  return times[kRepeats / 2];
}

}  // namespace

int main() {
  if (!has_avx2_fma()) {
    std::puts("this CPU has no AVX2/FMA: the kernel does not run here");
    return 1;
  }
  arma::arma_rng::set_seed(1);
  const arma::fmat w_hh(3 * H, H, arma::fill::randn);
  arma::fmat h(H, T + 1, arma::fill::randn);
  std::vector<float> y(3 * H);
  const double one_core = median_us([&] {
    for (std::size_t t = 0; t < T; ++t) rows_times_vector(w_hh.memptr(), 3 * H, H, 0, 3 * H, h.colptr(t), y.data());
  });
  double two_cores = 0.0;
  {
    std::unique_lock<StepTeam> team = StepTeam::acquire();
    if (!team) {
      std::puts("one core: no split to measure");
      return 1;
    }
    two_cores = median_us([&] {
      team.mutex()->run([&](std::size_t part) {
        std::vector<float> gh(3 * H / 2);
        for (std::size_t t = 0; t < T; ++t) {
          for (std::size_t block = 0; block < 3; ++block) {
            rows_times_vector(w_hh.memptr(), 3 * H, H, block * H + part * H / 2, H / 2, h.colptr(t),
                              gh.data() + block * H / 2);
          }
          team.mutex()->arrive_and_wait(t + 1);
        }
      });
    });
  }
  const double bytes = 3.0 * H * H * sizeof(float) * T;
  std::printf("W_hh %zu x %zu floats (%.0f KB), read once in each of T = %zu steps\n", 3 * H, H,
              3.0 * H * H * sizeof(float) / 1000.0, T);
  std::printf("one core, the whole product:             %7.1f us per window (%.1f GB/s)\n", one_core,
              bytes / one_core / 1e3);
  std::printf("two cores, half each + a barrier a step: %7.1f us per window (%.1f GB/s)\n", two_cores,
              bytes / two_cores / 1e3);
  return 0;
}
