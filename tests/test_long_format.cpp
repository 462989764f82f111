// A long-format file read without --id: the errors of its rows' order name the column that
// would split the series, and without a time column the data summary points at it; a categorical
// column beside a mistake in a single series is not taken for an id.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "grucast/data/frame.hpp"
#include "grucast/util/error.hpp"
#include "data/csv.hpp"
#include "data/long_format.hpp"
#include "report/writers.hpp"

using grucast::CsvReader;
using grucast::DataError;
using grucast::DataOptions;
using grucast::Frame;

namespace {

Frame read(const std::string& text, bool sort = false, const std::string& id = "") {
  CsvReader reader("t.csv", text);
  DataOptions options;
  options.target = "v";
  options.sort = sort;
  options.id_column = id;
  return grucast::read_frame(reader, options);
}

// date,<id>,v with `days` days of each of `ids`: rows interleaved by date, or one series after
// the other (`blocks`).
std::string long_csv(const std::string& id, const std::vector<std::string>& ids, int days, bool blocks) {
  std::string text = fmt::format("date,{},v\n", id);
  const auto row = [&](std::size_t k, int d) {
    return fmt::format("2020-01-{:02},{},{}\n", d + 1, ids[k], d + 10 * k);
  };
  if (blocks) {
    for (std::size_t k = 0; k < ids.size(); ++k) {
      for (int d = 0; d < days; ++d) text += row(k, d);
    }
  } else {
    for (int d = 0; d < days; ++d) {
      for (std::size_t k = 0; k < ids.size(); ++k) text += row(k, d);
    }
  }
  return text;
}

}  // namespace

TEST_SUITE("long_format") {
  TEST_CASE("interleaved rows repeat every date: the error names the id column") {
    CHECK_THROWS_WITH_AS(read(long_csv("series", {"x", "y", "z"}, 5, false)),
                         "duplicate timestamp 2020-01-01 in the series (also at line 2); the file looks like long "
                         "format (column 'series' names 3 series), t.csv:3, pass --id series",
                         DataError);
    CHECK(read(long_csv("series", {"x", "y", "z"}, 5, false), false, "series").series.size() == 3);
  }

  TEST_CASE("series one after the other go back in time: the error names the id column, with --sort too") {
    const std::string text = long_csv("unique_id", {"T1", "T2"}, 6, true);
    CHECK_THROWS_WITH_AS(read(text),
                         "rows out of time order in the series: 2020-01-01 comes after 2020-01-06 (line 7); the file "
                         "looks like long format (column 'unique_id' names 2 series), t.csv:8, pass --id unique_id",
                         DataError);
    CHECK_THROWS_WITH_AS(read(text, true),
                         "duplicate timestamp 2020-01-01 in the series (also at line 2); the file looks like long "
                         "format (column 'unique_id' names 2 series), t.csv:8, pass --id unique_id",
                         DataError);
  }

  TEST_CASE("series out of order in themselves need --sort too, and a name that is not a plain word is quoted") {
    const std::string text = "date,store id,v\n2020-01-02,a,1\n2020-01-01,a,2\n2020-01-02,b,3\n2020-01-01,b,4\n";
    CHECK_THROWS_WITH_AS(read(text), doctest::Contains("(column 'store id' names 2 series), t.csv:3, pass --id "
                                                       "'store id' and --sort"),
                         DataError);
    CHECK_THROWS_WITH_AS(read(text, true), doctest::Contains(", pass --id 'store id'"), DataError);
  }

  TEST_CASE("not long format: a row repeated beside a categorical column, numbers, unique values, a time name") {
    // One date twice among 20, the two rows of another weather: a mistake, not two series.
    std::string single = "date,v,weather\n";
    for (int d = 0; d < 20; ++d) {
      single += fmt::format("2020-01-{:02},{},{}\n", d == 7 ? 7 : d + 1, d, d % 2 == 0 ? "sunny" : "rain");
    }
    CHECK_THROWS_WITH_AS(read(single), doctest::Contains("(also at line 8), t.csv:9, remove or merge one of the rows"),
                         DataError);
    CHECK_THROWS_WITH_AS(read(long_csv("store", {"1", "2"}, 5, false)),  // a number is not taken for an id
                         doctest::Contains("remove or merge one of the rows"), DataError);
    CHECK_THROWS_WITH_AS(read(long_csv("note", {"a b", "c d"}, 3, false) + "2020-01-03,e f,1\n"),
                         doctest::Contains("names 3 series"), DataError);
    std::string unique = "date,comment,v\n";  // a value per row names no series
    for (int d = 1; d <= 10; ++d) unique += fmt::format("2020-01-{0:02},c{0},{0}\n2020-01-{0:02},d{0},{0}\n", d);
    CHECK_THROWS_WITH_AS(read(unique), doctest::Contains("remove or merge one of the rows"), DataError);
    CHECK_THROWS_WITH_AS(read(long_csv("month", {"Jan", "Feb"}, 5, false)),  // named like a time: not an id
                         doctest::Contains("remove or merge one of the rows"), DataError);
  }

  TEST_CASE("a month column repeated per series is the time of a long-format file, not the row index") {
    std::string text = "month,series,v\n";
    for (int m = 1; m <= 6; ++m) text += fmt::format("1949-{:02},a,{}\n1949-{:02},b,{}\n", m, m, m, m + 10);
    CHECK_THROWS_WITH_AS(read(text), doctest::Contains("(column 'series' names 2 series), t.csv:3, pass --id series"),
                         DataError);
    const Frame f = read(text, false, "series");
    CHECK(f.time_column == "month");
    CHECK(f.frequency.name() == "monthly");
  }

  TEST_CASE("without a time column: a text column in blocks of rows is named in a note, and nothing fails") {
    const Frame f = read("series,v\nx,1\nx,2\nx,3\ny,4\ny,5\nz,6\nz,7\n");
    REQUIRE(f.report.id_guess.has_value());
    CHECK(f.report.id_guess->column == "series");
    CHECK(f.report.id_guess->series == 3);
    CHECK(grucast::id_guess_note(f) == "column 'series' looks like a series id (3 values, each in one block of rows): "
                                       "if the file is long format, pass --id series");
    CHECK(grucast::id_guess_note(read("v\n1\n2\n")).empty());
    CHECK_FALSE(read("label,v\nx,1\ny,2\nx,3\ny,4\n").report.id_guess.has_value());  // alternating: a category
    CHECK_FALSE(read("label,v\nx,1\nx,2\ny,3\n").report.id_guess.has_value());        // a block of one row
    CHECK_FALSE(read("label,v\nx,1\nx,2\nx,3\n").report.id_guess.has_value());        // one value
    CHECK_FALSE(read("label,v\nx,1\nx,2\nx,3\n", false, "label").report.id_guess.has_value());
    CHECK_FALSE(read("date,label,v\n2020-01-01,x,1\n2020-01-02,x,2\n2020-01-03,y,3\n2020-01-04,y,4\n")
                    .report.id_guess.has_value());  // timestamps in order: one series
  }

  TEST_CASE("the watch stops at a number or a missing value in a column") {
    grucast::SeriesIdWatch watch({"id", "v"}, {1});
    CsvReader reader("w.csv", "id,v\na,1\na,2\nNA,3\nb,4\nb,5\n");
    std::vector<grucast::CsvField> fields;
    while (reader.next(fields)) watch.add(fields);
    CHECK_FALSE(watch.blocks().has_value());
    const std::vector<grucast::TimePoint> time = {0, 1, 0, 0, 1};
    CHECK_FALSE(watch.explains(time).has_value());
  }
}
