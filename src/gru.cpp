#include "grucast/gru.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace grucast {

namespace {

// e^x in float without a call, so that the gate loop vectorizes: x = k·ln2 + r, |r| ≤ ln2/2,
// e^r by Cephes' degree-6 polynomial (about 2 ulp), 2^k put into the exponent bits. The
// rounding to k uses 1.5·2^23, which float addition rounds to an integer without a branch.
inline float exp_f32(float x) {
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
template <class E>
E sigmoid(E a) {
  return E(1) / (E(1) + std::exp(-a));
}

template <>
float sigmoid(float a) {
  return 1.0f / (1.0f + exp_f32(-a));
}

// tanh(a) = 2σ(2a) − 1 in float (absolute error about 1e−7); std::tanh in double.
template <class E>
E tanh_gate(E a) {
  return std::tanh(a);
}

template <>
float tanh_gate(float a) {
  return 2.0f / (1.0f + exp_f32(-2.0f * a)) - 1.0f;
}

// One sequence's gates at one step (the equations above forward): g holds the input
// pre-activations [r; z; n] and gets the gates; gh = W_hh h_{t−1}; hn gets W_hn h_{t−1} + b_hn.
template <class E>
[[gnu::always_inline]] inline void gate_loop(std::size_t H, E* __restrict g, const E* __restrict gh,
                                             const E* __restrict bh, const E* __restrict hp, E* __restrict hn,
                                             E* __restrict h) {
  for (std::size_t i = 0; i < H; ++i) {
    const E r = sigmoid(g[i] + gh[i] + bh[i]);
    const E z = sigmoid(g[H + i] + gh[H + i] + bh[H + i]);
    hn[i] = gh[2 * H + i] + bh[2 * H + i];
    const E n = tanh_gate(g[2 * H + i] + r * hn[i]);
    g[i] = r;
    g[H + i] = z;
    g[2 * H + i] = n;
    h[i] = (E(1) - z) * n + z * hp[i];
  }
}

template <class E>
void gate_step(std::size_t H, E* g, const E* gh, const E* bh, const E* hp, E* hn, E* h) {
  gate_loop(H, g, gh, bh, hp, hn, h);
}

// The float loop vectorizes; built for AVX2 too, picked at run time where the CPU has it.
template <>
__attribute__((target_clones("avx2", "default"))) void gate_step(std::size_t H, float* g, const float* gh,
                                                                 const float* bh, const float* hp, float* hn,
                                                                 float* h) {
  gate_loop(H, g, gh, bh, hp, hn, h);
}

}  // namespace

template <class E>
const arma::Mat<E> GruCache<E>::outputs() const {
  const std::size_t H = h.n_rows;
  return arma::Mat<E>(const_cast<E*>(h.memptr()) + H * batch, H, batch * steps, false, true);
}

template <class E>
GruLayer<E>::GruLayer(ParamLayout& layout, std::size_t layer, std::size_t input, std::size_t hidden)
    : input_(input), hidden_(hidden) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden));
  w_ih_ = layout[layout.add(fmt::format("gru.weight_ih_l{}", layer), 3 * hidden, input, bound)];
  w_hh_ = layout[layout.add(fmt::format("gru.weight_hh_l{}", layer), 3 * hidden, hidden, bound)];
  b_ih_ = layout[layout.add(fmt::format("gru.bias_ih_l{}", layer), 3 * hidden, 1, bound)];
  b_hh_ = layout[layout.add(fmt::format("gru.bias_hh_l{}", layer), 3 * hidden, 1, bound)];
}

// r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
// z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
// n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
// h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
template <class E>
void GruLayer<E>::forward(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch,
                          GruCache<E>& cache) const {
  const std::size_t H = hidden_, B = batch, T = x.n_cols / batch;
  const arma::Mat<E> w_ih = slice_view(params, w_ih_), w_hh = slice_view(params, w_hh_);
  const arma::Mat<E> b_ih = slice_view(params, b_ih_), b_hh = slice_view(params, b_hh_);
  cache.batch = B;
  cache.steps = T;
  cache.gates = w_ih * x;  // the input projection of all T steps in one GEMM
  cache.gates.each_col() += b_ih.col(0);
  cache.hn.set_size(H, B * T);
  cache.h.set_size(H, B * (T + 1));
  cache.h.cols(0, B - 1).zeros();
  for (std::size_t t = 0; t < T; ++t) {
    const arma::Mat<E> h_prev(cache.h.colptr(t * B), H, B, false, true);
    cache.gh = w_hh * h_prev;
    for (std::size_t b = 0; b < B; ++b) {
      gate_step(H, cache.gates.colptr(t * B + b), cache.gh.colptr(b), b_hh.memptr(), h_prev.colptr(b),
                cache.hn.colptr(t * B + b), cache.h.colptr((t + 1) * B + b));
    }
  }
}

// Backward, step t, with dh = ∂L/∂h_t (from above and from step t + 1):
//   dn = dh ⊙ (1 − z)            da_n = dn ⊙ (1 − n²)    (a_n = W_in x + b_in + r ⊙ hn)
//   dz = dh ⊙ (h_{t−1} − n)      da_z = dz ⊙ z(1 − z)
//   dr = da_n ⊙ hn               da_r = dr ⊙ r(1 − r)    dhn = da_n ⊙ r
//   input pre-activation grads [da_r; da_z; da_n], recurrent ones [da_r; da_z; dhn]
//   ∂L/∂h_{t−1} = dh ⊙ z + W_hhᵀ [da_r; da_z; dhn]
// then over all steps at once: dW_ih += dGi xᵀ, dW_hh += dGh h_{0..T−1}ᵀ, db = row sums, dx = W_ihᵀ dGi.
template <class E>
void GruLayer<E>::backward(const arma::Col<E>& params, const arma::Mat<E>& x, GruCache<E>& cache,
                           const arma::Mat<E>& dh, arma::Col<E>& grad, arma::Mat<E>* dx) const {
  const std::size_t H = hidden_, B = cache.batch, T = cache.steps;
  const arma::Mat<E> w_ih = slice_view(params, w_ih_), w_hh = slice_view(params, w_hh_);
  cache.dgi.set_size(3 * H, B * T);
  cache.dgh.set_size(3 * H, B * T);
  cache.dh_next.zeros(H, B);
  for (std::size_t t = T; t-- > 0;) {
    for (std::size_t b = 0; b < B; ++b) {
      const std::size_t col = t * B + b;
      const E* g = cache.gates.colptr(col);
      const E* hn = cache.hn.colptr(col);
      const E* hp = cache.h.colptr(col);  // h_{t−1}: column t·B + b of h, which starts at h_0
      const E* up = dh.colptr(col);
      E* next = cache.dh_next.colptr(b);
      E* dgi = cache.dgi.colptr(col);
      E* dgh = cache.dgh.colptr(col);
      for (std::size_t i = 0; i < H; ++i) {
        const E r = g[i], z = g[H + i], n = g[2 * H + i];
        const E d = up[i] + next[i];
        const E da_n = d * (E(1) - z) * (E(1) - n * n);
        const E da_z = d * (hp[i] - n) * z * (E(1) - z);
        const E da_r = da_n * hn[i] * r * (E(1) - r);
        dgi[i] = dgh[i] = da_r;
        dgi[H + i] = dgh[H + i] = da_z;
        dgi[2 * H + i] = da_n;
        dgh[2 * H + i] = da_n * r;
        next[i] = d * z;
      }
    }
    const arma::Mat<E> dgh_t(cache.dgh.colptr(t * B), 3 * H, B, false, true);
    cache.dh_next += w_hh.t() * dgh_t;
  }
  arma::Mat<E> dw_ih = slice_view(grad, w_ih_), dw_hh = slice_view(grad, w_hh_);
  arma::Mat<E> db_ih = slice_view(grad, b_ih_), db_hh = slice_view(grad, b_hh_);
  const arma::Mat<E> h_prev(cache.h.memptr(), H, B * T, false, true);
  dw_ih += cache.dgi * x.t();
  dw_hh += cache.dgh * h_prev.t();
  db_ih += arma::sum(cache.dgi, 1);
  db_hh += arma::sum(cache.dgh, 1);
  if (dx != nullptr) *dx = w_ih.t() * cache.dgi;
}

template struct GruCache<float>;
template struct GruCache<double>;
template class GruLayer<float>;
template class GruLayer<double>;

}  // namespace grucast
