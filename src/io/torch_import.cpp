// import_torch_json: a model from a state_dict and a "model" object laid over the defaults of
// a network that reads raw values (docs/torch-json.md), validated as a model file's header is.
#include <algorithm>

#include <fmt/format.h>

#include "grucast/io/model_file.hpp"
#include "grucast/io/torch_json.hpp"
#include "grucast/util/error.hpp"
#include "io/model_file/header.hpp"
#include "io/state_dict.hpp"
#include "nn/network.hpp"
#include "util/file_read.hpp"
#include "util/json_depth.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFix = "fix it in the import file (docs/torch-json.md lists the fields and their defaults)";

Json parse_json(std::string_view text, const std::string& source) {
  try {
    return parse_json_bounded(text);
  } catch (const JsonTooDeep& e) {
    throw ModelError(fmt::format("the import file is {}: it is not a torch-json file", e.what()), source,
                     "tensors are lists of numbers, or lists of lists of numbers");
  } catch (const Json::parse_error& e) {
    // e.byte counts from 1 and points just past the problem; the line and column are of that byte.
    const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + end, '\n'));
    const std::size_t line_start = text.rfind('\n', end == 0 ? 0 : end - 1);
    const std::size_t column = line == 1 ? end + 1 : end - line_start;
    const std::string reason = model_format::json_error_reason(e.what());
    throw ModelError(fmt::format("the import file is not valid JSON ({})", reason), location(source, line, column),
                     "write it with json.dump from Python (NaN or Infinity in it means the weights are not finite)");
  } catch (const Json::out_of_range& e) {  // a number past double's range: "number overflow parsing '1e400'"
    const std::string reason = e.what();
    throw ModelError(fmt::format("the import file holds a number past the range of a double ({})",
                                 shortened(reason.substr(reason.find(']') + 2), 80)),
                     source, "the weights are not finite: check the training in Python");
  }
}

// A network that reads and writes raw values: what a state_dict trained in Python usually is.
Json default_header(const ModelShape& shape) {
  TrainedModel defaults;
  defaults.config.shape = shape;
  defaults.config.prep = Preprocessing{TransformKind::none, ScalerKind::none, NormalizeKind::none, 1, {}, {}};
  return model_header(defaults);
}

// `given` laid over `base`: objects merged key by key, anything else replaced (null included,
// unlike JSON merge patch: null is how a header writes "none").
void overlay(Json& base, const Json& given) {
  for (const auto& [key, value] : given.items()) {
    if (value.is_object() && base.contains(key) && base[key].is_object()) {
      overlay(base[key], value);
    } else {
      base[key] = value;
    }
  }
}

void require(const Json& model, const char* pointer, const std::string& source, const char* why) {
  if (!model.contains(Json::json_pointer(pointer))) {
    std::string path = std::string(pointer).substr(1);
    std::replace(path.begin(), path.end(), '/', '.');
    throw ModelError(fmt::format("the import file has no model.{} ({})", path, why), source, kFix);
  }
}

// The cell, D, H, L, K and the attention come from the tensors; a model object that states them must agree.
void check_stated_shape(const Json& config, const ModelShape& shape, const std::string& source) {
  const std::pair<const char*, std::size_t> read_off[] = {
      {"inputs", shape.inputs}, {"hidden", shape.hidden}, {"layers", shape.layers}, {"horizon", shape.outputs}};
  for (const auto& [key, value] : read_off) {
    const auto it = config.find(key);
    if (it == config.end() || (it->is_number_unsigned() && it->get<std::size_t>() == value)) continue;
    throw ModelError(fmt::format("model.config.{} is {}, but the state_dict's tensors make it {}", key,
                                 shortened(it->dump()), value),
                     source, "leave it out (it is read off the tensors) or give the tensors of that network");
  }
  const std::pair<const char*, std::string> named[] = {{"cell", cell_name(shape.cell)},
                                                        {"attention", attention_name(shape.attention)}};
  for (const auto& [key, name] : named) {
    const auto it = config.find(key);
    if (it == config.end() || *it == name) continue;
    throw ModelError(fmt::format("model.config.{} is {}, but the state_dict's tensors make it \"{}\"", key,
                                 shortened(it->dump()), name),
                     source, "leave it out (it is read off the tensors) or give the tensors of that network");
  }
}

// A quantile model's head has K·Q rows: with model.config.quantiles (Q of them) the horizon is
// K. (When the rows do not divide, the slice check of the header says what is wrong.)
void split_quantile_head(const Json& given, ModelShape& shape) {
  const Json::json_pointer pointer("/config/quantiles");
  if (!given.contains(pointer) || !given[pointer].is_array() || given[pointer].empty()) return;
  const std::size_t quantiles = given[pointer].size();
  if (shape.outputs % quantiles != 0) return;
  shape.outputs /= quantiles;
  shape.quantiles = quantiles;
}

// The features, calendar and window inputs the model object describes must be the columns of
// gru.weight_ih_l0 (lstm.weight_ih_l0).
void check_inputs(const Json& header, const ModelShape& shape, const std::string& source) {
  const Json& features = header["data"]["features"];
  const Json& calendar = header["config"]["calendar"];
  const bool window = header["config"]["normalize"] == "window";
  if (!features.is_array() || !calendar.is_array()) return;  // read_header_json says what is wrong with them
  const std::size_t calendar_inputs = kCalendarRows * calendar.size();
  const std::size_t inputs = 1 + features.size() + calendar_inputs + (window ? 1 : 0);
  if (inputs == shape.inputs) return;
  throw ModelError(fmt::format("{}.weight_ih_l0 has {} columns (inputs), but the model object describes {}: the "
                               "target, {} feature{} (model.data.features){}{}",
                               cell_name(shape.cell), shape.inputs, inputs, features.size(), features.size() == 1 ? "" : "s",
                               calendar_inputs > 0 ? fmt::format(", {} calendar inputs (model.config.calendar, two "
                                                                 "per item)", calendar_inputs)
                                                   : "",
                               window ? " and the window center (normalize window)" : ""),
                   source, "list the feature columns (model.data.features) and calendar items (model.config.calendar) "
                           "the network was trained with, in order");
}

// Without model.scalers, a network of raw values has one identity scaler. (When the fields it
// depends on are malformed, nothing is added: the field check names them.)
void default_scalers(Json& header, const std::string& source) {
  const Json& config = header["config"];
  const Json& data = header["data"];
  const Json& scaler = config["scaler"];
  const bool known = scaler == "none" || scaler == "zscore" || scaler == "minmax";
  if (!known || !data["id_column"].is_string() || !data["features"].is_array()) return;
  if (scaler != "none" || !data["id_column"].get<std::string>().empty()) {
    throw ModelError("the import file has no model.scalers, but the model has a scaler or an id column", source,
                     "give each series' scaler: {\"id\": ..., \"kind\": ..., \"shift\": [...], \"scale\": [...]}");
  }
  const std::size_t columns = 1 + data["features"].size();
  header["scalers"] = Json::array({{{"id", ""},
                                    {"kind", "none"},
                                    {"shift", std::vector<double>(columns, 0.0)},
                                    {"scale", std::vector<double>(columns, 1.0)}}});
}

// Files that are not JSON at all, said before the parser's less helpful words.
void check_not_json(std::string_view text, const std::string& source) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw ModelError("the import file is empty", source,
                     "give a torch-json file written by grucast export or by json.dump from Python");
  }
  if (text.substr(0, 8) == std::string_view("GRUCAST\x1a", 8)) {
    throw ModelError("the file is a grucast model file, not a torch-json file", source,
                     "use it as it is (it needs no import), or write its torch-json with grucast export");
  }
}

// A root that is no torch-json file: a bare state_dict (json.dump of net.state_dict()) says so.
void check_format(const Json& root, const std::string& source) {
  if (root.is_object() && root.value("format", Json()) == kTorchJsonFormat) return;
  const bool bare = root.is_object() && !root.contains("format") && (root.contains("gru.weight_ih_l0") || root.contains("lstm.weight_ih_l0"));
  if (bare) {
    throw ModelError("the file is a bare state_dict, not a grucast torch-json file", source,
                     "put it under \"state_dict\" beside \"format\": \"grucast-torch-json\" and a \"model\" "
                     "object with config.lookback and data.target (docs/torch-json.md shows the Python)");
  }
  throw ModelError(fmt::format("the file is not a grucast torch-json file (its \"format\" is not \"{}\")", kTorchJsonFormat),
                   source, "give a file written by grucast export, or add \"format\": \"grucast-torch-json\"");
}

}  // namespace

TrainedModel import_torch_json(std::string_view text, const std::string& source) {
  check_not_json(text, source);
  const Json root = parse_json(text, source);
  check_format(root, source);
  const auto version = root.find("format_version");
  if (version != root.end() && *version != kTorchJsonVersion) {
    const bool newer = version->is_number_unsigned() && version->get<std::uint64_t>() > kTorchJsonVersion;
    throw ModelError(fmt::format("format_version is {}, but this grucast reads version {}",
                                 version->is_primitive() ? version->dump() : "not a number", kTorchJsonVersion),
                     source, newer ? "use the grucast that exported it, or a newer one" : "write 1, or leave it out");
  }
  if (!root.contains("state_dict")) throw ModelError("the import file has no state_dict", source, kFix);
  ModelShape shape = shape_from_state_dict(root["state_dict"], source);
  const Json given = root.value("model", Json::object());
  if (!given.is_object()) throw ModelError("the import file's model is not an object", source, kFix);
  split_quantile_head(given, shape);
  require(given, "/config/lookback", source, "the lookback T the network was trained with");
  require(given, "/data/target", source, "the name of the target column");
  if (given.contains("config") && given["config"].is_object()) check_stated_shape(given["config"], shape, source);

  Json header = default_header(shape);
  overlay(header, given);
  const Json shape_header = default_header(shape);  // the binary layout and shape: from the tensors
  for (const char* key : {"cell", "inputs", "hidden", "layers", "horizon", "attention"}) {
    header["config"][key] = shape_header["config"][key];
  }
  header["format"] = "grucast-model";
  header["slices"] = shape_header["slices"];
  header["parameters"] = {{"count", shape_header["parameters"]["count"]}, {"precision", header["config"]["precision"]}};
  check_inputs(header, shape, source);
  if (!given.contains("scalers")) default_scalers(header, source);

  model_format::Context context{source, false, "model.", "the model object", kFix};
  const bool f64 = header["config"]["precision"] == "f64";
  const std::size_t count = shape_header["parameters"]["count"].get<std::size_t>();
  TrainedModel model = model_format::read_header_json(header, {f64 ? 8u : 4u, count}, context);
  if (!given.contains(Json::json_pointer("/config/season"))) {
    model.config.season = model.config.prep.season = model.data.frequency.default_season();
  }
  const arma::vec params = params_from_state_dict(root["state_dict"], network_layout(model.config.shape), source);
  model.with_params([&]<class E>(arma::Col<E>& values) {
    values = arma::conv_to<arma::Col<E>>::from(params);
    // The state_dict's numbers are finite doubles; only f32 can overflow.
    if (!values.is_finite()) {
      throw ModelError("a weight is too large for f32 (past 3.4e38)", source, "set model.config.precision to \"f64\"");
    }
  });
  return model;
}

TrainedModel load_torch_json(const std::string& path) {
  const FileRole role{"import file", "import", "check the path, or write the file with grucast export or from Python",
                      "give a JSON file written by grucast export or from Python"};
  return import_torch_json(read_regular_file(path, kMaxTorchJsonBytes, role), path);
}

}  // namespace grucast
