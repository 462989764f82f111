// What a recurrent cell is: the policy RecurrentLayer (recurrent.hpp) runs at every step, and
// the steps it is handed. A cell (gru.hpp, lstm.hpp) is a struct with
//   kind                 its CellKind
//   name                 its --cell name, which prefixes its tensors' names as PyTorch's
//   gates                G, the gate blocks of W_ih, W_hh, b_ih and b_hh (G·H rows each)
//   direct_path          whether h_t depends on h_{t−1} besides through the gates
//   article, title, gate_names    how messages name it ("a", "GRU", "r, z and n")
//   Cache<E>             what it keeps besides the gates and h, and its backward workspace:
//                        start_forward(H, B, T), start_backward(H, B, T), and
//                        recurrent_grads(dgi), the gradient of W_hh h_{t−1} + b_hh
//   forward(GateStep, Cache)       its gate loop (compiled in nn/kernels/gates.cpp), and
//   backward(BackwardStep, Cache)  its derivative loop (compiled in recurrent.cpp),
// with their equations above them; the list of cells is cells.hpp.
#pragma once

#include <cstddef>

namespace grucast {

/// One sequence b at one step t (column col = t·B + b of the layer's (·, B·T) matrices), for
/// hidden units [begin, begin + units); pointers start at unit `begin`. g holds the input
/// pre-activations W_ih x_t + b_ih in blocks `stride` apart and gets the gates; gh = W_hh h_{t−1}
/// in blocks `gh_stride` apart; bh is b_hh (blocks `stride` apart); hp is h_{t−1}; h gets h_t.
template <class E>
struct GateStep {
  std::size_t units = 0;
  std::size_t stride = 0;
  std::size_t gh_stride = 0;
  E* g = nullptr;
  const E* gh = nullptr;
  const E* bh = nullptr;
  const E* hp = nullptr;
  E* h = nullptr;
  std::size_t col = 0;    ///< t·B + b: where the cell finds its own columns in its Cache
  std::size_t batch = 0;  ///< B
  std::size_t begin = 0;  ///< the first unit
};

/// One sequence b at step t of the backward pass, all `units` (H) units: g the gates (G blocks
/// H apart), hp h_{t−1}, dh ∂L/∂h_t from above (the layer above, the head or attention);
/// dh_next holds the gradient into h_t carried from step t + 1 and gets the part of ∂L/∂h_{t−1}
/// that does not pass through W_hh; dgi gets the gradient of the input pre-activations.
template <class E>
struct BackwardStep {
  std::size_t units = 0;
  const E* g = nullptr;
  const E* hp = nullptr;
  const E* dh = nullptr;
  E* dh_next = nullptr;
  E* dgi = nullptr;
  std::size_t col = 0;  ///< t·B + b
  std::size_t b = 0;    ///< the sequence, the column of the (H, B) workspaces
};

}  // namespace grucast
