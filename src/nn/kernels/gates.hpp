// The per-step gate loops of the GRU and the LSTM (gru.cpp's and lstm.cpp's equations), shared
// by the batched and the single-window forward passes.
#pragma once

#include <cstddef>

namespace grucast {

/// One sequence at one step, for hidden units [u, u + units) (pointers start at unit u):
/// g holds the input pre-activations [r; z; n] in blocks `stride` apart and gets the gates;
/// gh = W_hh h_{t−1} in blocks `gh_stride` apart; bh is b_hh (blocks `stride` apart);
/// hp is h_{t−1}; hn gets W_hn h_{t−1} + b_hn; h gets h_t.
template <class E>
struct GateStep {
  std::size_t units = 0;
  std::size_t stride = 0;
  std::size_t gh_stride = 0;
  E* g = nullptr;
  const E* gh = nullptr;
  const E* bh = nullptr;
  const E* hp = nullptr;
  E* hn = nullptr;
  E* h = nullptr;
};

template <class E>
void gate_step(const GateStep<E>& step);

/// One LSTM sequence at one step, for hidden units [u, u + units) (pointers start at unit u):
/// g holds the input pre-activations [i; f; g; o] in blocks `stride` apart and gets the gates;
/// gh = W_hh h_{t−1} in blocks `gh_stride` apart; bh is b_hh (blocks `stride` apart);
/// cp is c_{t−1}; c gets c_t, tc gets tanh(c_t), h gets h_t.
template <class E>
struct LstmGateStep {
  std::size_t units = 0;
  std::size_t stride = 0;
  std::size_t gh_stride = 0;
  E* g = nullptr;
  const E* gh = nullptr;
  const E* bh = nullptr;
  const E* cp = nullptr;
  E* c = nullptr;
  E* tc = nullptr;
  E* h = nullptr;
};

template <class E>
void lstm_gate_step(const LstmGateStep<E>& step);

}  // namespace grucast
