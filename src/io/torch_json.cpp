// State dicts: a model's tensors written under PyTorch's names and shapes, and read back with
// every name and shape checked (docs/torch-json.md). torch_import.cpp builds models from them.
#include "grucast/io/torch_json.hpp"

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "io/state_dict.hpp"
#include "nn/network.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kModules =
    "grucast reads an nn.GRU(D, H, L, batch_first=True) named gru or an nn.LSTM(D, H, L, batch_first=True) named "
    "lstm, an optional attention module named attention "
    "and an nn.Linear named head (docs/torch-json.md shows the Python)";

// A tensor as JSON gives it: its shape and its values in row-major order.
struct Tensor {
  std::vector<std::size_t> shape;
  std::vector<double> values;
};

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::vector<std::string> dims;
  for (const std::size_t d : shape) dims.push_back(std::to_string(d));
  return fmt::format("({}{})", join(dims, ", "), shape.size() == 1 ? "," : "");
}

// What a JSON value is, for messages, without writing out what may be megabytes of it.
std::string kind_of(const Json& v) {
  if (v.is_array()) return "a list";
  if (v.is_object()) return "an object";
  if (v.is_string()) return quoted(v.get<std::string>());
  return v.dump();  // a number, true, false or null: short
}

[[noreturn]] void tensor_error(const std::string& source, const std::string& name, const std::string& what) {
  throw ModelError(fmt::format("state_dict tensor {} {}", quoted(name), what), source, kModules);
}

// Appends the numbers of `row` (a JSON array of numbers) to `out`.
// `in_row`: `row` is a row of a matrix, so a list in it is a third dimension.
void read_numbers(const Json& row, const std::string& source, const std::string& name, bool in_row,
                  std::vector<double>& out) {
  for (const Json& v : row) {
    if (v.is_array()) tensor_error(source, name, in_row ? "has more than 2 dimensions" : "mixes numbers and lists");
    if (!v.is_number()) tensor_error(source, name, fmt::format("holds {} where a number should be", kind_of(v)));
    const double x = v.get<double>();
    if (!std::isfinite(x)) tensor_error(source, name, fmt::format("holds {}, which is not finite", v.dump()));
    out.push_back(x);
  }
}

// A 1-D (list of numbers) or 2-D (list of equal-length lists) tensor.
Tensor read_tensor(const Json& value, const std::string& source, const std::string& name) {
  if (!value.is_array()) tensor_error(source, name, "is not a list of numbers or a list of lists");
  Tensor t;
  if (value.empty() || !value.front().is_array()) {
    t.shape = {value.size()};
    read_numbers(value, source, name, false, t.values);
    return t;
  }
  t.shape = {value.size(), value.front().size()};
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_array()) tensor_error(source, name, fmt::format("row {} is {}, not a list of numbers", i, kind_of(value[i])));
    if (value[i].size() != t.shape[1]) {
      tensor_error(source, name, fmt::format("row {} has {} values where row 0 has {}: the rows must be of one length", i,
                                             value[i].size(), t.shape[1]));
    }
    read_numbers(value[i], source, name, true, t.values);
  }
  return t;
}

std::map<std::string, Tensor> read_tensors(const Json& state_dict, const std::string& source) {
  if (!state_dict.is_object()) {
    throw ModelError("the state_dict is not an object of named tensors", source, kModules);
  }
  std::map<std::string, Tensor> tensors;
  for (const auto& [name, value] : state_dict.items()) tensors.emplace(name, read_tensor(value, source, name));
  return tensors;
}

// The 2-D tensor `name`, which must be there: the shape is read off it.
const Tensor& matrix(const std::map<std::string, Tensor>& tensors, const std::string& name, const std::string& source) {
  const auto it = tensors.find(name);
  if (it == tensors.end()) tensor_error(source, name, "is missing");
  if (it->second.shape.size() != 2) {
    tensor_error(source, name, fmt::format("has shape {}, but it is a matrix", shape_text(it->second.shape)));
  }
  return it->second;
}

// Every slice of `layout` is in `tensors` with PyTorch's shape, and nothing else is.
void check_tensors(const std::map<std::string, Tensor>& tensors, const ParamLayout& layout, const ModelShape& shape,
                   const std::string& source) {
  const auto s_if = [](std::size_t n) { return n == 1 ? "" : "s"; };
  const CellWords cell = cell_words(shape.cell);
  const std::string network =
      fmt::format("{} {} with D = {} input{}, H = {} unit{}, L = {} layer{}{} and K = {} output{}", cell.article,
                  cell.title, shape.inputs,
                  s_if(shape.inputs), shape.hidden, s_if(shape.hidden), shape.layers, s_if(shape.layers),
                  shape.attention == AttentionKind::none ? "" : ", " + attention_name(shape.attention) + " attention",
                  shape.outputs, s_if(shape.outputs));
  for (const Slice& s : layout.slices()) {
    const auto it = tensors.find(s.name);
    if (it == tensors.end()) tensor_error(source, s.name, fmt::format("is missing ({} has it)", network));
    if (it->second.shape != torch_shape(s)) {
      tensor_error(source, s.name, fmt::format("has shape {}, but in {} it is {}", shape_text(it->second.shape),
                                               network, shape_text(torch_shape(s))));
    }
  }
  for (const auto& [name, tensor] : tensors) {
    if (layout.find(name) == nullptr) {
      tensor_error(source, name, fmt::format("is not a tensor of {} (bidirectional layers, layers without biases, "
                                             "a projection and extra modules are not supported)", network));
    }
  }
}

}  // namespace

std::vector<std::size_t> torch_shape(const Slice& s) {
  const std::size_t dot = s.name.rfind('.');
  const bool bias = s.name.compare(dot == std::string::npos ? 0 : dot + 1, 4, "bias") == 0;
  return bias && s.cols == 1 ? std::vector<std::size_t>{s.rows} : std::vector<std::size_t>{s.rows, s.cols};
}

template <class E>
Json state_dict_json(const ParamLayout& layout, const arma::Col<E>& params) {
  Json out = Json::object();
  for (const Slice& s : layout.slices()) {
    const arma::Mat<E> m = slice_view(params, s);
    Json tensor = Json::array();
    for (std::size_t i = 0; i < s.rows; ++i) {
      Json row = Json::array();
      for (std::size_t j = 0; j < s.cols; ++j) row.push_back(static_cast<double>(m(i, j)));
      tensor.push_back(torch_shape(s).size() == 1 ? row.front() : row);
    }
    out[s.name] = std::move(tensor);
  }
  return out;
}

template Json state_dict_json<float>(const ParamLayout&, const arma::Col<float>&);
template Json state_dict_json<double>(const ParamLayout&, const arma::Col<double>&);

Json torch_json(const TrainedModel& model) {
  if (!model.members.empty()) {
    throw UsageError(fmt::format("the model is an ensemble of {} networks, and a state_dict holds one",
                                 model.members.size()),
                     "MODEL", "export a model trained with --ensemble 1");
  }
  Json header = model_header(model);
  for (const char* key : {"format", "slices", "parameters"}) header.erase(key);  // the binary layout: not in JSON
  const ParamLayout layout = network_layout(model.config.shape);
  Json tensors = model.with_params([&](const auto& params) { return state_dict_json(layout, params); });
  return {{"format", kTorchJsonFormat},
          {"format_version", kTorchJsonVersion},
          {"model", std::move(header)},
          {"state_dict", std::move(tensors)}};
}

ModelShape shape_from_state_dict(const Json& state_dict, const std::string& source) {
  const std::map<std::string, Tensor> tensors = read_tensors(state_dict, source);
  ModelShape shape;
  // A cell's tensors name it; without any, it is a GRU (check_tensors refuses a mix).
  shape.cell = CellKind::gru;
  for (const CellKind cell : kCellKinds) {
    if (tensors.count(cell_name(cell) + ".weight_ih_l0") != 0) shape.cell = cell;
  }
  const std::string prefix = cell_name(shape.cell), first = prefix + ".weight_ih_l0";
  const std::size_t blocks = gate_blocks(shape.cell);
  shape.layers = 0;
  while (tensors.count(fmt::format("{}.weight_ih_l{}", prefix, shape.layers)) != 0) ++shape.layers;
  const Tensor& input = matrix(tensors, first, source);
  if (input.shape[0] % blocks != 0) {
    const CellWords words = cell_words(shape.cell);
    tensor_error(source, first,
                 fmt::format("has {} rows, but {} {}'s are {}H (the gates {})", input.shape[0], words.article,
                             words.title, blocks, words.gate_names));
  }
  shape.inputs = input.shape[1];
  shape.hidden = input.shape[0] / blocks;
  const Tensor& head = matrix(tensors, "head.weight", source);
  shape.outputs = head.shape[0];
  // Additive attention has its own tensors; dot attention shows only in the head's input [h_T; c].
  shape.attention = tensors.count("attention.key.weight") != 0 ? AttentionKind::additive
                    : head.shape[1] == 2 * shape.hidden         ? AttentionKind::dot
                                                                : AttentionKind::none;
  if (shape.inputs == 0 || shape.hidden == 0 || shape.outputs == 0) {
    throw ModelError(fmt::format("the state_dict has D = {} inputs, H = {} units and K = {} outputs, but none may be 0",
                                 shape.inputs, shape.hidden, shape.outputs),
                     source, kModules);
  }
  // The model file's ranges (SettingRange), before a layout of that size is built.
  const auto high = [](const SettingRange& r) { return static_cast<std::size_t>(r.high); };
  if (shape.inputs > high(settings::inputs) || shape.hidden > high(settings::hidden) ||
      shape.layers > high(settings::layers) || shape.outputs > high(settings::horizon)) {
    throw ModelError(fmt::format("the state_dict has D = {}, H = {}, L = {} and K = {}, past what grucast reads "
                                 "(D ≤ {}, H ≤ {}, L ≤ {}, K ≤ {})",
                                 shape.inputs, shape.hidden, shape.layers, shape.outputs, high(settings::inputs),
                                 high(settings::hidden), high(settings::layers), high(settings::horizon)),
                     source, kModules);
  }
  check_tensors(tensors, Network<double>(shape).layout(), shape, source);
  return shape;
}

arma::vec params_from_state_dict(const Json& state_dict, const ParamLayout& layout, const std::string& source) {
  const std::map<std::string, Tensor> tensors = read_tensors(state_dict, source);
  arma::vec params(layout.size());
  for (const Slice& s : layout.slices()) {
    const auto it = tensors.find(s.name);
    if (it == tensors.end() || it->second.shape != torch_shape(s)) {
      tensor_error(source, s.name, fmt::format("should have shape {}", shape_text(torch_shape(s))));
    }
    arma::mat m = slice_view(params, s);
    for (std::size_t i = 0; i < s.rows; ++i) {
      for (std::size_t j = 0; j < s.cols; ++j) m(i, j) = it->second.values[i * s.cols + j];
    }
  }
  return params;
}

}  // namespace grucast
