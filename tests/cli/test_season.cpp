// train finds the season by autocorrelation when the frequency gives none, and keeps the
// frequency's season only when the data shows it (issue 21).
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

// Two years of daily temperatures, a smooth yearly cycle from 2001-01-01 and no weekly one:
// yesterday's value is the best guess.
std::string daily_csv() {
  std::string csv = "date,temp\n";
  for (int i = 0; i < 730; ++i) {
    const int year = 2001 + i / 365, day = i % 365;
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int month = 0, rest = day;
    while (rest >= month_days[month]) rest -= month_days[month++];
    csv += fmt::format("{}-{:02}-{:02},{:.3f}\n", year, month + 1, rest + 1,
                       15.0 + 8.0 * std::sin(2 * M_PI * i / 365.0) + 0.3 * std::sin(1.7 * i));
  }
  return csv;
}

}  // namespace

TEST_SUITE("cli season") {
  TEST_CASE("a row-index series with a cycle of 12 trains with season 12, and says so, and --season 1 keeps none") {
    TempDir dir;
    const std::string data = (dir / "cycle.csv").string(), model = (dir / "m.grc").string();
    std::string csv = "y\n";
    for (int i = 0; i < 240; ++i) csv += fmt::format("{:.4f}\n", 300.0 + 0.1 * i + 3.0 * std::sin(2 * M_PI * i / 12.0));
    write_text(data, csv);
    const std::vector<std::string> args = {"train", "--data", data, "--target", "y", "--horizon", "6", "--hidden", "4",
                                           "--epochs", "1", "--threads", "1", "--ensemble", "1", "--out", model};
    const auto r = run_grucast(args);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.find("grucast: season 12 (found by autocorrelation in 1 of 1 series; the frequency, row index, gives "
                     "none): --season 1 for none\n") != std::string::npos);
    CHECK(run_grucast({"inspect", model, "--json"}).out.find("\"season\": 12") != std::string::npos);
    std::vector<std::string> none = args;
    none.insert(none.end(), {"--season", "1"});
    const auto given = run_grucast(none);
    REQUIRE_MESSAGE(given.status == 0, given.err);
    CHECK(given.err.find("found by autocorrelation") == std::string::npos);
  }

  TEST_CASE("daily data without a weekly cycle train with season 1 and say why, and --season 7 keeps 7") {
    TempDir dir;
    const std::string data = (dir / "daily.csv").string(), model = (dir / "m.grc").string();
    write_text(data, daily_csv());
    const std::vector<std::string> args = {"train", "--data", data, "--target", "temp", "--horizon", "7",
                                           "--hidden", "4", "--epochs", "1", "--threads", "1", "--ensemble", "1", "--out", model};
    const auto r = run_grucast(args);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.find("grucast: season 1 (the frequency, daily, suggests 7, but a seasonal naive of 7 beats the "
                     "naive in-sample in 0 of 1 series only): --season 7 to use it\n") != std::string::npos);
    CHECK(run_grucast({"inspect", model, "--json"}).out.find("\"season\": 1,") != std::string::npos);
    std::vector<std::string> weekly = args;
    weekly.insert(weekly.end(), {"--season", "7"});
    const auto given = run_grucast(weekly);
    REQUIRE_MESSAGE(given.status == 0, given.err);
    CHECK(given.err.find("suggests 7") == std::string::npos);
    CHECK(run_grucast({"inspect", model, "--json"}).out.find("\"season\": 7,") != std::string::npos);
  }

  TEST_CASE("a baseline's season without --season is train's: season 1 on daily data without a weekly cycle") {
    TempDir dir;
    const std::string data = (dir / "daily.csv").string();
    write_text(data, daily_csv());
    const std::string note = "grucast: season 1 (the frequency, daily, suggests 7, but a seasonal naive of 7 beats "
                             "the naive in-sample in 0 of 1 series only): --season 7 to use it\n";
    const auto forecast = run_grucast({"forecast", "--data", data, "--baseline", "snaive", "--horizon", "7"});
    REQUIRE_MESSAGE(forecast.status == 0, forecast.err);
    CHECK(forecast.err.find(note) != std::string::npos);
    const std::string last =
        fmt::format("{:.3f}", 15.0 + 8.0 * std::sin(2 * M_PI * 729 / 365.0) + 0.3 * std::sin(1.7 * 729));
    CHECK(forecast.out.find("2003-01-07,7," + last) != std::string::npos);  // snaive of season 1: the last value
    const auto evaluate = run_grucast({"evaluate", "--data", data, "--baseline", "snaive", "--horizon", "7", "--json"});
    REQUIRE_MESSAGE(evaluate.status == 0, evaluate.err);
    CHECK(evaluate.err.find(note) != std::string::npos);
    const auto weekly = run_grucast({"evaluate", "--data", data, "--baseline", "snaive", "--horizon", "7", "--season",
                                     "7", "--json"});
    REQUIRE_MESSAGE(weekly.status == 0, weekly.err);
    CHECK(weekly.err.find("suggests 7") == std::string::npos);
    CHECK(nlohmann::json::parse(weekly.out)["metrics"]["mae"] != nlohmann::json::parse(evaluate.out)["metrics"]["mae"]);
  }
}
