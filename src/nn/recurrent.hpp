// One recurrent layer over a batch of sequences, forward and backward through time, for every
// cell: the input projection, the steps, the weight gradients and the cache are written once;
// the cell (gru.hpp, lstm.hpp; the list is cells.hpp) brings its equations.
#pragma once

#include <armadillo>
#include <cstddef>
#include <variant>

#include "grucast/nn/network_config.hpp"
#include "nn/cells.hpp"
#include "nn/params.hpp"

namespace grucast {

/// What a forward pass keeps for the backward pass, and the backward workspaces, for G gate
/// blocks (Cell::gates). The caller owns it; buffers are resized only when the batch shape
/// changes.
template <class E>
struct RecurrentCache {
  std::size_t batch = 0;  ///< B
  std::size_t steps = 0;  ///< T
  arma::Mat<E> gates;     ///< (G·H, B·T) the gates after their nonlinearities
  arma::Mat<E> h;         ///< (H, B·(T+1)): h_0 = 0, then h_1 .. h_T
  arma::Mat<E> gh;        ///< (G·H, B) step workspace: W_hh h_{t−1}
  arma::Mat<E> dgi;       ///< (G·H, B·T) gradient of the input pre-activations
  arma::Mat<E> dh_next;   ///< (H, B) gradient flowing into h_{t−1}
  CellCache<E> cell;      ///< the cell's own part: GruCell::Cache, LstmCell::Cache

  /// h_1 .. h_T as one (H, B·T) matrix, column b + B·t for sequence b at step t + 1 (a copy-free view).
  const arma::Mat<E> outputs() const {
    const std::size_t H = h.n_rows;
    return arma::Mat<E>(const_cast<E*>(h.memptr()) + H * batch, H, batch * steps, false, true);
  }
};

/// Cell's part of `cache`, made Cell's if it held another cell's.
template <class Cell, class E>
typename Cell::template Cache<E>& cell_cache(RecurrentCache<E>& cache) {
  using Own = typename Cell::template Cache<E>;
  if (!std::holds_alternative<Own>(cache.cell)) cache.cell.template emplace<Own>();
  return std::get<Own>(cache.cell);
}

/// Registers the four slices of layer `layer` under PyTorch's names ({cell}.weight_ih_l{layer}
/// (G·H, D), {cell}.weight_hh_l{layer} (G·H, H), {cell}.bias_ih_l{layer}, {cell}.bias_hh_l{layer},
/// with {cell} the cell's name), initialized uniform in ±1/√H as nn.GRU and nn.LSTM do. Inputs
/// and outputs are (features, B·T) matrices, column b + B·t for sequence b at step t, so a
/// (D, B, T) cube is one.
template <class E>
class RecurrentLayer {
 public:
  RecurrentLayer(ParamLayout& layout, CellKind cell, std::size_t layer, std::size_t input, std::size_t hidden);

  CellKind cell() const { return cell_; }
  std::size_t input() const { return input_; }
  std::size_t hidden() const { return hidden_; }

  /// Runs the T steps from h_0 = 0 (and the cell's other state at 0) over x (D, B·T); the
  /// states are cache.outputs().
  void forward(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch, RecurrentCache<E>& cache) const;

  /// Backpropagates dh (H, B·T), the loss gradient with respect to every output h_t, through
  /// time. ADDS the parameter gradients into `grad` (flat, same layout) and, when `dx` is not
  /// null, writes the input gradient (D, B·T) into it.
  void backward(const arma::Col<E>& params, const arma::Mat<E>& x, RecurrentCache<E>& cache, const arma::Mat<E>& dh,
                arma::Col<E>& grad, arma::Mat<E>* dx) const;

 private:
  template <class Cell>
  void forward_steps(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch,
                     RecurrentCache<E>& cache) const;
  template <class Cell>
  void backward_steps(const arma::Col<E>& params, const arma::Mat<E>& x, RecurrentCache<E>& cache,
                      const arma::Mat<E>& dh, arma::Col<E>& grad, arma::Mat<E>* dx) const;

  CellKind cell_;
  std::size_t input_;
  std::size_t hidden_;
  Slice w_ih_, w_hh_, b_ih_, b_hh_;
};

}  // namespace grucast
