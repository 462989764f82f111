// The dense head: K direct outputs from the last hidden state.
#pragma once

#include <armadillo>
#include <cstddef>

#include "nn/params.hpp"

namespace grucast {

/// y = W h + b, W (K, H), b (K), slices head.weight and head.bias (PyTorch nn.Linear, ±1/√H).
template <class E>
class Dense {
 public:
  Dense(ParamLayout& layout, std::size_t input, std::size_t output);

  std::size_t input() const { return input_; }
  std::size_t output() const { return output_; }

  /// y (K, B) from h (H, B).
  void forward(const arma::Col<E>& params, const arma::Mat<E>& h, arma::Mat<E>& y) const;
  /// dW += dy hᵀ, db += row sums of dy (into `grad`); dh = Wᵀ dy.
  void backward(const arma::Col<E>& params, const arma::Mat<E>& h, const arma::Mat<E>& dy, arma::Col<E>& grad,
                arma::Mat<E>& dh) const;

 private:
  std::size_t input_;
  std::size_t output_;
  Slice weight_, bias_;
};

}  // namespace grucast
