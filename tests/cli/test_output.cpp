// Issue 8's output conventions: --format on inspect and bench, --quiet and --verbose on every
// command, and colour on stderr only for a terminal that takes it.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/run.hpp"
#include "support/terminal.hpp"

using grucast::test::lines_of;
using grucast::test::run_grucast;
using grucast::test::run_grucast_on_terminal;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

const std::string kDaily = std::string(GRUCAST_TEST_DATA) + "/daily.csv";  // 2020-01-01 .. 2020-04-09, 100 rows

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t end; (end = line.find(',', start)) != std::string::npos; start = end + 1) {
    fields.push_back(line.substr(start, end - start));
  }
  fields.push_back(line.substr(start));
  return fields;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct Workspace {
  TempDir dir;
  std::string model = (dir / "daily.grc").string();

  std::vector<std::string> train_args(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"train", "--data", kDaily, "--target", "value", "--lookback", "7", "--horizon", "2",
                                     "--season", "7", "--hidden", "4", "--epochs", "2", "--threads", "1",
                                     "--ensemble", "1", "--out", model};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  void train() const {
    const auto r = run_grucast(train_args({"-q"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
  }
};

const std::vector<std::string> kForecast = {"forecast", "--baseline", "naive", "--data", kDaily, "--target", "value",
                                            "--horizon", "3"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_SUITE("cli output conventions") {
  TEST_CASE("inspect --format json is --json, --format table is the report, and csv is refused") {
    Workspace w;
    w.train();
    const auto json = run_grucast({"inspect", w.model, "--format", "json"});
    REQUIRE_MESSAGE(json.status == 0, json.err);
    CHECK(json.out == run_grucast({"inspect", w.model, "--json"}).out);
    CHECK(nlohmann::json::parse(json.out)["config"]["lookback"] == 7);
    const auto table = run_grucast({"inspect", w.model, "--format", "table"});
    CHECK(table.status == 0);
    CHECK(table.out == run_grucast({"inspect", w.model}).out);
    CHECK(has(table.out, "grucast model (format "));

    const auto csv = run_grucast({"inspect", w.model, "--format", "csv"});
    CHECK(csv.status == 2);
    CHECK(csv.out.empty());
    CHECK(csv.err == "grucast: error: unknown format 'csv', --format, use one of table, json\n");
    const auto both = run_grucast({"inspect", w.model, "--json", "--format", "table"});
    CHECK(both.status == 2);
    CHECK(both.err == "grucast: error: --json and --format table ask for different formats, --format, give --format "
                      "alone (--json is --format json)\n");
    CHECK(run_grucast({"inspect", w.model, "--json", "--format", "json"}).out == json.out);
  }

  TEST_CASE("bench --format csv is a header and one row per configuration with the JSON's keys") {
    const auto r = run_grucast({"bench", "--config", "small", "--hidden", "8", "--lookback", "6", "--seconds", "0.1",
                                "--threads", "1", "--format", "csv"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "config,cell,features,lookback,hidden,layers,horizon,batch_size,threads,train_samples_per_s,"
                      "infer_samples_per_s,latency_us,train_gflops,peak_rss_mb");
    const auto row = fields_of(lines[1]);
    REQUIRE(row.size() == 14);
    CHECK(row[0] == "custom");
    CHECK(row[1] == "gru");
    CHECK(row[2] == "1");  // features
    CHECK(row[3] == "6");  // lookback
    CHECK(row[4] == "8");  // hidden
    CHECK(row[8] == "1");  // threads
    for (std::size_t i = 9; i < row.size(); ++i) {  // plain numbers: no units, no padding
      CAPTURE(row[i]);
      std::size_t used = 0;
      CHECK(std::stod(row[i], &used) > 0.0);
      CHECK(used == row[i].size());
    }
    const auto bad = run_grucast({"bench", "--format", "xml"});
    CHECK(bad.status == 2);
    CHECK(bad.err == "grucast: error: unknown format 'xml', --format, use one of table, json, csv\n");
  }

  TEST_CASE("every command has --quiet and --verbose") {
    for (const char* command : {"train", "forecast", "evaluate", "inspect", "export", "import", "bench"}) {
      CAPTURE(command);
      const auto help = run_grucast({command, "--help"});
      CHECK(help.status == 0);
      CHECK(has(help.out, "-q,--quiet"));
      CHECK(has(help.out, "-v,--verbose"));
    }
  }

  TEST_CASE("--quiet leaves stderr empty on successful runs") {
    Workspace w;
    const auto train = run_grucast(w.train_args({"--quiet"}));
    REQUIRE_MESSAGE(train.status == 0, train.err);
    CHECK(train.err.empty());  // no data summary, no progress
    CHECK(has(train.out, "parameters"));  // stdout keeps the summary
    const std::string json = (w.dir / "daily.json").string();
    const std::vector<std::vector<std::string>> runs = {
        with(kForecast, {"--quiet"}),
        {"forecast", "--model", w.model, "--data", kDaily, "-q"},
        {"evaluate", "--model", w.model, "--data", kDaily, "--quiet"},
        {"evaluate", "--baseline", "snaive", "--data", kDaily, "--target", "value", "--horizon", "2", "-q"},
        {"inspect", w.model, "--quiet"},
        {"export", w.model, "--out", json, "--quiet"},
        {"import", json, "--out", (w.dir / "back.grc").string(), "--quiet"}};
    for (const auto& args : runs) {
      CAPTURE(args[0]);
      const auto r = run_grucast(args);
      CHECK(r.status == 0);
      CHECK(r.err.empty());
      CHECK((args[0] == "export" || args[0] == "import" || !r.out.empty()));
    }
    const auto loud = run_grucast(kForecast);  // without --quiet, the data summary
    CHECK(loud.err == "grucast: " + kDaily + ": 100 rows, 1 series, daily (column date), no gaps\n");
  }

  TEST_CASE("--quiet keeps the errors") {
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", "missing.csv", "--target", "value",
                                "--horizon", "3", "--quiet"});
    CHECK(r.status == 1);
    CHECK(r.err.rfind("grucast: error: ", 0) == 0);
  }

  TEST_CASE("train --verbose reports the options, the split of the series and timings") {
    Workspace w;
    const auto r = run_grucast(w.train_args({"--verbose"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    for (const std::string& line : lines_of(r.err)) {
      CAPTURE(line);
      CHECK(line.rfind("grucast: ", 0) == 0);
    }
    for (const char* line : {
             "grucast: options of grucast train (after the config file and the defaults):\n",
             "grucast:   --data " GRUCAST_TEST_DATA "/daily.csv (command line)\n",
             "grucast:   --lookback 7 (command line)\n",
             "grucast:   --hidden 4 (command line)\n",
             "grucast:   --layers 1 (default)\n",
             "grucast:   --lr 0.001 (default)\n",
             "grucast:   --missing error (default)\n",
             "grucast:   --sort false (default)\n",
             "grucast:   --id not given\n",
             "grucast: season 7 (--season), threads 1 (--threads), inputs D 2\n",
             "grucast: split (70% train, 10% validation, 20% test), per series:\n",
             "grucast:   the series: train 70 rows 2020-01-01 .. 2020-03-10, validation 10 rows 2020-03-11 .. "
             "2020-03-20, test 20 rows 2020-03-21 .. 2020-04-09\n",
             "grucast: time: read data ", "grucast: time: train (with the test scores) ", "grucast: time: write ",
             "grucast: time: total "}) {
      CAPTURE(line);
      CHECK(has(r.err, line));
    }
    CHECK(!has(r.err, "--verbose"));  // the reporting options are not listed
    CHECK(has(r.err, "grucast: epoch    2/2"));  // the notes stay
    CHECK(has(r.out, "parameters"));  // stdout is the same as without --verbose
  }

  TEST_CASE("--verbose tells the config file's options, and the season a frequency gives") {
    Workspace w;
    const std::string config = (w.dir / "run.toml").string();
    write_text(config, "hidden = 5\n[train]\nepochs = 1\n");
    std::vector<std::string> args = w.train_args({"--config", config, "-v"});
    args.erase(args.begin() + 9, args.begin() + 11);  // no --season 7: the frequency's
    REQUIRE(args[9] == "--hidden");
    const auto r = run_grucast(args);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(has(r.err, "grucast:   --epochs 2 (command line)\n"));  // the command line wins over the file's 1
    CHECK(has(r.err, "grucast:   --hidden 4 (command line)\n"));
    CHECK(has(r.err, "grucast:   --season not given\n"));
    CHECK(has(r.err, "grucast:   --config " + config + " (command line)\n"));
    CHECK(has(r.err, "grucast: season 7 (from the frequency: daily), threads 1 (--threads), inputs D 2\n"));

    write_text(config, "hidden = 5\nepochs = 1\n");
    const auto from_file = run_grucast({"train", "--data", kDaily, "--target", "value", "--lookback", "7", "--horizon",
                                        "2", "--threads", "1", "--out", w.model, "--config", config, "--verbose"});
    REQUIRE_MESSAGE(from_file.status == 0, from_file.err);
    CHECK(has(from_file.err, "grucast:   --hidden 5 (config file " + config + ")\n"));
    CHECK(has(from_file.err, "grucast:   --epochs 1 (config file " + config + ")\n"));
  }

  TEST_CASE("evaluate and forecast --verbose report the split, the series and timings") {
    Workspace w;
    w.train();
    const auto evaluate = run_grucast({"evaluate", "--model", w.model, "--data", kDaily, "--verbose"});
    REQUIRE_MESSAGE(evaluate.status == 0, evaluate.err);
    for (const char* line : {"grucast:   --model ", "grucast:   --lookback 24 (default)\n",
                             "grucast: method ",  // gru, or chosen when validation chose a baseline
                             ", lookback 7, horizon 2, season 7, threads ",
                             "grucast: split (70% train, 10% validation, 20% test), per series:\n",
                             "grucast:   the series: train 70 rows 2020-01-01 .. 2020-03-10, validation 10 rows "
                             "2020-03-11 .. 2020-03-20, test 20 rows 2020-03-21 .. 2020-04-09\n",
                             "grucast: time: read data ", "grucast: time: evaluate ", "grucast: time: write "}) {
      CAPTURE(line);
      CHECK(has(evaluate.err, line));
    }
    const auto split = run_grucast({"evaluate", "--baseline", "naive", "--data", kDaily, "--target", "value",
                                    "--horizon", "2", "--test-from", "2020-04-01", "--val", "0", "-v"});
    REQUIRE_MESSAGE(split.status == 0, split.err);
    CHECK(has(split.err, "grucast: split (test from 2020-04-01, 0% validation), per series:\n"
                         "grucast:   the series: train 91 rows 2020-01-01 .. 2020-03-31, validation 0 rows, test 9 rows "
                         "2020-04-01 .. 2020-04-09\n"));

    const auto forecast = run_grucast(with(kForecast, {"-v"}));
    REQUIRE_MESSAGE(forecast.status == 0, forecast.err);
    for (const char* line : {"grucast:   --horizon 3 (command line)\n", "grucast:   --format csv (default)\n",
                             "grucast: method naive, horizon 3\n", "grucast: series read:\n",
                             "grucast:   the series: history 100 rows 2020-01-01 .. 2020-04-09\n",
                             "grucast: time: forecast ", "grucast: time: total "}) {
      CAPTURE(line);
      CHECK(has(forecast.err, line));
    }
    CHECK(forecast.out == run_grucast(kForecast).out);
  }

  TEST_CASE("inspect, export and import --verbose report their options and timings") {
    Workspace w;
    w.train();
    const auto inspect = run_grucast({"inspect", w.model, "-v"});
    REQUIRE_MESSAGE(inspect.status == 0, inspect.err);
    CHECK(has(inspect.err, "grucast:   MODEL " + w.model + " (command line)\n"));
    CHECK(has(inspect.err, "grucast:   --format table (default)\n"));
    CHECK(has(inspect.err, "grucast: time: read model "));
    const std::string json = (w.dir / "m.json").string();
    const auto exported = run_grucast({"export", w.model, "--out", json, "-v"});
    CHECK(exported.status == 0);
    CHECK(has(exported.err, "grucast:   --format torch-json (default)\n"));
    const auto imported = run_grucast({"import", json, "--out", (w.dir / "m2.grc").string(), "-v"});
    CHECK(imported.status == 0);
    CHECK(has(imported.err, "grucast: time: read torch-json "));
  }

  TEST_CASE("--quiet with --verbose is a usage error, from the command line or a config file") {
    const auto r = run_grucast(with(kForecast, {"--quiet", "--verbose"}));
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "grucast: error: --quiet and --verbose cannot be used together, command line, see 'grucast forecast "
                   "--help'\n");
    CHECK(run_grucast({"inspect", "m.grc", "-q", "-v"}).err ==
          "grucast: error: --quiet and --verbose cannot be used together, command line, see 'grucast inspect --help'\n");
    TempDir dir;
    const std::string config = (dir / "quiet.toml").string();
    write_text(config, "quiet = true\n");
    const auto mixed = run_grucast(with(kForecast, {"--config", config, "-v"}));
    CHECK(mixed.status == 2);
    CHECK(mixed.err == "grucast: error: --quiet and --verbose cannot be used together, config file " + config +
                           ", see 'grucast forecast --help'\n");
  }

  TEST_CASE("no colour when stderr is not a terminal") {
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", "missing.csv", "--target", "value",
                                "--horizon", "3"});
    CHECK(r.status == 1);
    CHECK(r.err.rfind("grucast: error: ", 0) == 0);
    CHECK(!has(r.err, "\033"));
  }

  TEST_CASE("on a terminal the error prefix is bold red, unless NO_COLOR is set or TERM is dumb") {
    const std::vector<std::string> args = {"forecast", "--baseline", "naive", "--data", "missing.csv", "--target",
                                           "value", "--horizon", "3"};
    const auto piped = run_grucast(args);
    const std::string message = piped.err.substr(std::string("grucast: error: ").size());
    const std::string coloured = "grucast: \033[1;31merror:\033[0m " + message;

    const auto terminal = run_grucast_on_terminal(args, {"TERM=xterm-256color", "NO_COLOR"});
    CHECK(terminal.status == 1);
    CHECK(terminal.err == coloured);
    CHECK(run_grucast_on_terminal(args, {"TERM=xterm", "NO_COLOR="}).err == coloured);  // empty: not set
    for (const std::vector<std::string>& env : std::vector<std::vector<std::string>>{
             {"TERM=xterm", "NO_COLOR=1"}, {"TERM=dumb", "NO_COLOR"}, {"TERM", "NO_COLOR"}}) {
      CAPTURE(env[0]);
      CAPTURE(env[1]);
      const auto plain = run_grucast_on_terminal(args, env);
      CHECK(plain.status == 1);
      CHECK(plain.err == piped.err);
    }

    const auto usage = run_grucast_on_terminal({"forecast", "--bogus"}, {"TERM=xterm", "NO_COLOR"});
    CHECK(usage.status == 2);
    CHECK(usage.err.rfind("grucast: \033[1;31merror:\033[0m ", 0) == 0);
  }

  TEST_CASE("a warning stays with --quiet, and its prefix is bold yellow on a terminal") {
    // Values near 1e17, unscaled, and plain SGD at lr 10 without clipping: the weights overflow
    // after the first epochs, so training stops with a warning and keeps the best epoch.
    TempDir dir;
    std::string csv = "date,value\n";
    for (int i = 0; i < 100; ++i) {
      csv += fmt::format("2020-{:02}-{:02},{:.6g}\n", i / 28 + 1, i % 28 + 1, 1e17 * (1 + 0.5 * std::sin(i / 3.0)));
    }
    write_text(dir / "huge.csv", csv);
    const std::vector<std::string> args = {
        "train", "--data", (dir / "huge.csv").string(), "--target", "value", "--time", "none", "--lookback", "7",
        "--horizon", "2", "--hidden", "4", "--epochs", "20", "--threads", "1", "--lr", "10", "--clip", "0",
        "--loss", "mse", "--optimizer", "sgd", "--scaler", "none", "--transform", "none", "--normalize", "none",
        "--batch-size", "1000", "--out", (dir / "m.grc").string(), "--quiet"};
    const auto piped = run_grucast(args);
    REQUIRE_MESSAGE(piped.status == 0, piped.err);
    CHECK(piped.err.rfind("grucast: warning: training diverged in epoch ", 0) == 0);
    CHECK(std::count(piped.err.begin(), piped.err.end(), '\n') == 1);  // the warning alone
    const auto terminal = run_grucast_on_terminal(args, {"TERM=xterm", "NO_COLOR"});
    CHECK(terminal.status == 0);
    const std::string message = piped.err.substr(std::string("grucast: warning: ").size());
    CHECK(terminal.err == "grucast: \033[1;33mwarning:\033[0m " + message);
    CHECK(run_grucast_on_terminal(args, {"TERM=xterm", "NO_COLOR=1"}).err == piped.err);
  }

  TEST_CASE("on a terminal, notes and stdout are never coloured") {
    const auto r = run_grucast_on_terminal(kForecast, {"TERM=xterm", "NO_COLOR"});
    CHECK(r.status == 0);
    CHECK(r.err == "grucast: " + kDaily + ": 100 rows, 1 series, daily (column date), no gaps\n");
    CHECK(r.out == run_grucast(kForecast).out);
    CHECK(!has(r.out, "\033"));
  }
}
