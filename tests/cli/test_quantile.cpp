// --loss quantile through the executable: train, forecast and evaluate --intervals from the
// model's quantiles, inspect, and the errors (issue 8).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "support/co2.hpp"
#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::co2_train_args;
using grucast::test::csv_rows;
using grucast::test::kCo2;
using grucast::test::run_grucast;
using grucast::test::TempDir;

namespace {

// A small CO2 quantile model in `dir`.
std::string train_quantile(const TempDir& dir, const std::vector<std::string>& quantiles) {
  const std::string model = (dir / "co2q.grc").string();
  std::vector<std::string> extra = {"--loss", "quantile"};
  if (!quantiles.empty()) extra.insert(extra.end(), {"--quantiles", quantiles.front()});
  const auto r = run_grucast(co2_train_args(model, extra));
  REQUIRE_MESSAGE(r.status == 0, r.err);
  return model;
}

}  // namespace

TEST_SUITE("cli quantile") {
  TEST_CASE("train --loss quantile stores the quantiles, and inspect shows them") {
    TempDir dir;
    const std::string model = train_quantile(dir, {"0.9,0.05,0.1,0.95"});
    const auto json = run_grucast({"inspect", model, "--format", "json"});
    REQUIRE_MESSAGE(json.status == 0, json.err);
    const auto header = nlohmann::json::parse(json.out);
    CHECK(header["config"]["loss"] == "quantile");
    CHECK(header["config"]["quantiles"] == nlohmann::json{0.05, 0.1, 0.5, 0.9, 0.95});  // 0.5 added
    CHECK(header["slices"].back()["rows"] == 30);  // head.bias: K·Q = 6·5 outputs
    const auto table = run_grucast({"inspect", model});
    REQUIRE_MESSAGE(table.status == 0, table.err);
    CHECK(table.out.find("quantile (pinball) at 0.05, 0.1, 0.5, 0.9, 0.95; the forecast is 0.5") != std::string::npos);
  }

  TEST_CASE("forecast --intervals of a quantile model are its quantiles, nested around the median") {
    TempDir dir;
    const std::string model = train_quantile(dir, {"0.025,0.1,0.9,0.975"});
    const auto r = run_grucast({"forecast", "--model", model, "--data", kCo2, "--intervals", "0.95,0.8", "-q"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto rows = csv_rows(r.out);
    REQUIRE(rows.size() == 7);
    CHECK(rows[0] == std::vector<std::string>{"timestamp", "step", "forecast", "lower_80", "upper_80", "lower_95",
                                              "upper_95"});
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const double f = std::stod(rows[i][2]), l80 = std::stod(rows[i][3]), u80 = std::stod(rows[i][4]);
      const double l95 = std::stod(rows[i][5]), u95 = std::stod(rows[i][6]);
      CHECK(l95 <= l80);
      CHECK(l80 <= f);
      CHECK(f <= u80);
      CHECK(u80 <= u95);
    }
    const auto plain = run_grucast({"forecast", "--model", model, "--data", kCo2, "-q"});
    REQUIRE_MESSAGE(plain.status == 0, plain.err);
    CHECK(csv_rows(plain.out)[1][2] == rows[1][2]);  // the forecast is the median with or without intervals
  }

  TEST_CASE("evaluate --intervals scores a quantile model's intervals") {
    TempDir dir;
    const std::string model = train_quantile(dir, {});
    const auto table = run_grucast({"evaluate", "--model", model, "--data", kCo2, "--intervals", "0.8", "-q"});
    REQUIRE_MESSAGE(table.status == 0, table.err);
    CHECK(table.out.find("prediction intervals (the model's quantiles (1 - L)/2 and (1 + L)/2)\n"
                         "level     coverage    mean width\n80%") != std::string::npos);
    const auto json =
        run_grucast({"evaluate", "--model", model, "--data", kCo2, "--intervals", "0.8", "--format", "json", "-q"});
    REQUIRE_MESSAGE(json.status == 0, json.err);
    const auto j = nlohmann::json::parse(json.out);
    CHECK(j["interval_method"] == "quantile");
    REQUIRE(j["intervals"].size() == 1);
    CHECK(j["intervals"][0]["per_step_coverage"].size() == 6);
    const double coverage = j["intervals"][0]["coverage"];
    CHECK(coverage >= 0.0);
    CHECK(coverage <= 1.0);
    CHECK(j["intervals"][0]["mean_width"].get<double>() > 0.0);
  }

  TEST_CASE("--quantiles errors, and levels or horizons a quantile model cannot give") {
    TempDir dir;
    const std::string out = (dir / "bad.grc").string();
    auto r = run_grucast(co2_train_args(out, {"--loss", "quantile", "--quantiles", "0.1,ten"}));
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: quantile 'ten' is not a number, --quantiles, give quantile levels between 0 and "
                   "1, e.g. 0.1,0.5,0.9\n");
    r = run_grucast(co2_train_args(out, {"--loss", "quantile", "--quantiles", "0.1,1.5"}));
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: quantile '1.5' is not between 0 and 1, --quantiles, give quantile levels "
                   "strictly between 0 and 1, e.g. 0.1,0.5,0.9\n");
    r = run_grucast(co2_train_args(out, {"--loss", "quantile", "--quantiles", "0.9,0.1,0.9"}));
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: quantile 0.9 is given twice, --quantiles, give each quantile once\n");
    r = run_grucast(co2_train_args(out, {"--quantiles", "0.1,0.9"}));
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: --quantiles sets the outputs of the quantile loss, but the loss is huber, "
                   "--quantiles, add --loss quantile, or leave --quantiles out\n");
    CHECK_FALSE(std::filesystem::exists(out));

    const std::string model = train_quantile(dir, {});
    r = run_grucast({"forecast", "--model", model, "--data", kCo2, "--intervals", "0.8,0.9", "-q"});
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: the model learned the quantiles 0.1, 0.5, 0.9, which give no 90% interval (it "
                   "needs the quantiles 0.05 and 0.95), --intervals, ask for 0.8 (or train with those quantiles)\n");
    r = run_grucast({"evaluate", "--model", model, "--data", kCo2, "--intervals", "0.95", "-q"});
    CHECK(r.status == 2);
    CHECK(r.err.find("which give no 95% interval") != std::string::npos);
    r = run_grucast({"forecast", "--model", model, "--data", kCo2, "--horizon", "7", "-q"});
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: a horizon of 7 is beyond the model's 6 steps, and a quantile model does not roll "
                   "out recursively (its quantiles are not those of a rolled-out path), --horizon, use --horizon 6 or "
                   "less, or train with --horizon 7\n");
  }
}
