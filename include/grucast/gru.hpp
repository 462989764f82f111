// One GRU layer over a batch of sequences, forward and backward through time (PyTorch's convention).
#pragma once

#include <armadillo>
#include <cstddef>

#include "grucast/params.hpp"

namespace grucast {

/// What a forward pass keeps for the backward pass, and the backward workspaces. The caller owns
/// it; buffers are resized only when the batch shape changes.
template <class E>
struct GruCache {
  std::size_t batch = 0;  ///< B
  std::size_t steps = 0;  ///< T
  arma::Mat<E> gates;     ///< (3H, B·T): r_t, z_t, n_t after their nonlinearities
  arma::Mat<E> hn;        ///< (H, B·T): W_hn h_{t−1} + b_hn
  arma::Mat<E> h;         ///< (H, B·(T+1)): h_0 = 0, then h_1 .. h_T
  arma::Mat<E> gh;        ///< (3H, B) step workspace
  arma::Mat<E> dgi;       ///< (3H, B·T) gradient of the input pre-activations
  arma::Mat<E> dgh;       ///< (3H, B·T) gradient of the recurrent pre-activations
  arma::Mat<E> dh_next;   ///< (H, B) gradient flowing into h_{t−1}

  /// h_1 .. h_T as one (H, B·T) matrix, column b + B·t for sequence b at step t + 1 (a copy-free view).
  const arma::Mat<E> outputs() const;
};

/// Registers the four slices of layer `layer` under PyTorch's names (gru.weight_ih_l{layer},
/// gru.weight_hh_l{layer}, gru.bias_ih_l{layer}, gru.bias_hh_l{layer}), initialized in ±1/√H.
/// Inputs and outputs are (features, B·T) matrices, column b + B·t for sequence b at step t,
/// so a (D, B, T) cube is one.
template <class E>
class GruLayer {
 public:
  GruLayer(ParamLayout& layout, std::size_t layer, std::size_t input, std::size_t hidden);

  std::size_t input() const { return input_; }
  std::size_t hidden() const { return hidden_; }

  /// Runs the T steps from h_0 = 0 over x (D, B·T); the states are cache.outputs().
  void forward(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch, GruCache<E>& cache) const;

  /// Backpropagates dh (H, B·T), the loss gradient with respect to every output h_t, through
  /// time. ADDS the parameter gradients into `grad` (flat, same layout) and, when `dx` is not
  /// null, writes the input gradient (D, B·T) into it.
  void backward(const arma::Col<E>& params, const arma::Mat<E>& x, GruCache<E>& cache, const arma::Mat<E>& dh,
                arma::Col<E>& grad, arma::Mat<E>* dx) const;

 private:
  std::size_t input_;
  std::size_t hidden_;
  Slice w_ih_, w_hh_, b_ih_, b_hh_;
};

}  // namespace grucast
