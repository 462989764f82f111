// The forecasting network: stacked recurrent layers (GRU or LSTM cells), dropout between them, and a dense head with K outputs.
#pragma once

#include <armadillo>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "grucast/nn/network_config.hpp"
#include "nn/attention.hpp"
#include "nn/dense.hpp"
#include "nn/params.hpp"
#include "nn/recurrent.hpp"

namespace grucast {

/// Windows per task when many windows are forecast over threads: small enough that a step's
/// gates and states stay in the L2 cache, large enough for efficient GEMMs.
inline constexpr std::size_t kInferenceTaskWindows = 128;

/// A forward pass's state, owned by the caller (one per thread).
template <class E>
struct NetworkCache {
  std::vector<RecurrentCache<E>> layers;
  std::vector<arma::Mat<E>> masks;   ///< (H, B·T) per layer above the first: dropout scale, 0 or 1/(1 − p)
  std::vector<arma::Mat<E>> inputs;  ///< (H, B·T) the dropped-out outputs fed to layer l ≥ 1
  AttentionCache<E> attention;       ///< with attention: α and the head's input [h_T; c]
  arma::Mat<E> last;                 ///< (H, B) the top layer's h_T
  arma::Mat<E> prediction;           ///< (K·Q, B)
  arma::Mat<E> dlast;                ///< (H, B), or (2H, B) with attention: the head's input gradient
  arma::Mat<E> dh;                   ///< (H, B·T) gradient into a layer's outputs
  arma::Mat<E> dinput;               ///< (H, B·T) gradient out of a layer's inputs
};

/// x (D, B·T) → RNN_1 → dropout → ... → RNN_L → h_T (RNN: the shape's cell, GRU or LSTM) → head → ŷ (K·Q, B), row q·K + k the
/// q-th quantile of step k (Q = 1 but for quantile models);
/// with attention, RNN_L's states h_1..h_T → attention → [h_T; c] → head.
template <class E>
class Network {
 public:
  explicit Network(const ModelShape& shape);

  const ModelShape& shape() const { return shape_; }
  const ParamLayout& layout() const { return layout_; }

  /// ŷ (K, B) for x (D, B·T). With `dropout_seed`, dropout masks are drawn (training);
  /// without, dropout is off (inference). Returns cache.prediction.
  const arma::Mat<E>& forward(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch,
                              NetworkCache<E>& cache, const std::uint64_t* dropout_seed = nullptr) const;

  /// Backpropagates dŷ (K, B) through the pass that filled `cache`: ADDS into `grad` and, when
  /// `dx` is not null, writes the input gradient (D, B·T).
  void backward(const arma::Col<E>& params, const arma::Mat<E>& x, NetworkCache<E>& cache,
                const arma::Mat<E>& dprediction, arma::Col<E>& grad, arma::Mat<E>* dx = nullptr) const;

 private:
  ModelShape shape_;
  ParamLayout layout_;
  std::vector<RecurrentLayer<E>> layers_;  ///< L layers of the shape's cell
  Attention<E> attention_;
  Dense<E> head_;
};

/// The slice table of a network of `shape` (the same for either element type).
ParamLayout network_layout(const ModelShape& shape);

}  // namespace grucast
