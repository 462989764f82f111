// Never silently worse than a baseline (issue 21): train chooses each series' forecaster on its
// validation part (--fallback auto|none), says so, and forecast uses and names the choice.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <string>

#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

// Six straight lines of 80 rows: drift, Holt and Theta forecast them exactly, and a network of
// 4 units after one epoch cannot.
std::string lines_panel() {
  std::string csv = "id,value\n";
  for (int k = 0; k < 6; ++k) {
    for (int i = 0; i < 80; ++i) csv += fmt::format("s{},{}\n", k, 10.0 + k + 0.3 * (k + 1) * i);
  }
  return csv;
}

// Six series of 80 rows that step up once, at row 40: naive forecasts their last rows exactly,
// and a network of 4 units after one epoch cannot.
std::string steps_panel() {
  std::string csv = "id,value\n";
  for (int k = 0; k < 6; ++k) {
    for (int i = 0; i < 80; ++i) csv += fmt::format("s{},{}\n", k, 20 + k + (i >= 40 ? 1 : 0));
  }
  return csv;
}

std::vector<std::string> train_args(const std::string& data, const std::string& model, const std::string& fallback) {
  return {"train",    "--data", data, "--id",       "id",     "--horizon", "4",    "--hidden", "4",  "--epochs",
          "1",        "--threads", "1", "--ensemble", "1", "--fallback", fallback, "--format", "json",
          "--out",    model};
}

}  // namespace

TEST_SUITE("cli fallback") {
  TEST_CASE("--fallback auto: series a baseline forecasts better on validation are forecast by it, and named") {
    TempDir dir;
    const std::string data = (dir / "lines.csv").string(), model = (dir / "m.grc").string();
    write_text(data, lines_panel());
    const auto r = run_grucast(train_args(data, model, "auto"));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["selection"]["policy"] == "auto");
    CHECK(j["selection"]["series"] == 6);
    CHECK(j["selection"]["network_beaten"] == 6);
    CHECK(j["selection"]["worse_than_naive"] == 0);
    CHECK_FALSE(j["selection"]["chosen"].contains("gru"));
    CHECK(j["test"]["methods"].contains("chosen"));  // scored beside the network on the test part
    CHECK(j["test"]["methods"]["chosen"]["mae"].get<double>() < j["test"]["methods"]["naive"]["mae"].get<double>());

    const auto f = run_grucast({"forecast", "--model", model, "--data", data});
    REQUIRE_MESSAGE(f.status == 0, f.err);
    CHECK(f.err.find("grucast: 6 of 6 series are forecast by another method than the network, chosen on their "
                     "validation part in training (") != std::string::npos);
    CHECK(f.out.starts_with("id,timestamp,step,forecast,method\n"));
    CHECK(f.out.find(",gru\n") == std::string::npos);
    // s0 continues its line 10 + 0.3·i: row 80 is 34.
    CHECK(f.out.find("s0,80,1,34") != std::string::npos);

    // evaluate --model scores what forecast forecasts: train's row "chosen".
    const auto e = run_grucast({"evaluate", "--model", model, "--data", data, "--json"});
    REQUIRE_MESSAGE(e.status == 0, e.err);
    CHECK(e.err.find("grucast: 6 of 6 series are scored with another method than the network, chosen on their "
                     "validation part in training (") != std::string::npos);
    const auto scored = nlohmann::json::parse(e.out);
    CHECK(scored["method"] == "chosen");
    CHECK(scored["metrics"]["mae"] == j["test"]["methods"]["chosen"]["mae"]);
  }

  TEST_CASE("--fallback none: the network everywhere, and the count of series it lost on validation") {
    TempDir dir;
    const std::string data = (dir / "lines.csv").string(), model = (dir / "m.grc").string();
    write_text(data, lines_panel());
    const auto r = run_grucast(train_args(data, model, "none"));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["selection"]["policy"] == "none");
    CHECK(j["selection"]["chosen"] == nlohmann::json{{"gru", 6}});
    CHECK(j["selection"]["network_beaten"] == 6);
    CHECK_FALSE(j["test"]["methods"].contains("chosen"));
    const auto f = run_grucast({"forecast", "--model", model, "--data", data, "-q"});
    REQUIRE_MESSAGE(f.status == 0, f.err);
    CHECK(f.out.find(",gru\n") != std::string::npos);
    CHECK(f.out.find(",drift\n") == std::string::npos);
  }

  TEST_CASE("a warning counts the series whose forecast is worse than naive on validation") {
    TempDir dir;
    const std::string data = (dir / "steps.csv").string(), model = (dir / "m.grc").string();
    write_text(data, steps_panel());
    const auto none = run_grucast(train_args(data, model, "none"));
    REQUIRE_MESSAGE(none.status == 0, none.err);
    CHECK(nlohmann::json::parse(none.out)["selection"]["worse_than_naive"] == 6);
    CHECK(none.err.find("grucast: warning: the forecast is worse than naive on validation for 6 of 6 series "
                        "(--fallback none); --fallback auto forecasts each series with what did clearly better "
                        "there\n") != std::string::npos);
    // auto: naive's exact forecasts are chosen (the best plain baseline), and no warning.
    const auto automatic = run_grucast(train_args(data, model, "auto"));
    REQUIRE_MESSAGE(automatic.status == 0, automatic.err);
    const auto j = nlohmann::json::parse(automatic.out);
    CHECK(j["selection"]["worse_than_naive"] == 0);
    CHECK(j["selection"]["chosen"] == nlohmann::json{{"naive", 6}});
    CHECK(automatic.err.find("worse than naive") == std::string::npos);
    // Lines and steps together, one validation origin each: one choice for all (drift, exact on
    // the lines), worse than naive on the steps, which the warning counts.
    std::string mixed = "id,value\n";
    for (int k = 0; k < 3; ++k) {
      for (int i = 0; i < 80; ++i) mixed += fmt::format("l{},{}\n", k, 10.0 + k + 0.3 * (k + 1) * i);
      for (int i = 0; i < 80; ++i) mixed += fmt::format("s{},{}\n", k, 20 + k + (i >= 40 ? 1 : 0));
    }
    write_text(data, mixed);
    const auto panel = run_grucast(train_args(data, model, "auto"));
    REQUIRE_MESSAGE(panel.status == 0, panel.err);
    CHECK(nlohmann::json::parse(panel.out)["selection"]["chosen"] == nlohmann::json{{"drift", 6}});
    CHECK(panel.err.find("grucast: warning: the forecast is worse than naive on validation for 3 of 6 series "
                         "(--fallback auto); one validation origin cannot tell clearly, so the series with one each "
                         "take the one choice that did best over all of them\n") != std::string::npos);
  }
}
