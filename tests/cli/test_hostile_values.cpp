// Values and names that grucast cannot compute with or store (issue 19): refused before any
// training, naming the file and line, through the real executable.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/run.hpp"

using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

// `rows` rows of t,<value column>,<feature column> with t the row index.
std::string series_csv(const std::string& header, int rows, double outlier = 0.0, int outlier_row = -1) {
  std::string csv = header + "\n";
  for (int i = 0; i < rows; ++i) {
    csv += fmt::format("{},{},{}\n", i, i == outlier_row ? outlier : 10.0 + i % 7 + 0.1 * i, 20 + i % 5);
  }
  return csv;
}

std::vector<std::string> train_args(const std::string& data, const std::string& target,
                                    const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"train",     "--data", data,       "--target", target, "--time", "t",
                                   "--lookback", "5",     "--horizon", "2",        "--hidden", "4",  "--epochs",
                                   "2",          "--threads", "1",     "--ensemble", "1", "--out", "m.grc"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_SUITE("cli hostile values") {
  TEST_CASE("column names a model file cannot hold are refused before the first epoch, not when saving") {
    TempDir dir;
    write_text(dir / "latin1.csv", series_csv("t,val\xe9,temp\xb0", 80));
    const auto target = run_grucast(train_args("latin1.csv", "val\xe9"), "", dir.path());
    CHECK(target.status == 1);
    CHECK(target.err.find("epoch") == std::string::npos);
    CHECK(target.err.find("grucast: error: the target column 'val\\xe9' is not valid UTF-8, which a model file "
                          "cannot hold, latin1.csv:1, convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)\n") !=
          std::string::npos);
    const auto feature =
        run_grucast(train_args("latin1.csv", "val\xe9", {"--features", "temp\xb0", "-q"}), "", dir.path());
    CHECK(feature.status == 1);
    CHECK(feature.err == "grucast: error: the target column 'val\\xe9' is not valid UTF-8, which a model file cannot "
                         "hold, latin1.csv:1, convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)\n");
    write_text(dir / "latin1-feature.csv", series_csv("t,value,temp\xb0", 80));
    const auto only_feature =
        run_grucast(train_args("latin1-feature.csv", "value", {"--features", "temp\xb0", "-q"}), "", dir.path());
    CHECK(only_feature.status == 1);
    CHECK(only_feature.err == "grucast: error: the feature column 'temp\\xb0' is not valid UTF-8, which a model file "
                              "cannot hold, latin1-feature.csv:1, convert the file to UTF-8 (e.g. iconv -f latin1 -t "
                              "utf-8)\n");
    CHECK(!std::filesystem::exists(dir / "m.grc"));
  }

  TEST_CASE("an unknown column among 100,000 is a short message that still names the nearest") {
    TempDir dir;
    std::string header = "date";
    for (int i = 0; i < 100'000; ++i) header += fmt::format(",sensor_{:06}", i);
    write_text(dir / "wide.csv", header + "\n2020-01-01" + std::string(100'000, ',') + "\n");
    const auto r = run_grucast({"evaluate", "--baseline", "naive", "--data", "wide.csv", "--target", "sensor_54321",
                                "--horizon", "3", "-q"},
                               "", dir.path());
    CHECK(r.status == 1);
    CHECK(r.err.size() < 1024);
    CHECK(r.err == "grucast: error: no column 'sensor_54321' (--target) in the header, wide.csv:1, the columns are: "
                   "date, sensor_000000, sensor_000001, sensor_000002, sensor_000003, sensor_000004, sensor_000005, "
                   "sensor_000006, sensor_000007, sensor_000008, ... and 99991 more (did you mean 'sensor_054321'?)\n");
  }

  TEST_CASE("names and values quoted from a file are shortened: long columns, series ids, JSON tokens") {
    TempDir dir;
    const std::string name(100'000, 'n'), shown = std::string(40, 'n') + "...";
    write_text(dir / "long-name.csv", fmt::format("date,{}\n2020-01-01,abc\n", name));
    const auto column = run_grucast({"evaluate", "--baseline", "naive", "--data", "long-name.csv", "--target", name,
                                     "--horizon", "3", "-q"},
                                    "", dir.path());
    CHECK(column.err == fmt::format("grucast: error: non-numeric value 'abc' in column '{}', long-name.csv:2:12, fix "
                                    "the value, or leave the cell empty (or NA) to mark it missing\n", shown));
    write_text(dir / "long-id.csv", fmt::format("date,id,v\n2020-01-02,{0},1\n2020-01-01,{0},2\n", name));
    const auto id = run_grucast({"evaluate", "--baseline", "naive", "--data", "long-id.csv", "--id", "id", "--target",
                                 "v", "--horizon", "3", "-q"},
                                "", dir.path());
    CHECK(id.err == fmt::format("grucast: error: rows out of time order in series '{}': 2020-01-01 comes after "
                                "2020-01-02 (line 2), long-id.csv:3, sort the rows by time, or pass --sort\n", shown));
    write_text(dir / "string.json", "{\"format\": \"grucast-torch-json\", \"note\": \"" + name + "\xff\"}");
    const auto json = run_grucast({"import", "string.json", "--out", "m.grc"}, "", dir.path());
    CHECK(json.err == fmt::format("grucast: error: the import file is not valid JSON (syntax error while parsing value "
                                  "- invalid string: ill-formed UTF-8 byte; last read: '\"{}'), string.json:1:100043, "
                                  "write it with json.dump from Python (NaN or Infinity in it means the weights are "
                                  "not finite)\n", std::string(39, 'n') + "..."));
  }

  TEST_CASE("an option's value quoted back from a config file is shortened") {
    TempDir dir;
    write_text(dir / "big.toml", "lr = " + std::string(100'000, 'x') + "\n");
    write_text(dir / "s.csv", series_csv("t,value,temp", 80));
    const auto r = run_grucast(train_args("s.csv", "value", {"--config", "big.toml", "-q"}), "", dir.path());
    CHECK(r.status == 2);
    CHECK(r.err.size() < 1024);
    CHECK(r.err.find("xxx..., config file big.toml, see 'grucast train --help'\n") != std::string::npos);
  }

  TEST_CASE("a model refuses a window value past its network's range before forecasting, naming the line") {
    TempDir dir;
    write_text(dir / "s.csv", series_csv("t,value,temp", 80));
    write_text(dir / "outlier.csv", series_csv("t,value,temp", 80, 1e35, 77));  // line 79, in the last window
    REQUIRE(run_grucast(train_args("s.csv", "value", {"-q"}), "", dir.path()).status == 0);
    const auto r = run_grucast({"forecast", "--model", "m.grc", "--data", "outlier.csv", "-q", "--out", "f.csv"}, "",
                               dir.path());
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("grucast: error: value 1e+35 in column 'value' is ", 0) == 0);
    CHECK(r.err.find("once prepared (--transform sdiff, --scaler zscore fitted on the training part), past ±1e30, the "
                     "range of the f32 network, outlier.csv:79, check the value (an outlier, or another unit?), or "
                     "train with --precision f64 (up to ±1e150)\n") != std::string::npos);
    CHECK(!std::filesystem::exists(dir / "f.csv"));
  }
}
