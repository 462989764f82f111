// Attention over the top GRU layer's states, query h_T: the head reads [h_T; context].
#pragma once

#include <armadillo>
#include <cstddef>
#include <string>

#include "grucast/nn/network_config.hpp"
#include "nn/params.hpp"

namespace grucast {

/// A forward pass's state and the backward workspaces (one per thread).
template <class E>
struct AttentionCache {
  arma::Mat<E> keys;      ///< additive: (H, B·T) u_t = tanh(W_a h_t + b_a + U_a q)
  arma::Mat<E> weights;   ///< (T, B) α: column b is forecast b's weights over its T steps
  arma::Mat<E> output;    ///< (2H, B) [q; c], the head's input
  arma::Mat<E> dweights;  ///< (T, B) workspace
  arma::Mat<E> dkeys;     ///< (H, B·T) workspace
};

/// Over the states h_1..h_T (H, B·T, column b + B·t as RecurrentCache::outputs) with query q = h_T:
///   additive  e_t = vᵀ tanh(W_a h_t + b_a + U_a q)       slices attention.key.weight W_a (H, H),
///             attention.key.bias b_a (H), attention.query.weight U_a (H, H), attention.score.weight
///             vᵀ (1, H), each uniform in ±1/√H (PyTorch's nn.Linear)
///   dot       e_t = h_tᵀ q / √H                           no parameters
///   α = softmax_t(e),  c = Σ_t α_t h_t,  output [q; c] (2H, B).
template <class E>
class Attention {
 public:
  Attention(ParamLayout& layout, AttentionKind kind, std::size_t hidden);

  AttentionKind kind() const { return kind_; }

  void forward(const arma::Col<E>& params, const arma::Mat<E>& states, std::size_t batch,
               AttentionCache<E>& cache) const;

  /// From doutput (2H, B): ADDS the parameter gradients into `grad` and the gradient of every
  /// state h_t (through the context, the weights, the scores and the query h_T) into
  /// `dstates` (H, B·T).
  void backward(const arma::Col<E>& params, const arma::Mat<E>& states, AttentionCache<E>& cache,
                const arma::Mat<E>& doutput, arma::Col<E>& grad, arma::Mat<E>& dstates) const;

 private:
  void scores(const arma::Col<E>& params, const arma::Mat<E>& states, std::size_t batch,
              AttentionCache<E>& cache) const;
  void scores_backward(const arma::Col<E>& params, const arma::Mat<E>& states, AttentionCache<E>& cache,
                       arma::Col<E>& grad, arma::Mat<E>& dstates, arma::Mat<E>& dquery) const;

  AttentionKind kind_;
  std::size_t hidden_;
  Slice key_weight_, key_bias_, query_weight_, score_weight_;
};

}  // namespace grucast
