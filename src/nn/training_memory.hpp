// What training a network holds in memory at its peak, computed from the parameter layout and
// the shapes of the caches the passes fill (trainer.cpp, network.hpp, recurrent.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "grucast/nn/network_config.hpp"

namespace grucast {

struct TrainingMemory {
  std::uint64_t parameters = 0;  ///< P
  std::uint64_t copies = 0;      ///< of the P parameters that training keeps at once
  double weight_bytes = 0.0;     ///< copies · P · element size
  double cache_bytes = 0.0;      ///< the forward and backward caches of one step
  double total() const { return weight_bytes + cache_bytes; }
};

/// Training's peak memory for a network of `shape` with `element`-byte numbers, windows of
/// `lookback` steps, `batch` windows per step and `validation` per validation pass (each at
/// most what the data has), and `options`' optimizer and threads.
TrainingMemory training_memory(const ModelShape& shape, std::size_t element, std::size_t lookback, std::size_t batch,
                               std::size_t validation, const TrainOptions& options);

}  // namespace grucast
