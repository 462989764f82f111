// The time column found by its name: date, time, timestamp, datetime and ds always; month, year,
// week, quarter and period only when they hold dates, else the row index, and the summary says why.
#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>

#include "grucast/data/frame.hpp"
#include "grucast/util/error.hpp"
#include "data/csv.hpp"
#include "data/time_column.hpp"
#include "report/writers.hpp"

using grucast::CsvReader;
using grucast::DataError;
using grucast::DataOptions;
using grucast::Frame;
using grucast::FrequencyUnit;
using grucast::TimeName;
using grucast::TimeStyle;

namespace {

Frame read(const std::string& text, const std::string& target = "v", const std::string& time = "",
           const std::string& time_format = "") {
  CsvReader reader("t.csv", text);
  DataOptions options;
  options.target = target;
  options.time_column = time;
  options.time_format = time_format;
  return grucast::read_frame(reader, options);
}

// A header line and one row per value of `times`, the value column counting up.
std::string csv(const std::string& header, const std::vector<std::string>& times) {
  std::string text = header + "\n";
  for (std::size_t i = 0; i < times.size(); ++i) text += fmt::format("{},{}\n", times[i], 10 + i % 5);
  return text;
}

// The timestamp `steps` steps after the last row, written as the input writes them.
std::string future(const Frame& f, std::int64_t steps) {
  const grucast::Series& s = f.series.front();
  return f.written_time(grucast::advance(s.time.back(), f.frequency, steps), 0);
}

}  // namespace

TEST_SUITE("time_column") {
  TEST_CASE("date, time, timestamp, datetime, ds are the time, and month, year, week, quarter, period if dated") {
    for (const char* name : {"date", "Date", "TIME", "timestamp", "DateTime", "ds"}) {
      CAPTURE(name);
      CHECK_EQ(grucast::time_name(name), TimeName::sure);
    }
    for (const char* name : {"month", "Month", "YEAR", "week", "Quarter", "period"}) {
      CAPTURE(name);
      CHECK_EQ(grucast::time_name(name), TimeName::if_dates);
    }
    for (const char* name : {"day", "value", "months", "date2", ""}) CHECK_EQ(grucast::time_name(name), TimeName::none);
    CHECK(grucast::holds_years("Year"));
    CHECK(grucast::holds_years("PERIOD"));
    CHECK_FALSE(grucast::holds_years("month"));
  }

  TEST_CASE("a month column of year-months is monthly, season 12") {
    const Frame f = read(csv("Month,v", {"1949-01", "1949-02", "1949-03", "1949-04"}));
    CHECK(f.time_column == "Month");
    CHECK(f.frequency.name() == "monthly");
    CHECK(f.frequency.default_season() == 12);
    CHECK(future(f, 1) == "1949-05");
    CHECK(f.report.skipped_time.empty());
  }

  TEST_CASE("a year column of four digits is yearly, season 1, and its future is written as years") {
    const Frame f = read(csv("year,v", {"1958", "1959", "1960"}));
    CHECK(f.time_column == "year");
    CHECK(f.time_format.style == TimeStyle::year);
    CHECK(f.frequency.name() == "yearly");
    CHECK(f.frequency.default_season() == 1);
    CHECK(future(f, 2) == "1962");
    CHECK(read(csv("Period,v", {"2001", "2003", "2005"})).frequency.name() == "2 years");
  }

  TEST_CASE("a quarter column is quarterly, season 4, in each layout people write") {
    for (const std::string separator : {"-", "", " "}) {
      CAPTURE(separator);
      std::vector<std::string> times;
      for (int q = 1; q <= 4; ++q) times.push_back(fmt::format("1990{}Q{}", separator, q));
      const Frame f = read(csv("quarter,v", times));
      CHECK(f.time_column == "quarter");
      CHECK(f.frequency.name() == "quarterly");
      CHECK(f.frequency.default_season() == 4);
      CHECK(future(f, 2) == fmt::format("1991{}Q2", separator));
    }
    CHECK(read(csv("period,v", {"2020-Q3", "2020-Q4", "2021-Q1"})).frequency.name() == "quarterly");
  }

  TEST_CASE("a week column of ISO weeks or of dates is weekly, season 52") {
    const Frame weeks = read(csv("week,v", {"2020-W51", "2020-W52", "2020-W53", "2021-W01"}));
    CHECK(weeks.time_column == "week");
    CHECK(weeks.frequency.name() == "weekly");
    CHECK(weeks.frequency.default_season() == 52);
    CHECK(future(weeks, 1) == "2021-W02");
    const Frame dates = read(csv("Week,v", {"2020-01-06", "2020-01-13", "2020-01-20"}));
    CHECK(dates.time_column == "Week");
    CHECK(dates.frequency.name() == "weekly");
  }

  TEST_CASE("a column named like a time that holds no dates leaves the row index, and the summary says why") {
    const Frame f = read(csv("week,v", {"1", "2", "3"}));
    CHECK(f.time_column.empty());
    CHECK(f.frequency.unit == FrequencyUnit::index);
    CHECK(f.report.skipped_time == "column 'week' holds '1', not a date");
    CHECK(grucast::data_summary(f) ==
          "t.csv: 3 rows, 1 series, time is the row index (column 'week' holds '1', not a date), no gaps");
    const Frame two = read("month,quarter,v\nJan,Q1,1\nFeb,Q1,2\n");
    CHECK(two.report.skipped_time == "column 'month' holds 'Jan', column 'quarter' holds 'Q1', not dates");
    // with --time the column is the time whatever it holds, as before
    CHECK(read(csv("week,v", {"1", "2", "3"}), "v", "week").time_format.style == TimeStyle::epoch);
  }

  TEST_CASE("the first dated column is the time, after one named date, time, timestamp, datetime or ds") {
    CHECK(read("month,year,v\nJan,2001,1\nFeb,2002,2\n").time_column == "year");
    const Frame f = read("month,date,v\n1,2020-01-01,1\n2,2020-01-02,2\n");
    CHECK(f.time_column == "date");
    CHECK(f.report.skipped_time.empty());
  }

  TEST_CASE("a year column beside a month column repeats its years: the row index, and the summary says why") {
    const Frame f = read("year,month,passengers\n1949,Jan,112\n1949,Feb,118\n1949,Mar,132\n1950,Jan,115\n",
                         "passengers");
    CHECK(f.time_column.empty());
    CHECK(f.series[0].time == std::vector<grucast::TimePoint>{0, 1, 2, 3});
    CHECK(f.time_format.style == TimeStyle::index);
    CHECK(f.report.skipped_time == "column 'year' has 1949 twice, lines 2 and 3");
    CHECK(grucast::data_summary(f).find(", time is the row index (column 'year' has 1949 twice, lines 2 and 3)") !=
          std::string::npos);
  }

  TEST_CASE("a dated column named like a time is held to its first row's layout") {
    CHECK_THROWS_WITH_AS(read(csv("period,v", {"2020-01", "2020-02", "March"})),
                         doctest::Contains("cannot read timestamp 'March' in column 'period'"), DataError);
    CHECK_THROWS_WITH_AS(read(csv("quarter,v", {"2020-Q1", "2020Q2"})),
                         doctest::Contains("mixed timestamp formats: '2020Q2' is quarter (YYYYQn), but '2020-Q1' (the "
                                           "first row) is quarter (YYYY-Qn)"),
                         DataError);
  }

  TEST_CASE("--time-format takes the first column named like a time") {
    const Frame f = read(csv("period,v", {"01/2020", "02/2020", "03/2020"}), "v", "", "%m/%Y");
    CHECK(f.time_column == "period");
    CHECK(f.frequency.name() == "monthly");
  }
}
