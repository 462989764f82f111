// Training checkpoints: a model file with the best weights so far, and the state training
// needs to continue bit for bit (docs/reliability.md describes the layout).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "grucast/forecast/trained_model.hpp"
#include "nn/trainer.hpp"

namespace grucast {

inline constexpr std::uint32_t kCheckpointFormatVersion = 1;

struct Checkpoint {
  /// Configuration, data columns, scalers, the best weights so far and the summary so far; no
  /// test scores.
  TrainedModel model;
  /// FNV-1a 64 of the prepared training data: a resumed run must see the same data.
  std::uint64_t data_fingerprint = 0;
  TrainState<float> f32;   ///< when model.config.precision is f32
  TrainState<double> f64;  ///< when it is f64
};

/// The checkpoint's bytes; model.params and model.summary are taken from the state.
std::string checkpoint_bytes(const Checkpoint& checkpoint);

/// Parses and checks a checkpoint as untrusted input: every size against the file length
/// before anything is allocated, the checksum, the embedded model file, and the state's sizes
/// against the model's. ModelError when anything is wrong.
Checkpoint parse_checkpoint(std::string_view bytes, const std::string& source);

/// parse_checkpoint of a file; IoError when it cannot be read.
Checkpoint load_checkpoint(const std::string& path);

}  // namespace grucast
