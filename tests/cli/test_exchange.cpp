// grucast export and import through the real executable: the round trip without PyTorch, and
// every bad import file with its exit code and message, nothing on stdout and no model left
// behind (an existing one keeps its content). tests/parity/ does the round trip through PyTorch.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;
using Json = nlohmann::ordered_json;

namespace {

// A monthly series with a yearly pattern and a feature: 120 rows.
std::string monthly_csv() {
  std::string csv = "month,load,temp\n";
  for (int i = 0; i < 120; ++i) {
    const double load = 50 + 0.1 * i + 8 * std::sin(2 * M_PI * i / 12.0) + 2 * std::cos(i * 1.3);
    csv += fmt::format("{:04}-{:02},{:.3f},{:.2f}\n", 2010 + i / 12, i % 12 + 1, load, 10 + 5 * std::sin(i));
  }
  return csv;
}

struct Workspace {
  TempDir dir;
  std::string data = (dir / "load.csv").string();
  std::string model = (dir / "load.grc").string();
  std::string exported = (dir / "load.json").string();
  Workspace() {
    write_text(dir / "load.csv", monthly_csv());
    const auto train = run_grucast({"train", "--data", data, "--target", "load", "--features", "temp", "--lookback",
                                    "12", "--horizon", "3", "--hidden", "6", "--layers", "2", "--epochs", "2",
                                    "--threads", "1", "--ensemble", "1", "--quiet", "--out", model});
    REQUIRE_MESSAGE(train.status == 0, train.err);
    const auto exported_run = run_grucast({"export", model, "--out", exported});
    REQUIRE_MESSAGE(exported_run.status == 0, exported_run.err);
  }
  Json export_json() const { return Json::parse(read_text(exported)); }
};

struct BadImport {
  const char* what;
  std::function<void(Json&)> edit;
  const char* message;  // a distinctive part of the one-line message
};

const std::vector<BadImport>& bad_imports() {
  static const std::vector<BadImport> cases = {
      {"no format", [](Json& j) { j.erase("format"); }, "the file is not a grucast torch-json file"},
      {"a newer format version", [](Json& j) { j["format_version"] = 2; },
       "format_version is 2, but this grucast reads version 1"},
      {"no state_dict", [](Json& j) { j.erase("state_dict"); }, "the import file has no state_dict"},
      {"a state_dict that is a list", [](Json& j) { j["state_dict"] = Json::array(); },
       "the state_dict is not an object of named tensors"},
      {"a missing tensor", [](Json& j) { j["state_dict"].erase("head.bias"); },
       "state_dict tensor 'head.bias' is missing"},
      {"a tensor one value short", [](Json& j) { j["state_dict"]["gru.bias_ih_l1"].erase(0); },
       "state_dict tensor 'gru.bias_ih_l1' has shape (17,), but in a GRU with D = 3 inputs, H = 6 units, L = 2 "
       "layers and K = 3 outputs it is (18,)"},
      {"a transposed head", [](Json& j) { j["state_dict"]["head.weight"] = Json::array({Json::array({0, 0, 0})}); },
       "'head.weight' has shape (1, 3), but in a GRU with D = 3 inputs, H = 6 units, L = 2 layers and K = 1 "
       "output it is (1, 6)"},
      {"a bidirectional GRU's tensor",
       [](Json& j) { j["state_dict"]["gru.weight_ih_l0_reverse"] = j["state_dict"]["gru.weight_ih_l0"]; },
       "'gru.weight_ih_l0_reverse' is not a tensor of a GRU with D = 3 inputs"},
      {"ragged rows", [](Json& j) { j["state_dict"]["gru.weight_hh_l0"][1].erase(0); },
       "row 1 has 5 values where row 0 has 6"},
      {"a string for a weight", [](Json& j) { j["state_dict"]["head.bias"][0] = "0.5"; },
       "'head.bias' holds '0.5' where a number should be"},
      {"a row that is a number", [](Json& j) { j["state_dict"]["head.weight"][1] = 2.0; },
       "'head.weight' row 1 is 2.0, not a list of numbers"},
      {"numbers and lists mixed", [](Json& j) { j["state_dict"]["head.bias"][1] = Json::array({2.0}); },
       "'head.bias' mixes numbers and lists"},
      {"an object for a weight, not written out", [](Json& j) { j["state_dict"]["head.bias"][0] = {{"big", "x"}}; },
       "'head.bias' holds an object where a number should be"},
      {"a recurrent weight of the wrong width",
       [](Json& j) { for (Json& row : j["state_dict"]["gru.weight_hh_l0"]) row.erase(0); },
       "'gru.weight_hh_l0' has shape (18, 5), but in a GRU with D = 3 inputs, H = 6 units"},
      {"input weights that are not 3H rows", [](Json& j) { j["state_dict"]["gru.weight_ih_l0"].erase(0); },
       "'gru.weight_ih_l0' has 17 rows, but a GRU's are 3H (the gates r, z and n)"},
      {"a scaler id without an id column",
       [](Json& j) {
         j["model"]["data"]["id_column"] = "";
         j["model"]["scalers"][0]["id"] = "north";
       },
       "model.scalers[0].id is 'north', but without an id column the one series' id is \"\""},
      {"a misspelt scaler without scalers",
       [](Json& j) {
         j["model"].erase("scalers");
         j["model"]["config"]["scaler"] = "zscroe";
       },
       "model.config.scaler is 'zscroe', not one of zscore, minmax, none"},
      {"format_version 0", [](Json& j) { j["format_version"] = 0; },
       "format_version is 0, but this grucast reads version 1"},
      {"three dimensions", [](Json& j) { j["state_dict"]["head.weight"][0][0] = Json::array({1.0}); },
       "'head.weight' has more than 2 dimensions"},
      {"no lookback", [](Json& j) { j["model"]["config"].erase("lookback"); },
       "the import file has no model.config.lookback (the lookback T the network was trained with)"},
      {"no target", [](Json& j) { j["model"]["data"].erase("target"); }, "has no model.data.target"},
      {"a model that is a list", [](Json& j) { j["model"] = Json::array(); }, "the import file's model is not an object"},
      {"a hidden size the tensors contradict", [](Json& j) { j["model"]["config"]["hidden"] = 7; },
       "model.config.hidden is 7, but the state_dict's tensors make it 6"},
      {"an attention the tensors contradict", [](Json& j) { j["model"]["config"]["attention"] = "dot"; },
       "model.config.attention is \"dot\", but the state_dict's tensors make it \"none\""},
      {"lookback 0", [](Json& j) { j["model"]["config"]["lookback"] = 0; },
       "model.config.lookback is 0, not in [1, 1000000]"},
      {"an unknown transform", [](Json& j) { j["model"]["config"]["transform"] = "boxcox"; },
       "model.config.transform is 'boxcox', not one of none, log, diff, sdiff"},
      {"a feature too few", [](Json& j) { j["model"]["data"]["features"] = Json::array(); },
       "gru.weight_ih_l0 has 3 columns (inputs), but the model object describes 2: the target, 0 features "
       "(model.data.features) and the window center (normalize window)"},
      {"a scaler without statistics", [](Json& j) { j["model"].erase("scalers"); },
       "the import file has no model.scalers, but the model has a scaler or an id column"},
      {"a negative scale", [](Json& j) { j["model"]["scalers"][0]["scale"][1] = -1.0; },
       "model.scalers[0].scale[1] is -1, but a scale must be positive"},
      {"a weight past float", [](Json& j) { j["state_dict"]["head.bias"][0] = 1e39; },
       "a weight is too large for f32 (past 3.4e38)"},
  };
  return cases;
}

}  // namespace

TEST_SUITE("cli export and import") {
  TEST_CASE("export → import gives back the same model file, and the forecasts with it") {
    Workspace w;
    const std::string back = (w.dir / "back.grc").string();
    const auto imported = run_grucast({"import", w.exported, "--out", back});
    REQUIRE_MESSAGE(imported.status == 0, imported.err);
    CHECK(imported.out.empty());
    CHECK(read_text(back) == read_text(w.model));

    const Json j = w.export_json();
    CHECK(j["format"] == "grucast-torch-json");
    CHECK(j["model"]["config"]["hidden"] == 6);
    CHECK(j["model"]["scalers"][0]["shift"].size() == 2);
    const std::vector<std::pair<std::string, std::vector<std::size_t>>> shapes = {
        {"gru.weight_ih_l0", {18, 3}}, {"gru.weight_hh_l0", {18, 6}}, {"gru.bias_ih_l0", {18}},
        {"gru.bias_hh_l0", {18}},      {"gru.weight_ih_l1", {18, 6}}, {"gru.weight_hh_l1", {18, 6}},
        {"gru.bias_ih_l1", {18}},      {"gru.bias_hh_l1", {18}},      {"head.weight", {3, 6}},
        {"head.bias", {3}}};
    REQUIRE(j["state_dict"].size() == shapes.size());
    for (const auto& [name, shape] : shapes) {
      const Json& t = j["state_dict"][name];
      CAPTURE(name);
      CHECK(t.size() == shape[0]);
      CHECK((shape.size() == 1 ? t[0].is_number() : t[0].size() == shape[1]));
    }
  }

  TEST_CASE("export to stdout and import from stdin") {
    Workspace w;
    const auto exported = run_grucast({"export", w.model});
    REQUIRE(exported.status == 0);
    CHECK(exported.out == read_text(w.exported));
    const std::string back = (w.dir / "stdin.grc").string();
    const auto imported = run_grucast({"import", "-", "--out", back}, exported.out);
    REQUIRE_MESSAGE(imported.status == 0, imported.err);
    CHECK(read_text(back) == read_text(w.model));
  }

  TEST_CASE("an import file from Python with the least model object reads raw values") {
    Workspace w;
    Json j = w.export_json();
    j["state_dict"]["gru.weight_ih_l0"] = Json::array();
    for (int r = 0; r < 18; ++r) j["state_dict"]["gru.weight_ih_l0"].push_back(Json::array({0.1, -0.2}));
    j["model"] = {{"config", {{"lookback", 12}}}, {"data", {{"target", "load"}, {"features", {"temp"}}}}};
    write_text(w.dir / "least.json", j.dump());
    const std::string model = (w.dir / "least.grc").string();
    const auto imported = run_grucast({"import", (w.dir / "least.json").string(), "--out", model});
    REQUIRE_MESSAGE(imported.status == 0, imported.err);
    const auto inspected = run_grucast({"inspect", "--json", model});
    REQUIRE(inspected.status == 0);
    const Json header = Json::parse(inspected.out);
    CHECK(header["config"]["transform"] == "none");
    CHECK(header["config"]["scaler"] == "none");
    CHECK(header["config"]["normalize"] == "none");
    CHECK(header["config"]["precision"] == "f32");
    CHECK(header["scalers"][0]["scale"] == Json::array({1.0, 1.0}));
    const auto forecast = run_grucast({"forecast", "--model", model, "--data", w.data, "--time", "none", "--quiet"});
    CHECK_MESSAGE(forecast.status == 0, forecast.err);
  }

  TEST_CASE("bad import files: exit 1, one line that says what and where, no model written") {
    Workspace w;
    const std::string target = (w.dir / "keep.grc").string();
    write_text(target, "old content");
    for (const BadImport& c : bad_imports()) {
      CAPTURE(c.what);
      Json j = w.export_json();
      c.edit(j);
      const std::string path = (w.dir / "bad.json").string();
      write_text(path, j.dump());
      const auto run = run_grucast({"import", path, "--out", target});
      CHECK(run.status == 1);
      CHECK(run.out.empty());
      CHECK_MESSAGE(run.err.find(c.message) != std::string::npos, run.err);
      CHECK(run.err.rfind("grucast: error: ", 0) == 0);
      CHECK(run.err.find(path) != std::string::npos);
      CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
      CHECK(read_text(target) == "old content");
    }
  }

  TEST_CASE("import files that are not JSON point at the line and column") {
    Workspace w;
    const std::string path = (w.dir / "nan.json").string();
    write_text(path, "{\n  \"format\": \"grucast-torch-json\",\n  \"state_dict\": {\"head.bias\": [NaN]}\n}\n");
    const auto nan = run_grucast({"import", path, "--out", (w.dir / "m.grc").string()});
    CHECK(nan.status == 1);
    CHECK_MESSAGE(nan.err.find("the import file is not valid JSON") != std::string::npos, nan.err);
    CHECK_MESSAGE(nan.err.find(path + ":3:32") != std::string::npos, nan.err);
    CHECK(nan.err.find("NaN or Infinity in it means the weights are not finite") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(w.dir / "m.grc"));

    write_text(path, "{\"format\": \"grucast-torch-json\", \"state_dict\": {\"head.bias\": [1e400]}}");
    const auto overflow = run_grucast({"import", path, "--out", (w.dir / "m.grc").string()});
    CHECK(overflow.status == 1);
    CHECK_MESSAGE(overflow.err.find("the import file holds a number past the range of a double (number overflow "
                                    "parsing '1e400')") != std::string::npos,
                  overflow.err);

    write_text(path, "{\"format\": \"grucast-torch-json\", \"model\": " + std::string(100'000, '[') +
                         std::string(100'000, ']') + "}");
    const auto deep = run_grucast({"import", path, "--out", (w.dir / "m.grc").string()});
    CHECK(deep.status == 1);
    CHECK_MESSAGE(deep.err.find("the import file is nested deeper than 32 levels") != std::string::npos, deep.err);

    write_text(path, "");
    const auto empty = run_grucast({"import", path, "--out", (w.dir / "m.grc").string()});
    CHECK(empty.status == 1);
    CHECK_MESSAGE(empty.err.find("the import file is empty") != std::string::npos, empty.err);
  }

  TEST_CASE("an import holding a setting that train would refuse is refused: the ranges are train's") {
    Workspace w;
    const std::string path = (w.dir / "bad.json").string(), out = (w.dir / "m.grc").string();
    const std::vector<std::pair<std::string, Json>> settings = {
        {"lookback", 1'000'001},  {"season", 0},      {"dropout", 1.0},     {"lr", 0},         {"lr", 11},
        {"weight_decay", 1.5},    {"clip", -1},       {"momentum", 1},      {"beta1", -0.5},   {"beta2", 1},
        {"epsilon", 0},           {"batch_size", 0},  {"batch_size", 1'000'001}, {"epochs", 0}, {"patience", 0},
        {"threads", 0},           {"threads", 1025}};
    const std::vector<std::string> ranges = {
        "[1, 1000000]", "[1, 1000000]", "[0, 1)", "(0, 10]", "(0, 10]", "[0, 1]", "[0, inf)", "[0, 1)", "[0, 1)",
        "[0, 1)", "(0, 1]", "[1, 1000000]", "[1, 1000000]", "[1, 1000000]", "[1, 1000000]", "[1, 1024]", "[1, 1024]"};
    const std::string fix = "fix it in the import file (docs/torch-json.md lists the fields and their defaults)";
    for (std::size_t i = 0; i < settings.size(); ++i) {
      const auto& [field, value] = settings[i];
      Json j = w.export_json();
      j["model"]["config"][field] = value;
      write_text(path, j.dump());
      const auto run = run_grucast({"import", path, "--out", out});
      CHECK(run.status == 1);
      CHECK(run.err == fmt::format("grucast: error: model.config.{} is {}, not in {}, {}, {}\n", field, value.dump(),
                                   ranges[i], path, fix));
    }
    Json j = w.export_json();
    j["model"]["config"]["split"]["val"] = 1e-9;
    write_text(path, j.dump());
    const auto split = run_grucast({"import", path, "--out", out});
    CHECK(split.status == 1);
    CHECK(split.err == fmt::format("grucast: error: model.config.split is not a split train takes (validation fraction "
                                   "1e-09 is out of range, --val, use 0 (no validation part), a fraction 0.000001 <= "
                                   "val < 1, or a whole number of rows), {}, {}\n", path, fix));
    CHECK_FALSE(std::filesystem::exists(out));
  }

  TEST_CASE("import and export: paths and options") {
    Workspace w;
    const std::string out = (w.dir / "m.grc").string();
    struct Case {
      std::vector<std::string> args;
      int status;
      const char* message;
    };
    const std::vector<Case> cases = {
        {{"import", (w.dir / "missing.json").string(), "--out", out}, 1, "cannot open the import file"},
        {{"import", w.dir.path().string(), "--out", out}, 1, "the import path is a directory"},
        {{"import", w.exported}, 2, "--out is required"},
        {{"import", w.exported, "--out", "-"}, 2, "a model file cannot go to stdout"},
        {{"import", w.exported, "--out", (w.dir / "no" / "m.grc").string()}, 1, "no/m.grc"},
        {{"export", (w.dir / "missing.grc").string()}, 1, "cannot open the model file"},
        {{"export", w.data}, 1, "load.csv"},
        {{"export", w.model, "--format", "onnx"}, 2, "--format: onnx not in {torch-json}"},
        {{"export", w.model, "--out", (w.dir / "no" / "m.json").string()}, 1, "no/m.json"},
        {{"export", w.model, "--out", (w.dir / "." / "load.grc").string()}, 2, "would replace the file MODEL reads"},
        {{"import", w.exported, "--out", (w.dir / "." / "load.json").string()}, 2, "would replace the file FILE reads"},
    };
    for (const Case& c : cases) {
      CAPTURE(fmt::format("{}", fmt::join(c.args, " ")));
      const auto run = run_grucast(c.args);
      CHECK(run.status == c.status);
      CHECK(run.out.empty());
      CHECK_MESSAGE(run.err.find(c.message) != std::string::npos, run.err);
    }
    CHECK_FALSE(std::filesystem::exists(out));
  }
}
