// --cell lstm through the executable, everywhere downstream of train: inspect, forecast,
// evaluate, backtest, bench, export and import, attention and --explain (issue 9). The bad
// inputs (--cell rnn, a model file or import file with a wrong cell) are cases of
// tests/data/bad/cases.txt; tests/parity/ checks the numbers against PyTorch's nn.LSTM.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "support/co2.hpp"
#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::co2_train_args;
using grucast::test::csv_rows;
using grucast::test::kCo2;
using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using Json = nlohmann::ordered_json;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A small CO2 LSTM (T = 24, K = 6, H = 8, 3 epochs) in `dir`, with `extra` train options.
std::string train_lstm(const TempDir& dir, const std::vector<std::string>& extra = {}) {
  const std::string model = (dir / "co2-lstm.grc").string();
  std::vector<std::string> options = {"--cell", "lstm"};
  options.insert(options.end(), extra.begin(), extra.end());
  const auto r = run_grucast(co2_train_args(model, options));
  REQUIRE_MESSAGE(r.status == 0, r.err);
  return model;
}

}  // namespace

TEST_SUITE("cli lstm") {
  TEST_CASE("train --cell lstm: inspect says lstm (table and JSON), and the tensors are lstm.*") {
    TempDir dir;
    const std::string model = train_lstm(dir);
    const auto table = run_grucast({"inspect", model});
    REQUIRE_MESSAGE(table.status == 0, table.err);
    CHECK(has(table.out, "  cell                  lstm\n"));
    CHECK(has(table.out, "lstm.weight_ih_l0"));
    CHECK(has(table.out, "lstm.weight_hh_l0     32 x 8"));  // 4H rows: gates i, f, g, o
    CHECK_FALSE(has(table.out, "gru."));
    const auto json = run_grucast({"inspect", model, "--format", "json"});
    REQUIRE_MESSAGE(json.status == 0, json.err);
    const Json header = Json::parse(json.out);
    CHECK(header["config"]["cell"] == "lstm");
    CHECK(header["slices"][0]["name"] == "lstm.weight_ih_l0");
    CHECK(header["slices"][0]["rows"] == 32);
  }

  TEST_CASE("train --cell lstm reports an LSTM, and forecast and evaluate use it (rows named lstm)") {
    TempDir dir;
    const std::string model = (dir / "m.grc").string();
    const auto trained = run_grucast({"train", "--data", kCo2, "--target", "CO2", "--lookback", "24", "--horizon", "6",
                                      "--hidden", "8", "--epochs", "2", "--threads", "1", "--cell", "lstm",
                                      "--fallback", "none", "--out", model});
    REQUIRE_MESSAGE(trained.status == 0, trained.err);
    CHECK(has(trained.out + trained.err, "LSTM 1 layer of 8 units"));

    const auto forecast = run_grucast({"forecast", "--model", model, "--data", kCo2, "-q"});
    REQUIRE_MESSAGE(forecast.status == 0, forecast.err);
    const auto rows = csv_rows(forecast.out);
    REQUIRE(rows.size() == 7);
    CHECK(rows[0] == std::vector<std::string>{"timestamp", "step", "forecast"});
    for (std::size_t i = 1; i < rows.size(); ++i) CHECK(std::stod(rows[i][2]) > 300.0);  // ppm, near the data

    const auto evaluate = run_grucast({"evaluate", "--model", model, "--data", kCo2, "--format", "json", "-q"});
    REQUIRE_MESSAGE(evaluate.status == 0, evaluate.err);
    CHECK(Json::parse(evaluate.out)["method"] == "lstm");
    CHECK_FALSE(has(evaluate.out, "\"gru\""));
    const auto evaluate_table = run_grucast({"evaluate", "--model", model, "--data", kCo2, "-q"});
    REQUIRE_MESSAGE(evaluate_table.status == 0, evaluate_table.err);
    CHECK(evaluate_table.out.rfind("lstm forecast of CO2", 0) == 0);
    CHECK(has(evaluate_table.out, "\nlstm "));
    CHECK(has(evaluate_table.out, "per step (lstm)"));
  }

  TEST_CASE("backtest --cell lstm and bench --cell lstm") {
    const auto backtest = run_grucast({"backtest", "--ensemble", "1",
                                       "--data", kCo2, "--target", "CO2", "--lookback", "24", "--horizon",
                                       "6", "--hidden", "8", "--epochs", "1", "--threads", "1", "--folds", "2",
                                       "--refit", "once", "--cell", "lstm", "-q"});
    REQUIRE_MESSAGE(backtest.status == 0, backtest.err);
    CHECK(backtest.out.rfind("lstm backtest of CO2", 0) == 0);
    CHECK(has(backtest.out, "  lstm MASE  "));
    CHECK(has(backtest.out, "\nlstm "));
    CHECK_FALSE(has(backtest.out, "gru MASE"));

    const auto bench = run_grucast({"bench", "--config", "small", "--cell", "lstm", "--hidden", "8", "--lookback", "6",
                                    "--seconds", "0.1", "--threads", "1", "--json"});
    REQUIRE_MESSAGE(bench.status == 0, bench.err);
    const Json all = Json::parse(bench.out);
    REQUIRE(all.size() == 1);
    CHECK(all[0]["cell"] == "lstm");
    CHECK(all[0]["train_samples_per_s"].get<double>() > 0.0);
  }

  TEST_CASE("export → import of an LSTM is byte-identical, f32 and f64") {
    for (const char* precision : {"f32", "f64"}) {
      CAPTURE(precision);
      TempDir dir;
      const std::string model = train_lstm(dir, {"--layers", "2", "--precision", precision});
      const std::string exported = (dir / "m.json").string(), back = (dir / "back.grc").string();
      const auto e = run_grucast({"export", model, "--out", exported});
      REQUIRE_MESSAGE(e.status == 0, e.err);
      const Json json = Json::parse(read_text(exported));
      CHECK(json["model"]["config"]["cell"] == "lstm");
      CHECK(json["state_dict"].contains("lstm.weight_hh_l1"));
      CHECK(json["state_dict"]["lstm.bias_ih_l0"].size() == 32);
      const auto i = run_grucast({"import", exported, "--out", back});
      REQUIRE_MESSAGE(i.status == 0, i.err);
      CHECK(read_text(back) == read_text(model));
    }
  }

  TEST_CASE("an LSTM run's checkpoint resumes to the same model, and is refused to a GRU run") {
    TempDir dir;
    const std::string model = (dir / "c.grc").string(), checkpoint = model + ".ckpt";
    const auto run = [&](const std::vector<std::string>& extra) {
      std::vector<std::string> args = co2_train_args(model, {"--checkpoint-every", "1"});
      args.insert(args.end(), extra.begin(), extra.end());
      return run_grucast(args);
    };
    const auto first = run({"--cell", "lstm"});
    REQUIRE_MESSAGE(first.status == 0, first.err);
    const std::string trained = read_text(model);
    const auto resumed = run({"--cell", "lstm", "--resume", checkpoint});
    REQUIRE_MESSAGE(resumed.status == 0, resumed.err);
    CHECK(read_text(model) == trained);
    const auto gru = run({"--resume", checkpoint});
    CHECK(gru.status == 2);
    CHECK(gru.err == "grucast: error: the checkpoint is from another run: config.cell is \"lstm\" in the checkpoint, "
                     "\"gru\" here, " + checkpoint + ", resume with the options of the run that wrote it\n");
    CHECK(read_text(model) == trained);
  }

  TEST_CASE("--cell lstm with --attention additive: inspect, and forecast --explain gives T weights summing to 1") {
    TempDir dir;
    const std::string model = train_lstm(dir, {"--attention", "additive"});
    const auto inspect = run_grucast({"inspect", model});
    REQUIRE_MESSAGE(inspect.status == 0, inspect.err);
    CHECK(has(inspect.out, "  cell                  lstm\n"));
    CHECK(has(inspect.out, "additive over the top layer's states, query h_T"));
    CHECK(has(inspect.out, "head.weight           6 x 16"));  // the head reads [h_T; c]
    const std::string explain = (dir / "why.csv").string();
    const auto forecast = run_grucast({"forecast", "--model", model, "--data", kCo2, "--explain", explain, "-q"});
    REQUIRE_MESSAGE(forecast.status == 0, forecast.err);
    const auto rows = csv_rows(read_text(explain));
    REQUIRE(rows.size() == 1 + 24);
    double sum = 0.0;
    for (std::size_t i = 1; i < rows.size(); ++i) sum += std::stod(rows[i].back());
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-6));
  }
}
