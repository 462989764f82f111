// GRU + attention through the real executable: train --attention, inspect, forecast --explain
// (the weights of every forecast) and evaluate --explain (the mean per lag), and the mistakes
// users make with them.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

// Two stores, hourly, a daily shape: 2 × 240 rows.
std::string stores_csv() {
  std::string csv = "store,time,load\n";
  for (const char* store : {"north", "south"}) {
    for (int i = 0; i < 240; ++i) {
      const double load = 20 + 5 * std::sin(2 * M_PI * i / 24.0) + 2 * std::cos(i * 0.9) + (store[0] == 's' ? 3 : 0);
      csv += fmt::format("{},2024-01-{:02}T{:02}:00:00Z,{:.3f}\n", store, 1 + i / 24, i % 24, load);
    }
  }
  return csv;
}

struct Workspace {
  TempDir dir;
  std::string data = (dir / "stores.csv").string();
  std::string model = (dir / "stores.grc").string();
  Workspace() { write_text(dir / "stores.csv", stores_csv()); }

  void train(const std::string& attention) const {
    const auto r = run_grucast({"train", "--data", data, "--id", "store", "--target", "load", "--lookback", "12",
                                "--horizon", "3", "--hidden", "6", "--epochs", "3", "--threads", "1", "--attention",
                                attention, "--quiet", "--fallback", "none", "--out", model});
    REQUIRE_MESSAGE(r.status == 0, r.err);
  }
};

// The lines of a CSV, split into fields.
std::vector<std::vector<std::string>> rows(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    for (std::string field; std::getline(parts, field, ',');) fields.push_back(field);
    out.push_back(fields);
  }
  return out;
}

}  // namespace

TEST_SUITE("cli attention") {
  TEST_CASE("train --attention additive, inspect, and forecast --explain: T weights per forecast, summing to 1") {
    Workspace w;
    w.train("additive");
    const auto inspect = run_grucast({"inspect", w.model});
    CHECK(inspect.out.find("additive over the top layer's states, query h_T") != std::string::npos);
    CHECK(inspect.out.find("attention.score.weight") != std::string::npos);
    CHECK(inspect.out.find("head.weight           3 x 12") != std::string::npos);  // the head reads [h_T; c]

    const std::string explain = (w.dir / "why.csv").string();
    const auto forecast = run_grucast({"forecast", "--model", w.model, "--data", w.data, "--explain", explain, "-q"});
    REQUIRE_MESSAGE(forecast.status == 0, forecast.err);
    const auto table = rows(read_text(explain));
    REQUIRE(table.size() == 1 + 2 * 12);  // a forecast per store, 12 lags each
    CHECK(table[0] == std::vector<std::string>{"store", "timestamp", "lag", "weight"});  // the --id column's name
    std::map<std::string, double> sums;
    for (std::size_t i = 1; i < table.size(); ++i) {
      CHECK(table[i][1] == "2024-01-10T23:00:00Z");  // the origin: the last row seen
      CHECK(table[i][2] == std::to_string((i - 1) % 12 + 1));
      sums[table[i][0]] += std::stod(table[i][3]);
    }
    CHECK(sums.size() == 2);
    for (const auto& [store, sum] : sums) CHECK(sum == doctest::Approx(1.0).epsilon(1e-6));

    // Past K, each pass of the roll-out is a forecast: origins K steps apart, past the data.
    const auto rolled =
        run_grucast({"forecast", "--model", w.model, "--data", w.data, "--horizon", "7", "--explain", explain, "-q"});
    REQUIRE_MESSAGE(rolled.status == 0, rolled.err);
    const auto passes = rows(read_text(explain));
    REQUIRE(passes.size() == 1 + 2 * 3 * 12);  // ceil(7 / 3) passes per store
    CHECK(passes[1 + 12][1] == "2024-01-11T02:00:00Z");
    CHECK(passes[1 + 24][1] == "2024-01-11T05:00:00Z");
  }

  TEST_CASE("evaluate --explain: the mean weight of each lag over the test origins") {
    Workspace w;
    w.train("dot");
    const std::string explain = (w.dir / "lags.csv").string();
    const auto evaluate = run_grucast({"evaluate", "--model", w.model, "--data", w.data, "--explain", explain, "-q"});
    REQUIRE_MESSAGE(evaluate.status == 0, evaluate.err);
    CHECK(evaluate.out.find("gru ") != std::string::npos);
    const auto table = rows(read_text(explain));
    REQUIRE(table.size() == 13);
    CHECK(table[0] == std::vector<std::string>{"lag", "weight"});
    double sum = 0.0;
    for (std::size_t i = 1; i < table.size(); ++i) {
      CHECK(table[i][0] == std::to_string(i));
      sum += std::stod(table[i][1]);
    }
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-6));
  }

  TEST_CASE("--explain and --attention mistakes: exit 2 before any work, nothing written") {
    Workspace w;
    w.train("none");
    const std::string out = (w.dir / "f.csv").string(), explain = (w.dir / "why.csv").string();
    struct Case {
      std::vector<std::string> args;
      int status;
      std::string message;
    };
    const std::vector<Case> cases = {
        {{"forecast", "--model", w.model, "--data", w.data, "--out", out, "--explain", explain}, 2,
         fmt::format("grucast: error: the model {} has no attention (it was trained with --attention none), so there "
                     "are no weights to explain, --explain, train the model with --attention additive or dot\n",
                     w.model)},
        {{"forecast", "--baseline", "naive", "--data", w.data, "--id", "store", "--target", "load", "--horizon", "2",
          "--out", out, "--explain", explain},
         2,
         "grucast: error: --explain needs --model, --explain, give a model trained with --attention additive or dot\n"},
        {{"evaluate", "--model", w.model, "--data", w.data, "--explain", "-"}, 2,
         "grucast: error: --explain and --out cannot both go to stdout, --explain, give --explain a file\n"},
        {{"forecast", "--model", w.model, "--data", w.data, "--out", out, "--explain", out}, 2,
         fmt::format("grucast: error: --explain and --out are the same file '{}', --explain, give --explain a file "
                     "of its own\n",
                     out)},
        {{"train", "--data", w.data, "--id", "store", "--target", "load", "--lookback", "12", "--horizon", "3",
          "--attention", "luong", "--out", (w.dir / "m.grc").string()},
         2, "grucast: error: unknown attention 'luong', --attention, use none, additive or dot\n"},
    };
    for (const Case& c : cases) {
      CAPTURE(fmt::format("{}", fmt::join(c.args, " ")));
      const auto r = run_grucast(c.args);
      CHECK(r.status == c.status);
      CHECK(r.err == c.message);
      CHECK(r.out.empty());
      CHECK_FALSE(std::filesystem::exists(out));
      CHECK_FALSE(std::filesystem::exists(explain));
      CHECK_FALSE(std::filesystem::exists(w.dir / "m.grc"));
    }
  }

  TEST_CASE("an --explain file that cannot be written stops the forecast before it writes anything") {
    Workspace w;
    w.train("additive");
    const std::string out = (w.dir / "f.csv").string();
    const auto r = run_grucast({"forecast", "--model", w.model, "--data", w.data, "--out", out, "--explain",
                                (w.dir / "missing" / "why.csv").string(), "-q"});
    CHECK(r.status == 1);
    CHECK(r.err.find("missing/why.csv") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));

    // The same file by another name is refused; a full device for --explain leaves no --out.
    const auto same = run_grucast({"forecast", "--model", w.model, "--data", w.data, "--out", out, "--explain",
                                   (w.dir / "." / "f.csv").string(), "-q"});
    CHECK(same.status == 2);
    CHECK(same.err.find("--explain and --out are the same file") != std::string::npos);
    const auto full = run_grucast({"evaluate", "--model", w.model, "--data", w.data, "--out", out, "--explain",
                                   "/dev/full", "-q"});
    CHECK(full.status == 1);
    CHECK_FALSE(std::filesystem::exists(out));
  }
}
