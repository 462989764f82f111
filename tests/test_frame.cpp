#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "grucast/data/frame.hpp"
#include "grucast/util/error.hpp"
#include "data/csv.hpp"

using grucast::CsvReader;
using grucast::DataError;
using grucast::DataOptions;
using grucast::Frame;
using grucast::MissingPolicy;

namespace {

Frame read(const std::string& text, DataOptions options) {
  CsvReader reader("t.csv", text);
  return grucast::read_frame(reader, options);
}

DataOptions target(const std::string& column) {
  DataOptions options;
  options.target = column;
  return options;
}

}  // namespace

TEST_SUITE("frame") {
  TEST_CASE("a date column is detected and the frequency inferred") {
    const Frame f = read("Date,v,label\n2020-01-01,1,x\n2020-01-02,2,y\n2020-01-03,4,z\n", target("v"));
    CHECK(f.time_column == "Date");
    CHECK(f.frequency.name() == "daily");
    REQUIRE(f.series.size() == 1);
    CHECK(f.series[0].size() == 3);
    CHECK(f.series[0].values(0, 2) == 4.0);
    CHECK(f.series[0].lines == std::vector<std::size_t>{2, 3, 4});
  }

  TEST_CASE("without a time column the row index is the time") {
    DataOptions options = target("v");
    const Frame f = read("v\n5\n6\n7\n", options);
    CHECK(f.time_column.empty());
    CHECK(f.series[0].time == std::vector<grucast::TimePoint>{0, 1, 2});
    CHECK(f.frequency.unit == grucast::FrequencyUnit::index);
    options.time_column = "none";
    CHECK(read("date,v\n2020-01-01,1\n2020-01-02,2\n", options).time_column.empty());
  }

  TEST_CASE("features follow the target in the values matrix") {
    DataOptions options = target("b");
    options.features = {"c", "a"};
    const Frame f = read("time,a,b,c\n1,10,20,30\n2,11,21,31\n", options);
    CHECK(f.columns == std::vector<std::string>{"b", "c", "a"});
    CHECK(f.time_format.style == grucast::TimeStyle::epoch);
    const arma::mat expected = {{20, 21}, {30, 31}, {10, 11}};
    CHECK(arma::approx_equal(f.series[0].values, expected, "absdiff", 0.0));
  }

  TEST_CASE("long format splits interleaved rows into series in order of appearance") {
    DataOptions options = target("y");
    options.id_column = "id";
    const Frame f = read("id,ds,y\nb,2020-01-01,1\na,2020-01-01,10\nb,2020-01-02,2\na,2020-01-02,20\n", options);
    REQUIRE(f.series.size() == 2);
    CHECK(f.series[0].id == "b");
    CHECK(f.series[1].id == "a");
    CHECK(f.series[1].values(0, 1) == 20.0);
    CHECK(f.series[1].lines == std::vector<std::size_t>{3, 5});
  }

  TEST_CASE("a semicolon file reads decimal commas") {
    const Frame f = read("date;v\n2020-01-01;1,5\n2020-01-02;2,25\n", target("v"));
    CHECK(f.series[0].values(0, 1) == 2.25);
  }

  TEST_CASE("timestamps in a strptime pattern") {
    DataOptions options = target("v");
    options.time_format = "%b %d %Y";
    const Frame f = read("date,v\nJan 1 2000,1\nJan 2 2000,2\n", options);
    CHECK(f.frequency.name() == "daily");
    CHECK(f.series[0].time[0] == 946684800);
  }

  TEST_CASE("unsorted rows are an error naming the line, or sorted with --sort") {
    const std::string text = "date,v\n2020-01-01,1\n2020-01-03,3\n2020-01-02,2\n";
    CHECK_THROWS_WITH_AS(read(text, target("v")),
                         "rows out of time order in the series: 2020-01-02 comes after 2020-01-03 (line 3), t.csv:4, "
                         "sort the rows by time, or pass --sort",
                         DataError);
    DataOptions options = target("v");
    options.sort = true;
    const Frame f = read(text, options);
    CHECK(f.series[0].values(0, 1) == 2.0);
    CHECK(f.series[0].lines == std::vector<std::size_t>{2, 4, 3});
    CHECK(f.report.sorted_series == 1);
  }

  TEST_CASE("duplicate timestamps are an error even with --sort") {
    DataOptions options = target("v");
    options.sort = true;
    options.id_column = "id";
    CHECK_THROWS_WITH_AS(read("id,date,v\nx,2020-01-02,1\nx,2020-01-01,2\nx,2020-01-02,3\n", options),
                         "duplicate timestamp 2020-01-02 in series 'x' (also at line 2), t.csv:4, remove or merge one "
                         "of the rows",
                         DataError);
  }

  TEST_CASE("missing values are refused by default with the count and the first location") {
    const std::string text =
        "date,v,w\n2020-01-01,1,1\n2020-01-02,NA,2\n2020-01-03,3,\n2020-01-04,,4\n2020-01-05,5,5\n";
    DataOptions options = target("v");
    options.features = {"w"};
    CHECK_THROWS_WITH_AS(read(text, options),
                         "3 missing values in the selected columns (the first in column 'v'), t.csv:3:12, fill them "
                         "in, or choose --missing drop, ffill or interpolate",
                         DataError);
    SUBCASE("drop keeps the frequency of the rows as read, and counts the holes as gaps") {
      options.missing = MissingPolicy::drop;
      const Frame f = read(text, options);
      CHECK(f.series[0].size() == 2);
      CHECK(f.report.dropped_rows == 3);
      CHECK(f.frequency.name() == "daily");
      CHECK(f.report.regularity.gaps == 1);
      CHECK(f.report.regularity.missing_steps == 3);
    }
    SUBCASE("ffill") {
      options.missing = MissingPolicy::ffill;
      const Frame f = read(text, options);
      const arma::mat expected = {{1, 1, 3, 3, 5}, {1, 2, 2, 4, 5}};
      CHECK(arma::approx_equal(f.series[0].values, expected, "absdiff", 0.0));
      CHECK(f.report.filled_values == 3);
    }
    SUBCASE("interpolate") {
      options.missing = MissingPolicy::interpolate;
      const Frame f = read(text, options);
      const arma::mat expected = {{1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}};
      CHECK(arma::approx_equal(f.series[0].values, expected, "absdiff", 1e-12));
    }
  }

  TEST_CASE("interpolation is linear in time, and edges take the nearest value") {
    DataOptions options = target("v");
    options.missing = MissingPolicy::interpolate;
    const Frame f = read("time,v\n0,\n10,0\n20,\n40,6\n50,\n", options);
    const arma::rowvec expected = {0, 0, 2, 6, 6};
    CHECK(arma::approx_equal(f.series[0].target(), expected, "absdiff", 1e-12));
  }

  TEST_CASE("a column with no values at all cannot be filled") {
    DataOptions options = target("v");
    options.missing = MissingPolicy::ffill;
    CHECK_THROWS_WITH_AS(read("date,v\n2020-01-01,\n2020-01-02,NA\n", options),
                         "column 'v' of the series has no values at all, t.csv:2, fill it in, or leave the column out",
                         DataError);
  }

  TEST_CASE("bad values name file, line, column and the text") {
    CHECK_THROWS_WITH_AS(read("date,v\n2020-01-01,1\n2020-01-02,1.2.3\n", target("v")),
                         "non-numeric value '1.2.3' in column 'v', t.csv:3:12, fix the value, or leave the cell empty "
                         "(or NA) to mark it missing",
                         DataError);
    CHECK_THROWS_WITH_AS(read("date,v\n2020-01-01,-inf\n", target("v")),
                         "infinite value '-inf' in column 'v', t.csv:2:12, use a finite number, or leave the cell "
                         "empty to mark it missing",
                         DataError);
  }

  TEST_CASE("values past ±1e306 and subnormal values are refused as they are read, naming the cell") {
    const auto value_read = [](const std::string& cell) {
      return read("date,v\n2020-01-01,1\n2020-01-02," + cell + "\n", target("v")).series.at(0).values(0, 1);
    };
    CHECK(value_read("1e306") == 1e306);
    CHECK(value_read("-1e306") == -1e306);
    CHECK(value_read("2.2250738585072014e-308") == 2.2250738585072014e-308);  // the smallest normal double
    CHECK(value_read("-0") == 0.0);
    CHECK_THROWS_WITH_AS(value_read("-1.0000001e306"),
                         "value '-1.0000001e306' in column 'v' is past ±1e306, too near the limit of a double "
                         "(1.8e308) for the differences and errors computed from it, t.csv:3:12, rescale the column "
                         "(divide it by a power of ten), or leave the cell empty to mark it missing",
                         DataError);
    CHECK_THROWS_WITH_AS(value_read("2.2e-308"),
                         "value '2.2e-308' in column 'v' is a subnormal double (not 0, but below 2.2e-308): it has "
                         "lost its precision, and what divides by it overflows, t.csv:3:12, write 0 if it means zero, "
                         "or rescale the column (multiply it by a power of ten)",
                         DataError);
    CHECK_THROWS_AS(value_read("4.9e-324"), DataError);
  }

  TEST_CASE("timestamps must parse and share one format") {
    CHECK_THROWS_WITH_AS(read("date,v\n2020-02-30,1\n", target("v")),
                         doctest::Contains("cannot read timestamp '2020-02-30' in column 'date' ("), DataError);
    CHECK_THROWS_WITH_AS(read("date,v\n2020-01-01,1\n1577923200,2\n", target("v")),
                         doctest::Contains("mixed timestamp formats: '1577923200' is epoch seconds, but '2020-01-01' "
                                           "(the first row) is ISO 8601 date (YYYY-MM-DD), t.csv:3:1"),
                         DataError);
  }

  TEST_CASE("no data rows, and options that clash, are refused") {
    CHECK_THROWS_WITH_AS(read("date,v\n", target("v")),
                         "no data rows after the header, t.csv, add rows of data below the header line", DataError);
    DataOptions options = target("v");
    options.time_column = "v";
    CHECK_THROWS_WITH_AS(read("date,v\n2020-01-01,1\n", options),
                         "column 'v' is both --time and a value column, --time, choose different columns",
                         grucast::UsageError);
    options = target("v");
    options.features = {"v"};
    CHECK_THROWS_AS(read("date,v\n2020-01-01,1\n", options), grucast::UsageError);
  }

  TEST_CASE("whole numbers that look like dates or years are refused as epoch seconds") {
    CHECK_THROWS_WITH_AS(read("date,v\n20200130,1\n20200131,2\n", target("v")),
                         "timestamps like '20200130' in column 'date' look like dates written YYYYMMDD, not epoch "
                         "seconds, t.csv:2, pass --time-format %Y%m%d, or --time-format %s if they are epoch seconds",
                         DataError);
    DataOptions years = target("v");
    years.time_column = "yr";
    CHECK_THROWS_WITH_AS(read("yr,v\n2001,1\n2002,2\n", years), doctest::Contains("look like years"), DataError);
    years.time_format = "%Y";
    CHECK(read("yr,v\n2001,1\n2002,2\n", years).frequency.name() == "yearly");
    years.time_format = "%s";
    CHECK(read("yr,v\n2001,1\n2002,2\n", years).frequency.name() == "every second");
    years.time_column = "year";  // a column named year holds years
    CHECK(read("year,v\n2001,1\n2002,2\n", years).frequency.name() == "every second");
    years.time_format.clear();
    CHECK(read("year,v\n2001,1\n2002,2\n", years).frequency.name() == "yearly");
    CHECK(read("time,v\n1577836800,1\n1577923200,2\n", target("v")).frequency.name() == "daily");
  }

  TEST_CASE("--time-format needs a time column") {
    DataOptions options = target("v");
    options.time_format = "%d.%m.%Y";
    CHECK_THROWS_WITH_AS(read("Datum,v\n01.02.2020,1\n", options),
                         "--time-format is given, but no column is named date, time, timestamp, datetime, ds, "
                         "month, year, week, quarter or period, --time-format, name the time column with --time",
                         grucast::UsageError);
    options.time_column = "Datum";
    CHECK(read("Datum,v\n01.02.2020,1\n02.02.2020,2\n", options).frequency.name() == "daily");
  }

  TEST_CASE("an auto-detected time column that appears twice is refused") {
    CHECK_THROWS_WITH_AS(read("date,v,date\n2020-01-01,1,x\n", target("v")),
                         "column 'date' (--time) appears 2 times in the header, t.csv:1, rename the duplicates",
                         DataError);
  }

  TEST_CASE("a decimal comma is read in semicolon files only") {
    CHECK_THROWS_WITH_AS(read("date\tv\n2020-01-01\t1,234\n", target("v")),
                         doctest::Contains("non-numeric value '1,234' in column 'v'"), DataError);
  }

  TEST_CASE("calendar frequencies are read in the timestamps' own UTC offsets") {
    // Month starts at +01:00 in winter and +02:00 in summer: in UTC they are the last day of
    // the month before, at 23:00 or 22:00.
    std::string text = "date,v\n";
    for (int m = 1; m <= 12; ++m) {
      text += fmt::format("2021-{:02}-01T00:00:00{},{}\n", m, m >= 4 && m <= 10 ? "+02:00" : "+01:00", m);
    }
    const Frame f = read(text, target("v"));
    CHECK(f.frequency.name() == "monthly");
    CHECK(f.report.regularity.irregular == 0);
    CHECK(f.written_time(f.series[0], 5) == "2021-06-01T00:00:00+02:00");
  }

  TEST_CASE("the bundled datasets load with their frequencies and gaps") {
    DataOptions options = target("temp_max");
    options.path = std::string(GRUCAST_DATASETS) + "/seattle-weather.csv";
    const Frame weather = grucast::load_frame(options);
    CHECK(weather.series[0].size() == 1461);
    CHECK(weather.frequency.name() == "daily");
    CHECK(weather.frequency.default_season() == 7);
    options = target("close");
    options.path = std::string(GRUCAST_DATASETS) + "/sp500-2000.csv";
    const Frame sp500 = grucast::load_frame(options);
    CHECK(sp500.series[0].size() == 5105);
    CHECK(sp500.frequency.name() == "business days");
    CHECK(sp500.report.regularity.gaps > 150);
    options = target("CO2");
    options.path = std::string(GRUCAST_DATASETS) + "/co2-concentration.csv";
    CHECK(grucast::load_frame(options).frequency.name() == "monthly");
  }
}

TEST_SUITE("frame") {
  TEST_CASE("hourly data across a daylight-saving change has no gaps: short steps are counted in UTC") {
    // 2021-03-28: +01:00 until 01:00 UTC, then +02:00; local clocks skip 02:00.
    std::string text = "date,v\n";
    for (int h = 0; h < 6; ++h) {
      const int local = h < 2 ? h : h + 1;
      text += fmt::format("2021-03-28T{:02}:00:00{},{}\n", local, h < 2 ? "+01:00" : "+02:00", h);
    }
    const Frame f = read(text, target("v"));
    CHECK(f.frequency.name() == "hourly");
    CHECK(f.report.regularity.gaps == 0);
    CHECK(f.report.regularity.irregular == 0);
  }
}
