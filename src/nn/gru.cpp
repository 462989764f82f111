#include "nn/gru.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "nn/kernels/gates.hpp"
#include "nn/kernels/gemv.hpp"
#include "nn/kernels/recurrent_window.hpp"

namespace grucast {

template <class E>
GruLayer<E>::GruLayer(ParamLayout& layout, std::size_t layer, std::size_t input, std::size_t hidden)
    : input_(input), hidden_(hidden) {
  const RecurrentSlices s = add_recurrent_slices(layout, CellKind::gru, layer, input, hidden);
  w_ih_ = s.w_ih;
  w_hh_ = s.w_hh;
  b_ih_ = s.b_ih;
  b_hh_ = s.b_hh;
}

// r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
// z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
// n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
// h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
template <class E>
void GruLayer<E>::forward(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch,
                          RecurrentCache<E>& cache) const {
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
  if constexpr (std::is_same_v<E, float>) {
    if (B == 1 && has_avx2_fma()) return window_steps(CellKind::gru, w_hh.memptr(), b_hh.memptr(), cache);
  }
  for (std::size_t t = 0; t < T; ++t) {
    const arma::Mat<E> h_prev(cache.h.colptr(t * B), H, B, false, true);
    cache.gh = w_hh * h_prev;
    for (std::size_t b = 0; b < B; ++b) {
      gate_step(GateStep<E>{H, H, H, cache.gates.colptr(t * B + b), cache.gh.colptr(b), b_hh.memptr(),
                            h_prev.colptr(b), cache.hn.colptr(t * B + b), cache.h.colptr((t + 1) * B + b)});
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
void GruLayer<E>::backward(const arma::Col<E>& params, const arma::Mat<E>& x, RecurrentCache<E>& cache,
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

template class GruLayer<float>;
template class GruLayer<double>;

}  // namespace grucast
