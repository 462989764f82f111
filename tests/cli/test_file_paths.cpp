// No output replaces an input or another output, through any path or symbolic link; links are
// followed to their targets, created when dangling (issue 19, item 3, 4 and the weak points).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::run_shell;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

const std::string kCo2 = std::string(GRUCAST_DATASETS) + "/co2-concentration.csv";

// A directory with a small model m.grc and a copy of the CO2 data, data.csv.
struct Workspace {
  TempDir dir;
  std::string model = (dir / "m.grc").string(), data = (dir / "data.csv").string();
  Workspace() {
    std::filesystem::copy_file(kCo2, data);
    const auto r = run_grucast({"train", "--data", data, "--target", "CO2", "--lookback", "24", "--horizon", "6",
                                "--season", "12", "--hidden", "4", "--epochs", "1", "-q", "--out", model});
    REQUIRE(r.status == 0);
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

TEST_SUITE("file paths") {
  TEST_CASE("forecast, evaluate and backtest refuse an output that is their model, data or config") {
    const Workspace w;
    const std::string model_bytes = read_text(w.model), data_bytes = read_text(w.data);
    std::filesystem::create_symlink(w.model, w.path("link-to-model"));
    std::filesystem::create_symlink(w.data, w.path("link-to-data"));
    write_text(w.dir / "c.toml", "horizon = 3\n");
    const std::vector<std::string> forecast = {"forecast", "--model", w.model, "--data", w.data, "-q"};
    const std::vector<std::string> evaluate = {"evaluate", "--model", w.model, "--data", w.data, "-q"};
    const std::vector<std::string> backtest = {"backtest", "--ensemble", "1",
                                               "--data", w.data, "--target", "CO2", "--lookback", "24",
                                               "--horizon", "6", "--epochs", "1", "-q"};
    struct Case {
      std::vector<std::string> args;
      std::string message;
    };
    const std::vector<Case> cases = {
        {with(forecast, {"--out", w.model}), fmt::format("--out '{}' would replace the file --model reads", w.model)},
        {with(forecast, {"--out", w.path("link-to-model")}), "would replace the file --model reads"},
        {with(forecast, {"--out", w.path("./data.csv")}), "would replace the file --data reads"},
        {with(evaluate, {"--out", w.path("link-to-data")}), "would replace the file --data reads"},
        {with(evaluate, {"--explain", w.path("link-to-model")}), "--explain '" + w.path("link-to-model") +
                                                                     "' would replace the file --model reads"},
        {with(forecast, {"--config", w.path("c.toml"), "--out", w.path("c.toml")}),
         "would replace the file --config reads"},
        {with(backtest, {"--out", w.path("link-to-data")}), "would replace the file --data reads"},
        {with(evaluate, {"--out", w.path("e.csv"), "--plot", w.path("sub/../e.csv")}),
         "--plot and --out are the same file"},
    };
    for (const Case& c : cases) {
      CAPTURE(fmt::format("{}", fmt::join(c.args, " ")));
      const auto r = run_grucast(c.args);
      CHECK(r.status == 2);
      CHECK_MESSAGE(r.err.find(c.message) != std::string::npos, r.err);
    }
    CHECK(read_text(w.model) == model_bytes);
    CHECK(read_text(w.data) == data_bytes);
    CHECK_FALSE(std::filesystem::exists(w.path("e.csv")));
  }
  TEST_CASE("train refuses --out on the checkpoint it resumes from, and resumes into its own checkpoint") {
    const Workspace w;
    const std::vector<std::string> train = {"train", "--data", w.data, "--target", "CO2", "--lookback", "24",
                                            "--horizon", "6", "--hidden", "4", "--epochs", "2", "-q"};
    // The check comes before --resume is read, so any file serves as the one it names.
    const std::string model_bytes = read_text(w.model);
    auto r = run_grucast(with(train, {"--resume", w.model, "--out", w.model}));
    CHECK(r.status == 2);
    CHECK(r.err == fmt::format("grucast: error: --out '{}' would replace the file --resume reads, --out, give --out a "
                               "file of its own\n", w.model));
    CHECK(read_text(w.model) == model_bytes);
    // --resume and --checkpoint may name one file: the run updates the checkpoint it came from.
    r = run_grucast(with(train, {"--resume", w.model, "--checkpoint", w.model, "--checkpoint-every", "1", "--out",
                                 w.path("other.grc")}));
    CHECK(r.err.find("are the same file") == std::string::npos);
    CHECK(r.err.find("would replace") == std::string::npos);
  }
  TEST_CASE("symbolic links: a dangling one gets its target, a loop is an error before any work") {
    const Workspace w;
    const std::vector<std::string> forecast = {"forecast", "--model", w.model, "--data", w.data, "-q"};
    std::filesystem::create_symlink("target.csv", w.path("dangling.csv"));
    REQUIRE(run_grucast(with(forecast, {"--out", w.path("dangling.csv")})).status == 0);
    CHECK(std::filesystem::is_symlink(w.path("dangling.csv")));
    CHECK(read_text(w.dir / "target.csv").rfind("timestamp,step,forecast\n", 0) == 0);

    std::filesystem::create_symlink("loop.csv", w.path("loop.csv"));
    const auto r = run_grucast(with(forecast, {"--out", "loop.csv"}), "", w.dir.path());
    CHECK(r.status == 1);
    CHECK(r.err == "grucast: error: the output path is a loop of symbolic links, loop.csv, point the link at a file, "
                   "or give another path\n");
    for (const auto& entry : std::filesystem::directory_iterator(w.dir.path())) {
      CHECK_MESSAGE(entry.path().extension() != ".tmp", entry.path().string());
    }
  }
  TEST_CASE("--out /dev/stdout on a pipe writes into the pipe") {
    const Workspace w;
    const std::string exe = GRUCAST_EXECUTABLE;
    const std::string forecast = exe + " forecast -q --model m.grc --data data.csv";
    REQUIRE(run_shell(w.dir.path(), forecast + " --out /dev/stdout | cat > piped.csv") == 0);
    REQUIRE(run_shell(w.dir.path(), forecast + " > plain.csv") == 0);
    CHECK(read_text(w.dir / "piped.csv") == read_text(w.dir / "plain.csv"));
    CHECK(read_text(w.dir / "plain.csv").rfind("timestamp,step,forecast\n", 0) == 0);
  }
  TEST_CASE("an output with a name of 250 bytes is written: its temporary stays within NAME_MAX") {
    const Workspace w;
    const std::string name = std::string(246, 'f') + ".csv";
    const auto r = run_grucast({"forecast", "-q", "--model", w.model, "--data", w.data, "--out", w.path(name)});
    CHECK(r.status == 0);
    CHECK(read_text(w.dir / name).rfind("timestamp,step,forecast\n", 0) == 0);
  }
}
