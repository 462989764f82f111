// σ and tanh of the cells' gate loops (gru.hpp, lstm.hpp): in float without a call, so that the
// loops vectorize; in double by the standard library. Used only where the gate loops are
// compiled (nn/kernels/gates.cpp), with that file's options.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace grucast {

// e^x in float without a call, so that the gate loop vectorizes: x = k·ln2 + r, |r| ≤ ln2/2,
// e^r by Cephes' degree-6 polynomial (about 2 ulp), 2^k put into the exponent bits. The
// rounding to k uses 1.5·2^23, which float addition rounds to an integer without a branch.
[[gnu::always_inline]] inline float exp_f32(float x) {
  x = x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x;
  const float k = (x * 1.44269504f + 12582912.0f) - 12582912.0f;
  const float r = (x - k * 0.693359375f) + k * 2.12194440e-4f;  // ln2 in two parts: r is exact
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  return p * std::bit_cast<float>((static_cast<std::int32_t>(k) + 127) << 23);
}

// σ(a) = 1 / (1 + e^−a)
[[gnu::always_inline]] inline double sigmoid(double a) { return 1.0 / (1.0 + std::exp(-a)); }
[[gnu::always_inline]] inline float sigmoid(float a) { return 1.0f / (1.0f + exp_f32(-a)); }

// tanh(a) = 2σ(2a) − 1 in float (absolute error about 1e−7); std::tanh in double.
[[gnu::always_inline]] inline double tanh_gate(double a) { return std::tanh(a); }
[[gnu::always_inline]] inline float tanh_gate(float a) { return 2.0f / (1.0f + exp_f32(-2.0f * a)) - 1.0f; }

}  // namespace grucast
