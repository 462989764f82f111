// Backtests: where the folds lie, that no fold sees past its origin, and that the folds add up.
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "grucast/util/error.hpp"
#include "grucast/workflow/backtest.hpp"
#include "support/frames.hpp"

using namespace grucast;
using grucast::test::generated_frame;

namespace {

// A noisy seasonal series (period 12) that a small GRU learns something of in a few epochs.
Frame seasonal_frame(std::size_t n) {
  return generated_frame(n, [](std::size_t i) {
    return 10.0 + 3.0 * std::sin(2.0 * M_PI * static_cast<double>(i) / 12.0) + 0.3 * std::sin(0.7 * i * i);
  });
}

ModelConfig small_config(std::size_t lookback, std::size_t horizon) {
  ModelConfig config;
  config.lookback = lookback;
  config.season = config.prep.season = 12;
  config.shape = {config.prep.inputs(0), 6, 1, horizon, 0.0};
  config.train.epochs = 3;
  config.train.threads = 1;
  return config;
}

DataConfig data_of(const Frame& frame) {
  DataConfig data;
  data.target = frame.columns.front();
  return data;
}

// Each fold's forecasts, by fold and origin.
using Captured = std::map<std::pair<std::size_t, std::size_t>, arma::vec>;

BacktestControl capture(Captured& captured) {
  BacktestControl control;
  control.sink = [&captured](std::size_t fold, const Calibration*, const Series&, std::span<const std::size_t> origins,
                             const arma::mat& forecasts) {
    for (std::size_t j = 0; j < origins.size(); ++j) captured[{fold, origins[j]}] = forecasts.col(j);
  };
  return control;
}

}  // namespace

TEST_SUITE("backtest") {
  TEST_CASE("the folds split the test origins into consecutive blocks, each trained on every row before it") {
    const Frame frame = generated_frame(200, [](std::size_t i) { return static_cast<double>(i % 7); });
    const TaskShape shape{10, 4, 1, 0};
    BacktestSpec spec;
    spec.folds = 3;
    const SplitSpec split;  // 70/10/20: test from row 160, origins 160..196
    const auto plan = plan_folds(frame, split, shape, spec);
    REQUIRE(plan.size() == 3);
    std::size_t next = 160;
    for (const auto& fold : plan) {
      const FoldRows& rows = fold.at(0);
      CHECK(rows.first == next);
      CHECK(rows.end > rows.first);
      CHECK(rows.split.n_val == 20);
      CHECK(rows.split.n_train + rows.split.n_val == rows.first);
      CHECK(rows.split.n_test == rows.end + shape.horizon - 1 - rows.first);
      next = rows.end;
    }
    CHECK(next == 197);  // one past the last origin N − K
    CHECK(plan[0][0].end - plan[0][0].first == 12);  // 37 origins: 12, 12, 13
  }

  TEST_CASE("with a stride, the folds are the last folds x stride origins") {
    const Frame frame = generated_frame(200, [](std::size_t i) { return static_cast<double>(i % 7); });
    BacktestSpec spec;
    spec.folds = 4;
    spec.stride = 10;
    const auto plan = plan_folds(frame, SplitSpec{}, TaskShape{10, 4, 1, 0}, spec);
    CHECK(plan[0][0].first == 157);
    CHECK(plan[3][0].first == 187);
    CHECK(plan[3][0].end == 197);
  }

  TEST_CASE("too many folds, or a first fold without room to train, is a DataError that says what to change") {
    const Frame frame = generated_frame(100, [](std::size_t i) { return static_cast<double>(i % 7); });
    BacktestSpec spec;
    spec.folds = 20;
    CHECK_THROWS_WITH_AS(plan_folds(frame, SplitSpec{}, TaskShape{10, 4, 1, 0}, spec),
                         "the series has 17 forecast origins in its test part, fewer than --folds 20 (one origin "
                         "each), synthetic, use fewer --folds or a larger --test",
                         DataError);
    spec.folds = 2;
    spec.stride = 40;
    CHECK_THROWS_WITH_AS(plan_folds(frame, SplitSpec{}, TaskShape{10, 4, 1, 0}, spec),
                         "the series has 100 rows; its first fold starts at row 18, which leaves 7 training and 10 "
                         "validation rows, but training needs at least 14 (lookback 10 + horizon 4, and more than "
                         "season 1) and 4 validation rows, synthetic, use a smaller --stride or fewer --folds, or a "
                         "shorter --lookback or --horizon",
                         DataError);
  }

  TEST_CASE("one fold is the train command's test: the same model and the same metrics") {
    const Frame frame = seasonal_frame(300);
    const ModelConfig config = small_config(24, 6);
    FitControl network_only;  // a backtest scores the network, not the forecasters chosen on validation
    network_only.fallback = FallbackPolicy::none;
    const TrainedModel trained = fit_model(frame, config, data_of(frame), nullptr, network_only);
    BacktestSpec spec;
    spec.folds = 1;
    const Backtest b = backtest(frame, config, data_of(frame), spec);
    REQUIRE(b.folds.size() == 1);
    CHECK(b.folds[0].summary.train_losses == trained.summary.train_losses);
    REQUIRE(trained.test.methods.size() == 3);
    CHECK(b.model.overall.mase == trained.test.methods[0].second.mase);
    CHECK(b.naive.overall.mae == trained.test.methods[1].second.mae);
    CHECK(b.origins == trained.test.origins);
  }

  TEST_CASE("no fold sees a row past its first origin: changing later rows leaves its forecasts as they were") {
    const Frame frame = seasonal_frame(300);
    const ModelConfig config = small_config(24, 6);
    BacktestSpec spec;
    spec.folds = 3;
    const auto plan = plan_folds(frame, config.split, task_shape(config), spec);
    Frame changed = frame;
    for (std::size_t i = plan[1][0].first; i < changed.series[0].size(); ++i) changed.series[0].values(0, i) += 50.0;
    Captured before, after;
    backtest(frame, config, data_of(frame), spec, capture(before));
    backtest(changed, config, data_of(changed), spec, capture(after));
    std::size_t compared = 0;
    for (const auto& [key, forecast] : before) {
      if (key.first != 1) continue;
      CHECK(arma::approx_equal(forecast, after.at(key), "absdiff", 0.0));
      ++compared;
    }
    CHECK(compared == plan[0][0].end - plan[0][0].first);
    const auto later = std::pair<std::size_t, std::size_t>{2, plan[1][0].first + 5};
    CHECK_FALSE(arma::approx_equal(before.at(later), after.at(later), "absdiff", 1e-9));
  }

  TEST_CASE("the pooled metrics are those of every fold's forecasts together, beside the baselines") {
    const Frame frame = seasonal_frame(300);
    const ModelConfig config = small_config(24, 6);
    BacktestSpec spec;
    spec.folds = 3;
    spec.refit = Refit::once;
    spec.levels = {0.8};
    Captured forecasts;
    const Backtest b = backtest(frame, config, data_of(frame), spec, capture(forecasts));
    std::size_t origins = 0;
    double abs_sum = 0.0;
    for (const FoldScores& fold : b.folds) {
      origins += fold.origins;
      abs_sum += fold.evaluation.model.overall.mae * static_cast<double>(fold.evaluation.model.overall.count);
    }
    CHECK(origins == b.origins);
    CHECK(forecasts.size() == b.origins);
    CHECK(b.model.overall.count == b.origins * 6);
    CHECK(b.model.overall.mae == doctest::Approx(abs_sum / static_cast<double>(b.model.overall.count)));
    // The baselines do not depend on the folds: naive's MAE is evaluate's on the whole test part.
    const Evaluation whole = evaluate(frame, Baseline(BaselineMethod::naive, 12), eval_options(task_shape(config), config.split));
    CHECK(b.naive.overall.mae == doctest::Approx(whole.model.overall.mae).epsilon(1e-12));
    CHECK(b.snaive.overall.rmse == doctest::Approx(whole.snaive.overall.rmse).epsilon(1e-12));
    // --refit once: one model, fitted on the first fold's rows, serves every fold.
    CHECK(b.folds[0].trained);
    CHECK_FALSE(b.folds[1].trained);
    CHECK(b.folds[2].train_rows == b.folds[0].train_rows);
    REQUIRE(b.intervals.size() == 1);
    std::size_t scored = 0;
    for (const FoldScores& fold : b.folds) scored += fold.evaluation.intervals.at(0).count.at(0);
    CHECK(scored == b.origins);
  }

  TEST_CASE("--refit every trains each fold on more rows, a warm start begins from the previous fold's weights") {
    const Frame frame = seasonal_frame(300);
    const ModelConfig config = small_config(24, 6);
    BacktestSpec spec;
    spec.folds = 2;
    const Backtest cold = backtest(frame, config, data_of(frame), spec);
    CHECK(cold.folds[1].trained);
    CHECK(cold.folds[1].train_rows > cold.folds[0].train_rows);
    spec.warm_start = true;
    const Backtest warm = backtest(frame, config, data_of(frame), spec);
    CHECK(warm.folds[0].summary.train_losses == cold.folds[0].summary.train_losses);
    // Started from trained weights, the second fold's first epoch has a lower loss than from scratch.
    CHECK(warm.folds[1].summary.train_losses.front() < cold.folds[1].summary.train_losses.front());
  }

  TEST_CASE("a stop request ends the backtest with Interrupted") {
    const Frame frame = seasonal_frame(300);
    std::atomic<bool> stop{true};
    BacktestControl control;
    control.stop = &stop;
    BacktestSpec spec;
    spec.folds = 2;
    CHECK_THROWS_AS(backtest(frame, small_config(24, 6), data_of(frame), spec, control), Interrupted);
  }

  TEST_CASE("--refit is every or once") {
    CHECK(parse_refit("once") == Refit::once);
    CHECK_THROWS_WITH_AS(parse_refit("always"),
                         "unknown refit policy 'always', --refit, use every (train a model per fold) or once (train "
                         "on the first fold's rows and reuse it)",
                         UsageError);
  }
}
