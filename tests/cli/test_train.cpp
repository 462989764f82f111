// train → inspect → forecast → evaluate end to end, model files that are damaged, config files.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

// A daily series with a weekly pattern, a trend and a feature: 200 rows.
std::string weekly_csv() {
  std::string csv = "date,sales,price\n";
  for (int i = 0; i < 200; ++i) {
    const int day = i % 28 + 1, month = i / 28 + 1;
    const double sales = 100 + 0.2 * i + 10 * std::sin(2 * M_PI * i / 7.0) + 3 * std::cos(i * 1.7);
    csv += fmt::format("2021-{:02}-{:02},{:.3f},{:.2f}\n", month, day, sales, 5 + std::sin(i));
  }
  return csv;
}

// The daily calendar above has only 28 days a month, so use a row index for time.
struct Workspace {
  TempDir dir;
  std::string data = (dir / "sales.csv").string();
  std::string model = (dir / "sales.grc").string();
  Workspace() { write_text(dir / "sales.csv", weekly_csv()); }

  std::vector<std::string> train_args(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"train", "--data", data, "--target", "sales", "--time", "none", "--lookback", "14",
                                     "--horizon", "3", "--season", "7", "--hidden", "8", "--epochs", "4",
                                     "--threads", "1", "--ensemble", "1", "--out", model};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
};

}  // namespace

TEST_SUITE("cli train") {
  TEST_CASE("train --format json: the summary and the test metrics beside the baselines as one object") {
    Workspace w;
    const auto r = run_grucast(w.train_args({"--format", "json", "-q"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["model"] == w.model);
    CHECK(j["epochs_run"] == 4);
    CHECK(j["stop"] == "epochs");
    CHECK(j["best_loss_on"] == "validation");
    CHECK(j["test"]["origins"].get<int>() > 0);
    for (const char* method : {"gru", "naive", "snaive"}) CHECK(j["test"]["methods"][method]["mase"].is_number());
    const auto csv = run_grucast(w.train_args({"--format", "csv"}));
    CHECK(csv.status == 2);
    CHECK(csv.err == "grucast: error: unknown format 'csv', --format, use one of table, json\n");
  }

  TEST_CASE("train → inspect → forecast → evaluate on a small series") {
    Workspace w;
    const auto train = run_grucast(w.train_args());
    REQUIRE_MESSAGE(train.status == 0, train.err);
    CHECK(train.out.find("parameters") != std::string::npos);
    CHECK(train.out.find("gru ") != std::string::npos);
    CHECK(train.out.find("snaive ") != std::string::npos);
    CHECK(train.err.find("epoch    4/4") != std::string::npos);  // plain progress lines: stderr is not a terminal

    const auto inspect = run_grucast({"inspect", w.model});
    REQUIRE_MESSAGE(inspect.status == 0, inspect.err);
    CHECK(inspect.out.find("gru.weight_hh_l0") != std::string::npos);
    CHECK(inspect.out.find("sales") != std::string::npos);
    const auto json = run_grucast({"inspect", w.model, "--json"});
    REQUIRE(json.status == 0);
    const auto header = nlohmann::json::parse(json.out);
    CHECK(header["config"]["hidden"] == 8);
    CHECK(header["config"]["lookback"] == 14);
    CHECK(header["data"]["target"] == "sales");

    const auto forecast = run_grucast({"forecast", "--model", w.model, "--data", w.data, "--time", "none"});
    REQUIRE_MESSAGE(forecast.status == 0, forecast.err);
    CHECK(forecast.out.rfind("timestamp,step,forecast\n200,1,", 0) == 0);
    CHECK(std::count(forecast.out.begin(), forecast.out.end(), '\n') == 4);

    const auto evaluate = run_grucast({"evaluate", "--model", w.model, "--data", w.data, "--json"});
    REQUIRE_MESSAGE(evaluate.status == 0, evaluate.err);
    const auto metrics = nlohmann::json::parse(evaluate.out);
    // The network, or "chosen" where validation chose a baseline for the series (train says which).
    CHECK(metrics["method"] == (train.out.find("validation: gru ") != std::string::npos ? "gru" : "chosen"));
    CHECK(metrics["origins"] == 38);  // rows 160..197 of 200: 70/10/20 split, K = 3
    CHECK(metrics["baselines"]["snaive"]["mase"].is_number());
    // evaluate reproduces the test metrics train printed
    CHECK(train.out.find(fmt::format("{:.4f}", metrics["metrics"]["mase"].get<double>())) != std::string::npos);
    for (const char* threads : {"1", "3"}) {  // the forecasts do not depend on the threads
      const auto again = run_grucast({"evaluate", "--model", w.model, "--data", w.data, "--json", "--threads", threads});
      CHECK(again.out == evaluate.out);
    }
  }

  TEST_CASE("the same seed, data and threads give a byte-identical model file") {
    Workspace w;
    const std::string second = (w.dir / "again.grc").string();
    REQUIRE(run_grucast(w.train_args({"--threads", "2"})).status == 0);
    REQUIRE(run_grucast(w.train_args({"--threads", "2", "--out", second})).status == 0);  // the last --out wins
    CHECK(read_text(w.model) == read_text(second));
    REQUIRE(run_grucast(w.train_args({"--seed", "2", "--out", second})).status == 0);
    CHECK(read_text(w.model) != read_text(second));
  }

  TEST_CASE("a horizon beyond K rolls out recursively, but not with features") {
    Workspace w;
    REQUIRE(run_grucast(w.train_args()).status == 0);
    const auto rolled = run_grucast({"forecast", "--model", w.model, "--data", w.data, "--horizon", "8"});
    REQUIRE_MESSAGE(rolled.status == 0, rolled.err);
    CHECK(std::count(rolled.out.begin(), rolled.out.end(), '\n') == 9);
    const auto direct = run_grucast({"forecast", "--model", w.model, "--data", w.data});
    CHECK(rolled.out.rfind(direct.out, 0) == 0);  // the first K steps are the direct ones

    REQUIRE(run_grucast(w.train_args({"--features", "price"})).status == 0);
    const auto refused = run_grucast({"forecast", "--model", w.model, "--data", w.data, "--horizon", "8"});
    CHECK(refused.status == 2);
    CHECK(refused.err.find("cannot roll out recursively (the future feature values are unknown)") != std::string::npos);
  }

  TEST_CASE("a config file holds options, and the command line overrides it") {
    Workspace w;
    write_text(w.dir / "run.toml", "hidden = 5\nlookback = 10\n[train]\nepochs = 2\nquiet = true\n");
    const auto r = run_grucast(w.train_args({"--config", (w.dir / "run.toml").string(), "--lookback", "12"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.empty());  // quiet from the file
    const auto header = nlohmann::json::parse(run_grucast({"inspect", w.model, "--json"}).out);
    CHECK(header["config"]["hidden"] == 8);     // the command line's --hidden 8 wins over the file's 5
    CHECK(header["config"]["lookback"] == 12);  // and its --lookback 12
    CHECK(header["training"]["epochs_run"] == 4);
    write_text(w.dir / "bad.toml", "hiden = 5\n");
    const auto bad = run_grucast(w.train_args({"--config", (w.dir / "bad.toml").string()}));
    CHECK(bad.status == 2);
    CHECK(bad.err == fmt::format("grucast: error: 'hiden' is not an option of grucast train, {}, see 'grucast train "
                                 "--help' for the option names\n", (w.dir / "bad.toml").string()));
  }

  TEST_CASE("damaged model files give a clear error and exit 1") {
    Workspace w;
    REQUIRE(run_grucast(w.train_args()).status == 0);
    const std::string good = read_text(w.model);
    const auto check = [&](const std::string& bytes, const std::string& fragment) {
      CAPTURE(fragment);
      write_text(w.dir / "bad.grc", bytes);
      const auto r = run_grucast({"forecast", "--model", (w.dir / "bad.grc").string(), "--data", w.data});
      CHECK(r.status == 1);
      CHECK(r.out.empty());
      CHECK(r.err.find(fragment) != std::string::npos);
      CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    };
    check(good.substr(0, good.size() / 2), "truncated");
    std::string flipped = good;
    flipped[good.size() / 2] ^= 0x10;
    check(flipped, "checksum");
    std::string magic = good;
    magic[0] = 'X';
    check(magic, "not a grucast model file");
    std::string future = good;
    future[8] = 9;  // the format version, little-endian u32 after the 8-byte magic
    check(future, "newer grucast");
    check("date,value\n2020-01-01,1\n", "not a grucast model file");
  }

  TEST_CASE("one global model over the series of a long-format file, each with its own scaler") {
    Workspace w;
    const std::string data = std::string(GRUCAST_TEST_DATA) + "/long.csv";
    const auto train = run_grucast({"train", "--data", data, "--id", "store", "--time", "day", "--target", "sales",
                                    "--lookback", "5", "--horizon", "2", "--season", "1", "--hidden", "4", "--epochs",
                                    "2", "--threads", "1", "--val", "0.2", "--out", w.model});
    REQUIRE_MESSAGE(train.status == 0, train.err);
    const auto header = nlohmann::json::parse(run_grucast({"inspect", w.model, "--json"}).out);
    REQUIRE(header["scalers"].size() == 2);
    CHECK(header["scalers"][0]["id"] == "a");
    CHECK(header["scalers"][0]["shift"] != header["scalers"][1]["shift"]);
    const auto forecast = run_grucast({"forecast", "--model", w.model, "--data", data, "--time", "day"});
    REQUIRE_MESSAGE(forecast.status == 0, forecast.err);
    CHECK(forecast.out.rfind("store,timestamp,step,forecast,method\na,", 0) == 0);
    CHECK(std::count(forecast.out.begin(), forecast.out.end(), '\n') == 1 + 2 * 2);
  }

  TEST_CASE("a model refuses data of another frequency or other columns") {
    Workspace w;
    REQUIRE(run_grucast(w.train_args()).status == 0);
    const auto other = run_grucast({"forecast", "--model", w.model, "--data", w.data, "--target", "price"});
    CHECK(other.status == 2);
    CHECK(other.err.find("--target 'price' is not the model's ('sales')") != std::string::npos);
  }
}
