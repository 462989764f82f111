// One GRU layer over a batch of sequences, forward and backward through time (PyTorch's convention).
#pragma once

#include <armadillo>
#include <cstddef>

#include "nn/params.hpp"
#include "nn/recurrent.hpp"

namespace grucast {

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
  void forward(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch, RecurrentCache<E>& cache) const;

  /// Backpropagates dh (H, B·T), the loss gradient with respect to every output h_t, through
  /// time. ADDS the parameter gradients into `grad` (flat, same layout) and, when `dx` is not
  /// null, writes the input gradient (D, B·T) into it.
  void backward(const arma::Col<E>& params, const arma::Mat<E>& x, RecurrentCache<E>& cache, const arma::Mat<E>& dh,
                arma::Col<E>& grad, arma::Mat<E>* dx) const;

 private:
  std::size_t input_;
  std::size_t hidden_;
  Slice w_ih_, w_hh_, b_ih_, b_hh_;
};

}  // namespace grucast
