#include "nn/kernels/gemv.hpp"

#include <immintrin.h>

#include <cmath>

namespace grucast {

namespace {

// y[0, 8·R) = rows [0, 8·R) of w (leading dimension ld) · h: R registers of accumulators,
// one broadcast of h_j and R fused multiply-adds per column.
template <int R>
__attribute__((target("avx2,fma"))) void row_block(const float* w, std::size_t ld, std::size_t cols, const float* h,
                                                   float* y) {
  __m256 acc[R];
#pragma GCC unroll 8
  for (int k = 0; k < R; ++k) acc[k] = _mm256_setzero_ps();
  for (std::size_t j = 0; j < cols; ++j, w += ld) {
    const __m256 hj = _mm256_broadcast_ss(h + j);
#pragma GCC unroll 8
    for (int k = 0; k < R; ++k) acc[k] = _mm256_fmadd_ps(_mm256_loadu_ps(w + 8 * k), hj, acc[k]);
  }
#pragma GCC unroll 8
  for (int k = 0; k < R; ++k) _mm256_storeu_ps(y + 8 * k, acc[k]);
}

__attribute__((target("avx2,fma"))) float row_dot(const float* w, std::size_t ld, std::size_t cols, const float* h) {
  float sum = 0.0f;
  for (std::size_t j = 0; j < cols; ++j) sum = std::fma(w[j * ld], h[j], sum);
  return sum;
}

}  // namespace

bool has_avx2_fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

void rows_times_vector(const float* w, std::size_t ld, std::size_t cols, std::size_t first, std::size_t count,
                       const float* h, float* y) {
  std::size_t i = 0;
  for (; i + 64 <= count; i += 64) row_block<8>(w + first + i, ld, cols, h, y + i);
  const float* rest = w + first + i;
  switch ((count - i) / 8) {  // the remaining whole registers in one pass over the columns
    case 7: row_block<7>(rest, ld, cols, h, y + i); break;
    case 6: row_block<6>(rest, ld, cols, h, y + i); break;
    case 5: row_block<5>(rest, ld, cols, h, y + i); break;
    case 4: row_block<4>(rest, ld, cols, h, y + i); break;
    case 3: row_block<3>(rest, ld, cols, h, y + i); break;
    case 2: row_block<2>(rest, ld, cols, h, y + i); break;
    case 1: row_block<1>(rest, ld, cols, h, y + i); break;
    default: break;
  }
  i += (count - i) / 8 * 8;
  for (; i < count; ++i) y[i] = row_dot(w + first + i, ld, cols, h);
}

}  // namespace grucast
