#include "nn/training_memory.hpp"

#include <algorithm>

#include "nn/network.hpp"

namespace grucast {

// Parameter copies: the weights, the best epoch's, the summed gradient, one gradient per
// thread that gets windows, and the optimizer's moments (adam: m and v; sgd: the velocity).
//
// Caches, per window and step (B windows over the threads' shards, T steps), in numbers:
//   forward, per layer   gates G·H, h H, and the cell's own: GRU W_hn h + b_hn (H), LSTM c and
//                        tanh c (2H); G = 3 (GRU) or 4 (LSTM)
//   backward, per layer  the input pre-activations' gradient G·H, and the GRU's recurrent one 3H
//   network              dh and dinput (2H); with dropout the masks and dropped inputs of each
//                        layer above the first (2H); additive attention's keys and their
//                        gradient (2H); the window x and its normalized copy (2D + 1)
// The validation pass reuses the forward caches for up to kValidationChunk windows, so the
// forward part is sized by the larger of the two batches.
TrainingMemory training_memory(const ModelShape& shape, std::size_t element, std::size_t lookback, std::size_t batch,
                               std::size_t validation, const TrainOptions& options) {
  TrainingMemory m;
  m.parameters = network_layout(shape).size();
  const std::uint64_t moments = options.optimizer.kind == OptimizerKind::sgd ? 1 : 2;
  m.copies = 3 + std::clamp<std::uint64_t>(std::min(options.threads, batch), 1, 1'000'000) + moments;
  const auto E = static_cast<double>(element), H = static_cast<double>(shape.hidden);
  const auto L = static_cast<double>(shape.layers), T = static_cast<double>(lookback);
  const auto D = static_cast<double>(shape.inputs);
  m.weight_bytes = static_cast<double>(m.copies) * static_cast<double>(m.parameters) * E;
  const bool lstm = shape.cell == CellKind::lstm;
  const double G = lstm ? 4.0 : 3.0;
  const double forward = L * (G + 1.0 + (lstm ? 2.0 : 1.0)) * H + 2.0 * D + 1.0 +
                         (shape.attention == AttentionKind::additive ? H : 0.0);
  const double backward = L * (G + (lstm ? 0.0 : 3.0)) * H + 2.0 * H +
                          (shape.dropout > 0.0 ? 2.0 * (L - 1.0) * H : 0.0) +
                          (shape.attention == AttentionKind::additive ? H : 0.0);
  const auto B = static_cast<double>(batch), V = static_cast<double>(validation);
  m.cache_bytes = E * T * (std::max(B, V) * forward + B * backward);
  return m;
}

}  // namespace grucast
