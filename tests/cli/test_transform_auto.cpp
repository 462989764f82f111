// train --transform auto end to end (issue 21): the notes, inspect, the model file's marks, the
// forecasts of a series taken in logarithms, and the refusal of a value logarithms cannot take.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

const std::string kDatasets = GRUCAST_DATASETS;

// Long format, 160 rows each: "up1" and "up2" a season of 4 whose swing grows with a level that
// rises 1% a step (multiplicative), "flat1" and "flat2" the same season added to a steady level.
std::string panel_csv(double last_up1 = -1.0) {
  const double pattern[] = {1.0, 2.0, 4.0, 1.5};
  std::string csv = "id,t,sales\n";
  for (const char* id : {"up1", "flat1", "up2", "flat2"}) {
    const bool up = id[0] == 'u';
    for (int i = 0; i < 160; ++i) {
      const double wiggle = 1.0 + 0.03 * std::sin(i * 1.3 + id[2]);
      double v = up ? 10.0 * std::pow(1.01, i) * pattern[i % 4] * wiggle : 100.0 + 10.0 * pattern[i % 4] * wiggle;
      if (last_up1 >= 0.0 && std::string(id) == "up1" && i == 159) v = last_up1;
      csv += fmt::format("{},{},{:.4f}\n", id, i + 1, v);
    }
  }
  return csv;
}

std::vector<std::string> train_args(const std::string& data, const std::string& model) {
  return {"train", "--data", data, "--target", "sales", "--id", "id", "--time", "t", "--season", "4", "--horizon", "4",
          "--lookback", "8", "--hidden", "8", "--epochs", "20", "--threads", "1", "--ensemble", "1", "--calendar",
          "none", "--out", model};
}

}  // namespace

TEST_SUITE("cli transform auto") {
  TEST_CASE("by default the series that look multiplicative are tried with logarithms first, and validation decides") {
    TempDir dir;
    write_text(dir / "panel.csv", panel_csv());
    const std::string data = (dir / "panel.csv").string(), model = (dir / "m.grc").string();
    const auto train = run_grucast(train_args(data, model));
    REQUIRE_MESSAGE(train.status == 0, train.err);
    CHECK(train.err.find("grucast: --transform auto: training again with logarithms first for the 2 series that look "
                         "multiplicative, to keep the better on validation\n") != std::string::npos);
    const bool taken = train.err.find("grucast: transform log+sdiff for the 2 of 4 series that look multiplicative, "
                                      "sdiff for the others (logarithms first: validation MAE ") != std::string::npos;
    const bool kept = train.err.find("grucast: transform sdiff: logarithms first were not clearly better for the 2 of 4 "
                                     "series that look multiplicative (validation MAE ") != std::string::npos;
    CHECK_FALSE(kept);
    REQUIRE(taken);  // a swing of 10 to 190 is a ratio: sdiff's errors grow with the level
    CHECK(train.err.find("over 4 series): --transform sdiff for none\n") != std::string::npos);
    const auto inspect = run_grucast({"inspect", model});
    REQUIRE(inspect.status == 0);
    CHECK(inspect.out.find("transform             sdiff; log+sdiff for 2 of 4 series (--transform auto)\n") !=
          std::string::npos);

    const auto forecast = run_grucast({"forecast", "--model", model, "--data", data, "--horizon", "8"});
    REQUIRE_MESSAGE(forecast.status == 0, forecast.err);
    CHECK(forecast.out.find("up1,") != std::string::npos);
    CHECK(forecast.out.find("flat2,") != std::string::npos);
  }

  TEST_CASE("a transform given, or a steady panel, trains one network with no choice") {
    TempDir dir;
    write_text(dir / "panel.csv", panel_csv());
    const std::string data = (dir / "panel.csv").string(), model = (dir / "m.grc").string();
    std::vector<std::string> args = train_args(data, model);
    args.insert(args.end(), {"--transform", "sdiff"});
    const auto given = run_grucast(args);
    REQUIRE_MESSAGE(given.status == 0, given.err);
    CHECK(given.err.find("transform") == std::string::npos);
    CHECK(run_grucast({"inspect", model}).out.find("transform             sdiff\n") != std::string::npos);

    std::string steady = "id,t,sales\n";
    for (int i = 0; i < 160; ++i) steady += fmt::format("a,{},{:.3f}\nb,{},{:.3f}\n", i + 1, 50 + 5 * std::sin(i * 0.9), i + 1, 80 + std::cos(i));
    write_text(dir / "steady.csv", steady);
    args = train_args((dir / "steady.csv").string(), model);
    const auto none = run_grucast(args);
    REQUIRE_MESSAGE(none.status == 0, none.err);
    CHECK(none.err.find("transform") == std::string::npos);
  }

  TEST_CASE("a series the model takes logarithms of cannot be forecast from a value of 0") {
    TempDir dir;
    write_text(dir / "panel.csv", panel_csv());
    const std::string model = (dir / "m.grc").string();
    const auto train = run_grucast(train_args((dir / "panel.csv").string(), model));
    REQUIRE_MESSAGE(train.status == 0, train.err);
    REQUIRE(train.err.find("transform log+sdiff") != std::string::npos);
    write_text(dir / "zero.csv", panel_csv(0.0));
    const auto forecast = run_grucast({"forecast", "--model", model, "--data", (dir / "zero.csv").string()});
    CHECK(forecast.status == 1);
    CHECK(forecast.err.find(fmt::format("grucast: error: the model takes logarithms of series 'up1' (log+sdiff for it: "
                                      "--transform auto chose it on validation), but its target is 0, {}:161, give "
                                      "positive values, or train with --transform sdiff\n",
                                        (dir / "zero.csv").string())) != std::string::npos);
  }

  TEST_CASE("a lone series whose logarithms are not clearly better on validation keeps sdiff, and train says so") {
    // The S&P 500's daily volume: its swing grows with its level, but log+sdiff's validation MAE is higher.
    TempDir dir;
    const std::string model = (dir / "v.grc").string();
    const auto train = run_grucast({"train", "--data", kDatasets + "/sp500-2000.csv", "--target", "volume", "--horizon",
                                    "5", "--epochs", "5", "--threads", "1", "--ensemble", "1", "--calendar", "none",
                                    "--out", model});
    REQUIRE_MESSAGE(train.status == 0, train.err);
    CHECK(train.err.find("grucast: transform sdiff: logarithms first were not clearly better for the series, which "
                         "looks multiplicative (validation MAE ") != std::string::npos);
    CHECK(train.err.find("): --transform log+sdiff takes logarithms of every series\n") != std::string::npos);
    CHECK(run_grucast({"inspect", model}).out.find("transform             sdiff\n") != std::string::npos);
  }
}
