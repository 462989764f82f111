// PyTorch interchange (docs/torch-json.md): a model's tensors under PyTorch state_dict names and
// shapes, with the configuration and scalers that turn the network into a forecaster, as JSON.
#pragma once

#include <armadillo>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "grucast/forecast/trained_model.hpp"
#include "nn/model.hpp"
#include "nn/params.hpp"

namespace grucast {

inline constexpr const char* kTorchJsonFormat = "grucast-torch-json";
inline constexpr std::uint32_t kTorchJsonVersion = 1;
/// The largest torch-json file read: parsed, JSON takes about 20 times its size in memory.
inline constexpr std::uint64_t kMaxTorchJsonBytes = std::uint64_t{256} << 20;

/// The shape PyTorch gives slice `s`: (rows) for a bias, (rows, cols) for a weight.
std::vector<std::size_t> torch_shape(const Slice& s);

/// {"format", "format_version", "model": the model header without its binary layout,
///  "state_dict": {name: nested lists, row-major, PyTorch's shapes}}.
nlohmann::ordered_json torch_json(const TrainedModel& model);

/// The tensors of `params` under their state_dict names (nested lists in PyTorch's shapes).
template <class E>
nlohmann::ordered_json state_dict_json(const ParamLayout& layout, const arma::Col<E>& params);

/// The network a state_dict describes: D, H, L and K read off the tensors' shapes (dropout 0).
/// A ModelError at `source` names any tensor that is missing, unknown, misshapen or not finite.
ModelShape shape_from_state_dict(const nlohmann::ordered_json& state_dict, const std::string& source);

/// The flat parameters of `layout` from a state_dict that shape_from_state_dict accepted.
arma::vec params_from_state_dict(const nlohmann::ordered_json& state_dict, const ParamLayout& layout,
                                 const std::string& source);

/// A model from the text of a torch-json file: the network from "state_dict", everything else
/// from "model" (what export writes; or, from Python, at least config.lookback and data.target,
/// the rest defaulting to a network that reads and writes raw values). A ModelError at
/// `source` says what is wrong and how to fix it.
TrainedModel import_torch_json(std::string_view text, const std::string& source);

/// Reads the file at `path` (at most 4 GiB) and import_torch_json; IoError when it cannot be read.
TrainedModel load_torch_json(const std::string& path);

}  // namespace grucast
