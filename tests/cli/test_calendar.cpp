// train --calendar end to end: the model file and inspect, forecasts past K by recursive roll-out,
// evaluate, and export → import with the calendar inputs in gru.weight_ih_l0.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;
using Json = nlohmann::ordered_json;

namespace {

// 30 days of hourly values written at +02:00, with a daily cycle in local time: 720 rows.
std::string hourly_csv() {
  std::string csv = "time,load\n";
  for (int i = 0; i < 720; ++i) {
    const int day = i / 24 + 1, hour = i % 24;
    const double load = 50 + 10 * std::sin(2 * M_PI * hour / 24.0) + 3 * std::sin(i * 0.61) + 0.01 * i;
    csv += fmt::format("2024-03-{:02}T{:02}:00:00+02:00,{:.3f}\n", day, hour, load);
  }
  return csv;
}

struct Workspace {
  TempDir dir;
  std::string data = (dir / "load.csv").string();
  std::string model = (dir / "load.grc").string();
  std::string train_out;
  Workspace() {
    write_text(dir / "load.csv", hourly_csv());
    const auto train = run_grucast({"train", "--data", data, "--target", "load", "--lookback", "24", "--horizon", "6",
                                    "--calendar", "hour,DOW", "--hidden", "8", "--epochs", "3", "--threads", "1",
                                    "--ensemble", "1", "--quiet", "--fallback", "none", "--out", model});
    REQUIRE_MESSAGE(train.status == 0, train.err);
    train_out = train.out;
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_SUITE("cli calendar") {
  TEST_CASE("a calendar model says what its inputs are, in train's summary, inspect and the header") {
    Workspace w;
    CHECK(w.train_out.find("6 inputs (the target, 4 calendar inputs (hour, dow) and the window mean)") !=
          std::string::npos);
    const auto inspect = run_grucast({"inspect", w.model});
    REQUIRE_MESSAGE(inspect.status == 0, inspect.err);
    CHECK(inspect.out.find("inputs (D)            6 (the target, 4 calendar inputs (hour, dow) and the window mean)") !=
          std::string::npos);
    CHECK(inspect.out.find("calendar              hour, dow (sine and cosine of the local time)") != std::string::npos);
    const auto json = run_grucast({"inspect", w.model, "--json"});
    REQUIRE(json.status == 0);
    const Json header = Json::parse(json.out);
    CHECK(header["config"]["calendar"] == Json::array({"hour", "dow"}));
    CHECK(header["config"]["inputs"] == 6);
    CHECK(header["slices"][0]["cols"] == 6);  // gru.weight_ih_l0 (3H, D)
  }

  TEST_CASE("forecast past K rolls out with future timestamps, its first K steps are the direct forecast") {
    Workspace w;
    const auto direct = run_grucast({"forecast", "--model", w.model, "--data", w.data});
    REQUIRE_MESSAGE(direct.status == 0, direct.err);
    const auto rolled = run_grucast({"forecast", "--model", w.model, "--data", w.data, "--horizon", "15"});
    REQUIRE_MESSAGE(rolled.status == 0, rolled.err);
    const auto first = lines_of(direct.out), all = lines_of(rolled.out);
    REQUIRE(first.size() == 7);
    REQUIRE(all.size() == 16);
    CHECK(all[0] == "timestamp,step,forecast");
    for (std::size_t i = 1; i < first.size(); ++i) CHECK(all[i] == first[i]);
    CHECK(all[1].rfind("2024-03-31T00:00:00+02:00,1,", 0) == 0);
    CHECK(all[15].rfind("2024-03-31T14:00:00+02:00,15,", 0) == 0);
  }

  TEST_CASE("evaluate uses the calendar inputs of the model and reproduces train's test score") {
    Workspace w;
    const auto evaluate = run_grucast({"evaluate", "--model", w.model, "--data", w.data, "--json", "--quiet"});
    REQUIRE_MESSAGE(evaluate.status == 0, evaluate.err);
    const Json metrics = Json::parse(evaluate.out);
    CHECK(metrics["method"] == "gru");
    const Json header = Json::parse(run_grucast({"inspect", w.model, "--json"}).out);
    CHECK(metrics["metrics"]["mase"] == header["test"]["methods"][0]["mase"]);
  }

  TEST_CASE("export → import keeps the calendar: the same model file, D columns in gru.weight_ih_l0") {
    Workspace w;
    const std::string exported = (w.dir / "load.json").string(), back = (w.dir / "back.grc").string();
    const auto exported_run = run_grucast({"export", w.model, "--out", exported});
    REQUIRE_MESSAGE(exported_run.status == 0, exported_run.err);
    Json j = Json::parse(read_text(exported));
    CHECK(j["model"]["config"]["calendar"] == Json::array({"hour", "dow"}));
    CHECK(j["state_dict"]["gru.weight_ih_l0"][0].size() == 6);
    const auto imported = run_grucast({"import", exported, "--out", back});
    REQUIRE_MESSAGE(imported.status == 0, imported.err);
    CHECK(read_text(back) == read_text(w.model));

    j["model"]["config"].erase("calendar");  // a network with calendar inputs described without them
    write_text(w.dir / "bad.json", j.dump());
    const auto refused = run_grucast({"import", (w.dir / "bad.json").string(), "--out", back});
    CHECK(refused.status == 1);
    CHECK(refused.out.empty());
    CHECK(refused.err == fmt::format("grucast: error: gru.weight_ih_l0 has 6 columns (inputs), but the model object "
                                     "describes 2: the target, 0 features (model.data.features) and the window center "
                                     "(normalize window), {}, list the feature columns (model.data.features) and "
                                     "calendar items (model.config.calendar) the network was trained with, in order\n",
                                     (w.dir / "bad.json").string()));
  }

  TEST_CASE("without --calendar, train tries the items of the time step beside none and keeps the better") {
    TempDir dir;
    write_text(dir / "load.csv", hourly_csv());
    const std::string data = (dir / "load.csv").string(), model = (dir / "auto.grc").string();
    const std::vector<std::string> args = {"train", "--data", data, "--target", "load", "--lookback", "24",
                                           "--horizon", "6", "--hidden", "8", "--epochs", "3", "--threads", "1",
                                           "--out", model};
    const auto r = run_grucast(args);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    // 30 days: hour and dow vary and are spanned; a year is not.
    CHECK(r.err.find("grucast: --calendar auto: training again with the calendar inputs hour,dow, to keep the better "
                     "on validation\n") != std::string::npos);
    const bool with = r.err.find("grucast: calendar hour,dow (validation loss ") != std::string::npos;
    const bool without = r.err.find("grucast: calendar none (validation loss ") != std::string::npos;
    CHECK(with != without);
    const Json header = Json::parse(run_grucast({"inspect", model, "--json"}).out);
    CHECK(header["config"]["calendar"] == (with ? Json::array({"hour", "dow"}) : Json::array()));
    std::vector<std::string> none = args;
    none.insert(none.end(), {"--calendar", "NONE"});
    const auto plain = run_grucast(none);
    REQUIRE_MESSAGE(plain.status == 0, plain.err);
    CHECK(plain.err.find("calendar") == std::string::npos);
    CHECK(Json::parse(run_grucast({"inspect", model, "--json"}).out)["config"]["calendar"] == Json::array());
  }
}
