// The data checked against the model's profile of its training data, through the executable
// (issue 20, item 6): a temperature model given other data warns in words; its own data does not.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/files.hpp"
#include "support/model_files.hpp"
#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

const std::string kSeattle = std::string(GRUCAST_DATASETS) + "/seattle-weather.csv";
const std::string kCo2 = std::string(GRUCAST_DATASETS) + "/co2-concentration.csv";

// The monthly CO2 values (313 to 416 ppm) as a daily series named temp_max, as the model reads it.
std::string co2_as_daily_temperatures() {
  const auto rows = grucast::test::csv_rows(read_text(kCo2));
  std::string csv = "date,temp_max\n";
  for (std::size_t i = 1; i < rows.size(); ++i) {
    using namespace std::chrono;
    const year_month_day day{sys_days{2012y / January / 1} + days{i - 1}};
    csv += fmt::format("{}-{:02}-{:02},{}\n", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                       static_cast<unsigned>(day.day()), rows[i][1]);
  }
  return csv;
}

}  // namespace

TEST_SUITE("cli data check") {
  TEST_CASE("a temperature model given CO2 values warns that they lie far outside its training data") {
    TempDir dir;
    const auto trained = run_grucast({"train", "--data", kSeattle, "--target", "temp_max", "--lookback", "14",
                                      "--horizon", "7", "--epochs", "1", "--hidden", "4", "--threads", "1", "-q",
                                      "--out", "t.grc"},
                                     "", dir.path());
    REQUIRE_MESSAGE(trained.status == 0, trained.err);
    write_text(dir / "co2.csv", co2_as_daily_temperatures());
    const std::string warning =
        "grucast: warning: the series lies far outside the training data: its values are 313.2 to 416.2, the model "
        "was trained on -1.6 to 35.6; forecasts may be poor\n";
    for (const std::string command : {"forecast", "evaluate"}) {
      CAPTURE(command);
      const auto far = run_grucast({command, "--model", "t.grc", "--data", "co2.csv", "-q"}, "", dir.path());
      CHECK(far.status == 0);
      CHECK(far.err == warning);
      // The training data itself: not a word.
      const auto own = run_grucast({command, "--model", "t.grc", "--data", kSeattle, "-q"}, "", dir.path());
      CHECK(own.status == 0);
      CHECK(own.err.empty());
    }
    const auto inspect = run_grucast({"inspect", "t.grc"}, "", dir.path());
    CHECK(inspect.out.find("Training data (temp_max, 1 series; forecast and evaluate warn about data far outside "
                           "it)\n") != std::string::npos);
    CHECK(inspect.out.find("  (the series)              1461        -1.6        35.6     16.4391     7.34724  "
                           "2015-12-31\n") != std::string::npos);

    // A model file written before profiles: no check, as before.
    write_text(dir / "old.grc", grucast::test::with_header(read_text(dir / "t.grc"),
                                                           [](grucast::test::Json& h) { h.erase("profile"); }));
    const auto old = run_grucast({"forecast", "--model", "old.grc", "--data", "co2.csv", "-q"}, "", dir.path());
    CHECK(old.status == 0);
    CHECK(old.err.empty());
    CHECK(run_grucast({"inspect", "old.grc"}, "", dir.path()).out.find(
              "Training data\n  no profile (the model was written before grucast kept one)\n") != std::string::npos);
  }
}
