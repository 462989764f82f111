// How large a network train takes (issue 19): --hidden up to 4096, a network the machine cannot
// hold refused before any epoch, and the estimate behind that against the memory a run uses.
#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "nn/training_memory.hpp"
#include "util/machine.hpp"
#include "support/run.hpp"

using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

const std::string kCo2 = std::string(GRUCAST_DATASETS) + "/co2-concentration.csv";

// The exit status of `grucast args` run in `dir`, and its own peak resident memory in KiB.
std::pair<int, long> peak_kib(const std::vector<std::string>& args, const TempDir& dir) {
  TempDir io;
  write_text(io / "stdin", "");
  std::vector<std::string> argv = {GRUCAST_EXECUTABLE};
  argv.insert(argv.end(), args.begin(), args.end());
  const pid_t pid = grucast::test::spawn_program(argv, io.path(), dir.path());
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), usage.ru_maxrss};
}

}  // namespace

TEST_SUITE("cli memory") {
  TEST_CASE("--hidden stops at 4096") {
    TempDir dir;  // ten rows: a grucast that took the option would stop at the data, not train
    write_text(dir / "short.csv", "v\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
    for (const char* hidden : {"4097", "65536"}) {
      const auto r = run_grucast({"train", "--data", "short.csv", "--target", "v", "--lookback", "24", "--horizon",
                                  "6", "--hidden", hidden, "--out", "never.grc"},
                                 "", dir.path());
      CHECK(r.status == 2);
      CHECK(r.err == fmt::format("grucast: error: hidden {} is out of range, --hidden, use a whole number from 1 to "
                                 "4096\n", hidden));
    }
  }

  TEST_CASE("a network larger than the machine's memory is refused before any epoch, with its size" *
            doctest::skip(grucast::test::kAddressSanitizer)) {
    // 64 LSTM layers of 4096 units in f64: 8.5e9 parameters, about 480 GiB to train.
    if (grucast::physical_memory() > (std::uint64_t{600} << 30)) return;  // a machine that could try it
    TempDir dir;
    // Under an 8 GiB address space: a grucast that tried to allocate it would fail at once.
    const auto r = grucast::test::run_program(
        GRUCAST_EXECUTABLE,
        {"train", "--data", kCo2, "--target", "CO2", "--lookback", "24", "--horizon", "6", "--hidden", "4096",
         "--layers", "64", "--cell", "lstm", "--precision", "f64", "--threads", "2", "--out", "m.grc"},
        "", dir.path(), {"/bin/sh", "-c", "ulimit -v 8388608 && exec \"$@\"", "sh"});
    CHECK(r.status == 2);
    CHECK(r.err.find("grucast: error: training this network needs about 479.3 GiB, more than the ") !=
          std::string::npos);
    CHECK(r.err.find(" of memory of this machine: 8524980230 parameters in 7 copies of 8 bytes (444.6 GiB), and 34.7 "
                     "GiB of caches for 64 windows of 24 steps, --hidden, --layers, --batch-size, --lookback, make "
                     "them smaller, or use --precision f32\n") != std::string::npos);
    CHECK(r.err.find("epoch") == std::string::npos);
    CHECK(!std::filesystem::exists(dir / "m.grc"));

    // An ensemble's members train side by side, one thread each: the check counts the two at once.
    const auto pair = grucast::test::run_program(
        GRUCAST_EXECUTABLE,
        {"train", "--data", kCo2, "--target", "CO2", "--lookback", "24", "--horizon", "6", "--hidden", "4096",
         "--layers", "64", "--cell", "lstm", "--precision", "f64", "--threads", "2", "--calendar", "none",
         "--ensemble", "2", "--out", "m.grc"},
        "", dir.path(), {"/bin/sh", "-c", "ulimit -v 8388608 && exec \"$@\"", "sh"});
    CHECK(pair.status == 2);
    CHECK(pair.err.find("grucast: error: training 2 such networks side by side needs about 831.7 GiB, more than "
                        "the ") != std::string::npos);
    CHECK(pair.err.find(" of memory of this machine: each 8524980230 parameters in 6 copies of 8 bytes (381.1 GiB), "
                        "and 34.7 GiB of caches for 64 windows of 24 steps, --hidden, --layers, --batch-size, "
                        "--lookback, make them smaller, or use --precision f32, or train one network at a time "
                        "(--threads 1) or one network (--ensemble 1)\n") != std::string::npos);
    CHECK(!std::filesystem::exists(dir / "m.grc"));
  }

  TEST_CASE("the estimate is the memory a training run takes" * doctest::skip(grucast::test::kAddressSanitizer)) {
    TempDir dir;
    std::string csv = "t,value\n";
    for (int i = 0; i < 400; ++i) csv += fmt::format("{},{}\n", i, 10 + std::sin(i / 5.0) + 0.01 * i);
    write_text(dir / "s.csv", csv);
    const auto train = [&](const char* hidden) {
      return peak_kib({"train", "--data", "s.csv", "--target", "value", "--time", "t", "--lookback", "24", "--horizon",
                       "6", "--hidden", hidden, "--epochs", "1", "--threads", "2", "--val", "0", "--normalize", "none",
                       "--ensemble", "1", "-q", "--out", "m.grc"},
                      dir);
    };
    const auto [small_status, baseline] = train("8");  // the program and its data, without a network to speak of
    const auto [status, peak] = train("1024");
    REQUIRE(small_status == 0);
    REQUIRE(status == 0);
    grucast::TrainOptions options;
    options.threads = 2;
    const grucast::ModelShape shape{1, 1024, 1, 6, 0.0};
    // 250 training windows: batches of 64; no validation windows.
    const double estimate = grucast::training_memory(shape, 4, 24, 64, 0, options).total() / 1024.0;
    const auto grown = static_cast<double>(peak - baseline);
    CAPTURE(estimate);
    CAPTURE(grown);
    CHECK(std::abs(grown - estimate) < 0.1 * estimate);  // 170 MB estimated; 164 MB measured when written
  }
}
