// train --ensemble N and --max-time (issue 21): what the user sees, and what is refused.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

std::string wave_csv() {
  std::string csv = "t,y\n";
  for (int i = 0; i < 300; ++i) csv += fmt::format("{},{:.6f}\n", i, 10.0 + std::sin(0.5 * i) + 0.02 * i);
  return csv;
}

std::vector<std::string> train_args(const std::string& data, const std::string& model) {
  return {"train", "--data", data, "--target", "y", "--lookback", "8", "--horizon", "3", "--hidden", "4",
          "--epochs", "2", "--threads", "2", "--out", model};
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

TEST_SUITE("cli ensemble") {
  TEST_CASE("--ensemble 3: trained, summarized, inspected and forecast as the median of three networks") {
    TempDir dir;
    const std::string data = (dir / "wave.csv").string(), model = (dir / "e.grc").string();
    write_text(data, wave_csv());
    const auto r = run_grucast(with(train_args(data, model), {"--ensemble", "3", "--format", "json"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.find("grucast: member 3/3  epoch    2/2") != std::string::npos);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["ensemble"]["members"].size() == 3);
    CHECK(j["ensemble"]["members"][0]["lookback"] == 8);
    CHECK(j["ensemble"]["members"][2]["lookback"] == 28);
    CHECK(j["ensemble"]["members"][2]["seed"] == 3);
    CHECK(j["ensemble"]["skipped"] == 0);

    const auto text = run_grucast(with(train_args(data, model), {"--ensemble", "3", "-q"}));
    REQUIRE_MESSAGE(text.status == 0, text.err);
    CHECK(text.out.find("ensemble: the median of 3 gru networks, lookbacks 8 to 28 and seeds 1 to 3, trained for 2 to "
                        "2 epochs\n") != std::string::npos);
    CHECK(text.out.find(" (3 networks of ") != std::string::npos);
    CHECK(text.out.find("\ntrained (member 1): 2 epochs in ") != std::string::npos);

    const auto inspect = run_grucast({"inspect", model});
    REQUIRE_MESSAGE(inspect.status == 0, inspect.err);
    CHECK(inspect.out.find("parameters (3 networks of ") != std::string::npos);
    CHECK(inspect.out.find("Ensemble (3 networks; forecasts are their median, step by step)\n"
                           "  member 1              lookback 8, seed 1: 2 epochs") != std::string::npos);

    const auto forecast = run_grucast({"forecast", "--model", model, "--data", data, "-q"});
    REQUIRE_MESSAGE(forecast.status == 0, forecast.err);
    CHECK(forecast.out.starts_with("timestamp,step,forecast\n300,1,"));

    const auto exported = run_grucast({"export", model, "--out", (dir / "e.json").string()});
    CHECK(exported.status == 2);
    CHECK(exported.err == "grucast: error: the model is an ensemble of 3 networks, and a state_dict holds one, MODEL, "
                          "export a model trained with --ensemble 1\n");
  }

  TEST_CASE("--ensemble auto, the default, trains five networks, and one with --ensemble 1, attention, checkpoints or quantiles") {
    TempDir dir;
    const std::string data = (dir / "wave.csv").string(), model = (dir / "e.grc").string();
    write_text(data, wave_csv());
    const auto members = [&](const std::vector<std::string>& more) {
      const auto r = run_grucast(with(train_args(data, model), with(more, {"--format", "json", "-v"})));
      REQUIRE_MESSAGE(r.status == 0, r.err);
      const auto j = nlohmann::json::parse(r.out);
      return std::make_pair(j["ensemble"].is_null() ? std::size_t{1} : j["ensemble"]["members"].size(), r.err);
    };
    CHECK(members({}).first == 5);
    CHECK(members({"--ensemble", "AUTO"}).first == 5);
    CHECK(members({"--ensemble", "1"}).first == 1);
    const auto [checkpointed, err] = members({"--checkpoint-every", "1"});
    CHECK(checkpointed == 1);
    CHECK(err.find("grucast: --ensemble auto: one network, as an ensemble cannot write one checkpoint for its "
                   "networks (--checkpoint-every)\n") != std::string::npos);
    CHECK(members({"--loss", "quantile"}).first == 1);
    const auto [attending, why] = members({"--attention", "dot"});
    CHECK(attending == 1);
    CHECK(why.find("grucast: --ensemble auto: one network, as an ensemble cannot give forecast --explain one "
                   "network's attention weights (--attention)\n") != std::string::npos);
  }

  TEST_CASE("--final with an ensemble: each member trained again on every row") {
    TempDir dir;
    const std::string data = (dir / "wave.csv").string(), model = (dir / "e.grc").string();
    write_text(data, wave_csv());
    const auto r = run_grucast(with(train_args(data, model), {"--ensemble", "2", "--final", "--format", "json"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["final"]["epochs"].get<int>() >= 1);
    CHECK(j["ensemble"]["members"].size() == 2);
    CHECK(j["test"]["methods"].contains("gru"));
  }

  TEST_CASE("--max-time: training stops after the epoch that passes it, and no member starts after it") {
    TempDir dir;
    const std::string data = (dir / "wave.csv").string(), model = (dir / "e.grc").string();
    write_text(data, wave_csv());
    const auto r = run_grucast(
        with(train_args(data, model), {"--ensemble", "4", "--epochs", "1000", "--max-time", "0.001s", "--threads",
                                       "1", "--format", "json"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["stop"] == "time");
    CHECK(j["epochs_run"] == 1);
    CHECK(j["ensemble"] == nullptr);  // one network: the others were never started
    const auto text = run_grucast(with(train_args(data, model), {"--ensemble", "4", "--epochs", "1000", "--max-time",
                                                                 "0.001s", "--threads", "1", "-q"}));
    CHECK(text.out.find("trained: 1 epochs (stopped at the time budget, --max-time)") != std::string::npos);
    CHECK(text.out.find("ensemble: 1 network: --max-time left the other 3 untrained\n") != std::string::npos);
  }

  TEST_CASE("bad --ensemble and --max-time values, and what an ensemble cannot do, exit 2 with the fix") {
    TempDir dir;
    const std::string data = (dir / "wave.csv").string(), model = (dir / "e.grc").string();
    write_text(data, wave_csv());
    const auto check = [&](const std::vector<std::string>& more, const std::string& message) {
      const auto r = run_grucast(with(train_args(data, model), more));
      CHECK(r.status == 2);
      CHECK(r.err == message);
    };
    check({"--ensemble", "0"}, "grucast: error: ensemble 0 is out of range, --ensemble, use a whole number from 1 "
                               "to 64\n");
    check({"--ensemble", "three"}, "grucast: error: ensemble 'three' is not a whole number, --ensemble, use a "
                                   "whole number from 1 to 64\n");
    check({"--max-time", "soon"}, "grucast: error: max-time 'soon' is not a duration, --max-time, give seconds, "
                                  "or a number with s, m or h, e.g. 90, 15m or 1.5h\n");
    check({"--max-time", "0"}, "grucast: error: max-time 0 is out of range, --max-time, give a positive duration of "
                               "at most 1e9 seconds\n");
    check({"--ensemble", "2", "--checkpoint-every", "1"},
          "grucast: error: an ensemble cannot write one checkpoint for its networks, --checkpoint-every, give "
          "--ensemble 1, or leave out --checkpoint-every\n");
    check({"--ensemble", "2", "--loss", "quantile"},
          "grucast: error: an ensemble cannot take the median of quantiles, --loss quantile, give --ensemble 1, "
          "or leave out --loss quantile\n");
    CHECK_FALSE(std::filesystem::exists(model));
  }

  TEST_CASE("forecast --explain refuses an ensemble's attention") {
    TempDir dir;
    const std::string data = (dir / "wave.csv").string(), model = (dir / "e.grc").string();
    write_text(data, wave_csv());
    const auto r = run_grucast(with(train_args(data, model), {"--ensemble", "2", "--attention", "dot", "-q"}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto f = run_grucast({"forecast", "--model", model, "--data", data, "--explain", (dir / "w.csv").string()});
    CHECK(f.status == 2);
    CHECK(f.err.find("grucast: error: the model is an ensemble of 2 networks, each attending in its own way, so "
                     "there are no single attention weights to explain, --explain, explain a model trained with "
                     "--ensemble 1\n") != std::string::npos);
  }
}
