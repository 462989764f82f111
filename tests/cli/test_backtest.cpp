// grucast backtest through the executable, on the bundled datasets (issue 8).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::csv_rows;
using grucast::test::run_grucast;
using grucast::test::TempDir;

namespace {

const std::string kCo2 = std::string(GRUCAST_DATASETS) + "/co2-concentration.csv";
const std::string kLong = std::string(GRUCAST_TEST_DATA) + "/long.csv";

// A small, fast backtest of CO2 (K = 6) with these options added.
std::vector<std::string> co2_backtest(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"backtest", "--ensemble", "1",
                                   "--data", kCo2,  "--target",  "CO2", "--lookback", "24", "--horizon",
                                   "6",        "--hidden", "8", "--epochs", "3",   "--threads", "1",  "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Date → CO2 as written in the dataset, read without grucast.
std::map<std::string, std::string> co2_by_date() {
  std::map<std::string, std::string> values;
  const auto rows = csv_rows(read_text(kCo2));
  for (std::size_t i = 1; i < rows.size(); ++i) values[rows[i][0]] = rows[i][1];
  return values;
}

}  // namespace

TEST_SUITE("cli backtest") {
  TEST_CASE("each fold beside the baselines, the pooled metrics, and every forecast with its actual") {
    TempDir dir;
    const std::string forecasts = (dir / "folds.csv").string();
    const auto r = run_grucast(co2_backtest({"--folds", "3", "--forecasts", forecasts}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.empty());
    CHECK(r.out.find("gru backtest of CO2 in " + kCo2 + ": 1 series, monthly, 3 folds over the test part (70% train, "
                     "10% validation, 20% test), refit every fold; 144 origins x 6 steps, season 12") == 0);
    CHECK(r.out.find("\n1     2007-11-01            2011-10-01                   48         518") != std::string::npos);
    CHECK(r.out.find("\n3     2015-11-01            2019-10-01                   48         614") != std::string::npos);
    for (const char* method : {"\ngru ", "\nnaive ", "\nsnaive "}) CHECK(r.out.find(method) != std::string::npos);
    const auto rows = csv_rows(read_text(forecasts));
    REQUIRE(rows.size() == 1 + 144 * 6);
    CHECK(rows[0] == std::vector<std::string>{"fold", "origin", "timestamp", "step", "forecast", "actual"});
    const auto actual = co2_by_date();
    std::string last_fold = "1";
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const auto& row = rows[i];
      REQUIRE(row.size() == 6);
      CHECK(row[0] >= last_fold);
      last_fold = row[0];
      CHECK(row[1] < row[2]);  // the origin is the last row seen, before every row forecast
      CHECK(std::stod(row[5]) == std::stod(actual.at(row[2])));
      CHECK(std::abs(std::stod(row[4]) - std::stod(row[5])) < 10.0);
    }
    CHECK(rows.back()[2] == "2020-04-01");  // the last row of the file
  }

  TEST_CASE("--ensemble auto, as train's: each fold's model the median of five networks, and not with --warm-start") {
    const auto r = run_grucast(co2_backtest({"--folds", "2", "--refit", "once", "--epochs", "1", "--ensemble", "auto"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("2 folds over the test part (70% train, 10% validation, 20% test), each the median of 5 "
                     "networks, refit once") != std::string::npos);
    const auto warm = run_grucast(co2_backtest({"--folds", "2", "--warm-start", "--ensemble", "2"}));
    CHECK(warm.status == 2);
    CHECK(warm.err == "grucast: error: an ensemble cannot start each fold from the last fold's model, --warm-start, "
                      "give --ensemble 1, or leave out --warm-start\n");
    const auto one = run_grucast(co2_backtest({"--folds", "2", "--epochs", "1", "--warm-start", "--ensemble", "auto"}));
    REQUIRE_MESSAGE(one.status == 0, one.err);
    CHECK(one.out.find("each the median") == std::string::npos);
  }

  TEST_CASE("--format json and csv, --refit once trains one model, --intervals scores each fold") {
    const auto r = run_grucast(co2_backtest({"--folds", "2", "--refit", "once", "--intervals", "0.8", "--format", "json"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["refit"] == "once");
    REQUIRE(j["folds"].size() == 2);
    CHECK(j["folds"][0]["trained"] == true);
    CHECK(j["folds"][1]["trained"] == false);
    CHECK(j["folds"][1]["train_rows"] == j["folds"][0]["train_rows"]);
    CHECK(j["folds"][0]["origins"].get<int>() + j["folds"][1]["origins"].get<int>() == j["origins"].get<int>());
    CHECK(j["metrics"]["count"] == 144 * 6);
    const double coverage = j["intervals"][0]["coverage"];
    CHECK((coverage > 0.3 && coverage <= 1.0));
    CHECK(j["folds"][1]["intervals"][0]["level"] == 0.8);
    CHECK(j["baselines"]["snaive"]["mase"].get<double>() > 1.0);

    const auto csv = run_grucast(co2_backtest({"--folds", "2", "--intervals", "0.8", "--format", "csv"}));
    REQUIRE_MESSAGE(csv.status == 0, csv.err);
    const auto rows = csv_rows(csv.out);
    REQUIRE(rows.size() == 1 + 3 * 3);
    CHECK(rows[0] == std::vector<std::string>{"fold", "method", "mae", "rmse", "mape", "smape", "mase", "count",
                                              "coverage_80", "width_80"});
    CHECK(rows[1][0] == "1");
    CHECK(rows[1][1] == "gru");
    CHECK(rows[9][0] == "all");
    CHECK(rows[9][1] == "snaive");
    CHECK(rows[9][8].empty());  // no intervals for the baselines
  }

  TEST_CASE("--stride: the folds are the last folds x stride origins, --warm-start trains every fold") {
    const auto r = run_grucast(co2_backtest({"--folds", "3", "--stride", "12", "--warm-start", "--format", "json"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["stride"] == 12);
    CHECK(j["origins"] == 36);
    CHECK(j["folds_where"] == "3 folds of 12 origins at the end of each series (10% validation)");
    CHECK(j["folds"][2]["last_origin"] == "2019-10-01");  // six rows before the last
    CHECK(j["folds"][2]["trained"] == true);
  }

  TEST_CASE("several series: every fold trains on all of them, and the forecasts name each") {
    TempDir dir;
    const std::string forecasts = (dir / "long.csv").string();
    const auto r = run_grucast({"backtest", "--ensemble", "1",
                                "--data", kLong, "--id", "store", "--time", "day", "--target", "sales",
                                "--lookback", "7", "--horizon", "3", "--hidden", "4", "--epochs", "2", "--threads", "1",
                                "--folds", "2", "-q", "--forecasts", forecasts});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("2 series, daily") != std::string::npos);
    const auto rows = csv_rows(read_text(forecasts));
    CHECK(rows[0].front() == "store");  // the --id column's name, to join with the input
    std::map<std::string, std::size_t> per_id;
    for (std::size_t i = 1; i < rows.size(); ++i) ++per_id[rows[i][0]];
    CHECK(per_id.size() == 2);
    CHECK(per_id["a"] == per_id["b"]);
  }

  TEST_CASE("progress goes to stderr, one line per fold, unless --quiet") {
    const auto r = run_grucast({"backtest", "--ensemble", "1",
                                "--data", kCo2, "--target", "CO2", "--lookback", "24", "--horizon", "6",
                                "--hidden", "8", "--epochs", "1", "--threads", "1", "--folds", "2", "--refit", "once"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.find("grucast: fold 1/2: training on the rows before it\n") != std::string::npos);
    CHECK(r.err.find("grucast: fold 2/2: forecasting with the model of fold 1 (--refit once)\n") != std::string::npos);
  }

  TEST_CASE("bad options and data: the exit code and the message, and no output") {
    TempDir dir;
    const std::string forecasts = (dir / "f.csv").string();
    const std::vector<std::tuple<std::vector<std::string>, int, std::string>> cases = {
        {{"--stride", "5", "--test", "0.3"}, 2, "grucast: error: --test excludes --stride, command line, see 'grucast "
                                                "backtest --help'\n"},
        {{"--refit", "sometimes"}, 2, "grucast: error: unknown refit policy 'sometimes', --refit, use every (train a "
                                      "model per fold) or once (train on the first fold's rows and reuse it)\n"},
        {{"--folds", "0"}, 2, "grucast: error: folds 0 is out of range, --folds, use a whole number from 1 to 10000\n"},
        {{"--folds", "500"}, 1, "grucast: error: the series has 144 forecast origins in its test part, fewer than "
                                "--folds 500 (one origin each), " + kCo2 + ", use fewer --folds or a larger --test\n"},
        {{"--folds", "2", "--stride", "400"}, 1,
         "grucast: error: the series has 736 forecast origins, fewer than the 800 of --folds 2 x --stride 400, " +
             kCo2 + ", use fewer --folds or a smaller --stride\n"},
        {{"--folds", "2", "--stride", "350"}, 1,
         "grucast: error: the series has 741 rows; its first fold starts at row 37, which leaves 0 training and 36 "
         "validation rows, but training needs at least 42 (lookback 24 + 12 for the transform + horizon 6, and more "
         "than season 12) and 6 validation rows, " + kCo2 + ", use a smaller --stride or fewer --folds, or a shorter --lookback or --horizon\n"},
        {{"--intervals", "0.8", "--val", "0"}, 2,
         "grucast: error: --intervals calibrates each fold's model on its validation part, but --val is 0, "
         "--intervals, give --val above 0, e.g. 0.1\n"},
        {{"--warm-start", "--refit", "once"}, 2,
         "grucast: error: --warm-start starts each fold's training from the last fold's model, but --refit once "
         "trains only one, --warm-start, use --refit every, or leave --warm-start out\n"},
        {{"--forecasts", kCo2}, 2, "grucast: error: --forecasts '" + kCo2 +
                                       "' would replace the file --data reads, --forecasts, give --forecasts a file "
                                       "of its own\n"},
        {{"--forecasts", forecasts, "--out", forecasts}, 2,
         "grucast: error: --forecasts and --out are the same file '" + forecasts +
             "', --forecasts, give --forecasts a file of its own\n"},
        {{"--format", "xml"}, 2, "grucast: error: unknown format 'xml', --format, use one of table, json, csv\n"},
        // Found after the first fold has trained: still no file and no report.
        {{"--folds", "2", "--intervals", "0.999", "--forecasts", forecasts}, 1,
         "grucast: error: the 99.9% interval of step 1 needs at least 999 validation residuals, but the calibration "
         "has 69, " + kCo2 + " (fold 1), ask for a lower level, or calibrate on a longer validation part (--val)\n"},
    };
    for (const auto& [extra, status, message] : cases) {
      CAPTURE(extra.front());
      const auto r = run_grucast(co2_backtest(extra));
      CHECK(r.status == status);
      CHECK(r.err == message);
      CHECK(r.out.empty());
      CHECK_FALSE(std::filesystem::exists(forecasts));
    }
  }
}
