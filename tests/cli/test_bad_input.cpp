// Every bad input of issue #2 through the CLI: exit code, the whole message, and no output file.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/run.hpp"

using grucast::test::run_grucast;
using grucast::test::run_program;
using grucast::test::TempDir;

namespace {

const std::filesystem::path kBad = std::filesystem::path(GRUCAST_TEST_DATA) / "bad";

struct BadCase {
  std::vector<std::string> args;  // after "evaluate --baseline naive --target value --horizon 3 --lookback 5"
  int status;
  std::string message;  // stderr without "grucast: error: " and the newline
};

const std::string kShortHint =
    "use a longer series, a shorter --lookback, --horizon or --season, or other --val and --test fractions";
const std::string kShort =
    "the series has 10 rows, but needs at least 30: a training part of at least 8 rows (lookback 5 + horizon 3, and "
    "more than season 7), a validation part of at least 3 rows (the horizon), and a test part of at least 3 rows (the "
    "horizon) under the split 70% train, 10% validation, 20% test, short.csv, " + kShortHint;
const std::string kBinaryHint = "pass a text CSV file";
const std::string kMissingHint = "fill them in, or choose --missing drop, ffill or interpolate";
const std::string kValueHint = "fix the value, or leave the cell empty (or NA) to mark it missing";
const std::string kInfiniteHint = "use a finite number, or leave the cell empty to mark it missing";
const std::string kTimeHint =
    "write ISO 8601 dates or datetimes or epoch seconds, or give --time-format (e.g. \"%d/%m/%Y\")";
const std::string kRaggedHint = "fix the row, or check the delimiter (comma; set it with --delimiter)";

const std::vector<BadCase> kCases = {
    {{"--data", "empty.csv"}, 1, "the file is empty, empty.csv, pass a CSV file with a header row and data rows"},
    {{"--data", "blank-lines.csv"}, 1,
     "the file is empty, blank-lines.csv, pass a CSV file with a header row and data rows"},
    {{"--data", "header-only.csv"}, 1,
     "no data rows after the header, header-only.csv, add rows of data below the header line"},
    {{"--data", "../daily.csv", "--target", "nope"}, 1,
     "no column 'nope' (--target) in the header, ../daily.csv:1, the columns are: date, value, temp, weather"},
    {{"--data", "../daily.csv", "--target", "Value"}, 1,
     "no column 'Value' (--target) in the header, ../daily.csv:1, the columns are: date, value, temp, weather (did "
     "you mean 'value'?)"},
    {{"--data", "short.csv"}, 1, kShort},
    {{"--data", "non-numeric.csv"}, 1, "non-numeric value 'abc' in column 'value', non-numeric.csv:5:12, " + kValueHint},
    {{"--data", "../daily.csv", "--features", "weather"}, 1,
     "non-numeric value 'sunny' in column 'weather', ../daily.csv:2:22, " + kValueHint},
    {{"--data", "nan.csv"}, 1,
     "1 missing value in the selected columns (the first in column 'value'), nan.csv:7:12, " + kMissingHint},
    {{"--data", "missing-values.csv"}, 1,
     "3 missing values in the selected columns (the first in column 'value'), missing-values.csv:16:12, " + kMissingHint},
    {{"--data", "all-missing.csv", "--missing", "ffill"}, 1,
     "column 'value' of the series has no values at all, all-missing.csv:2, fill it in, or leave the column out"},
    {{"--data", "inf.csv"}, 1, "infinite value 'inf' in column 'value', inf.csv:7:12, " + kInfiniteHint},
    {{"--data", "overflow.csv"}, 1, "infinite value '1e999' in column 'value', overflow.csv:7:12, " + kInfiniteHint},
    {{"--data", "duplicate-time.csv", "--sort"}, 1,
     "duplicate timestamp 2020-01-07 in the series (also at line 8), duplicate-time.csv:9, remove or merge one of the "
     "rows"},
    {{"--data", "unsorted.csv"}, 1,
     "rows out of time order in the series: 2020-01-08 comes after 2020-01-09 (line 9), unsorted.csv:10, sort the rows "
     "by time, or pass --sort"},
    {{"--data", "mixed-formats.csv"}, 1,
     "mixed timestamp formats: '2020-01-10T00:00:00' is ISO 8601 datetime (YYYY-MM-DDTHH:MM:SS), but '2020-01-01' (the "
     "first row) is ISO 8601 date (YYYY-MM-DD), mixed-formats.csv:11:1, write every timestamp the same way"},
    {{"--data", "slash-date.csv"}, 1,
     "cannot read timestamp '2020/01/10' in column 'date' (not an ISO 8601 date or datetime, nor epoch seconds), "
     "slash-date.csv:11:1, " + kTimeHint},
    {{"--data", "bad-timestamp.csv"}, 1,
     "cannot read timestamp '2020-13-07' in column 'date' (month 13 is out of range), bad-timestamp.csv:8:1, " +
         kTimeHint},
    {{"--data", "missing-timestamp.csv"}, 1,
     "missing timestamp in column 'date', missing-timestamp.csv:8:1, fill it in or remove the row"},
    {{"--data", "../daily.csv", "--time-format", "%Y/%m/%d"}, 1,
     "cannot read timestamp '2020-01-01' in column 'date' (does not match --time-format '%Y/%m/%d'), ../daily.csv:2:1, "
     "fix the value or the --time-format pattern"},
    {{"--data", "ragged-long.csv"}, 1, "the row has 5 fields but the header has 4, ragged-long.csv:13, " + kRaggedHint},
    {{"--data", "ragged-short.csv"}, 1, "the row has 2 fields but the header has 4, ragged-short.csv:13, " + kRaggedHint},
    {{"--data", "garbage.bin"}, 1, "binary data (a NUL byte) in the input, garbage.bin:1:115, " + kBinaryHint},
    {{"--data", "control-byte.csv"}, 1, "binary data (byte 0x01) in the input, control-byte.csv:4:26, " + kBinaryHint},
    {{"--data", "daily.csv.gz"}, 1,
     "the input is gzip-compressed, daily.csv.gz, decompress it first, e.g. zcat FILE | grucast ... --data -"},
    {{"--data", "utf16.csv"}, 1, "the input is UTF-16 text, utf16.csv, save it as UTF-8"},
    {{"--data", "cr-only.csv"}, 1,
     "a carriage return inside a line, cr-only.csv:1:24, convert CR line endings to LF (e.g. tr '\\r' '\\n')"},
    {{"--data", "unclosed-quote.csv"}, 1,
     "a quoted field is not closed on its line, unclosed-quote.csv:6:22, close the quote; quoted fields that span "
     "lines are not supported"},
    {{"--data", "text-after-quote.csv"}, 1,
     "text after a closing quote, text-after-quote.csv:6:29, quote the whole field and double the quotes inside it"},
    {{"--data", "duplicate-column.csv"}, 1,
     "column 'value' (--target) appears 2 times in the header, duplicate-column.csv:1, rename the duplicates"},
    {{"--data", "empty-id.csv", "--id", "store", "--target", "sales"}, 1,
     "missing series id in column 'store', empty-id.csv:10:1, give every row its series id"},
    {{"--data", "single-row.csv"}, 1,
     "every series has a single row, so the time step cannot be inferred, single-row.csv, give each series at least "
     "two rows"},
    {{"--data", "."}, 1, "the data path is a directory, ., pass a CSV file to --data"},
    {{"--data", "nope.csv"}, 1,
     "cannot open the data file (No such file or directory), nope.csv, check the path given to --data"},
    {{"--data", "../daily.csv", "--horizon", "0"}, 2,
     "horizon 0 is out of range, --horizon, use a whole number from 1 to 1000000"},
    {{"--data", "../daily.csv", "--horizon", "-1"}, 2,
     "horizon '-1' is not a whole number, --horizon, use a whole number from 1 to 1000000"},
    {{"--data", "../daily.csv", "--horizon", "99999999999999999999999"}, 2,
     "horizon 99999999999999999999999 is out of range, --horizon, use a whole number from 1 to 1000000"},
    {{"--data", "../daily.csv", "--lookback", "0"}, 2,
     "lookback 0 is out of range, --lookback, use a whole number from 1 to 1000000"},
    {{"--data", "../daily.csv", "--lookback", "5x"}, 2,
     "lookback '5x' is not a whole number, --lookback, use a whole number from 1 to 1000000"},
    {{"--data", "../daily.csv", "--horizon", "500"}, 1,
     "the series has 100 rows, but needs at least 5000: a training part of at least 505 rows (lookback 5 + horizon "
     "500, and more than season 7), a validation part of at least 500 rows (the horizon), and a test part of at least "
     "500 rows (the horizon) under the split 70% train, 10% validation, 20% test, ../daily.csv, " + kShortHint},
    {{"--data", "../daily.csv", "--lookback", "100000"}, 1,
     "the series has 100 rows, but needs at least 142862: a training part of at least 100003 rows (lookback 100000 + "
     "horizon 3, and more than season 7), a validation part of at least 3 rows (the horizon), and a test part of at "
     "least 3 rows (the horizon) under the split 70% train, 10% validation, 20% test, ../daily.csv, " + kShortHint},
    {{"--data", "../daily.csv", "--season", "0"}, 2,
     "season 0 is out of range, --season, use a whole number from 1 to 1000000"},
    {{"--data", "../daily.csv", "--baseline", "arima"}, 2,
     "unknown baseline 'arima', --baseline, choose naive, snaive, drift or mean"},
    {{"--data", "../daily.csv", "--missing", "zero"}, 2,
     "unknown missing-value policy 'zero', --missing, choose error, drop, ffill or interpolate"},
    {{"--data", "../daily.csv", "--delimiter", "ab"}, 2,
     "invalid delimiter 'ab', --delimiter, use one character, or tab, comma or semicolon"},
    {{"--data", "../daily.csv", "--val", "1.5"}, 2,
     "validation fraction 1.5 is out of range, --val, use 0 (no validation part), or 0.000001 <= val < 1"},
    {{"--data", "../daily.csv", "--test", "1e-300"}, 2, "test fraction 1e-300 is out of range, --test, use 0.000001 <= test < 1"},
    {{"--data", "../daily.csv", "--val", "0.5", "--test", "0.5"}, 2,
     "--val 0.5 and --test 0.5 leave no training part, --val, --test, keep val + test below 1"},
    {{"--data", "../daily.csv", "--test-from", "soon"}, 2,
     "cannot read 'soon' (not an ISO 8601 date or datetime, nor epoch seconds), --test-from, write it like the "
     "timestamps in the data"},
    {{"--data", "../daily.csv", "--time", "value"}, 2,
     "column 'value' is both --time and a value column, --time, choose different columns"},
    {{"--data", "../daily.csv", "--features", "temp,temp"}, 2,
     "column 'temp' is selected twice, --features, name each column once; the target is always an input"},
    {{"--data", "../daily.csv", "--test", "0.3", "--test-from", "2020-03-01"}, 2,
     "--test excludes --test-from, command line, see 'grucast evaluate --help'"},
    {{"--data", "../daily.csv", "--target", "date"}, 1,
     "non-numeric value '2020-01-01' in column 'date', ../daily.csv:2:1, " + kValueHint},
    {{"--data", "../daily.csv", "--threads", "0"}, 2,
     "threads 0 is out of range, --threads, use a whole number from 1 to 1024"},
    {{"--data", "../daily.csv", "--bogus"}, 2,
     "The following argument was not expected: --bogus, command line, see 'grucast evaluate --help'"},
};

void check_case(const std::vector<std::string>& args, int status, const std::string& message,
                const std::filesystem::path& out) {
  const auto result = run_grucast(args, "", kBad);
  CHECK(result.status == status);
  CHECK(result.err == "grucast: error: " + message + "\n");
  CHECK(result.out.empty());
  CHECK_FALSE(std::filesystem::exists(out));
}

std::vector<std::string> evaluate_args(const std::vector<std::string>& extra, const std::filesystem::path& out) {
  std::vector<std::string> args = {"evaluate", "--baseline", "naive", "--target", "value", "--horizon", "3",
                                   "--lookback", "5", "--quiet", "--out", out.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_SUITE("cli bad input") {
  TEST_CASE("each bad input gets its one-line error, its exit code, and no output file") {
    TempDir dir;
    const auto out = dir / "out.txt";
    for (const BadCase& c : kCases) {
      std::string command_line;
      for (const std::string& arg : c.args) command_line += arg + " ";
      CAPTURE(command_line);
      check_case(evaluate_args(c.args, out), c.status, c.message, out);
    }
  }

  TEST_CASE("forecast refuses bad input the same way") {
    TempDir dir;
    const auto out = dir / "out.csv";
    check_case({"forecast", "--baseline", "snaive", "--data", "non-numeric.csv", "--target", "value", "--horizon", "3",
                "--out", out.string()},
               1, "non-numeric value 'abc' in column 'value', non-numeric.csv:5:12, " + kValueHint, out);
    check_case({"forecast", "--baseline", "snaive", "--data", "short.csv", "--target", "value", "--horizon", "3",
                "--season", "30", "-q", "--out", out.string()},
               1, "the series has 10 rows, but the snaive forecast needs at least 30, short.csv, use a longer series, or "
                  "a shorter --season",
               out);
  }

  TEST_CASE("an output path that cannot be written fails before reading, and leaves nothing") {
    TempDir dir;
    check_case(evaluate_args({"--data", "../daily.csv"}, dir / "no-such-dir" / "out.txt"), 1,
               "cannot write the output (No such file or directory), " + (dir / "no-such-dir" / "out.txt").string() +
                   ", check that the directory exists",
               dir / "no-such-dir" / "out.txt");
    const auto result = run_grucast(evaluate_args({"--data", "../daily.csv"}, dir.path()), "", kBad);
    CHECK(result.status == 1);
    CHECK(result.err == "grucast: error: the output path is a directory, " + dir.path().string() + ", give a file name\n");
  }

  TEST_CASE("the output path is checked before the data, and the options before both") {
    TempDir dir;
    const auto out = dir / "no-such-dir" / "out.txt";
    check_case(evaluate_args({"--data", "inf.csv"}, out), 1,
               "cannot write the output (No such file or directory), " + out.string() + ", check that the directory exists",
               out);
    check_case(evaluate_args({"--data", "inf.csv", "--missing", "zero"}, out), 2,
               "unknown missing-value policy 'zero', --missing, choose error, drop, ffill or interpolate", out);
    check_case(evaluate_args({"--data", "inf.csv", "--season", "x"}, out), 2,
               "season 'x' is not a whole number, --season, use a whole number from 1 to 1000000", out);
  }

  TEST_CASE("an existing output file keeps its content when the command fails") {
    TempDir dir;
    grucast::test::write_text(dir / "out.txt", "previous\n");
    const auto result = run_grucast(evaluate_args({"--data", "inf.csv"}, dir / "out.txt"), "", kBad);
    CHECK(result.status == 1);
    CHECK(grucast::test::read_text(dir / "out.txt") == "previous\n");
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
  }

  TEST_CASE("an unreadable data file is refused") {
    // The file is mode 000. Root reads anything, so as root the command runs as 'nobody' (setpriv),
    // from a copy of the executable in a directory 'nobody' may enter.
    TempDir dir;
    std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
    std::filesystem::copy_file(GRUCAST_EXECUTABLE, dir / "grucast");
    std::filesystem::copy_file(kBad / "../daily.csv", dir / "secret.csv");
    std::filesystem::permissions(dir / "secret.csv", std::filesystem::perms::none);
    const std::vector<std::string> args = {"forecast", "--baseline", "naive", "--data", "secret.csv", "--target",
                                           "value", "--horizon", "1"};
    const std::vector<std::string> as_nobody = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    const auto result = run_program((dir / "grucast").string(), args, "", dir.path(),
                                    ::geteuid() == 0 ? as_nobody : std::vector<std::string>{});
    CHECK(result.status == 1);
    CHECK(result.err ==
          "grucast: error: cannot open the data file (Permission denied), secret.csv, check the file's permissions\n");
  }
}
