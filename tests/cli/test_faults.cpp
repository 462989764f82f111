// Signals during training, checkpoints and resumption, and numbers at the edges, through the
// grucast executable (issue 7).
#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "support/run.hpp"

using grucast::test::files_in;
using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::RunResult;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

const std::string kDatasets = GRUCAST_DATASETS;
const std::string kHourly = kDatasets + "/seattle-weather-hourly-normals.csv";

// grucast running in the background: stdin a pipe kept open (a read from it waits), stdout and
// stderr to files that can be read while it runs.
class Background {
 public:
  Background(const std::vector<std::string>& args, const std::filesystem::path& cwd) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::vector<std::string> argv = {GRUCAST_EXECUTABLE};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = grucast::test::spawn_program(argv, io_.path(), cwd, fds[0], fds[1]);
    ::close(fds[0]);
    stdin_ = fds[1];
  }
  ~Background() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdin_ >= 0) ::close(stdin_);
  }

  // Polls until `done` holds (true) or a minute has passed (false).
  static bool await(const std::function<bool()>& done) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (std::chrono::steady_clock::now() < end) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  bool await_stderr(const std::string& text) const {
    return await([&] { return read_text(io_ / "stderr").find(text) != std::string::npos; });
  }
  void signal(int signal_number) const { ::kill(pid_, signal_number); }
  RunResult wait() {
    ::close(stdin_);
    stdin_ = -1;
    const RunResult result = grucast::test::wait_program(pid_, io_.path());
    pid_ = -1;
    return result;
  }

 private:
  TempDir io_;
  pid_t pid_ = -1;
  int stdin_ = -1;
};

// Hourly temperatures, epochs of about a second: long enough to signal in the middle of a run.
std::vector<std::string> slow_train(const std::string& epochs, const std::string& out) {
  return {"train", "--data", kHourly, "--target", "temperature", "--lookback", "200", "--horizon", "6", "--hidden",
          "16", "--epochs", epochs, "--patience", epochs, "--out", out};
}

}  // namespace

TEST_SUITE("cli faults") {
  TEST_CASE("SIGINT, SIGTERM and SIGHUP during training write the best model so far and exit 130, 143, 129") {
    for (const auto& [signal_number, name, status] :
         {std::tuple{SIGINT, "SIGINT", 130}, {SIGTERM, "SIGTERM", 143}, {SIGHUP, "SIGHUP", 129}}) {
      CAPTURE(name);
      TempDir dir;
      Background train(slow_train("1000", "m.grc"), dir.path());
      REQUIRE(train.await_stderr("epoch    2/1000"));
      train.signal(signal_number);
      const RunResult r = train.wait();
      CHECK(r.status == status);
      CHECK(r.err.find(std::string("grucast: stopped by ") + name + " in epoch ") != std::string::npos);
      CHECK(r.err.find("; wrote the model of epoch ") != std::string::npos);
      CHECK(r.out.find("(stopped by a signal)") != std::string::npos);
      CHECK(r.out.find("test: skipped (training was stopped)") != std::string::npos);
      // The temperatures look multiplicative: the signal came in the first network of --transform
      // auto's choice, and that network is the model written.
      CHECK(r.err.find("--transform auto: training again") == std::string::npos);
      CHECK(files_in(dir.path()) == std::vector<std::string>{"m.grc"});
      const RunResult inspect = run_grucast({"inspect", (dir / "m.grc").string()});
      CHECK(inspect.status == 0);
      CHECK(inspect.out.find("of 1000 (stopped by a signal)") != std::string::npos);
    }
  }

  TEST_CASE("a signal during an ensemble's training writes the members trained so far, and the summary says why") {
    TempDir dir;
    std::vector<std::string> args = slow_train("1000", "m.grc");
    // the default ensemble, two members at a time, with no choice of calendar or transform before it
    args.insert(args.end(), {"--calendar", "none", "--transform", "sdiff", "--threads", "2"});
    Background train(args, dir.path());
    REQUIRE(train.await_stderr("member 1/5  epoch    2/1000"));
    train.signal(SIGTERM);
    const RunResult r = train.wait();
    CHECK(r.status == 143);
    CHECK(r.out.find("the signal left ") != std::string::npos);  // 3 or 4 more, as member 2 had an epoch or not
    CHECK(r.out.find("--max-time") == std::string::npos);
    CHECK(files_in(dir.path()) == std::vector<std::string>{"m.grc"});
    CHECK(run_grucast({"inspect", (dir / "m.grc").string()}).status == 0);
  }

  TEST_CASE("a signal during training writes the loss plot of the finished epochs with the model") {
    TempDir dir;
    std::vector<std::string> args = slow_train("1000", "m.grc");
    args.insert(args.end(), {"--plot-loss", "loss.svg"});
    Background train(args, dir.path());
    REQUIRE(train.await_stderr("epoch    2/1000"));
    train.signal(SIGTERM);
    const RunResult r = train.wait();
    CHECK(r.status == 143);
    CHECK(files_in(dir.path()) == std::vector<std::string>{"loss.svg", "m.grc"});
    const std::string plot = read_text(dir / "loss.svg");
    CHECK(plot.find(" epochs (stopped by a signal); best epoch ") != std::string::npos);
    CHECK(plot.find("</svg>\n") == plot.size() - 7);
  }

  TEST_CASE("a signal while the test part is scored cuts the scoring short and writes the trained model") {
    // 1% of 600,000 rows to train on and 98% to score: the scoring takes far longer than the
    // epoch, and went on to the end before (issue 19, weak point).
    TempDir dir;
    std::string csv = "value\n";
    for (int i = 0; i < 600'000; ++i) csv += fmt::format("{:.3f}\n", std::sin(i * 0.1) + 0.001 * (i % 97));
    write_text(dir / "long.csv", csv);
    Background train({"train", "--data", "long.csv", "--target", "value", "--lookback", "48", "--horizon", "6",
                      "--hidden", "16", "--epochs", "1", "--val", "0.01", "--test", "0.98", "--ensemble", "1",
                      "--out", "m.grc"},
                     dir.path());
    REQUIRE(train.await_stderr("epoch    1/1"));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // into the scoring, which takes ~10 s
    train.signal(SIGTERM);
    const RunResult r = train.wait();
    CHECK(r.status == 143);
    CHECK(r.err.find("SIGTERM arrived after training had finished; wrote the complete model to m.grc, without test "
                     "scores") != std::string::npos);
    CHECK(r.out.find("test: skipped (a signal arrived while it was scored)") != std::string::npos);
    CHECK(run_grucast({"inspect", (dir / "m.grc").string()}).status == 0);
  }

  TEST_CASE("a signal during a backtest stops it with 128 + the signal, and writes neither report nor forecasts") {
    TempDir dir;
    std::vector<std::string> args = slow_train("1000", "-");
    args[0] = "backtest";
    args.insert(args.end(), {"--folds", "2", "--forecasts", "f.csv", "--out", "report.txt"});
    Background backtest(args, dir.path());
    REQUIRE(backtest.await_stderr("epoch    2/1000"));
    backtest.signal(SIGTERM);
    const RunResult r = backtest.wait();
    CHECK(r.status == 143);
    CHECK(r.err.find("grucast: error: stopped by SIGTERM while training fold 1 of 2, report.txt (not written), let it "
                     "finish, or use fewer --folds, fewer --epochs or --refit once\n") != std::string::npos);
    CHECK(files_in(dir.path()).empty());
  }

  TEST_CASE("a signal during compare stops it with 128 + the signal, and prints no table") {
    TempDir dir;
    std::vector<std::string> args = slow_train("1000", "-");
    args[0] = "compare";
    args.resize(args.size() - 2);  // compare has no --out
    Background compare(args, dir.path());
    REQUIRE(compare.await_stderr("epoch    2/1000"));
    compare.signal(SIGINT);
    const RunResult r = compare.wait();
    CHECK(r.status == 130);
    CHECK(r.err.find("grucast: error: stopped by SIGINT while training gru seed 1 (run 1 of 6), stdout (not written), "
                     "let it finish, or use fewer --seeds, --cells or --epochs\n") != std::string::npos);
    CHECK(r.out.empty());
    CHECK(files_in(dir.path()).empty());
  }

  TEST_CASE("a signal the parent ignores stays ignored (nohup)") {
    TempDir dir;
    ::signal(SIGHUP, SIG_IGN);  // inherited by the child, as nohup does it
    Background train(slow_train("1000", "m.grc"), dir.path());
    ::signal(SIGHUP, SIG_DFL);
    REQUIRE(train.await_stderr("epoch    2/1000"));
    train.signal(SIGHUP);
    REQUIRE(train.await_stderr("epoch    3/1000"));  // SIGHUP did not stop it
    train.signal(SIGINT);
    const RunResult r = train.wait();
    CHECK(r.status == 130);
    CHECK(r.err.find("grucast: stopped by SIGINT in epoch ") != std::string::npos);
  }

  TEST_CASE("a stop before the first epoch finished writes nothing, and says so") {
    TempDir dir;
    std::vector<std::string> args = slow_train("5", "m.grc");
    args[6] = "1500";  // --lookback: an epoch of many seconds
    Background train(args, dir.path());
    REQUIRE(train.await_stderr("8759 rows"));
    std::this_thread::sleep_for(std::chrono::seconds(1));  // into fit_model, well before epoch 1 ends
    train.signal(SIGINT);
    const RunResult r = train.wait();
    CHECK(r.status == 130);
    CHECK(r.err.find("grucast: error: stopped by SIGINT before the first epoch finished, so there is no model to "
                     "keep, m.grc (not written), let the first epoch finish (a larger --batch-size shortens it)\n") !=
          std::string::npos);
    CHECK(r.out.empty());
    CHECK(files_in(dir.path()).empty());
  }

  TEST_CASE("a signal while the data are read leaves no temporary file behind") {
    TempDir dir;
    Background train({"train", "--data", "-", "--target", "v", "--lookback", "3", "--horizon", "1", "--out", "m.grc"},
                     dir.path());
    REQUIRE(Background::await([&] { return !files_in(dir.path()).empty(); }));  // the temporary beside m.grc
    train.signal(SIGTERM);
    CHECK(train.wait().status == 128 + SIGTERM);
    CHECK(files_in(dir.path()).empty());
  }

  TEST_CASE("interrupted and resumed from its checkpoint, a run ends in the model of one never stopped") {
    TempDir dir;
    std::vector<std::string> full = slow_train("5", "full.grc"), part = slow_train("5", "part.grc");
    for (auto* args : {&full, &part}) args->insert(args->end(), {"--checkpoint-every", "1"});
    REQUIRE(run_grucast(full, "", dir.path()).status == 0);
    Background train(part, dir.path());
    REQUIRE(train.await_stderr("epoch    2/5"));
    train.signal(SIGINT);
    REQUIRE(train.wait().status == 130);
    part.insert(part.end(), {"--resume", "part.grc.ckpt"});
    const RunResult resumed = run_grucast(part, "", dir.path());
    REQUIRE(resumed.status == 0);
    CHECK(resumed.out.find("trained: 5 epochs") != std::string::npos);
    CHECK(resumed.err.find("epoch    1/5") == std::string::npos);  // it went on from the checkpoint
    for (const char* model : {"full", "part"}) {
      const std::string path = (dir / model).string();
      REQUIRE(run_grucast({"export", path + ".grc", "--out", path + ".json"}).status == 0);
    }
    CHECK(read_text(dir / "full.json") == read_text(dir / "part.json"));
  }

  TEST_CASE("checkpoint options: misuse is a usage error, another run's checkpoint is refused") {
    TempDir dir;
    const std::string co2 = kDatasets + "/co2-concentration.csv";
    std::vector<std::string> train = {"train", "--data", co2, "--target", "CO2", "--lookback", "24", "--horizon", "6",
                                      "--epochs", "3", "--out", "m.grc", "-q"};
    std::vector<std::string> alone = train;
    alone.insert(alone.end(), {"--checkpoint", "c.ckpt"});
    RunResult r = run_grucast(alone, "", dir.path());
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: --checkpoint without --checkpoint-every writes no checkpoint, --checkpoint, add "
                   "--checkpoint-every N (epochs)\n");
    std::vector<std::string> onto_out = train;
    onto_out.insert(onto_out.end(), {"--checkpoint-every", "1", "--checkpoint", "./m.grc"});
    r = run_grucast(onto_out, "", dir.path());
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: --checkpoint and --out are the same file './m.grc', --checkpoint, give "
                   "--checkpoint a file of its own\n");
    std::vector<std::string> onto_data = train;
    onto_data.insert(onto_data.end(), {"--checkpoint-every", "1", "--checkpoint", co2});
    r = run_grucast(onto_data, "", dir.path());
    CHECK(r.status == 2);
    CHECK(r.err == fmt::format("grucast: error: --checkpoint '{}' would replace the file --data reads, --checkpoint, "
                               "give --checkpoint a file of its own\n", co2));
    std::vector<std::string> missing = train;
    missing.insert(missing.end(), {"--resume", "nowhere.ckpt"});
    r = run_grucast(missing, "", dir.path());
    CHECK(r.status == 1);
    CHECK(r.err == "grucast: error: the checkpoint to resume from does not exist or is not a file, nowhere.ckpt, give "
                   "the file that --checkpoint (default: the --out path with .ckpt added) wrote\n");
    CHECK(files_in(dir.path()).empty());
    std::vector<std::string> every = train;
    every.insert(every.end(), {"--checkpoint-every", "1"});
    REQUIRE(run_grucast(every, "", dir.path()).status == 0);
    std::vector<std::string> other = train;
    other.insert(other.end(), {"--hidden", "8", "--resume", "m.grc.ckpt"});
    r = run_grucast(other, "", dir.path());
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: the checkpoint is from another run: config.hidden is 32 in the checkpoint, 8 "
                   "here, m.grc.ckpt, resume with the options of the run that wrote it\n");
    std::filesystem::copy_file(dir / "m.grc", dir / "model.grc");
    std::vector<std::string> model = train;
    model.insert(model.end(), {"--resume", "model.grc"});
    r = run_grucast(model, "", dir.path());
    CHECK(r.status == 1);
    CHECK(r.err.find("the file is not a grucast checkpoint (it does not start with GRUCKPT), model.grc") !=
          std::string::npos);
  }

  TEST_CASE("numbers at the edges train and forecast without a NaN: constant, near 1e±300, an outlier, T and K") {
    struct Edge {
      const char* name;
      std::function<double(int)> value;
      std::string lookback, horizon;
    };
    const auto wave = [](int i) { return 1.5 + std::sin(0.3 * i); };
    const std::vector<Edge> edges = {
        {"constant", [](int) { return 5.0; }, "12", "3"},
        {"near 1e300", [&](int i) { return 1e300 * wave(i); }, "12", "3"},
        {"near 1e-300", [&](int i) { return 1e-300 * wave(i); }, "12", "3"},
        {"one huge outlier", [&](int i) { return i == 300 ? 1e300 : wave(i); }, "12", "3"},
        {"a lookback of 700", wave, "700", "3"},
        {"horizon 1, lookback 1", wave, "1", "1"}};
    for (const Edge& edge : edges) {
      CAPTURE(edge.name);
      TempDir dir;
      std::ostringstream csv;
      csv.precision(17);
      csv << "v\n";
      for (int i = 0; i < 1200; ++i) csv << edge.value(i) << "\n";
      write_text(dir / "series.csv", csv.str());
      const RunResult train = run_grucast({"train", "--data", "series.csv", "--target", "v", "--lookback", edge.lookback,
                                           "--horizon", edge.horizon, "--hidden", "8", "--epochs", "2", "--out",
                                           "m.grc", "-q"},
                                          "", dir.path());
      REQUIRE(train.status == 0);
      if (edge.name == std::string("constant")) CHECK(train.out.find("n/a") != std::string::npos);  // MASE
      CHECK(train.out.find("nan") == std::string::npos);
      CHECK(train.out.find("inf") == std::string::npos);
      const RunResult forecast =
          run_grucast({"forecast", "--model", "m.grc", "--data", "series.csv", "--horizon", "5", "-q"}, "", dir.path());
      REQUIRE(forecast.status == 0);
      std::istringstream lines(forecast.out);
      std::string line;
      std::getline(lines, line);  // the header
      int rows = 0;
      while (std::getline(lines, line)) {
        const double value = std::stod(line.substr(line.rfind(',') + 1));
        CHECK(std::isfinite(value));
        ++rows;
      }
      CHECK(rows == 5);
    }
  }
}
