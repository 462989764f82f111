// The CLI end to end, as a user runs it.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::lines_of;
using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;

namespace {

const std::string kDatasets = GRUCAST_DATASETS;
const std::string kData = GRUCAST_TEST_DATA;

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("--version and --help work, and help has examples") {
    const auto version = run_grucast({"--version"});
    CHECK(version.status == 0);
    CHECK(version.out == "grucast " GRUCAST_VERSION "\n");
    const auto help = run_grucast({"--help"});
    CHECK(help.status == 0);
    CHECK(help.out.find("Examples:") != std::string::npos);
    CHECK(help.out.find("evaluate") != std::string::npos);
    const auto command_help = run_grucast({"evaluate", "--help"});
    CHECK(command_help.status == 0);
    for (const char* option : {"--data", "--target", "--features", "--time-format", "--id", "--missing", "--sort",
                               "--val", "--test-from", "--season", "--json", "--model", "--config", "Examples:"}) {
      CAPTURE(option);
      CHECK(command_help.out.find(option) != std::string::npos);
    }
    CHECK(run_grucast({}).status == 2);
  }

  TEST_CASE("forecast writes timestamp, step and forecast to stdout, and reports the data on stderr") {
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", kData + "/daily.csv", "--target", "value",
                                "--horizon", "3"});
    CHECK(r.status == 0);
    CHECK(r.out == "timestamp,step,forecast\n2020-04-10,1,23.81\n2020-04-11,2,23.81\n2020-04-12,3,23.81\n");
    CHECK(r.err == "grucast: " + kData + "/daily.csv: 100 rows, 1 series, daily (column date), no gaps\n");
  }

  TEST_CASE("forecast --out writes the same CSV to a file") {
    TempDir dir;
    const std::vector<std::string> args = {"forecast", "--baseline", "snaive", "--data",
                                           kDatasets + "/co2-concentration.csv", "--target", "CO2", "--horizon", "12"};
    const auto to_stdout = run_grucast(args);
    std::vector<std::string> to_file = args;
    to_file.insert(to_file.end(), {"--out", (dir / "f.csv").string()});
    const auto r = run_grucast(to_file);
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(read_text(dir / "f.csv") == to_stdout.out);
    const auto lines = lines_of(to_stdout.out);
    REQUIRE(lines.size() == 13);
    CHECK(lines[1] == "2020-05-01,1,414.83");    // May 2019: the seasonal naive
    CHECK(lines[12] == "2021-04-01,12,416.18");  // April 2020
  }

  TEST_CASE("future timestamps follow the frequency: business days, hours") {
    const auto sp500 = run_grucast({"forecast", "--baseline", "drift", "--data", kDatasets + "/sp500-2000.csv",
                                    "--target", "close", "--horizon", "6", "-q"});
    CHECK(sp500.status == 0);
    const auto days = lines_of(sp500.out);
    REQUIRE(days.size() == 7);
    CHECK(days[1].substr(0, 13) == "2020-04-20,1,");  // 2020-04-17 was a Friday
    CHECK(days[6].substr(0, 13) == "2020-04-27,6,");
    const auto hourly = run_grucast({"forecast", "--baseline", "snaive", "--data",
                                     kDatasets + "/seattle-weather-hourly-normals.csv", "--target", "temperature",
                                     "--horizon", "2", "-q"});
    CHECK(lines_of(hourly.out)[1].substr(0, 22) == "2011-01-01T00:00:00,1,");
  }

  TEST_CASE("evaluate co2 snaive --json reports the hand-computed protocol numbers") {
    const auto r = run_grucast({"evaluate", "--baseline", "snaive", "--data", kDatasets + "/co2-concentration.csv",
                                "--target", "CO2", "--horizon", "12", "--season", "12", "--json"});
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["origins"] == 138);
    CHECK(j["metrics"]["mae"].get<double>() == doctest::Approx(2.3355978260869503).epsilon(1e-12));
    CHECK(j["metrics"]["rmse"].get<double>() == doctest::Approx(2.4213984785217497).epsilon(1e-12));
    CHECK(j["metrics"]["mape"].get<double>() == doctest::Approx(0.5855922451543335).epsilon(1e-12));
    CHECK(j["metrics"]["smape"].get<double>() == doctest::Approx(0.5874343288921625).epsilon(1e-12));
    CHECK(j["metrics"]["mase"].get<double>() == doctest::Approx(1.711506712429939).epsilon(1e-12));
    CHECK(j["baselines"]["naive"]["mase"].get<double>() == doctest::Approx(2.0930938324169444).epsilon(1e-12));
    CHECK(j["baselines"]["snaive"]["mase"] == j["metrics"]["mase"]);
    // The classical baselines beside it (docs/benchmarks.md's table of them).
    CHECK(j["baselines"]["drift"]["mase"].get<double>() == doctest::Approx(1.9250).epsilon(1e-4));
    CHECK(j["baselines"]["theta"]["mase"].get<double>() == doctest::Approx(0.7495).epsilon(1e-4));
    CHECK(j["baselines"]["comb"]["mase"].get<double>() == doctest::Approx(0.7488).epsilon(1e-4));
    CHECK(j["baselines"]["ets"]["mase"].get<double>() == doctest::Approx(0.3430).epsilon(1e-3));
    CHECK(j["baselines"]["ets"]["per_step"].size() == 12);
    CHECK(j["per_step"].size() == 12);
    CHECK(j["per_step"][11]["step"] == 12);
    CHECK(j["metrics"]["mape_skipped"] == 0);
    CHECK(j["frequency"] == "monthly");
    CHECK(j["data_report"]["rows"] == 741);
    CHECK(j["data_report"]["gaps"] == 3);
    CHECK(j["data_report"]["missing_steps"] == 5);
  }

  TEST_CASE("evaluate prints a table with the method beside both baselines and every step") {
    const auto r = run_grucast({"evaluate", "--baseline", "drift", "--data", kDatasets + "/seattle-weather.csv",
                                "--target", "temp_max", "--horizon", "7", "--lookback", "28", "--season", "1", "-q"});
    CHECK(r.status == 0);
    const auto lines = lines_of(r.out);
    CHECK(lines[0].find("287 test origins x 7 steps, season 1") != std::string::npos);
    CHECK(lines[3].substr(0, 6) == "drift ");
    CHECK(lines[4].find("1.6044") != std::string::npos);  // naive MASE
    CHECK(lines.back().substr(0, 2) == "7 ");
  }

  TEST_CASE("--test-from moves the test part") {
    const auto r = run_grucast({"evaluate", "--baseline", "naive", "--data", kDatasets + "/co2-concentration.csv",
                                "--target", "CO2", "--horizon", "12", "--test-from", "2015-01-01", "--json", "-q"});
    REQUIRE(r.status == 0);
    // 2015-01 .. 2020-04 is 64 months: origins at 2015-01 .. 2019-05, 53 of them.
    CHECK(nlohmann::json::parse(r.out)["origins"] == 53);
  }

  TEST_CASE("stdin, semicolons, CRLF, a BOM and quoted decimal commas read as one would hope") {
    const std::string csv = "\xEF\xBB\xBF" "Datum;Wert;Notiz\r\n2020-01-01;\"1,5\";a\r\n2020-01-02;2,5;\"b;c\"\r\n";
    const auto r = run_grucast({"forecast", "--baseline", "drift", "--data", "-", "--target", "Wert", "--horizon", "1",
                                "--time", "Datum"}, csv);
    CHECK(r.status == 0);
    CHECK(r.out == "timestamp,step,forecast\n2020-01-03,1,3.5\n");
    CHECK(r.err == "grucast: <stdin>: 2 rows, 1 series, daily (column Datum), no gaps\n");
  }

  TEST_CASE("long format: every series forecast on its own and named in every row") {
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", kData + "/long.csv", "--target", "sales",
                                "--id", "store", "--time", "day", "--horizon", "2", "-q"});
    CHECK(r.status == 0);
    CHECK(r.out == "store,timestamp,step,forecast\na,2020-03-01,1,159\na,2020-03-02,2,159\nb,2020-03-01,1,206\n"
                   "b,2020-03-02,2,206\n");
    const auto e = run_grucast({"evaluate", "--baseline", "snaive", "--data", kData + "/long.csv", "--target", "sales",
                                "--id", "store", "--time", "day", "--horizon", "2", "--lookback", "7", "--json", "-q"});
    // Several series: the test part is the last horizon of each (and the validation part the one before).
    REQUIRE(e.status == 0);
    const auto j = nlohmann::json::parse(e.out);
    CHECK(j["per_series"].size() == 2);
    CHECK(j["per_series"][1]["metrics"]["mae"].get<double>() == 0.0);  // b repeats weekly: snaive is exact
    CHECK(j["origins"] == 2);
    CHECK(j["split"] == "the last 2 rows test, the 2 rows before them validation");
  }

  TEST_CASE("timestamps given by --time-format and epoch seconds are written back the same way") {
    const auto pattern = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "v", "--time-format",
                                      "%b %d %Y", "--horizon", "2", "-q"},
                                     "date,v\nJan 30 2000,1\nJan 31 2000,2\n");
    CHECK(pattern.out == "timestamp,step,forecast\nFeb 01 2000,1,2\nFeb 02 2000,2,2\n");
    const auto epoch = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "v", "--horizon",
                                    "1", "-q"},
                                   "timestamp,v\n1577836800,1\n1577840400,2\n");
    CHECK(epoch.out == "timestamp,step,forecast\n1577844000,1,2\n");
  }

  TEST_CASE("--sort and --missing repair what the user asks them to") {
    const std::string csv = "date,v\n2020-01-03,3\n2020-01-01,1\n2020-01-02,\n";
    const auto r = run_grucast({"forecast", "--baseline", "mean", "--data", "-", "--target", "v", "--horizon", "1",
                                "--sort", "--missing", "interpolate"}, csv);
    CHECK(r.status == 0);
    CHECK(r.out == "timestamp,step,forecast\n2020-01-04,1,2\n");
    CHECK(r.err == "grucast: <stdin>: 3 rows, 1 series, daily (column date), no gaps, 1 missing values filled, 1 "
                   "series sorted by time\n");
  }

  TEST_CASE("without a time column the row index is the time") {
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "v", "--horizon", "2"},
                               "v\n1\n2\n3\n");
    CHECK(r.out == "timestamp,step,forecast\n3,1,3\n4,2,3\n");
    CHECK(r.err == "grucast: <stdin>: 3 rows, 1 series, time is the row index, no gaps\n");
  }
}

TEST_SUITE("cli") {
  TEST_CASE("text that is not UTF-8 (a Latin-1 series id) still gives valid JSON") {
    std::string csv = "date,city,value\n";
    for (const char* city : {"Z\xfcrich", "Bern"}) {
      for (int day = 1; day <= 28; ++day) csv += fmt::format("2020-02-{:02},{},{}\n", day, city, day % 5);
    }
    const auto r = run_grucast({"evaluate", "--baseline", "naive", "--data", "-", "--id", "city", "--target", "value",
                                "--horizon", "2", "--lookback", "3", "--json", "-q"},
                               csv);
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["per_series"][0]["id"] == "Z\xef\xbf\xbdrich");  // U+FFFD in place of the Latin-1 byte
  }

  TEST_CASE("future timestamps keep the UTC offset and the business-day calendar of the data") {
    std::string csv = "date,value\n";
    for (const char* day : {"2020-02-20", "2020-02-21", "2020-02-24", "2020-02-25", "2020-02-26", "2020-02-27"}) {
      csv += fmt::format("{}T00:00:00+01:00,1\n", day);
    }
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "value", "--horizon", "2"},
                               csv);
    CHECK(r.out == "timestamp,step,forecast\n2020-02-28T00:00:00+01:00,1,1\n2020-03-02T00:00:00+01:00,2,1\n");
    CHECK(r.err == "grucast: <stdin>: 6 rows, 1 series, business days (column date), no gaps\n");
  }

  TEST_CASE("--out through a symbolic link writes the link's target") {
    TempDir dir;
    grucast::test::write_text(dir / "real.csv", "old\n");
    std::filesystem::create_symlink(dir / "real.csv", dir / "link.csv");
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "v", "--horizon", "1",
                                "--out", (dir / "link.csv").string(), "-q"},
                               "v\n1\n2\n");
    CHECK(r.status == 0);
    CHECK(std::filesystem::is_symlink(dir / "link.csv"));
    CHECK(read_text(dir / "real.csv") == "timestamp,step,forecast\n2,1,2\n");
  }

  TEST_CASE("errors stay on one line, whatever names they quote") {
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", "-", "--target", "a\nb", "--horizon", "1"},
                               "v\n1\n");
    CHECK(r.status == 1);
    CHECK(r.err == "grucast: error: no column 'a\\x0ab' (--target) in the header, <stdin>:1, the columns are: v\n");
    const auto unknown = run_grucast({"fit\nnow"});
    CHECK(unknown.status == 2);
    CHECK(unknown.err == "grucast: error: unknown command 'fit\\x0anow', command line, see 'grucast --help'\n");
  }
}
