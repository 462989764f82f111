// Issue 20's columns, as a user meets them: time columns named month, year, week, quarter or
// period (their frequency and default season, their future written as the input writes them, or
// the row index with the reason), long-format files read without --id, and the id column's name
// kept in the outputs so that they join with the input.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "support/run.hpp"

using grucast::test::run_grucast;

namespace {

// A header line, then one row per timestamp with a value that repeats every 4 rows.
std::string csv(const std::string& header, const std::vector<std::string>& times) {
  std::string text = header + "\n";
  for (std::size_t i = 0; i < times.size(); ++i) text += fmt::format("{},{}\n", times[i], 10 + i % 4 + i / 4);
  return text;
}

// The same with values of a cycle of m rows, which the baselines' season is confirmed on.
std::string seasonal_csv(const std::string& header, const std::vector<std::string>& times, int m) {
  std::string text = header + "\n";
  for (std::size_t i = 0; i < times.size(); ++i) {
    text += fmt::format("{},{:.3f}\n", times[i], 100 + 10 * std::sin(2 * M_PI * static_cast<double>(i) / m));
  }
  return text;
}

std::vector<std::string> quarters(int first_year, int years, const char* separator) {
  std::vector<std::string> out;
  for (int y = first_year; y < first_year + years; ++y) {
    for (int q = 1; q <= 4; ++q) out.push_back(fmt::format("{}{}Q{}", y, separator, q));
  }
  return out;
}

// evaluate --json's frequency and season for `data`, the time found by its name.
std::pair<std::string, int> frequency_and_season(const std::string& data) {
  const auto r = run_grucast({"evaluate", "--baseline", "snaive", "--data", "-", "--target", "value", "--horizon", "1",
                              "--lookback", "2", "--json", "-q"},
                             data);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const auto j = nlohmann::json::parse(r.out);
  return {j["frequency"].get<std::string>(), j["season"].get<int>()};
}

}  // namespace

TEST_SUITE("cli data columns") {
  TEST_CASE("a quarter column is the time: quarterly, season 4, the future in the input's layout") {
    const auto r = run_grucast({"forecast", "--baseline", "snaive", "--data", "-", "--target", "value", "--horizon",
                                "2"},
                               csv("Quarter,value", quarters(1990, 5, "")));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out == "timestamp,step,forecast\n1995Q1,1,14\n1995Q2,2,15\n");
    CHECK(r.err == "grucast: <stdin>: 20 rows, 1 series, quarterly (column Quarter), no gaps\n");
    const std::pair<std::string, int> quarterly = {"quarterly", 4};
    CHECK(frequency_and_season(csv("quarter,value", quarters(1990, 5, "-"))) == quarterly);
    CHECK(frequency_and_season(csv("period,value", quarters(1990, 5, " "))) == quarterly);
  }

  TEST_CASE("a month column of year-months is monthly, season 12, and a year column yearly, season 1") {
    std::vector<std::string> months, years;
    for (int i = 0; i < 40; ++i) months.push_back(fmt::format("{}-{:02}", 1949 + i / 12, i % 12 + 1));
    for (int i = 0; i < 30; ++i) years.push_back(std::to_string(1960 + i));
    CHECK(frequency_and_season(seasonal_csv("month,value", months, 12)) == std::pair<std::string, int>{"monthly", 12});
    CHECK(frequency_and_season(csv("Year,value", years)) == std::pair<std::string, int>{"yearly", 1});
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "value", "--horizon",
                                "2", "-q"},
                               csv("year,value", years));
    CHECK(r.out == "timestamp,step,forecast\n1990,1,18\n1991,2,18\n");
    const auto from = run_grucast({"evaluate", "--baseline", "naive", "--data", "-", "--target", "value", "--horizon",
                                   "1", "--lookback", "2", "--test-from", "1985", "--json", "-q"},
                                  csv("year,value", years));
    REQUIRE_MESSAGE(from.status == 0, from.err);
    CHECK(nlohmann::json::parse(from.out)["origins"] == 5);  // 1985 .. 1989
  }

  TEST_CASE("a week column of ISO weeks is weekly, season 52") {
    std::vector<std::string> weeks;  // 2019 has 52 weeks, 2020 has 53
    for (const auto& [year, count] : {std::pair{2019, 52}, std::pair{2020, 53}, std::pair{2021, 1}}) {
      for (int w = 1; w <= count; ++w) weeks.push_back(fmt::format("{}-W{:02}", year, w));
    }
    CHECK(frequency_and_season(seasonal_csv("week,value", weeks, 52)) == std::pair<std::string, int>{"weekly", 52});
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "value", "--horizon",
                                "1", "-q"},
                               csv("week,value", weeks));
    CHECK(r.out.rfind("timestamp,step,forecast\n2021-W02,1,", 0) == 0);
  }

  TEST_CASE("a column named like a time that holds no dates: the row index, and the summary says why") {
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "value", "--horizon",
                                "1"},
                               csv("week,value", {"1", "2", "3"}));
    CHECK(r.status == 0);
    CHECK(r.out == "timestamp,step,forecast\n3,1,12\n");
    CHECK(r.err ==
          "grucast: <stdin>: 3 rows, 1 series, time is the row index (column 'week' holds '1', not a date), no gaps\n");
    const auto flights = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "passengers",
                                      "--horizon", "1"},
                                     "year,month,passengers\n1949,Jan,112\n1949,Feb,118\n1950,Jan,115\n");
    CHECK(flights.status == 0);
    CHECK(flights.err == "grucast: <stdin>: 3 rows, 1 series, time is the row index (column 'year' has 1949 twice, "
                         "lines 2 and 3), no gaps\n");
  }

  TEST_CASE("long format without --id: the error says to pass --id, exit 1") {
    std::string data = "ds,unique_id,y\n";
    for (int d = 1; d <= 20; ++d) data += fmt::format("2020-01-{:02},A,{}\n2020-01-{:02},B,{}\n", d, d, d, 2 * d);
    const auto r = run_grucast({"evaluate", "--baseline", "naive", "--data", "-", "--target", "y", "--horizon", "1"},
                               data);
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == "grucast: error: duplicate timestamp 2020-01-01 in the series (also at line 2); the file looks like "
                   "long format (column 'unique_id' names 2 series), <stdin>:3, pass --id unique_id\n");
  }

  TEST_CASE("without a time column, a text column in blocks of rows is named in a note, unless --quiet") {
    const std::string data = "series,value\na,1\na,2\na,3\nb,4\nb,5\nb,6\n";
    const std::vector<std::string> args = {"forecast", "--baseline", "naive", "--data", "-", "--target", "value",
                                           "--horizon", "1"};
    const auto r = run_grucast(args, data);
    CHECK(r.status == 0);
    CHECK(r.err == "grucast: <stdin>: 6 rows, 1 series, time is the row index, no gaps\n"
                   "grucast: column 'series' looks like a series id (2 values, each in one block of rows): if the "
                   "file is long format, pass --id series\n");
    std::vector<std::string> quiet = args;
    quiet.push_back("-q");
    CHECK(run_grucast(quiet, data).err.empty());
    std::vector<std::string> with_id = args;
    with_id.insert(with_id.end(), {"--id", "series"});
    CHECK(run_grucast(with_id, data).err == "grucast: <stdin>: 6 rows, 2 series, time is the row index, no gaps\n");
  }

  TEST_CASE("the id column keeps its name in forecasts, so they join with the input") {
    std::string data = "date,unique_id,y\n";
    for (int d = 1; d <= 10; ++d) data += fmt::format("2020-01-{:02},A,{}\n2020-01-{:02},B,{}\n", d, d, d, 2 * d);
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "y", "--id",
                                "unique_id", "--horizon", "1", "-q"},
                               data);
    CHECK(r.out == "unique_id,timestamp,step,forecast\nA,2020-01-11,1,10\nB,2020-01-11,1,20\n");
    const auto json = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "y", "--id",
                                   "unique_id", "--horizon", "1", "--format", "json", "-q"},
                                  data);
    CHECK(nlohmann::json::parse(json.out)[0]["id"] == "A");  // JSON keeps its key
  }
}
