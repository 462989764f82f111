// Non-negative targets through the executable (issue 20, item 4): train --nonnegative, and the
// forecasts and intervals of a count series that an unclamped model forecasts below 0.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::csv_rows;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

// Hourly counts, mostly 0: a busy day (24, 23, ..., 1), then a day of zeros. The seasonal
// differences of the last day are all negative, and a model of them forecasts below 0.
std::string counts_csv(int negative_at = -1) {
  std::string csv = "time,count\n";
  for (int i = 0; i < 240; ++i) {
    int v = i % 3 == 0 ? 2 : 0;
    if (i >= 192 && i < 216) v = 216 - i;
    if (i >= 216) v = 0;
    if (i == negative_at) v = -1;
    csv += fmt::format("2024-01-{:02}T{:02}:00:00,{}\n", 1 + i / 24, i % 24, v);
  }
  return csv;
}

std::vector<std::string> train_args(const std::string& model, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"train",  "--data",   "counts.csv", "--target", "count", "--lookback", "12",
                                   "--horizon", "6",     "--epochs", "3",          "--hidden", "4",   "--threads",
                                   "1",      "--ensemble", "1", "--out",    model,
                                   "--fallback", "none"};  // the network's forecasts, clamped or not
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Column `column` of every row of a forecast CSV.
std::vector<double> column_of(const std::string& csv, std::size_t column) {
  std::vector<double> values;
  const auto rows = csv_rows(csv);
  for (std::size_t i = 1; i < rows.size(); ++i) values.push_back(std::stod(rows[i].at(column)));
  return values;
}

}  // namespace

TEST_SUITE("cli nonnegative") {
  TEST_CASE("a count series that a model forecasts below 0 is kept at 0 or above, intervals too, unless --nonnegative no") {
    TempDir dir;
    write_text(dir / "counts.csv", counts_csv());
    const auto trained = run_grucast(train_args("auto.grc", {"-q"}), "", dir.path());
    REQUIRE_MESSAGE(trained.status == 0, trained.err);
    CHECK(trained.out.find("\nnon-negative: yes (every training value >= 0): forecasts and interval bounds below 0 "
                           "are raised to 0\n") != std::string::npos);
    REQUIRE(run_grucast(train_args("no.grc", {"-q", "--nonnegative", "no"}), "", dir.path()).status == 0);

    const std::vector<std::string> forecast = {"forecast", "--data", "counts.csv", "--intervals", "0.8", "-q", "--model"};
    auto with = [&](const std::string& model) {
      std::vector<std::string> args = forecast;
      args.push_back(model);
      const auto r = run_grucast(args, "", dir.path());
      REQUIRE_MESSAGE(r.status == 0, r.err);
      return r.out;
    };
    const std::string clamped = with("auto.grc"), unclamped = with("no.grc");
    const std::vector<double> f = column_of(clamped, 2), lower = column_of(clamped, 3);
    REQUIRE(f.size() == 6);
    CHECK(*std::min_element(f.begin(), f.end()) == 0.0);  // some forecasts were below 0, and are 0
    CHECK(*std::min_element(lower.begin(), lower.end()) >= 0.0);
    CHECK(clamped.find(",-") == std::string::npos);  // no negative number anywhere, no "-0"
    const std::vector<double> g = column_of(unclamped, 2), lower_no = column_of(unclamped, 3);
    CHECK(*std::min_element(g.begin(), g.end()) < 0.0);
    CHECK(*std::min_element(lower_no.begin(), lower_no.end()) < 0.0);
    for (std::size_t h = 0; h < f.size(); ++h) CHECK(f[h] == std::max(g[h], 0.0));  // the same model, clamped

    // Past K (a roll-out) and in evaluate's scores: the forecasts forecast writes.
    const auto rolled = run_grucast({"forecast", "--model", "auto.grc", "--data", "counts.csv", "--horizon", "20", "-q"},
                                    "", dir.path());
    REQUIRE_MESSAGE(rolled.status == 0, rolled.err);
    CHECK(rolled.out.find(",-") == std::string::npos);
    auto mae_of = [&](const std::string& model) {
      const auto e = run_grucast({"evaluate", "--model", model, "--data", "counts.csv", "--json", "-q"}, "", dir.path());
      REQUIRE_MESSAGE(e.status == 0, e.err);
      return nlohmann::json::parse(e.out)["metrics"]["mae"].get<double>();
    };
    CHECK(mae_of("auto.grc") < mae_of("no.grc"));  // an actual count is >= 0: a forecast raised to 0 is nearer
    const auto inspect = run_grucast({"inspect", "auto.grc"}, "", dir.path());
    CHECK(inspect.out.find("  non-negative          yes (forecasts and interval bounds below 0 are raised to 0)\n") !=
          std::string::npos);
    const auto header = nlohmann::json::parse(run_grucast({"inspect", "auto.grc", "--json"}, "", dir.path()).out);
    CHECK(header["config"]["nonnegative"] == true);
    const auto plain = nlohmann::json::parse(run_grucast({"inspect", "no.grc", "--json"}, "", dir.path()).out);
    CHECK_FALSE(plain["config"].contains("nonnegative"));
    CHECK(run_grucast({"inspect", "no.grc"}, "", dir.path()).out.find("  non-negative          no\n") !=
          std::string::npos);
  }

  TEST_CASE("--nonnegative yes refuses a negative training value, naming its line, and auto says no") {
    TempDir dir;
    write_text(dir / "counts.csv", counts_csv(97));
    const auto r = run_grucast(train_args("m.grc", {"-q", "--nonnegative", "yes"}), "", dir.path());
    CHECK(r.status == 1);
    CHECK(r.err == "grucast: error: --nonnegative yes keeps forecasts at 0 or above, but the target 'count' of the "
                   "series is -1 (row 98 of the series), counts.csv:99, use --nonnegative auto or no for a target "
                   "that can be negative\n");
    CHECK_FALSE(std::filesystem::exists(dir / "m.grc"));
    const auto automatic = run_grucast(train_args("m.grc", {"-q", "--format", "json"}), "", dir.path());
    REQUIRE_MESSAGE(automatic.status == 0, automatic.err);
    CHECK(nlohmann::json::parse(automatic.out)["nonnegative"] == false);
  }

  TEST_CASE("--nonnegative takes auto, yes or no") {
    TempDir dir;
    write_text(dir / "counts.csv", counts_csv());
    const auto r = run_grucast(train_args("m.grc", {"--nonnegative", "maybe"}), "", dir.path());
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: unknown non-negative setting 'maybe', --nonnegative, use auto, yes or no (auto: "
                   "yes when every target value is >= 0)\n");
    CHECK(r.out.empty());
  }
}
