// The LSTM cell in PyTorch's convention (gates i, f, g, o; two bias vectors): its equations,
// forward and backward, the policy RecurrentLayer (recurrent.hpp) runs for --cell lstm.
#pragma once

#include <armadillo>
#include <cstddef>

#include "grucast/nn/network_config.hpp"
#include "nn/cell.hpp"
#include "nn/kernels/activations.hpp"

namespace grucast {

struct LstmCell {
  static constexpr CellKind kind = CellKind::lstm;
  static constexpr std::size_t gates = 4;  ///< [i; f; g; o]
  /// h_{t−1} reaches h_t only through the gates: ∂L/∂h_{t−1} = W_hhᵀ dG alone.
  static constexpr bool direct_path = false;
  static constexpr const char* name = "lstm";  ///< --cell lstm, and the tensors lstm.weight_ih_l0, ...
  static constexpr const char* article = "an";  ///< for messages: "an LSTM's are 4H (the gates i, f, g and o)"
  static constexpr const char* title = "LSTM";
  static constexpr const char* gate_names = "i, f, g and o";

  template <class E>
  struct Cache {
    arma::Mat<E> c;        ///< (H, B·(T+1)) the cell state: c_0 = 0, then c_1 .. c_T
    arma::Mat<E> tanh_c;   ///< (H, B·T) tanh(c_t)
    arma::Mat<E> dc_next;  ///< (H, B) gradient flowing into c_{t−1}

    void start_forward(std::size_t H, std::size_t B, std::size_t T) {
      tanh_c.set_size(H, B * T);
      c.set_size(H, B * (T + 1));
      c.cols(0, B - 1).zeros();
    }
    void start_backward(std::size_t H, std::size_t B, std::size_t /*T*/) { dc_next.zeros(H, B); }
    /// The input and the recurrent pre-activations have the same gradient.
    arma::Mat<E>& recurrent_grads(arma::Mat<E>& dgi) { return dgi; }
  };

  // i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi)
  // f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf)
  // g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)
  // o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho)
  // c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
  // h_t = o_t ⊙ tanh(c_t)
  // per unit, with a = g_in + gh + b_hh, g_in = W_ih x_t + b_ih (in, gates out), gh = W_hh h_{t−1},
  // and tanh(c_t) kept for backward.
  template <class E>
  [[gnu::always_inline]] static void forward_units(std::size_t units, E* __restrict g_i, E* __restrict g_f,
                                                   E* __restrict g_g, E* __restrict g_o, const E* __restrict gh_i,
                                                   const E* __restrict gh_f, const E* __restrict gh_g,
                                                   const E* __restrict gh_o, const E* __restrict bh,
                                                   std::size_t stride, const E* __restrict cp, E* __restrict c,
                                                   E* __restrict tc, E* __restrict h) {
    for (std::size_t u = 0; u < units; ++u) {
      const E i = sigmoid(g_i[u] + gh_i[u] + bh[u]);
      const E f = sigmoid(g_f[u] + gh_f[u] + bh[stride + u]);
      const E g = tanh_gate(g_g[u] + gh_g[u] + bh[2 * stride + u]);
      const E o = sigmoid(g_o[u] + gh_o[u] + bh[3 * stride + u]);
      g_i[u] = i;
      g_f[u] = f;
      g_g[u] = g;
      g_o[u] = o;
      c[u] = f * cp[u] + i * g;
      tc[u] = tanh_gate(c[u]);
      h[u] = o * tc[u];
    }
  }

  template <class E>
  [[gnu::always_inline]] static void forward(const GateStep<E>& s, Cache<E>& own) {
    const std::size_t S = s.stride, G = s.gh_stride;
    forward_units(s.units, s.g, s.g + S, s.g + 2 * S, s.g + 3 * S, s.gh, s.gh + G, s.gh + 2 * G, s.gh + 3 * G, s.bh, S,
                  own.c.colptr(s.col) + s.begin, own.c.colptr(s.col + s.batch) + s.begin,
                  own.tanh_c.colptr(s.col) + s.begin, s.h);
  }

  // Backward, step t, with dh = ∂L/∂h_t (from above and from step t + 1) and dc = ∂L/∂c_t from
  // step t + 1:
  //   dc += dh ⊙ o ⊙ (1 − tanh²(c_t))
  //   da_o = dh ⊙ tanh(c_t) ⊙ o(1 − o)     da_i = dc ⊙ g ⊙ i(1 − i)
  //   da_f = dc ⊙ c_{t−1} ⊙ f(1 − f)        da_g = dc ⊙ i ⊙ (1 − g²)
  //   ∂L/∂c_{t−1} = dc ⊙ f,  ∂L/∂h_{t−1} = W_hhᵀ [da_i; da_f; da_g; da_o]    (the layer's product)
  // The input and recurrent pre-activations have the same gradient dG = [da_i; da_f; da_g; da_o].
  template <class E>
  [[gnu::always_inline]] static void backward(const BackwardStep<E>& s, Cache<E>& own) {
    const std::size_t H = s.units;
    const E* gate = s.g;
    const E* tc = own.tanh_c.colptr(s.col);
    const E* cp = own.c.colptr(s.col);  // c_{t−1}: column t·B + b of c, which starts at c_0
    const E* up = s.dh;
    const E* next_h = s.dh_next;
    E* next_c = own.dc_next.colptr(s.b);
    E* dg = s.dgi;
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
};

}  // namespace grucast
