// What the two recurrent cells (GRU and LSTM) share: the cell kind and the forward pass's cache.
#pragma once

#include <armadillo>
#include <cstddef>
#include <string>

#include "grucast/nn/network_config.hpp"
#include "nn/params.hpp"

namespace grucast {

/// Gate blocks per cell: GRU [r; z; n], LSTM [i; f; g; o].
inline std::size_t gate_blocks(CellKind kind) { return kind == CellKind::gru ? 3 : 4; }

/// One recurrent layer's four slices, registered under PyTorch's names ({cell}.weight_ih_l{layer}
/// (G·H, D), {cell}.weight_hh_l{layer} (G·H, H), {cell}.bias_ih_l{layer}, {cell}.bias_hh_l{layer}),
/// initialized uniform in ±1/√H as nn.GRU and nn.LSTM do.
struct RecurrentSlices {
  Slice w_ih, w_hh, b_ih, b_hh;
};
RecurrentSlices add_recurrent_slices(ParamLayout& layout, CellKind cell, std::size_t layer, std::size_t input,
                                     std::size_t hidden);

/// What a forward pass keeps for the backward pass, and the backward workspaces, for G gate
/// blocks (G = 3 for the GRU, 4 for the LSTM). The caller owns it; buffers are resized only
/// when the batch shape changes.
template <class E>
struct RecurrentCache {
  std::size_t batch = 0;  ///< B
  std::size_t steps = 0;  ///< T
  arma::Mat<E> gates;     ///< (G·H, B·T) the gates after their nonlinearities
  arma::Mat<E> hn;        ///< (H, B·T) GRU: W_hn h_{t−1} + b_hn; LSTM: tanh(c_t)
  arma::Mat<E> c;         ///< LSTM: (H, B·(T+1)) c_0 = 0, then c_1 .. c_T
  arma::Mat<E> h;         ///< (H, B·(T+1)): h_0 = 0, then h_1 .. h_T
  arma::Mat<E> gh;        ///< (G·H, B) step workspace
  arma::Mat<E> dgi;       ///< (G·H, B·T) gradient of the input pre-activations
  arma::Mat<E> dgh;       ///< GRU: (3H, B·T) gradient of the recurrent pre-activations
  arma::Mat<E> dh_next;   ///< (H, B) gradient flowing into h_{t−1}
  arma::Mat<E> dc_next;   ///< LSTM: (H, B) gradient flowing into c_{t−1}

  /// h_1 .. h_T as one (H, B·T) matrix, column b + B·t for sequence b at step t + 1 (a copy-free view).
  const arma::Mat<E> outputs() const {
    const std::size_t H = h.n_rows;
    return arma::Mat<E>(const_cast<E*>(h.memptr()) + H * batch, H, batch * steps, false, true);
  }
};

}  // namespace grucast
