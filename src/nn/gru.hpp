// The GRU cell in PyTorch's convention (gates r, z, n; two bias vectors): its equations, forward
// and backward, the policy RecurrentLayer (recurrent.hpp) runs for --cell gru.
#pragma once

#include <armadillo>
#include <cstddef>

#include "grucast/nn/network_config.hpp"
#include "nn/cell.hpp"
#include "nn/kernels/activations.hpp"

namespace grucast {

struct GruCell {
  static constexpr CellKind kind = CellKind::gru;
  static constexpr std::size_t gates = 3;  ///< [r; z; n]
  /// h_t = … + z ⊙ h_{t−1}: backward leaves dh ⊙ z in dh_next, and W_hhᵀ dgh is added to it.
  static constexpr bool direct_path = true;
  static constexpr const char* name = "gru";  ///< --cell gru, and the tensors gru.weight_ih_l0, ...
  static constexpr const char* article = "a";  ///< for messages: "a GRU's are 3H (the gates r, z and n)"
  static constexpr const char* title = "GRU";
  static constexpr const char* gate_names = "r, z and n";

  template <class E>
  struct Cache {
    arma::Mat<E> hn;   ///< (H, B·T) W_hn h_{t−1} + b_hn, which dr needs
    arma::Mat<E> dgh;  ///< (3H, B·T) gradient of W_hh h_{t−1} + b_hh: [da_r; da_z; r ⊙ da_n]

    void start_forward(std::size_t H, std::size_t B, std::size_t T) { hn.set_size(H, B * T); }
    void start_backward(std::size_t H, std::size_t B, std::size_t T) { dgh.set_size(3 * H, B * T); }
    /// r multiplies W_hn h_{t−1} + b_hn, so its gradient differs from dgi in the n block.
    arma::Mat<E>& recurrent_grads(arma::Mat<E>& /*dgi*/) { return dgh; }
  };

  // r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
  // z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
  // n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
  // h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
  // per unit, with g = W_ih x_t + b_ih (in, gates out), gh = W_hh h_{t−1}, bh = b_hh, and
  // hn = W_hn h_{t−1} + b_hn kept for backward. Each block through its own restrict parameter,
  // so that the compiler knows they do not overlap (GCC honours restrict on parameters, not on
  // local pointers).
  template <class E>
  [[gnu::always_inline]] static void forward_units(std::size_t units, E* __restrict g_r, E* __restrict g_z,
                                                   E* __restrict g_n, const E* __restrict gh_r,
                                                   const E* __restrict gh_z, const E* __restrict gh_n,
                                                   const E* __restrict bh_r, const E* __restrict bh_z,
                                                   const E* __restrict bh_n, const E* __restrict hp,
                                                   E* __restrict hn, E* __restrict h) {
    for (std::size_t i = 0; i < units; ++i) {
      const E r = sigmoid(g_r[i] + gh_r[i] + bh_r[i]);
      const E z = sigmoid(g_z[i] + gh_z[i] + bh_z[i]);
      hn[i] = gh_n[i] + bh_n[i];
      const E n = tanh_gate(g_n[i] + r * hn[i]);
      g_r[i] = r;
      g_z[i] = z;
      g_n[i] = n;
      h[i] = (E(1) - z) * n + z * hp[i];
    }
  }

  template <class E>
  [[gnu::always_inline]] static void forward(const GateStep<E>& s, Cache<E>& own) {
    const std::size_t S = s.stride, G = s.gh_stride;
    forward_units(s.units, s.g, s.g + S, s.g + 2 * S, s.gh, s.gh + G, s.gh + 2 * G, s.bh, s.bh + S, s.bh + 2 * S, s.hp,
                  own.hn.colptr(s.col) + s.begin, s.h);
  }

  // Backward, step t, with dh = ∂L/∂h_t (from above and from step t + 1):
  //   dn = dh ⊙ (1 − z)            da_n = dn ⊙ (1 − n²)    (a_n = W_in x + b_in + r ⊙ hn)
  //   dz = dh ⊙ (h_{t−1} − n)      da_z = dz ⊙ z(1 − z)
  //   dr = da_n ⊙ hn               da_r = dr ⊙ r(1 − r)    dhn = da_n ⊙ r
  //   input pre-activation grads [da_r; da_z; da_n], recurrent ones [da_r; da_z; dhn]
  //   ∂L/∂h_{t−1} = dh ⊙ z + W_hhᵀ [da_r; da_z; dhn]    (the layer adds the product)
  template <class E>
  [[gnu::always_inline]] static void backward(const BackwardStep<E>& s, Cache<E>& own) {
    const std::size_t H = s.units;
    const E* g = s.g;
    const E* hn = own.hn.colptr(s.col);
    const E* hp = s.hp;
    const E* up = s.dh;
    E* next = s.dh_next;
    E* dgi = s.dgi;
    E* dgh = own.dgh.colptr(s.col);
    for (std::size_t i = 0; i < H; ++i) {
      const E r = g[i], z = g[H + i], n = g[2 * H + i];
      const E d = up[i] + next[i];
      const E da_n = d * (E(1) - z) * (E(1) - n * n);
      const E da_z = d * (hp[i] - n) * z * (E(1) - z);
      const E da_r = da_n * hn[i] * r * (E(1) - r);
      dgi[i] = dgh[i] = da_r;
      dgi[H + i] = dgh[H + i] = da_z;
      dgi[2 * H + i] = da_n;
      dgh[2 * H + i] = da_n * r;
      next[i] = d * z;
    }
  }
};

}  // namespace grucast
