#include "nn/lstm.hpp"

#include <cmath>
#include <type_traits>

#include "nn/kernels/gates.hpp"
#include "nn/kernels/gemv.hpp"
#include "nn/kernels/recurrent_window.hpp"

namespace grucast {

template <class E>
LstmLayer<E>::LstmLayer(ParamLayout& layout, std::size_t layer, std::size_t input, std::size_t hidden)
    : input_(input), hidden_(hidden) {
  const RecurrentSlices s = add_recurrent_slices(layout, CellKind::lstm, layer, input, hidden);
  w_ih_ = s.w_ih;
  w_hh_ = s.w_hh;
  b_ih_ = s.b_ih;
  b_hh_ = s.b_hh;
}

// i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi)
// f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf)
// g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)
// o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho)
// c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
// h_t = o_t ⊙ tanh(c_t)
template <class E>
void LstmLayer<E>::forward(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch,
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
  cache.c.set_size(H, B * (T + 1));
  cache.h.cols(0, B - 1).zeros();
  cache.c.cols(0, B - 1).zeros();
  if constexpr (std::is_same_v<E, float>) {
    if (B == 1 && has_avx2_fma()) return window_steps(CellKind::lstm, w_hh.memptr(), b_hh.memptr(), cache);
  }
  for (std::size_t t = 0; t < T; ++t) {
    const arma::Mat<E> h_prev(cache.h.colptr(t * B), H, B, false, true);
    cache.gh = w_hh * h_prev;
    for (std::size_t b = 0; b < B; ++b) {
      const std::size_t col = t * B + b;
      lstm_gate_step(LstmGateStep<E>{H, H, H, cache.gates.colptr(col), cache.gh.colptr(b), b_hh.memptr(),
                                     cache.c.colptr(col), cache.c.colptr(col + B), cache.hn.colptr(col),
                                     cache.h.colptr(col + B)});
    }
  }
}

// Backward, step t, with dh = ∂L/∂h_t (from above and from step t + 1) and dc = ∂L/∂c_t from
// step t + 1:
//   dc += dh ⊙ o ⊙ (1 − tanh²(c_t))
//   da_o = dh ⊙ tanh(c_t) ⊙ o(1 − o)     da_i = dc ⊙ g ⊙ i(1 − i)
//   da_f = dc ⊙ c_{t−1} ⊙ f(1 − f)        da_g = dc ⊙ i ⊙ (1 − g²)
//   ∂L/∂c_{t−1} = dc ⊙ f,  ∂L/∂h_{t−1} = W_hhᵀ [da_i; da_f; da_g; da_o]
// The input and recurrent pre-activations have the same gradient dG, so over all steps at
// once: dW_ih += dG xᵀ, dW_hh += dG h_{0..T−1}ᵀ, db_ih = db_hh = row sums, dx = W_ihᵀ dG.
template <class E>
void LstmLayer<E>::backward(const arma::Col<E>& params, const arma::Mat<E>& x, RecurrentCache<E>& cache,
                            const arma::Mat<E>& dh, arma::Col<E>& grad, arma::Mat<E>* dx) const {
  const std::size_t H = hidden_, B = cache.batch, T = cache.steps;
  const arma::Mat<E> w_ih = slice_view(params, w_ih_), w_hh = slice_view(params, w_hh_);
  cache.dgi.set_size(4 * H, B * T);
  cache.dh_next.zeros(H, B);
  cache.dc_next.zeros(H, B);
  for (std::size_t t = T; t-- > 0;) {
    for (std::size_t b = 0; b < B; ++b) {
      const std::size_t col = t * B + b;
      const E* gate = cache.gates.colptr(col);
      const E* tc = cache.hn.colptr(col);
      const E* cp = cache.c.colptr(col);  // c_{t−1}: column t·B + b of c, which starts at c_0
      const E* up = dh.colptr(col);
      E* next_h = cache.dh_next.colptr(b);
      E* next_c = cache.dc_next.colptr(b);
      E* dg = cache.dgi.colptr(col);
      for (std::size_t u = 0; u < H; ++u) {
        const E i = gate[u], f = gate[H + u], g = gate[2 * H + u], o = gate[3 * H + u];
        const E d = up[u] + next_h[u];
        const E dc = next_c[u] + d * o * (E(1) - tc[u] * tc[u]);
        dg[u] = dc * g * i * (E(1) - i);
        dg[H + u] = dc * cp[u] * f * (E(1) - f);
        dg[2 * H + u] = dc * i * (E(1) - g * g);
        dg[3 * H + u] = d * tc[u] * o * (E(1) - o);
        next_c[u] = dc * f;
      }
    }
    const arma::Mat<E> dg_t(cache.dgi.colptr(t * B), 4 * H, B, false, true);
    cache.dh_next = w_hh.t() * dg_t;
  }
  arma::Mat<E> dw_ih = slice_view(grad, w_ih_), dw_hh = slice_view(grad, w_hh_);
  arma::Mat<E> db_ih = slice_view(grad, b_ih_), db_hh = slice_view(grad, b_hh_);
  const arma::Mat<E> h_prev(cache.h.memptr(), H, B * T, false, true);
  dw_ih += cache.dgi * x.t();
  dw_hh += cache.dgi * h_prev.t();
  const arma::Col<E> db = arma::sum(cache.dgi, 1);
  db_ih += db;
  db_hh += db;
  if (dx != nullptr) *dx = w_ih.t() * cache.dgi;
}

template class LstmLayer<float>;
template class LstmLayer<double>;

}  // namespace grucast
