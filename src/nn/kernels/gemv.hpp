// The recurrent product of one window (B = 1) in float: W_hh h_{t−1} by an AVX2/FMA kernel
// that keeps 64 rows of results in registers while it streams the columns.
#pragma once

#include <cstddef>

namespace grucast {

/// Whether this CPU runs rows_times_vector (AVX2 and FMA).
bool has_avx2_fma();

/// y[0, count) = W[first, first + count) · h for W (·, cols) column-major with leading
/// dimension ld: rows first .. first + count − 1 of W times h. Needs has_avx2_fma().
void rows_times_vector(const float* w, std::size_t ld, std::size_t cols, std::size_t first, std::size_t count,
                       const float* h, float* y);

}  // namespace grucast
