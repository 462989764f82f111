// train --ensemble (issue 21): networks that differ in lookback and seed, forecasting their median.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <vector>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "support/frames.hpp"

using namespace grucast;

namespace {

Frame wave_frame() {
  return test::generated_frame(400, [](std::size_t i) {
    return 10.0 + std::sin(0.5 * static_cast<double>(i)) + 0.02 * static_cast<double>(i);
  });
}

// T = 8, K = 3, a few units and epochs: quick, and enough for members to differ.
ModelConfig small_config() {
  ModelConfig config;
  config.lookback = 8;
  config.shape = {config.prep.inputs(0), 4, 1, 3, 0.0};
  config.train.epochs = 3;
  config.train.threads = 2;
  return config;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

TEST_SUITE("ensemble") {
  TEST_CASE("the lookbacks run from T to 3.5 T, evenly, and stop where the median series has no training window") {
    ModelConfig config = small_config();
    CHECK(ensemble_lookbacks(wave_frame(), config, 1) == std::vector<std::size_t>{8});
    CHECK(ensemble_lookbacks(wave_frame(), config, 3) == std::vector<std::size_t>{8, 18, 28});
    CHECK(ensemble_lookbacks(wave_frame(), config, 6) == std::vector<std::size_t>{8, 12, 16, 20, 24, 28});
    // 40 rows: 28 in the training part (70%), 24 of them left for the lookback beside K = 3 and
    // the transform's lag 1.
    const Frame short_frame = test::generated_frame(40, [](std::size_t i) { return static_cast<double>(i % 5); });
    CHECK(ensemble_lookbacks(short_frame, config, 3) == std::vector<std::size_t>{8, 18, 24});
    config.lookback = 30;  // already past it: every member keeps T
    CHECK(ensemble_lookbacks(short_frame, config, 2) == std::vector<std::size_t>{30, 30});
  }

  TEST_CASE("an ensemble forecasts the median of its members, each where its window fits") {
    const Frame frame = wave_frame();
    const TrainedModel model = fit_ensemble(frame, small_config(), DataConfig{}, 3, false, nullptr);
    REQUIRE(model.members.size() == 3);
    CHECK(model.config.lookback == 8);
    CHECK(model.members[1].lookback == 18);
    CHECK(model.members[2].seed == model.config.train.seed + 2);
    CHECK(model.members_skipped == 0);
    CHECK_FALSE(model.test.methods.empty());
    CHECK_FALSE(model.calibration.empty());
    const NetworkForecaster ensemble(model, frame.source);
    CHECK(ensemble.ensemble());
    CHECK(ensemble.min_history() == 9);  // lookback 8 and the transform's lag 1
    std::vector<TrainedModel> members;
    for (std::size_t i = 0; i < 3; ++i) members.push_back(model.member_model(i));
    CHECK(arma::any(members[0].params_of<float>() != members[1].params_of<float>()));
    // Origin 10: only member 1's window (9 rows) fits; 20: two of them (19); 300: all three.
    const std::vector<std::size_t> origins = {10, 20, 300};
    arma::mat out;
    ensemble.forecast(frame.series[0], origins, 5, out);  // past K = 3: each member rolls out
    for (std::size_t j = 0; j < origins.size(); ++j) {
      for (std::size_t h = 0; h < 5; ++h) {
        std::vector<double> values;
        for (const TrainedModel& member : members) {
          const NetworkForecaster one(member, frame.source);
          if (origins[j] < one.min_history()) continue;
          arma::mat single;
          one.forecast(frame.series[0], std::vector<std::size_t>{origins[j]}, 5, single);
          values.push_back(single(h, 0));
        }
        CHECK(values.size() == std::min<std::size_t>(j + 1, 3));
        CHECK(out(h, j) == median(values));
      }
    }
  }

  TEST_CASE("a model file holds every member, and reads back to the same bytes") {
    const TrainedModel model = fit_ensemble(wave_frame(), small_config(), DataConfig{}, 2, false, nullptr);
    const std::string bytes = model_bytes(model);
    const TrainedModel back = parse_model(bytes, "memory");
    REQUIRE(back.members.size() == 2);
    CHECK(back.members[1].lookback == model.members[1].lookback);
    CHECK(back.members[1].summary.epochs_run == model.members[1].summary.epochs_run);
    CHECK(arma::all(back.members[1].params.get<float>(Precision::f32) ==
                    model.members[1].params.get<float>(Precision::f32)));
    CHECK(arma::all(back.params_of<float>() == model.params_of<float>()));
    CHECK(model_bytes(back) == bytes);
    // The same run again gives the same file: members side by side do not change their weights.
    CHECK(model_bytes(fit_ensemble(wave_frame(), small_config(), DataConfig{}, 2, false, nullptr)) == bytes);
    // A file cut to one network's parameters is refused.
    const std::size_t P = model.parameter_count();
    std::string cut = bytes.substr(0, bytes.size() - 8 - P * 4);
    CHECK_THROWS_AS(parse_model(cut, "cut"), ModelError);
  }

  TEST_CASE("--final trains each member again on every row, for its own best epoch count") {
    const TrainedModel model = fit_ensemble(wave_frame(), small_config(), DataConfig{}, 2, true, nullptr);
    REQUIRE(model.final_fit.has_value());
    REQUIRE(model.members.size() == 2);
    CHECK(model.members[0].summary.validation_windows == 0);
    CHECK(model.members[1].summary.validation_windows == 0);
    CHECK_FALSE(model.test.methods.empty());  // the split ensemble's
    CHECK_FALSE(model.calibration.empty());
  }

  TEST_CASE("a budget that has run out trains the first member one epoch and starts no other") {
    FitControl control;
    control.deadline = std::chrono::steady_clock::now();
    const TrainedModel model = fit_ensemble(wave_frame(), small_config(), DataConfig{}, 4, false, nullptr, control);
    CHECK(model.members.empty());
    CHECK(model.members_skipped == 3);
    CHECK(model.summary.epochs_run == 1);
    CHECK(model.summary.stop == StopReason::time);
    CHECK(stop_text(model.summary) == " (stopped at the time budget, --max-time)");
  }

  TEST_CASE("with --final a spent budget still trains the chosen epochs on every row: the last epoch is never cut") {
    FitControl control;
    control.deadline = std::chrono::steady_clock::now();
    bool cut = false;
    control.final_cut_short = [&cut](std::size_t, std::size_t) { cut = true; };
    const TrainedModel model = fit_final(wave_frame(), small_config(), DataConfig{}, nullptr, control);
    REQUIRE(model.final_fit.has_value());
    CHECK(model.final_fit->epochs_run == 1);  // the split run: one epoch, then the budget
    CHECK(model.final_fit->epochs == 1);
    CHECK(model.summary.epochs_run == 1);
    CHECK(model.summary.stop == StopReason::epochs);
    CHECK_FALSE(cut);
  }

  TEST_CASE("what an ensemble cannot do is refused before training") {
    ModelConfig config = small_config();
    CHECK_THROWS_WITH_AS(fit_ensemble(wave_frame(), config, DataConfig{}, 1, false, nullptr),
                         "--ensemble 1 is out of range, --ensemble, give 2 to 64 networks (--ensemble 1 trains one)", UsageError);
    CHECK_THROWS_WITH_AS(fit_ensemble(wave_frame(), config, DataConfig{}, kMaxEnsemble + 1, false, nullptr),
                         "--ensemble 65 is out of range, --ensemble, give 2 to 64 networks (--ensemble 1 trains one)", UsageError);
    FitControl control;
    control.checkpoint_every = 1;
    CHECK_THROWS_WITH_AS(fit_ensemble(wave_frame(), config, DataConfig{}, 2, false, nullptr, control),
                         "an ensemble cannot write one checkpoint for its networks, --checkpoint-every, give --ensemble "
                         "1, or leave out --checkpoint-every", UsageError);
    config.train.loss = LossKind::quantile;
    CHECK_THROWS_WITH_AS(fit_ensemble(wave_frame(), config, DataConfig{}, 2, false, nullptr),
                         "an ensemble cannot take the median of quantiles, --loss quantile, give --ensemble 1, or leave "
                         "out --loss quantile", UsageError);
  }
}
