// grucast compare through the executable, on the CO2 dataset (issue 9).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::csv_rows;
using grucast::test::run_grucast;

namespace {

const std::string kCo2 = std::string(GRUCAST_DATASETS) + "/co2-concentration.csv";

// A tiny, fast comparison of CO2 (K = 6, 144 test origins) with these options added.
std::vector<std::string> co2_compare(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"compare", "--data", kCo2,  "--target",  "CO2", "--lookback", "24", "--horizon",
                                   "6",       "--hidden", "4", "--epochs", "2",   "--threads", "1",  "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_SUITE("cli compare") {
  TEST_CASE("one table: a row per variant with the spread over seeds, then the baselines, and what it ran on") {
    const auto r = run_grucast(co2_compare({"--seeds", "2", "--attention", "none,dot"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.empty());
    CHECK(r.out.find("compare on CO2 in " + kCo2 + ": 1 series, monthly; lookback 24, horizon 6, season 12; test: 144 "
                     "origins x 6 steps (70% train, 10% validation, 20% test); seeds 1, 2\n\n") == 0);
    CHECK(r.out.find("\nmethod           params  train s  samples/s  best ep") != std::string::npos);
    for (const char* row : {"\ngru ", "\ngru+dot ", "\nlstm ", "\nlstm+dot ", "\nnaive ", "\nsnaive "}) {
      CAPTURE(row);
      CHECK(r.out.find(row) != std::string::npos);
    }
    CHECK(r.out.find("\ngru+dot ") < r.out.find("\nlstm "));  // every attention of a cell, then the next cell
    CHECK(r.out.find(" ± ") != std::string::npos);
    CHECK(r.out.find("MAE, RMSE, sMAPE%, MASE: mean ± sample standard deviation over the 2 seeds; every model on the "
                     "test origins of naive and snaive.\n") != std::string::npos);
    CHECK(r.out.find("latency: median of 200 single-window forecasts by the seed-1 model (f32, one thread)") !=
          std::string::npos);
  }

  TEST_CASE("--format json (and --json): per-seed values, means and spreads that agree, the baselines") {
    const auto r = run_grucast(co2_compare({"--seeds", "2", "--seed", "4", "--format", "json"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["method"] == "compare");
    CHECK(j["origins"] == 144);
    CHECK(j["horizon"] == 6);
    CHECK(j["seeds"] == nlohmann::json::array({4, 5}));
    CHECK(j["split"] == "70% train, 10% validation, 20% test");
    REQUIRE(j["variants"].size() == 2);
    CHECK(j["variants"][0]["name"] == "gru");
    CHECK(j["variants"][1]["name"] == "lstm");
    CHECK(j["variants"][1]["parameters"] > j["variants"][0]["parameters"]);
    for (const auto& v : j["variants"]) {
      REQUIRE(v["runs"].size() == 2);
      const double a = v["runs"][0]["mae"], b = v["runs"][1]["mae"];
      CHECK(v["runs"][0]["seed"] == 4);
      CHECK(v["runs"][1]["seed"] == 5);
      CHECK(v["runs"][0]["count"] == 144 * 6);
      CHECK(v["mean"]["mae"].get<double>() == doctest::Approx((a + b) / 2));
      CHECK(v["spread"]["mae"].get<double>() == doctest::Approx(std::abs(a - b) / std::sqrt(2.0)));
      CHECK(v["latency_us"].get<double>() > 0.0);
    }
    CHECK(j["baselines"]["naive"]["count"] == 144 * 6);
    CHECK(j["baselines"]["snaive"]["mae"].get<double>() > 0.0);
    const auto alias = run_grucast(co2_compare({"--seeds", "2", "--seed", "4", "--json", "--cells", "gru"}));
    REQUIRE_MESSAGE(alias.status == 0, alias.err);
    const auto k = nlohmann::json::parse(alias.out);
    CHECK(k["variants"][0]["runs"][1]["mae"] == j["variants"][0]["runs"][1]["mae"]);  // the same seed, the same model
    CHECK(k["baselines"] == j["baselines"]);
  }

  TEST_CASE("--format csv: a row per variant and seed, then the baselines") {
    const auto r = run_grucast(co2_compare({"--seeds", "2", "--format", "csv", "--cells", "lstm", "--attention",
                                            "additive"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto rows = csv_rows(r.out);
    REQUIRE(rows.size() == 1 + 2 + 2);
    CHECK(rows[0] == std::vector<std::string>{"method", "cell", "attention", "seed", "parameters", "seconds",
                                              "samples_per_second", "best_epoch", "mae", "rmse", "mape", "smape",
                                              "mase", "latency_us"});
    CHECK(rows[1][0] == "lstm+additive");
    CHECK(rows[1][3] == "1");
    CHECK(rows[2][3] == "2");
    CHECK_FALSE(rows[1][13].empty());  // the latency of the first seed's model
    CHECK(rows[2][13].empty());
    CHECK(rows[3][0] == "naive");
    CHECK(rows[4][0] == "snaive");
    CHECK(rows[3][3].empty());
    CHECK_FALSE(rows[3][8].empty());
  }

  TEST_CASE("progress on stderr, a line per run, unless --quiet, and no spread with one seed") {
    std::vector<std::string> args = co2_compare({"--seeds", "1", "--epochs", "1"});
    args.erase(std::find(args.begin(), args.end(), "-q"));
    const auto r = run_grucast(args);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.find("grucast: compare: gru seed 1 (1/2)\n") != std::string::npos);
    CHECK(r.err.find("grucast: compare: lstm seed 1 (2/2)\n") != std::string::npos);
    CHECK(r.out.find(" ± ") == std::string::npos);
    CHECK(r.out.find("MAE, RMSE, sMAPE%, MASE: of the one seed (no spread)") != std::string::npos);
  }

  TEST_CASE("bad options and data: the exit code and the whole message, and nothing on stdout") {
    const std::string cells = "give a comma-separated list of gru and lstm, each once\n";
    const std::string attention = "give a comma-separated list of none, additive and dot, each once\n";
    const std::vector<std::tuple<std::vector<std::string>, int, std::string>> cases = {
        {{"--cell", "lstm"}, 2,
         "grucast: error: compare trains each cell of --cells, and --cell names only one, --cell, use --cells, e.g. "
         "--cells lstm\n"},
        {{"--cells", "gru,rnn"}, 2, "grucast: error: unknown name 'rnn' in --cells, --cells, " + cells},
        {{"--cells", ""}, 2, "grucast: error: --cells is empty, --cells, " + cells},
        {{"--cells", "gru,"}, 2, "grucast: error: --cells 'gru,' has an empty item, --cells, " + cells},
        {{"--cells", "lstm,gru,lstm"}, 2, "grucast: error: --cells names 'lstm' twice, --cells, " + cells},
        {{"--attention", "none,none"}, 2, "grucast: error: --attention names 'none' twice, --attention, " + attention},
        {{"--attention", "luong"}, 2, "grucast: error: unknown name 'luong' in --attention, --attention, " + attention},
        {{"--seeds", "0"}, 2, "grucast: error: seeds 0 is out of range, --seeds, use a whole number from 1 to 100\n"},
        {{"--seeds", "101"}, 2,
         "grucast: error: seeds 101 is out of range, --seeds, use a whole number from 1 to 100\n"},
        {{"--seeds", "two"}, 2,
         "grucast: error: seeds 'two' is not a whole number, --seeds, use a whole number from 1 to 100\n"},
        {{"--seed", "18446744073709551615"}, 2,
         "grucast: error: --seed 18446744073709551615 with --seeds 3 passes the largest seed, 18446744073709551615, "
         "--seed, use a smaller --seed\n"},
        {{"--format", "xml"}, 2, "grucast: error: unknown format 'xml', --format, use one of table, json, csv\n"},
        {{"--json", "--format", "csv"}, 2, "grucast: error: --json and --format csv ask for different formats, "
                                           "--format, give --format alone (--json is --format json)\n"},
        {{"--dropout", "0.2"}, 2, "grucast: error: --dropout acts between stacked layers, and there is only one, "
                                  "--dropout, add --layers 2 or more, or leave --dropout out\n"},
        {{"--epochs", "0"}, 2, "grucast: error: epochs 0 is out of range, --epochs, use a whole number from 1 to "
                               "1000000\n"},
        {{"--test", "0"}, 2, "grucast: error: there is no test part to score (--test 0), --test, give a test part, e.g. --test 0.2 or --test 13 (rows)\n"},
        {{"--lookback", "700"}, 1,
         "grucast: error: the series has 741 rows, but needs at least 1026: a training part of at least 718 rows "
         "(lookback 700 + 12 for the transform + horizon 6, and more than season 12), a validation part of at least 6 "
         "rows (the horizon), and a test part of at least 6 rows (the horizon) under the split 70% train, 10% "
         "validation, 20% test, " + kCo2 + ", use a longer series, a shorter --lookback, --horizon or --season, or "
         "other --val and --test fractions\n"},
    };
    for (const auto& [extra, status, message] : cases) {
      CAPTURE(extra.front());
      const auto r = run_grucast(co2_compare(extra));
      CHECK(r.status == status);
      CHECK(r.err == message);
      CHECK(r.out.empty());
    }
  }
}
