// One window (B = 1) in float, the latency path of the GRU's and the LSTM's forward passes: the
// recurrent product by the AVX2/FMA kernel (gemv.hpp), and the second core through the StepTeam.
#pragma once

#include "nn/recurrent.hpp"

namespace grucast {

/// The T steps of one layer whose cache.gates already hold the input projection (cache sized,
/// h_0 = 0, and for the LSTM c_0 = 0). From 192 units, the units are split between the two
/// threads of the StepTeam, which meet after every step. Needs has_avx2_fma().
void window_steps(CellKind cell, const float* w_hh, const float* b_hh, RecurrentCache<float>& cache);

}  // namespace grucast
