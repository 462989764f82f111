// The tensors of a network under PyTorch's state_dict names and shapes, as JSON (internal to
// the library: torch_json.hpp reads and writes whole models with them).
#pragma once

#include <armadillo>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "grucast/nn/network_config.hpp"
#include "nn/params.hpp"

namespace grucast {

/// The shape PyTorch gives slice `s`: (rows) for a bias, (rows, cols) for a weight.
std::vector<std::size_t> torch_shape(const Slice& s);

/// The tensors of `params` under their state_dict names (nested lists in PyTorch's shapes).
template <class E>
nlohmann::ordered_json state_dict_json(const ParamLayout& layout, const arma::Col<E>& params);

/// The network a state_dict describes: D, H, L and K read off the tensors' shapes (dropout 0).
/// A ModelError at `source` names any tensor that is missing, unknown, misshapen or not finite.
ModelShape shape_from_state_dict(const nlohmann::ordered_json& state_dict, const std::string& source);

/// The flat parameters of `layout` from a state_dict that shape_from_state_dict accepted.
arma::vec params_from_state_dict(const nlohmann::ordered_json& state_dict, const ParamLayout& layout,
                                 const std::string& source);

}  // namespace grucast
