// Prediction intervals through the executable: forecast and evaluate --intervals (issue 8).
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

// A small CO2 model, trained once per test case in `dir`.
std::string train_co2(const TempDir& dir, const std::vector<std::string>& extra = {}) {
  const std::string model = (dir / "co2.grc").string();
  const auto r = run_grucast(co2_train_args(model, extra));
  REQUIRE_MESSAGE(r.status == 0, r.err);
  return model;
}

}  // namespace

TEST_SUITE("cli intervals") {
  TEST_CASE("forecast --intervals writes nested bounds around the forecast, for a model and a baseline") {
    TempDir dir;
    const std::string model = train_co2(dir);
    for (const std::vector<std::string>& method :
         {std::vector<std::string>{"--model", model},
          std::vector<std::string>{"--baseline", "snaive", "--target", "CO2", "--horizon", "6"}}) {
      CAPTURE(method.front());
      std::vector<std::string> args = {"forecast", "--data", kCo2, "--intervals", "0.95,0.8", "-q"};
      args.insert(args.end(), method.begin(), method.end());
      const auto r = run_grucast(args);
      REQUIRE_MESSAGE(r.status == 0, r.err);
      const auto rows = csv_rows(r.out);
      REQUIRE(rows.size() == 7);
      CHECK(rows[0] == std::vector<std::string>{"timestamp", "step", "forecast", "lower_80", "upper_80", "lower_95",
                                                "upper_95"});
      for (std::size_t i = 1; i < rows.size(); ++i) {
        const double f = std::stod(rows[i][2]), l80 = std::stod(rows[i][3]), u80 = std::stod(rows[i][4]);
        const double l95 = std::stod(rows[i][5]), u95 = std::stod(rows[i][6]);
        CHECK(l95 <= l80);
        CHECK(l80 < f);
        CHECK(f < u80);
        CHECK(u80 <= u95);
      }
    }
  }

  TEST_CASE("evaluate --intervals reports coverage and width per level, in the table and in JSON") {
    TempDir dir;
    const std::string model = train_co2(dir);
    const auto table = run_grucast({"evaluate", "--model", model, "--data", kCo2, "--intervals", "0.8,0.95", "-q"});
    REQUIRE_MESSAGE(table.status == 0, table.err);
    CHECK(table.out.find("prediction intervals (split conformal, from the validation residuals)\n"
                         "level     coverage    mean width\n80%") != std::string::npos);
    const auto json = run_grucast({"evaluate", "--baseline", "snaive", "--target", "CO2", "--horizon", "12", "--data",
                                   kCo2, "--intervals", "0.8", "--json", "-q"});
    REQUIRE_MESSAGE(json.status == 0, json.err);
    const auto j = nlohmann::json::parse(json.out);
    REQUIRE(j["intervals"].size() == 1);
    CHECK(j["intervals"][0]["level"] == 0.8);
    CHECK(j["intervals"][0]["count"] == 1656);  // 138 origins x 12 steps
    CHECK(j["intervals"][0]["per_step_coverage"].size() == 12);
    const double coverage = j["intervals"][0]["coverage"];
    CHECK(coverage > 0.0);
    CHECK(coverage <= 1.0);
    CHECK(j["intervals"][0]["mean_width"].get<double>() > 0.0);
  }

  TEST_CASE("--intervals errors: levels, a model without validation, a horizon past the model's") {
    TempDir dir;
    auto r = run_grucast(
        {"forecast", "--baseline", "naive", "--target", "CO2", "--horizon", "3", "--data", kCo2, "--intervals", "95"});
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: interval level '95' is not a fraction between 0 and 1, --intervals, write it as a "
                   "fraction, e.g. 0.95\n");
    const std::string model = train_co2(dir, {"--val", "0"});
    r = run_grucast({"forecast", "--model", model, "--data", kCo2, "--intervals", "0.8", "-q"});
    CHECK(r.status == 1);
    CHECK(r.err == "grucast: error: there are no validation residuals to give prediction intervals from, " + model +
                       ", train the model again with a validation part (--val above 0)\n");
    const std::string validated = train_co2(dir);
    r = run_grucast({"forecast", "--model", validated, "--data", kCo2, "--intervals", "0.8", "--horizon", "7", "-q"});
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: prediction intervals cover the model's 6 steps, but --horizon is 7, --intervals, "
                   "forecast at most the model's steps with --intervals\n");
    r = run_grucast({"evaluate", "--baseline", "naive", "--target", "CO2", "--horizon", "3", "--data", kCo2, "--val", "0",
                     "--intervals", "0.8", "-q"});
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: --intervals with a baseline calibrates on the validation part, but --val is 0, "
                   "--intervals, give --val above 0, e.g. 0.1\n");
    r = run_grucast({"evaluate", "--model", validated, "--data", kCo2, "--intervals", "0.999", "-q"});
    CHECK(r.status == 1);
    CHECK(r.err.find("the 99.9% interval of step 1 needs at least 999 validation residuals") != std::string::npos);
  }
}
