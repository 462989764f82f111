// Panels of ragged, short series (issue 20): the split in rows, train --final, --test 0, and
// every series forecast. tests/data/m4-weekly-truncated.csv holds 16 M4 Weekly series: W1..W4
// cut to their first 1, 2, 5 and 20 rows, the other 12 their last 60 rows.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;

namespace {

const std::string kTruncated = std::string(GRUCAST_TEST_DATA) + "/m4-weekly-truncated.csv";

std::vector<std::string> train_args(const std::string& model, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"train",    "--data",  kTruncated, "--id",      "id",  "--target",  "value",
                                   "--horizon", "6",      "--hidden", "4",         "--epochs", "3", "--threads",
                                   "1",        "--ensemble", "1", "--out", model};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// id → the forecast rows of a forecast CSV (its first column is the id).
std::map<std::string, std::vector<std::string>> rows_by_id(const std::string& csv) {
  std::map<std::string, std::vector<std::string>> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) rows[line.substr(0, line.find(','))].push_back(line);
  return rows;
}

}  // namespace

TEST_SUITE("cli panels") {
  TEST_CASE("a panel with series of 1, 2, 5 and 20 rows trains: the short ones are left out, counted") {
    TempDir dir;
    const std::string model = (dir / "m.grc").string();
    const auto r = run_grucast(train_args(model, {"--format", "json"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    // The default lookback, 12 (twice the horizon), fits the median series of 60 rows.
    CHECK(r.err.find("grucast: lookback 12 (the default: twice the horizon 6)") != std::string::npos);
    CHECK(r.err.find("grucast: warning: 4 of 16 series are too short for a training window (13 rows of history and 6 "
                     "targets in the training part) and were left out of training (e.g. 'W1', 'W2', 'W3', 'W4')") !=
          std::string::npos);
    CHECK(r.err.find("grucast: 13 of 16 series have a test origin") != std::string::npos);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["series"]["total"] == 16);
    CHECK(j["series"]["trained"] == 12);
    CHECK(j["test"]["origins"] == 13);  // the last 6 rows: one origin per series with 13 rows of history before them
    CHECK(j["final"].is_null());
  }

  TEST_CASE("--val and --test in rows, a fraction beside a count, and a count that is not whole refused") {
    TempDir dir;
    const std::string model = (dir / "m.grc").string();
    const auto rows = run_grucast(train_args(model, {"--val", "6", "--test", "12", "--lookback", "8", "-v"}));
    REQUIRE_MESSAGE(rows.status == 0, rows.err);
    CHECK(rows.out.find("test: 90 origins") != std::string::npos);  // 12 series × (12 − 6 + 1), and 6 of the series of 20 rows
    const auto bad = run_grucast(train_args(model, {"--test", "2.5"}));
    CHECK(bad.status == 2);
    CHECK(bad.err == "grucast: error: --test 2.5 is neither a fraction below 1 nor a whole number of rows, --test, "
                     "give a fraction such as 0.2, or a number of rows such as 13\n");
  }

  TEST_CASE("--test 0: no test part and no test table, and evaluate of that model asks for one") {
    TempDir dir;
    const std::string model = (dir / "m.grc").string();
    const auto r = run_grucast(train_args(model, {"--test", "0"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("test: no test part (see --test)") != std::string::npos);
    CHECK(r.out.find("\nnaive ") == std::string::npos);  // no table row
    const auto e = run_grucast({"evaluate", "--model", model, "--data", kTruncated, "-q"});
    CHECK(e.status == 2);
    CHECK(e.err == "grucast: error: there is no test part to score (--test 0), --test, give a test part, e.g. --test "
                   "0.2 or --test 13 (rows)\n");
  }

  TEST_CASE("train --final: the split run picks the epochs and scores, then every row is trained on") {
    TempDir dir;
    const std::string model = (dir / "m.grc").string();
    const auto r = run_grucast(train_args(model, {"--final", "--epochs", "4", "--patience", "1"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.find("grucast: --final: training again, on every row, for ") != std::string::npos);
    CHECK(r.out.find("final: trained on every row for ") != std::string::npos);
    CHECK(r.out.find("the split run (the last 6 rows test, the 6 rows before them validation;") != std::string::npos);
    CHECK(r.out.find("test: 13 origins") != std::string::npos);  // the split run's held-out scores

    const auto inspect = run_grucast({"inspect", model});
    REQUIRE_MESSAGE(inspect.status == 0, inspect.err);
    CHECK(inspect.out.find("split                 none: every row trained on") != std::string::npos);
    CHECK(inspect.out.find("final                 trained on every row for ") != std::string::npos);
    CHECK(inspect.out.find("Test (13 origins)") != std::string::npos);
    const auto header = nlohmann::json::parse(run_grucast({"inspect", model, "--json"}).out);
    CHECK(header["final"]["split"]["val_rows"] == 6);
    CHECK(header["final"]["split"]["test_rows"] == 6);
    CHECK(header["config"]["split"]["val"] == 0.0);
    CHECK(header["config"]["epochs"] == header["final"]["epochs"]);

    const auto resume = run_grucast(train_args(model, {"--final", "--checkpoint-every", "1"}));
    CHECK(resume.status == 2);
    CHECK(resume.err == "grucast: error: a checkpoint resumes one training run, and --final makes two (the split "
                        "run, then every row), --checkpoint-every, --final, train without --final to use "
                        "checkpoints\n");
  }

  TEST_CASE("every series with a row gets a forecast, the short ones by a named baseline") {
    TempDir dir;
    const std::string model = (dir / "m.grc").string();
    REQUIRE(run_grucast(train_args(model, {"--final", "-q"})).status == 0);
    const std::string out = (dir / "f.csv").string();
    const auto f = run_grucast({"forecast", "--model", model, "--data", kTruncated, "--out", out});
    REQUIRE_MESSAGE(f.status == 0, f.err);
    const auto rows = rows_by_id(read_text(out));
    CHECK(rows.size() == 16);
    for (const auto& [id, lines] : rows) CHECK_MESSAGE(lines.size() == 6, id);
    CHECK(f.err.find("grucast: 3 of 16 series are shorter than the 13 rows the model reads: forecast by naive (W1, W2, "
                     "W3); the output's method column says which") != std::string::npos);
    // The method column marks the fallback forecasts; a 1-row series has no scale, so no bounds.
    CHECK(rows.at("W1").front() == "W1,1,1,1089.2,naive");
    CHECK(rows.at("W4").front().ends_with(",gru"));
    const auto bands = run_grucast({"forecast", "--model", model, "--data", kTruncated, "--intervals", "0.8", "-q"});
    REQUIRE_MESSAGE(bands.status == 0, bands.err);
    const auto with_bands = rows_by_id(bands.out);
    CHECK(with_bands.at("W1").front() == "W1,1,1,1089.2,nan,nan,naive");
    CHECK(with_bands.at("W2").front().find("nan") == std::string::npos);
    const auto json = run_grucast({"forecast", "--model", model, "--data", kTruncated, "--format", "json", "-q"});
    REQUIRE(json.status == 0);
    CHECK(nlohmann::json::parse(json.out)[0]["method"] == "naive");
  }

  TEST_CASE("without --target the one column left is the target") {
    TempDir dir;
    const std::string model = (dir / "m.grc").string();
    std::vector<std::string> args = train_args(model);
    args.erase(args.begin() + 5, args.begin() + 7);  // "--target", "value"
    const auto r = run_grucast(args);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.find("16 series, target 'value' (the only value column)") != std::string::npos);
  }

  TEST_CASE("series of 1 to 40 rows with horizons up to 18: the default split gives up parts, nothing is refused") {
    // The last 40 rows at most of each series (W1..W4 keep their 1, 2, 5 and 20).
    TempDir dir;
    std::map<std::string, std::vector<std::string>> by_id = rows_by_id(read_text(kTruncated));
    std::string csv = "id,value\n";
    for (auto& [id, lines] : by_id) {
      const std::size_t keep = std::min<std::size_t>(lines.size(), 40);
      for (std::size_t i = lines.size() - keep; i < lines.size(); ++i) csv += lines[i] + "\n";
    }
    const std::string data = (dir / "short.csv").string(), model = (dir / "m.grc").string();
    grucast::test::write_text(data, csv);
    const auto base = [&](const std::string& horizon) {
      return std::vector<std::string>{"train", "--data", data, "--id", "id", "--horizon", horizon, "--hidden", "4",
                                      "--epochs", "2", "--threads", "1", "--out", model};
    };
    const auto h6 = run_grucast(base("6"));
    REQUIRE_MESSAGE(h6.status == 0, h6.err);
    CHECK(h6.err.find("no validation part") == std::string::npos);
    const auto h13 = run_grucast(base("13"));
    REQUIRE_MESSAGE(h13.status == 0, h13.err);
    CHECK(h13.err.find("grucast: warning: no validation part: the median series (40 rows) is too short for a "
                       "training window beside 13 rows of validation and 13 of test") != std::string::npos);
    const auto h18 = run_grucast(base("18"));
    REQUIRE_MESSAGE(h18.status == 0, h18.err);
    CHECK(h18.err.find("no validation part") != std::string::npos);
    const auto f = run_grucast({"forecast", "--model", model, "--data", data, "-q"});
    REQUIRE_MESSAGE(f.status == 0, f.err);
    const auto rows = rows_by_id(f.out);
    CHECK(rows.size() == 16);
    for (const auto& [id, lines] : rows) CHECK_MESSAGE(lines.size() == 18, id);
    // Series of 19 rows at most: no training window even without held-out parts, refused in words.
    std::string tiny = "id,value\n";
    for (int i = 0; i < 19; ++i) tiny += fmt::format("a,{}\nb,{}\n", 10 + i % 3, 20 + i % 5);
    grucast::test::write_text(dir / "tiny.csv", tiny);
    std::vector<std::string> tiny_args = base("18");
    tiny_args[2] = (dir / "tiny.csv").string();
    const auto none = run_grucast(tiny_args);
    CHECK(none.status == 1);
    CHECK(none.err.find("has 19 rows, but needs at least 20: a training part of at least 20 rows (lookback 1 + 1 "
                        "for the transform + horizon 18") != std::string::npos);
  }

  TEST_CASE("backtest leaves out the series too short for its folds, and fails only when none is long enough") {
    const std::vector<std::string> args = {"backtest", "--ensemble", "1",
                                           "--data", kTruncated, "--id", "id", "--horizon", "6",
                                           "--hidden", "4", "--epochs", "1", "--threads", "1", "--folds", "2",
                                           "--lookback", "6"};
    const auto r = run_grucast(args);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.find("grucast: warning: 4 of 16 series are too short for the folds and were left out of the "
                     "backtest (W1, W2, W3, W4)") != std::string::npos);
    std::vector<std::string> too_many = args;
    too_many.insert(too_many.end(), {"--folds", "20"});
    const auto none = run_grucast(too_many);
    CHECK(none.status == 1);
    CHECK(none.err.find("has 7 forecast origins in its test part, fewer than --folds 20") != std::string::npos);
  }
}
