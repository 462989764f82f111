// One window (B = 1) in float, the latency path of the recurrent layer's forward pass for every
// cell: the recurrent product by the AVX2/FMA kernel (gemv.hpp), and the second core through
// the StepTeam.
#pragma once

#include <cstddef>

#include "nn/kernels/gates.hpp"
#include "nn/recurrent.hpp"

namespace grucast {

/// The T steps of one layer whose cache.gates already hold the input projection (cache sized,
/// h_0 = 0, and the cell's own state at 0), `gates` the cell's gate blocks and `gate_loop` its
/// loop. From 192 units, the units are split between the two threads of the StepTeam, which
/// meet after every step. Needs has_avx2_fma().
void window_steps(GateLoop<float> gate_loop, std::size_t gates, const float* w_hh, const float* b_hh,
                  RecurrentCache<float>& cache);

}  // namespace grucast
