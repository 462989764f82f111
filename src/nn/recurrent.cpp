#include "nn/recurrent.hpp"

#include <cmath>
#include <type_traits>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "nn/kernels/gates.hpp"
#include "nn/kernels/gemv.hpp"
#include "nn/kernels/recurrent_window.hpp"
#include "util/name_table.hpp"

namespace grucast {

CellKind parse_cell(const std::string& text) {
  if (const auto kind = value_of(kCellNames, text)) return *kind;
  throw UsageError("unknown cell " + quoted(text), "--cell", "use " + names_text(kCellNames));
}

std::string cell_name(CellKind kind) { return name_of(kCellNames, kind); }

template <class E>
RecurrentLayer<E>::RecurrentLayer(ParamLayout& layout, CellKind cell, std::size_t layer, std::size_t input,
                                  std::size_t hidden)
    : cell_(cell), input_(input), hidden_(hidden) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden));
  const std::string prefix = cell_name(cell);
  const std::size_t rows = gate_blocks(cell) * hidden;
  w_ih_ = layout[layout.add(fmt::format("{}.weight_ih_l{}", prefix, layer), rows, input, bound)];
  w_hh_ = layout[layout.add(fmt::format("{}.weight_hh_l{}", prefix, layer), rows, hidden, bound)];
  b_ih_ = layout[layout.add(fmt::format("{}.bias_ih_l{}", prefix, layer), rows, 1, bound)];
  b_hh_ = layout[layout.add(fmt::format("{}.bias_hh_l{}", prefix, layer), rows, 1, bound)];
}

template <class E>
void RecurrentLayer<E>::forward(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch,
                                RecurrentCache<E>& cache) const {
  with_cell(cell_, [&]<class Cell>(Cell) { forward_steps<Cell>(params, x, batch, cache); });
}

template <class E>
void RecurrentLayer<E>::backward(const arma::Col<E>& params, const arma::Mat<E>& x, RecurrentCache<E>& cache,
                                 const arma::Mat<E>& dh, arma::Col<E>& grad, arma::Mat<E>* dx) const {
  with_cell(cell_, [&]<class Cell>(Cell) { backward_steps<Cell>(params, x, cache, dh, grad, dx); });
}

// The input projection of all T steps in one GEMM, then per step one GEMM W_hh h_{t−1} and the
// cell's gate loop (one window in float: the kernel of recurrent_window.hpp).
template <class E>
template <class Cell>
void RecurrentLayer<E>::forward_steps(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch,
                                      RecurrentCache<E>& cache) const {
  const std::size_t H = hidden_, B = batch, T = x.n_cols / batch;
  const arma::Mat<E> w_ih = slice_view(params, w_ih_), w_hh = slice_view(params, w_hh_);
  const arma::Mat<E> b_ih = slice_view(params, b_ih_), b_hh = slice_view(params, b_hh_);
  cache.batch = B;
  cache.steps = T;
  cache.gates = w_ih * x;
  cache.gates.each_col() += b_ih.col(0);
  cache.h.set_size(H, B * (T + 1));
  cache.h.cols(0, B - 1).zeros();
  cell_cache<Cell>(cache).start_forward(H, B, T);
  const GateLoop<E> gate_loop = cell_gate_loop<E>(cell_);
  if constexpr (std::is_same_v<E, float>) {
    if (B == 1 && has_avx2_fma()) return window_steps(gate_loop, Cell::gates, w_hh.memptr(), b_hh.memptr(), cache);
  }
  for (std::size_t t = 0; t < T; ++t) {
    const arma::Mat<E> h_prev(cache.h.colptr(t * B), H, B, false, true);
    cache.gh = w_hh * h_prev;
    for (std::size_t b = 0; b < B; ++b) {
      const std::size_t col = t * B + b;
      gate_loop(GateStep<E>{H, H, H, cache.gates.colptr(col), cache.gh.colptr(b), b_hh.memptr(), h_prev.colptr(b),
                            cache.h.colptr(col + B), col, B, 0},
                cache.cell);
    }
  }
}

// Per step, from t = T − 1 down: the cell's derivative loop for every sequence, then one GEMM
// W_hhᵀ dgh into ∂L/∂h_{t−1}. Then over all steps at once: dW_ih += dgi xᵀ,
// dW_hh += dgh h_{0..T−1}ᵀ, db_ih and db_hh = row sums, dx = W_ihᵀ dgi (dgh is the cell's
// gradient of the recurrent pre-activations; dgi itself for the LSTM).
template <class E>
template <class Cell>
void RecurrentLayer<E>::backward_steps(const arma::Col<E>& params, const arma::Mat<E>& x, RecurrentCache<E>& cache,
                                       const arma::Mat<E>& dh, arma::Col<E>& grad, arma::Mat<E>* dx) const {
  const std::size_t H = hidden_, B = cache.batch, T = cache.steps, G = Cell::gates;
  const arma::Mat<E> w_ih = slice_view(params, w_ih_), w_hh = slice_view(params, w_hh_);
  auto& own = cell_cache<Cell>(cache);
  cache.dgi.set_size(G * H, B * T);
  own.start_backward(H, B, T);
  cache.dh_next.zeros(H, B);
  arma::Mat<E>& dgh = own.recurrent_grads(cache.dgi);
  for (std::size_t t = T; t-- > 0;) {
    for (std::size_t b = 0; b < B; ++b) {
      const std::size_t col = t * B + b;
      // h_{t−1}: column t·B + b of h, which starts at h_0
      Cell::backward(BackwardStep<E>{H, cache.gates.colptr(col), cache.h.colptr(col), dh.colptr(col),
                                     cache.dh_next.colptr(b), cache.dgi.colptr(col), col, b},
                     own);
    }
    const arma::Mat<E> dgh_t(dgh.colptr(t * B), G * H, B, false, true);
    if constexpr (Cell::direct_path) {
      cache.dh_next += w_hh.t() * dgh_t;
    } else {
      cache.dh_next = w_hh.t() * dgh_t;
    }
  }
  arma::Mat<E> dw_ih = slice_view(grad, w_ih_), dw_hh = slice_view(grad, w_hh_);
  arma::Mat<E> db_ih = slice_view(grad, b_ih_), db_hh = slice_view(grad, b_hh_);
  const arma::Mat<E> h_prev(cache.h.memptr(), H, B * T, false, true);
  dw_ih += cache.dgi * x.t();
  dw_hh += dgh * h_prev.t();
  const arma::Col<E> db = arma::sum(cache.dgi, 1);
  db_ih += db;
  if (&dgh == &cache.dgi) {
    db_hh += db;  // one gradient for both
  } else {
    db_hh += arma::sum(dgh, 1);
  }
  if (dx != nullptr) *dx = w_ih.t() * cache.dgi;
}

template class RecurrentLayer<float>;
template class RecurrentLayer<double>;

}  // namespace grucast
