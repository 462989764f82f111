#include "nn/kernels/gates.hpp"

#include "nn/kernels/activations.hpp"

namespace grucast {

namespace {

// r = σ(g_r + gh_r + b_hr), z = σ(g_z + gh_z + b_hz), hn = gh_n + b_hn,
// n = tanh(g_n + r ⊙ hn), h = (1 − z) ⊙ n + z ⊙ h_{t−1}.
// Each block through its own restrict parameter, so that the compiler knows they do not
// overlap (GCC honours restrict on parameters, not on local pointers).
template <class E>
[[gnu::always_inline]] inline void gate_loop(std::size_t units, E* __restrict g_r, E* __restrict g_z,
                                             E* __restrict g_n, const E* __restrict gh_r, const E* __restrict gh_z,
                                             const E* __restrict gh_n, const E* __restrict bh_r,
                                             const E* __restrict bh_z, const E* __restrict bh_n,
                                             const E* __restrict hp, E* __restrict hn, E* __restrict h) {
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
[[gnu::always_inline]] inline void gate_loop(const GateStep<E>& s) {
  const std::size_t S = s.stride, G = s.gh_stride;
  gate_loop(s.units, s.g, s.g + S, s.g + 2 * S, s.gh, s.gh + G, s.gh + 2 * G, s.bh, s.bh + S, s.bh + 2 * S, s.hp,
            s.hn, s.h);
}

// i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o) with a = g_in + gh + b_hh,
// c = f ⊙ c_{t−1} + i ⊙ g, h = o ⊙ tanh(c).
template <class E>
[[gnu::always_inline]] inline void lstm_gate_loop(std::size_t units, E* __restrict g_i, E* __restrict g_f,
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
[[gnu::always_inline]] inline void lstm_gate_loop(const LstmGateStep<E>& s) {
  const std::size_t S = s.stride, G = s.gh_stride;
  lstm_gate_loop(s.units, s.g, s.g + S, s.g + 2 * S, s.g + 3 * S, s.gh, s.gh + G, s.gh + 2 * G, s.gh + 3 * G, s.bh, S,
                 s.cp, s.c, s.tc, s.h);
}

}  // namespace

template <class E>
void gate_step(const GateStep<E>& step) {
  gate_loop(step);
}

// The float loop vectorizes; built for AVX-512 and for AVX2 + FMA too (CMakeLists.txt lets this
// file contract a·b + c into one FMA), picked at run time by what the CPU has. AVX-512's 32
// registers hold the polynomials' constants: 2.8× faster than AVX2 on the bench machine.
// Clang 14 (the fuzz build) does not clone an explicit specialization reliably: it drops the
// attribute, or names the dispatcher so that other files fail to link. It builds the default.
#if defined(__clang__)
#define GRUCAST_GATE_CLONES
#else
#define GRUCAST_GATE_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
template <>
GRUCAST_GATE_CLONES void gate_step(const GateStep<float>& step) {
  gate_loop(step);
}

template void gate_step<double>(const GateStep<double>&);

template <class E>
void lstm_gate_step(const LstmGateStep<E>& step) {
  lstm_gate_loop(step);
}

template <>
GRUCAST_GATE_CLONES void lstm_gate_step(const LstmGateStep<float>& step) {
  lstm_gate_loop(step);
}

template void lstm_gate_step<double>(const LstmGateStep<double>&);

}  // namespace grucast
