// Bad input to grucast train, and to the commands that read its model (forecast and evaluate
// --model), through the real executable: the exit code (1 data/model/file, 2 usage), the whole
// one-line message (or its distinctive parts), nothing on stdout, and no output file left behind.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

// ---- data ---------------------------------------------------------------------------------

// "YYYY-MM-DD" of `days` days after 1970-01-01 (the civil-from-days algorithm).
std::string iso_date(long days) {
  days += 719468;
  const long era = (days >= 0 ? days : days - 146096) / 146097;
  const long doe = days - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long day = doy - (153 * mp + 2) / 5 + 1;
  const long month = mp < 10 ? mp + 3 : mp - 9;
  const long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

constexpr long k2020 = 18262;  // 2020-01-01

// `rows` rows of date,value,temp from 2020-01-01, `step_days` apart; value[i] is `value(i)`.
template <class F>
std::string series_csv(int rows, int step_days, F value) {
  std::string csv = "date,value,temp\n";
  for (int i = 0; i < rows; ++i) {
    csv += fmt::format("{},{},{:.2f}\n", iso_date(k2020 + static_cast<long>(i) * step_days), value(i), 20 + std::sin(i));
  }
  return csv;
}

double wave(int i) { return 10 + i % 7 + 0.1 * i; }

// date,store,value for the given stores, `days` days each.
std::string long_csv(const std::string& stores, int days) {
  std::string csv = "date,store,value\n";
  for (int i = 0; i < days; ++i) {
    for (const char store : stores) {
      csv += fmt::format("{},{},{}\n", iso_date(k2020 + i), store, 10 + i % 7 + 5 * (store - 'a'));
    }
  }
  return csv;
}

// The files every case may use, in one directory that is the working directory of each run, so
// that messages name them as given ("s.csv").
struct Workspace {
  TempDir dir;

  Workspace() {
    write_text(dir / "s.csv", series_csv(60, 1, wave));                   // daily, 60 rows
    write_text(dir / "short.csv", series_csv(14, 1, wave));               // daily, 14 rows
    write_text(dir / "weekly.csv", series_csv(60, 7, wave));              // weekly, 60 rows
    write_text(dir / "zero.csv", series_csv(60, 1, [](int i) { return i == 9 ? 0.0 : wave(i); }));  // 0 at line 11
    write_text(dir / "neg.csv", series_csv(60, 1, [](int i) { return i == 20 ? -2.5 : wave(i); }));  // line 22
    write_text(dir / "long.csv", long_csv("ab", 40));
    write_text(dir / "longc.csv", long_csv("abc", 40));  // a series 'c' that long.csv has not
    std::filesystem::create_directory(dir / "confdir");
  }

  // Trains the models the --model cases use: plain (m), with a feature (mf), long format (ml),
  // and with --transform log (mlog).
  void train_models() const {
    const auto train = [&](std::vector<std::string> args) {
      const std::vector<std::string> common = {"--target", "value", "--lookback", "5", "--horizon", "2", "--season",
                                               "1", "--hidden", "4", "--epochs", "1", "--threads", "1", "-q"};
      args.insert(args.begin(), "train");
      args.insert(args.end(), common.begin(), common.end());
      const auto r = run_grucast(args, "", dir.path());
      REQUIRE_MESSAGE(r.status == 0, r.err);
    };
    train({"--data", "s.csv", "--out", "m.grc"});
    train({"--data", "s.csv", "--features", "temp", "--out", "mf.grc"});
    train({"--data", "long.csv", "--id", "store", "--out", "ml.grc"});
    train({"--data", "s.csv", "--transform", "log", "--out", "mlog.grc"});
  }

  std::set<std::string> listing() const {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }
};

// ---- cases ---------------------------------------------------------------------------------

struct BadCase {
  std::vector<std::string> args;
  int status;
  std::string message;               // the whole stderr without "grucast: error: " and "\n"; or empty, and
  std::vector<std::string> parts;    // pieces the message must hold
  std::vector<std::string> absent;   // and pieces it must not hold
};

BadCase whole(std::vector<std::string> args, int status, std::string message) {
  return {std::move(args), status, std::move(message), {}, {}};
}

BadCase parts(std::vector<std::string> args, int status, std::vector<std::string> present,
              std::vector<std::string> absent = {}) {
  return {std::move(args), status, "", std::move(present), std::move(absent)};
}

std::string command_text(const std::vector<std::string>& args) {
  std::string text = "grucast";
  for (const std::string& arg : args) text += " " + arg;
  return text;
}

// Runs one case in the workspace: its exit code and message, nothing on stdout, one line on
// stderr, and the directory exactly as it was (no output file, no temporary left behind).
void check_case(const Workspace& w, const BadCase& c) {
  const std::string command = command_text(c.args);
  CAPTURE(command);
  const std::set<std::string> before = w.listing();
  const auto r = run_grucast(c.args, "", w.dir.path());
  CAPTURE(r.err);
  CHECK(r.status == c.status);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("grucast: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK((!r.err.empty() && r.err.back() == '\n'));
  if (!c.message.empty()) CHECK(r.err == "grucast: error: " + c.message + "\n");
  for (const std::string& part : c.parts) {
    CAPTURE(part);
    CHECK(r.err.find(part) != std::string::npos);
  }
  for (const std::string& part : c.absent) {
    CAPTURE(part);
    CHECK(r.err.find(part) == std::string::npos);
  }
  const std::set<std::string> after = w.listing();
  CHECK(after == before);
  // Remove what a wrongly successful run wrote, so that the next case starts from the same files.
  for (const std::string& name : after) {
    if (before.count(name) == 0) std::filesystem::remove_all(w.dir / name);
  }
}

void check_cases(const Workspace& w, const std::vector<BadCase>& cases) {
  for (const BadCase& c : cases) check_case(w, c);
}

// train on s.csv with the tiny settings, writing out.grc; `extra` comes last and so wins.
std::vector<std::string> train(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"train", "--data", "s.csv", "--target", "value", "--lookback", "5", "--horizon", "2",
                                   "--season", "1", "--hidden", "4", "--epochs", "1", "--threads", "1", "-q",
                                   "--out", "out.grc"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

const std::string kWhole = "use a whole number from 1 to 1000000";
const std::string kDropoutHint = "use a probability from 0 up to, not including, 1";
const std::string kLrHint = "use a value above 0 and at most 10, e.g. 0.001";
const std::string kClipHint = "use a positive norm, or 0 for no clipping";
const std::string kShortHint =
    "use a longer series, a shorter --lookback, --horizon or --season, or other --val and --test fractions";
const std::string kTrainHelp = "command line, see 'grucast train --help'";

}  // namespace

TEST_SUITE("cli train bad input") {
  TEST_CASE("every train option out of range or malformed is a usage error, before any file is touched") {
    Workspace w;
    check_cases(w, {
        whole(train({"--hidden", "0"}), 2, "hidden 0 is out of range, --hidden, use a whole number from 1 to 4096"),
        whole(train({"--hidden", "70000"}), 2,
              "hidden 70000 is out of range, --hidden, use a whole number from 1 to 4096"),
        whole(train({"--hidden", "abc"}), 2,
              "hidden 'abc' is not a whole number, --hidden, use a whole number from 1 to 4096"),
        whole(train({"--layers", "0"}), 2, "layers 0 is out of range, --layers, use a whole number from 1 to 64"),
        whole(train({"--layers", "65"}), 2, "layers 65 is out of range, --layers, use a whole number from 1 to 64"),
        whole(train({"--lookback", "0"}), 2, "lookback 0 is out of range, --lookback, " + kWhole),
        whole(train({"--lookback", "5x"}), 2, "lookback '5x' is not a whole number, --lookback, " + kWhole),
        whole(train({"--horizon", "0"}), 2, "horizon 0 is out of range, --horizon, " + kWhole),
        whole(train({"--horizon", "-1"}), 2, "horizon '-1' is not a whole number, --horizon, " + kWhole),
        whole(train({"--season", "x"}), 2, "season 'x' is not a whole number, --season, " + kWhole),
        whole(train({"--dropout", "-0.1"}), 2, "dropout -0.1 is out of range, --dropout, " + kDropoutHint),
        whole(train({"--dropout", "1"}), 2, "dropout 1 is out of range, --dropout, " + kDropoutHint),
        whole(train({"--dropout", "inf"}), 2, "dropout inf is out of range, --dropout, " + kDropoutHint),
        whole(train({"--dropout", "abc"}), 2, "Could not convert: --dropout = abc, " + kTrainHelp),
        whole(train({"--dropout", "0.2"}), 2,
              "--dropout acts between stacked layers, and there is only one, --dropout, add --layers 2 or more, or "
              "leave --dropout out"),
        whole(train({"--lr", "0"}), 2, "learning rate 0 is out of range, --lr, " + kLrHint),
        whole(train({"--lr", "-1"}), 2, "learning rate -1 is out of range, --lr, " + kLrHint),
        whole(train({"--lr", "11"}), 2, "learning rate 11 is out of range, --lr, " + kLrHint),
        whole(train({"--lr", "abc"}), 2, "Could not convert: --lr = abc, " + kTrainHelp),
        whole(train({"--weight-decay", "-1"}), 2,
              "weight decay -1 is out of range, --weight-decay, use a value from 0 to 1"),
        whole(train({"--clip", "-1"}), 2, "clip -1 is out of range, --clip, " + kClipHint),
        whole(train({"--batch-size", "0"}), 2, "batch-size 0 is out of range, --batch-size, " + kWhole),
        whole(train({"--epochs", "0"}), 2, "epochs 0 is out of range, --epochs, " + kWhole),
        whole(train({"--patience", "0"}), 2, "patience 0 is out of range, --patience, " + kWhole),
        whole(train({"--threads", "0"}), 2, "threads 0 is out of range, --threads, use a whole number from 1 to 1024"),
        whole(train({"--threads", "2000"}), 2,
              "threads 2000 is out of range, --threads, use a whole number from 1 to 1024"),
        whole(train({"--seed", "-1"}), 2,
              "seed '-1' is not a whole number, --seed, use a whole number from 0 to 18446744073709551615"),
        whole(train({"--seed", "99999999999999999999999"}), 2,
              "seed 99999999999999999999999 is out of range, --seed, use a whole number from 0 to 18446744073709551615"),
        whole(train({"--loss", "l1"}), 2, "unknown loss 'l1', --loss, use mse, mae, huber or quantile"),
        whole(train({"--optimizer", "rmsprop"}), 2, "unknown optimizer 'rmsprop', --optimizer, use adam, adamw or sgd"),
        whole(train({"--schedule", "step"}), 2, "unknown schedule 'step', --schedule, use constant, cosine or plateau"),
        whole(train({"--transform", "sqrt"}), 2,
              "unknown transform 'sqrt', --transform, use none, log, diff, sdiff, log+diff or log+sdiff"),
        whole(train({"--normalize", "series"}), 2, "unknown normalization 'series', --normalize, use none or window"),
        whole(train({"--scaler", "robust"}), 2, "unknown scaler 'robust', --scaler, choose zscore, minmax or none"),
        whole(train({"--precision", "f16"}), 2, "unknown precision 'f16', --precision, use f32 or f64"),
        whole(train({"--val", "1.5"}), 2,
              "--val 1.5 is neither a fraction below 1 nor a whole number of rows, --val, give a fraction such as "
              "0.2, or a number of rows such as 13"),
        whole(train({"--val", "-0.1"}), 2,
              "validation fraction -0.1 is out of range, --val, use 0 (no validation part), a fraction 0.000001 <= "
              "val < 1, or a whole number of rows"),
        whole(train({"--test", "-1"}), 2,
              "test fraction -1 is out of range, --test, use 0 (no test part), a fraction 0.000001 <= test < 1, or a "
              "whole number of rows"),
        // A count of rows below the horizon (2) holds no forecast: it used to search for a length forever.
        whole(train({"--test", "1"}), 2,
              "--test 1 row cannot hold a forecast of horizon 2, --test, give at least 2 rows (the horizon), or a "
              "fraction"),
        whole(train({"--val", "1"}), 2,
              "--val 1 row cannot hold a forecast of horizon 2, --val, give at least 2 rows (the horizon), or a "
              "fraction"),
        whole(train({"--val", "0.5", "--test", "0.5"}), 2,
              "--val 0.5 and --test 0.5 leave no training part, --val, --test, keep val + test below 1"),
        whole(train({"--bogus"}), 2, "The following argument was not expected: --bogus, " + kTrainHelp),
    });
  }

  TEST_CASE("NaN and infinite training numbers are refused before training, never saved") {
    Workspace w;
    check_cases(w, {
        whole(train({"--lr", "nan"}), 2, "learning rate nan is out of range, --lr, " + kLrHint),
        whole(train({"--lr", "inf"}), 2, "learning rate inf is out of range, --lr, " + kLrHint),
        whole(train({"--clip", "nan"}), 2, "clip nan is out of range, --clip, " + kClipHint),
        whole(train({"--weight-decay", "nan"}), 2,
              "weight decay nan is out of range, --weight-decay, use a value from 0 to 1"),
        whole(train({"--val", "nan"}), 2,
              "validation fraction nan is out of range, --val, use 0 (no validation part), a fraction 0.000001 <= "
              "val < 1, or a whole number of rows"),
        whole(train({"--test", "inf"}), 2, "test fraction inf is out of range, --test, use 0 (no test part), a fraction "
                                                         "0.000001 <= test < 1, or a whole number of rows"),
        whole(train({"--dropout", "nan"}), 2, "dropout nan is out of range, --dropout, " + kDropoutHint),
        whole(train({"--layers", "2", "--dropout", "nan"}), 2, "dropout nan is out of range, --dropout, " + kDropoutHint),
        parts(train({"--clip", "inf"}), 2, {"clip inf is out of range, --clip, "}),
        parts(train({"--momentum", "nan"}), 2, {"momentum nan is out of range, --momentum, "}),
        parts(train({"--momentum", "inf"}), 2, {"momentum inf is out of range, --momentum, "}),
        // ... and a negative momentum trains and writes the model, exit 0.
        parts(train({"--optimizer", "sgd", "--momentum", "-1"}), 2, {"momentum -1 is out of range, --momentum, "}),
    });
  }

  TEST_CASE("train needs --out and --horizon, and --target unless one column is left") {
    Workspace w;
    const std::vector<std::string> data = {"train", "--data", "s.csv", "-q"};
    check_cases(w, {
        whole(with(data, {"--target", "value", "--lookback", "5", "--horizon", "2"}), 2,
              "--out is required, " + kTrainHelp),
        whole(with(data, {"--target", "value", "--lookback", "5", "--out", "out.grc"}), 2,
              "--horizon is required, " + kTrainHelp),
        // Without --target the only column that is not the time, the id or a feature is the target;
        // here two are left.
        whole(with(data, {"--lookback", "5", "--horizon", "2", "--out", "out.grc"}), 2,
              "no --target, and 2 columns could be the one to forecast ('value', 'temp'), --target, name the column "
              "to forecast, e.g. --target temp, and give a column that names the series to --id"),
        whole(with(data, {"--features", "value", "--features", "temp", "--horizon", "2", "--out", "out.grc"}), 2,
              "no column is left to forecast (the others are the time, the id or features), --target, name the "
              "column to forecast"),
        whole(train({"--target", "nope"}), 1,
              "no column 'nope' (--target) in the header, s.csv:1, the columns are: date, value, temp"),
        whole(train({"--features", "nope"}), 1,
              "no column 'nope' (--features) in the header, s.csv:1, the columns are: date, value, temp"),
    });
  }

  TEST_CASE("an --out that cannot be written fails before reading or training, and an old model survives") {
    Workspace w;
    std::vector<std::string> loud = train({"--out", "nodir/out.grc"});
    loud.erase(std::find(loud.begin(), loud.end(), "-q"));  // then a data summary or progress line would show
    check_cases(w, {
        whole(loud, 1,
              "cannot write the output (No such file or directory), nodir/out.grc, check that the directory exists"),
        whole(train({"--out", "s.csv/out.grc"}), 1,
              "cannot write the output (Not a directory), s.csv/out.grc, check that the directory exists"),
        whole(train({"--out", "confdir"}), 1, "the output path is a directory, confdir, give a file name"),
        parts(train({"--out", ""}), 2, {"empty output path, --out, give a file name"}, {"- for stdout"}),
        // Usage errors come first: an option error is never hidden behind the output path.
        whole(train({"--hidden", "0", "--out", "nodir/out.grc"}), 2,
              "hidden 0 is out of range, --hidden, use a whole number from 1 to 4096"),
        whole(train({"--season", "0", "--out", "nodir/out.grc"}), 2, "season 0 is out of range, --season, " + kWhole),
    });

    write_text(w.dir / "out.grc", "previous model\n");
    check_cases(w, {
        whole(train({"--data", "zero.csv", "--transform", "log"}), 1,
              "--transform log needs positive values, but the target of the series is 0, zero.csv:11, give "
              "positive values, or train with --transform none, diff or sdiff"),
        whole(train({"--lookback", "0"}), 2, "lookback 0 is out of range, --lookback, " + kWhole),
    });
    CHECK(read_text(w.dir / "out.grc") == "previous model\n");
  }

  TEST_CASE("train refuses data the model cannot be fitted on") {
    Workspace w;
    check_cases(w, {
        whole(train({"--data", "zero.csv", "--transform", "log"}), 1,
              "--transform log needs positive values, but the target of the series is 0, zero.csv:11, give "
              "positive values, or train with --transform none, diff or sdiff"),
        whole(train({"--data", "neg.csv", "--transform", "log"}), 1,
              "--transform log needs positive values, but the target of the series is -2.5, neg.csv:22, give "
              "positive values, or train with --transform none, diff or sdiff"),
        whole(train({"--lookback", "50", "--transform", "none"}), 1,
              "the series has 60 rows, but needs at least 75: a training part of at least 52 rows (lookback 50 + "
              "horizon 2, and more than season 1), a validation part of at least 2 rows (the horizon), and a test part "
              "of at least 2 rows (the horizon) under the split 70% train, 10% validation, 20% test, s.csv, " +
                  kShortHint),
        whole(train({"--horizon", "30", "--transform", "none"}), 1,
              "the series has 60 rows, but needs at least 300: a training part of at least 35 rows (lookback 5 + "
              "horizon 30, and more than season 1), a validation part of at least 30 rows (the horizon), and a test "
              "part of at least 30 rows (the horizon) under the split 70% train, 10% validation, 20% test, s.csv, " +
                  kShortHint),
        parts(train({"--lookback", "50"}), 1,
              {"the series has 60 rows, but needs at least 76", "lookback 50", "s.csv, " + kShortHint},
              {"lookback 51"}),
    });
  }

  TEST_CASE("config files that are missing, wrong or not TOML") {
    Workspace w;
    write_text(w.dir / "typo.toml", "hiden = 5\n");
    write_text(w.dir / "zero.toml", "hidden = 0\n");
    write_text(w.dir / "loss.toml", "loss = \"l1\"\n");
    write_text(w.dir / "lr.toml", "lr = \"abc\"\n");
    write_text(w.dir / "prose.toml", "this is not toml\n");
    write_text(w.dir / "array.toml", "hidden = [1, 2\n");  // an array never closed
    // train without --hidden and --loss on the command line, so that the file's values count
    const std::vector<std::string> base = {"train", "--data", "s.csv", "--target", "value", "--lookback", "5",
                                           "--horizon", "2", "--season", "1", "--epochs", "1", "--threads", "1",
                                           "-q", "--out", "out.grc"};
    const auto config = [&](const std::string& file) { return with(base, {"--config", file}); };
    check_cases(w, {
        whole(config("nope.toml"), 1, "cannot read the config file, nope.toml, check the path given to --config"),
        whole(config("typo.toml"), 2,
              "'hiden' is not an option of grucast train, typo.toml, see 'grucast train --help' for the option names"),
        whole(config("zero.toml"), 2, "hidden 0 is out of range, --hidden, use a whole number from 1 to 4096"),
        whole(config("loss.toml"), 2, "unknown loss 'l1', --loss, use mse, mae, huber or quantile"),
        whole(config("prose.toml"), 2,
              "cannot read the config file (line 1 is not key = value, a [section] or a comment), prose.toml:1, write "
              "one key = value per line, e.g. hidden = 64"),
        parts(config("lr.toml"), 2, {"--lr", "abc", "lr.toml"}, {"command line"}),
        parts(config("array.toml"), 2, {"cannot read the config file", "array.toml"}),
        parts(config("confdir"), 1, {"is a directory", "confdir"}),
    });
  }

  TEST_CASE("a model file given as --config is refused in words, not bytes") {
    Workspace w;
    w.train_models();
    std::filesystem::copy_file(w.dir / "m.grc", w.dir / "model.toml");
    check_case(w, parts(train({"--config", "model.toml"}), 2, {"cannot read the config file", "model.toml"},
                        {"is not an option"}));
  }

  TEST_CASE("--model that is missing, a directory, or not a model") {
    Workspace w;
    w.train_models();
    const std::string missing =
        "cannot open the model file (No such file or directory), nope.grc, check the path, or train a model first "
        "with grucast train";
    const std::string directory = "the model path is a directory, confdir, give the model file that grucast train wrote";
    const std::string csv =
        "the file is not a grucast model file (it does not start with GRUCAST), s.csv, it looks like text, perhaps a "
        "data file: give the model file that grucast train wrote";
    check_cases(w, {
        whole({"forecast", "--model", "nope.grc", "--data", "s.csv", "-q", "--out", "out.csv"}, 1, missing),
        whole({"evaluate", "--model", "nope.grc", "--data", "s.csv", "-q", "--out", "out.txt"}, 1, missing),
        whole({"forecast", "--model", "confdir", "--data", "s.csv", "-q", "--out", "out.csv"}, 1, directory),
        whole({"evaluate", "--model", "confdir", "--data", "s.csv", "-q"}, 1, directory),
        whole({"forecast", "--model", "s.csv", "--data", "s.csv", "-q", "--out", "out.csv"}, 1, csv),
        whole({"evaluate", "--model", "s.csv", "--data", "s.csv", "-q"}, 1, csv),
        whole({"forecast", "--model", "m.grc", "--baseline", "naive", "--data", "s.csv", "-q"}, 2,
              "--baseline excludes --model, command line, see 'grucast forecast --help'"),
        whole({"forecast", "--model", "m.grc", "--data", "s.csv", "-q", "--horizon", "0"}, 2,
              "horizon 0 is out of range, --horizon, " + kWhole),
    });
  }

  TEST_CASE("a model refuses other columns, another frequency, a missing id column and a long horizon with features") {
    Workspace w;
    w.train_models();
    const std::string hint = "knows its columns";
    check_cases(w, {
        whole({"forecast", "--model", "m.grc", "--data", "s.csv", "-q", "--target", "temp", "--out", "out.csv"}, 2,
              "--target 'temp' is not the model's ('value'), --target, leave --target out: the model m.grc " + hint),
        whole({"evaluate", "--model", "m.grc", "--data", "s.csv", "-q", "--target", "temp"}, 2,
              "--target 'temp' is not the model's ('value'), --target, leave --target out: the model m.grc " + hint),
        whole({"forecast", "--model", "mf.grc", "--data", "s.csv", "-q", "--features", "temp,value", "--out",
               "out.csv"},
              2,
              "--features 'temp,value' is not the model's ('temp'), --features, leave --features out: the model "
              "mf.grc " + hint),
        whole({"forecast", "--model", "ml.grc", "--data", "long.csv", "-q", "--id", "date", "--out", "out.csv"}, 2,
              "--id 'date' is not the model's ('store'), --id, leave --id out: the model ml.grc " + hint),
        parts({"forecast", "--model", "m.grc", "--data", "s.csv", "-q", "--features", "temp", "--out", "out.csv"}, 2,
              {"--features 'temp'", "--features", "m.grc"}, {"('')"}),
        whole({"forecast", "--model", "ml.grc", "--data", "s.csv", "-q", "--out", "out.csv"}, 1,
              "no column 'store' (--id) in the header, s.csv:1, the columns are: date, value, temp; --id none reads "
              "the file as one series"),
        whole({"forecast", "--model", "m.grc", "--data", "weekly.csv", "-q", "--out", "out.csv"}, 1,
              "the data is weekly but the model was trained on daily data, m.grc, give data at the model's frequency, "
              "or train a model on this data"),
        whole({"evaluate", "--model", "m.grc", "--data", "weekly.csv", "-q", "--out", "out.txt"}, 1,
              "the data is weekly but the model was trained on daily data, m.grc, give data at the model's frequency, "
              "or train a model on this data"),
        whole({"forecast", "--model", "mf.grc", "--data", "s.csv", "-q", "--horizon", "5", "--out", "out.csv"}, 2,
              "a horizon of 5 is beyond the model's 2 steps, and a model with --features cannot roll out recursively "
              "(the future feature values are unknown), --horizon, use --horizon 2 or less, or train with --horizon 5"),
        whole({"evaluate", "--model", "mf.grc", "--data", "s.csv", "-q", "--horizon", "5"}, 2,
              "a horizon of 5 is beyond the model's 2 steps, and a model with --features cannot roll out recursively "
              "(the future feature values are unknown), --horizon, use --horizon 2 or less, or train with --horizon 5"),
        whole({"forecast", "--model", "m.grc", "--data", "short.csv", "-q", "--out", "out.csv", "--missing", "zero"}, 2,
              "unknown missing-value policy 'zero', --missing, choose error, drop, ffill or interpolate"),
    });
  }

  TEST_CASE("a failed forecast to stdout prints nothing there") {
    Workspace w;
    w.train_models();
    check_cases(w, {
        whole({"forecast", "--model", "ml.grc", "--data", "s.csv", "-q", "--id", "id"}, 2,
              "--id 'id' is not the model's ('store'), --id, leave --id out: the model ml.grc knows its columns"),
        whole({"forecast", "--model", "mf.grc", "--data", "s.csv", "-q", "--horizon", "5"}, 2,
              "a horizon of 5 is beyond the model's 2 steps, and a model with --features cannot roll out recursively "
              "(the future feature values are unknown), --horizon, use --horizon 2 or less, or train with --horizon 5"),
        parts({"forecast", "--model", "mlog.grc", "--data", "zero.csv", "-q"}, 1,
              {"--transform log needs positive values, but the target of the series is 0, zero.csv:11, "}),
    });
  }

  TEST_CASE("a model's data problems are explained in terms of the model, not of train options") {
    Workspace w;
    w.train_models();
    check_cases(w, {
        whole({"forecast", "--model", "m.grc", "--data", "s.csv", "--time", "none", "-q", "--out", "out.csv"}, 1,
              "the data is row index but the model was trained on daily data, m.grc, give data at the model's "
              "frequency, or train a model on this data"),
        // The log transform is the model's: the hint asks for positive values first.
        parts({"forecast", "--model", "mlog.grc", "--data", "zero.csv", "-q", "--out", "out.csv"}, 1,
              {"--transform log needs positive values, but the target of the series is 0, zero.csv:11, ", "train"},
              {"use --transform"}),
        parts({"evaluate", "--model", "mlog.grc", "--data", "zero.csv", "-q", "--out", "out.txt"}, 1,
              {"--transform log needs positive values, but the target of the series is 0, zero.csv:11, ", "train"},
              {"use --transform"}),
    });
  }

  TEST_CASE("evaluate --model on a series too short") {
    Workspace w;
    w.train_models();
    check_cases(w, {
        whole({"forecast", "--model", "m.grc", "--data", "short.csv", "-q", "--out", "out.csv", "--season", "0"}, 2,
              "season 0 is out of range, --season, " + kWhole),
        parts({"evaluate", "--model", "m.grc", "--data", "short.csv", "-q", "--out", "out.txt"}, 1,
              {"the series has 14 rows, but needs at least 20", "lookback 5", "short.csv, use a longer series"},
              {"lookback 6", "a shorter --lookback"}),
    });
  }
}
