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
  /// test scores. model.config.precision is also the training state's element type.
  TrainedModel model;
  /// FNV-1a 64 of the prepared training data: a resumed run must see the same data.
  std::uint64_t data_fingerprint = 0;

  /// The training state as E, the element type of model.config.precision (as params_of).
  template <class E>
  TrainState<E>& state_of() { return state_.get<E>(model.config.precision); }
  template <class E>
  const TrainState<E>& state_of() const { return state_.get<E>(model.config.precision); }
  /// f(state_of<E>()) with E the element type of model.config.precision.
  template <class F>
  decltype(auto) with_state(F&& f) { return state_.visit(model.config.precision, f); }
  template <class F>
  decltype(auto) with_state(F&& f) const { return state_.visit(model.config.precision, f); }

 private:
  PerPrecision<TrainState> state_;
};

/// The checkpoint's bytes; the model's parameters and summary are taken from the state.
std::string checkpoint_bytes(const Checkpoint& checkpoint);

/// Parses and checks a checkpoint as untrusted input: every size against the file length
/// before anything is allocated, the checksum, the embedded model file, and the state's sizes
/// against the model's. ModelError when anything is wrong.
Checkpoint parse_checkpoint(std::string_view bytes, const std::string& source);

/// parse_checkpoint of a file; IoError when it cannot be read.
Checkpoint load_checkpoint(const std::string& path);

}  // namespace grucast
