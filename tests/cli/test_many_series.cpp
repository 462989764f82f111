// Many series through one model (issue 20): series the model was not trained on, and series
// forecast together exactly as each alone.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::csv_rows;
using grucast::test::lines_of;
using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

using Values = std::function<double(int)>;

double wave(int i) { return 20.0 + 3.0 * std::sin(2.0 * M_PI * i / 7.0) + 0.05 * i + 0.3 * std::sin(1.3 * i); }
double other(int i) { return 8.0 + std::cos(2.0 * M_PI * i / 7.0) + 0.2 * std::sin(0.9 * i); }

// Day i from 2021-01-01, as YYYY-MM-DD.
std::string date(int i) {
  const std::chrono::year_month_day d{std::chrono::sys_days{std::chrono::days{18628 + i}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

// date,id,value: `days` daily rows of each series from 2021-01-01, the series interleaved.
std::string long_csv(const std::vector<std::pair<std::string, Values>>& series, int days) {
  std::string csv = "date,id,value\n";
  for (int i = 0; i < days; ++i) {
    for (const auto& [id, value] : series) csv += fmt::format("{},{},{}\n", date(i), id, value(i));
  }
  return csv;
}

// date,value: one series.
std::string one_csv(const Values& value, int days) {
  std::string csv = "date,value\n";
  for (int i = 0; i < days; ++i) csv += fmt::format("{},{}\n", date(i), value(i));
  return csv;
}

const std::vector<std::pair<std::string, Values>> kTrained = {{"A", wave}, {"B", other}};
// C is A times 1000; D is another series again.
const std::vector<std::pair<std::string, Values>> kPanel = {
    {"A", wave}, {"C", [](int i) { return 1000.0 * wave(i); }}, {"B", other}, {"D", [](int i) { return 3.0 + other(i); }}};

void train(const TempDir& dir, const std::string& data, const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"train",      "--data", (dir / data).string(), "--target", "value", "--lookback",
                                   "14",         "--horizon", "3", "--season", "7", "--hidden", "8", "--epochs",
                                   "3",          "--threads", "1", "-q", "--out", (dir / out).string(),
                                   // fractions, not a panel's one horizon: enough validation residuals for 80% intervals
                                   "--val", "0.1", "--test", "0.2",
                                   // the network's forecasts, batched or not (no series chosen for a baseline)
                                   "--fallback", "none"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_grucast(args);
  REQUIRE_MESSAGE(r.status == 0, r.err);
}

// The forecast rows of the CSV `text` (id,timestamp,step,forecast,...) by id.
std::map<std::string, std::vector<std::vector<std::string>>> rows_by_id(const std::string& text) {
  std::map<std::string, std::vector<std::vector<std::string>>> by_id;
  const auto rows = csv_rows(text);
  for (std::size_t i = 1; i < rows.size(); ++i) by_id[rows[i][0]].push_back(rows[i]);
  return by_id;
}

// The lines of `text` after its header.
std::vector<std::string> body(const std::string& text) {
  std::vector<std::string> lines = lines_of(text);
  if (!lines.empty()) lines.erase(lines.begin());
  return lines;
}

}  // namespace

TEST_SUITE("cli many series") {
  TEST_CASE("forecast --model forecasts series it was not trained on, scaled by their own history, with one note") {
    TempDir dir;
    write_text(dir / "ab.csv", long_csv(kTrained, 140));
    write_text(dir / "panel.csv", long_csv(kPanel, 140));
    train(dir, "ab.csv", "m.grc", {"--id", "id"});
    const std::vector<std::string> args = {"forecast", "--model", (dir / "m.grc").string(), "--data",
                                           (dir / "panel.csv").string(), "--intervals", "0.8"};
    const auto r = run_grucast(args);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto err = lines_of(r.err);
    // the data read, C far outside the training data, then the series the model lacks
    REQUIRE(err.size() == 3);
    CHECK(err[2] == "grucast: 2 series were not in the model's training data ('C', 'D'): scaled by their "
                    "own history");
    const auto rows = rows_by_id(r.out);
    REQUIRE(rows.size() == 4);
    for (std::size_t h = 0; h < 3; ++h) {
      const double a = std::stod(rows.at("A")[h][3]), c = std::stod(rows.at("C")[h][3]);
      CHECK(std::isfinite(c));
      CHECK(c / a == doctest::Approx(1000.0).epsilon(0.05));  // A's scaler is its training part's, C's all its rows
      // C's intervals are in C's units: its own MASE scale, not 1 (which would make them 1000 times too narrow).
      const double a_width = std::stod(rows.at("A")[h][5]) - std::stod(rows.at("A")[h][4]);
      const double c_width = std::stod(rows.at("C")[h][5]) - std::stod(rows.at("C")[h][4]);
      CHECK(c_width / a_width == doctest::Approx(1000.0).epsilon(0.5));
    }
    std::vector<std::string> quiet = args;
    quiet.push_back("-q");
    const auto q = run_grucast(quiet);
    CHECK(q.status == 0);
    CHECK(q.err.find("note") == std::string::npos);  // -q: no note (the far-outside warning stays)
    CHECK(q.out == r.out);
  }

  TEST_CASE("evaluate --model scores series it was not trained on, scaled by their own training part") {
    TempDir dir;
    write_text(dir / "ab.csv", long_csv(kTrained, 140));
    write_text(dir / "panel.csv", long_csv(kPanel, 140));
    train(dir, "ab.csv", "m.grc", {"--id", "id"});
    const auto r = run_grucast({"evaluate", "--model", (dir / "m.grc").string(), "--data",
                                (dir / "panel.csv").string(), "--json", "--intervals", "0.8"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(lines_of(r.err).back() == "grucast: 2 series were not in the model's training data ('C', 'D'): "
                                    "scaled by their own training part");
    const auto json = nlohmann::json::parse(r.out);
    REQUIRE(json["per_series"].size() == 4);
    CHECK(json["per_series"][1]["id"] == "C");
    // C is A in other units: the same scale-free errors.
    CHECK(json["per_series"][1]["metrics"]["mase"].get<double>() ==
          doctest::Approx(json["per_series"][0]["metrics"]["mase"].get<double>()).epsilon(0.05));
  }

  TEST_CASE("a one-series model forecasts each series of a long file (--id), a panel model a one-series file "
            "(--id none)") {
    TempDir dir;
    write_text(dir / "ab.csv", long_csv(kTrained, 140));
    write_text(dir / "a.csv", one_csv(wave, 140));
    train(dir, "a.csv", "one.grc");
    train(dir, "ab.csv", "panel.grc", {"--id", "id"});
    // A one-series model's series has no id: every series of the long file is new to it.
    const auto many = run_grucast({"forecast", "--model", (dir / "one.grc").string(), "--data",
                                   (dir / "ab.csv").string(), "--id", "id"});
    REQUIRE_MESSAGE(many.status == 0, many.err);
    CHECK(lines_of(many.err).back() == "grucast: 2 series were not in the model's training data ('A', 'B'): "
                                       "scaled by their own history");
    CHECK(csv_rows(many.out).front() == std::vector<std::string>{"id", "timestamp", "step", "forecast", "method"});
    CHECK(rows_by_id(many.out).size() == 2);
    // Without --id the long file is one series with every date twice.
    const auto twice = run_grucast({"forecast", "--model", (dir / "one.grc").string(), "--data",
                                    (dir / "ab.csv").string(), "-q"});
    CHECK(twice.status == 1);
    CHECK(twice.err.find("duplicate timestamp 2021-01-01") != std::string::npos);
    // A panel model on a file without its id column: --id none reads it as one series.
    const auto missing = run_grucast({"forecast", "--model", (dir / "panel.grc").string(), "--data",
                                      (dir / "a.csv").string(), "-q"});
    CHECK(missing.status == 1);
    CHECK(missing.err.find("no column 'id' (--id) in the header") != std::string::npos);
    CHECK(missing.err.find("--id none reads the file as one series") != std::string::npos);
    const auto one = run_grucast({"forecast", "--model", (dir / "panel.grc").string(), "--data",
                                  (dir / "a.csv").string(), "--id", "none"});
    REQUIRE_MESSAGE(one.status == 0, one.err);
    CHECK(lines_of(one.err).back() ==
          "grucast: the series was not in the model's training data: scaled by its own history");
    CHECK(csv_rows(one.out).front() == std::vector<std::string>{"timestamp", "step", "forecast"});
    CHECK(csv_rows(one.out).size() == 4);
    for (const char* command : {"forecast", "evaluate"}) {  // a given id column that is not the model's
      const auto other_id = run_grucast({command, "--model", (dir / "panel.grc").string(), "--data",
                                         (dir / "ab.csv").string(), "--id", "date", "-q"});
      CHECK(other_id.status == 2);
    }
  }

  TEST_CASE("many series forecast together give each series' forecasts and attention weights as forecast alone") {
    TempDir dir;
    write_text(dir / "ab.csv", long_csv(kTrained, 140));
    write_text(dir / "panel.csv", long_csv(kPanel, 140));
    train(dir, "ab.csv", "att.grc", {"--id", "id", "--attention", "dot"});
    // --horizon 7 rolls out past K = 3 (the explained passes origin by origin).
    const auto forecast = [&](const std::string& data, const std::string& explain) {
      const auto r = run_grucast({"forecast", "--model", (dir / "att.grc").string(), "--data", (dir / data).string(),
                                  "--horizon", "7", "--explain", (dir / explain).string(), "-q"});
      REQUIRE_MESSAGE(r.status == 0, r.err);
      return r.out;
    };
    const std::string together = forecast("panel.csv", "together.csv");
    std::vector<std::string> alone, alone_weights;
    for (const auto& series : kPanel) {
      write_text(dir / "one.csv", long_csv({series}, 140));
      for (const std::string& line : body(forecast("one.csv", "weights.csv"))) alone.push_back(line);
      for (const std::string& line : body(read_text(dir / "weights.csv"))) alone_weights.push_back(line);
    }
    CHECK(body(together) == alone);
    CHECK(body(read_text(dir / "together.csv")) == alone_weights);
    CHECK(alone_weights.size() == 4 * 3 * 14);  // series x passes (7 steps by K = 3) x lags
  }
}
