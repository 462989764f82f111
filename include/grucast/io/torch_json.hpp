// PyTorch interchange (docs/torch-json.md): a model's tensors under PyTorch state_dict names and
// shapes, with the configuration and scalers that turn the network into a forecaster, as JSON.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "grucast/forecast/trained_model.hpp"

namespace grucast {

inline constexpr const char* kTorchJsonFormat = "grucast-torch-json";
inline constexpr std::uint32_t kTorchJsonVersion = 1;
/// The largest torch-json file read: parsed, JSON takes about 20 times its size in memory.
inline constexpr std::uint64_t kMaxTorchJsonBytes = std::uint64_t{256} << 20;

/// {"format", "format_version", "model": the model header without its binary layout,
///  "state_dict": {name: nested lists, row-major, PyTorch's shapes}}. An ensemble is a UsageError.
nlohmann::ordered_json torch_json(const TrainedModel& model);

/// A model from the text of a torch-json file: the network from "state_dict", everything else
/// from "model" (what export writes; or, from Python, at least config.lookback and data.target,
/// the rest defaulting to a network that reads and writes raw values). A ModelError at
/// `source` says what is wrong and how to fix it.
TrainedModel import_torch_json(std::string_view text, const std::string& source);

/// Reads the file at `path` (at most 4 GiB) and import_torch_json; IoError when it cannot be read.
TrainedModel load_torch_json(const std::string& path);

}  // namespace grucast
