#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <numeric>
#include <string>
#include <vector>
#include <stdexcept>
#include <utility>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "support/frames.hpp"

using namespace grucast;

namespace {

// A long-format frame: one series per (id, values) pair, the row index as its time.
Frame panel(const std::vector<std::pair<std::string, std::function<double(std::size_t)>>>& series, std::size_t n) {
  Frame frame = test::generated_frame(n, series.front().second);
  frame.id_column = "id";
  frame.series.clear();
  for (const auto& [id, value] : series) {
    Series s = test::generated_frame(n, value).series.front();
    s.id = id;
    frame.series.push_back(std::move(s));
  }
  return frame;
}

double wave(std::size_t i) { return 10.0 + std::sin(0.7 * static_cast<double>(i)) + 0.01 * static_cast<double>(i); }
double other(std::size_t i) { return 5.0 + std::cos(0.4 * static_cast<double>(i)); }

// A small global model of series "A" (wave) and "B" (other): T = 12, K = 3.
TrainedModel panel_model() {
  ModelConfig config;
  config.lookback = 12;
  config.season = 7;
  config.prep.season = 7;
  config.shape = {config.prep.inputs(0), 8, 1, 3, 0.0};
  config.train.epochs = 2;
  DataConfig data;
  data.id_column = "id";
  return fit_model(panel({{"A", wave}, {"B", other}}, 300), config, data, nullptr);
}

}  // namespace

TEST_SUITE("trained model") {
  TEST_CASE("the parameters are those of the model's precision, and asking for the other is a bug") {
    TrainedModel model;  // f32
    model.params_of<float>() = arma::fvec{1.0f, 2.0f};
    CHECK(model.with_params([]<class E>(const arma::Col<E>& params) { return params.n_elem * sizeof(E); }) == 8);
    CHECK_THROWS_WITH_AS(model.params_of<double>(), "asked for the f64 values of an f32 model", std::logic_error);
    model.config.precision = Precision::f64;
    CHECK(std::as_const(model).with_params([]<class E>(const arma::Col<E>&) { return sizeof(E); }) == 8);
    CHECK(std::as_const(model).params_of<double>().is_empty());
    CHECK_THROWS_WITH_AS(std::as_const(model).params_of<float>(), "asked for the f32 values of an f64 model",
                         std::logic_error);
  }

  TEST_CASE("forecasts at many origins do not depend on the thread count") {
    const Frame frame = test::generated_frame(
        700, [](std::size_t i) { return std::sin(0.3 * static_cast<double>(i)) + 0.01 * static_cast<double>(i); });
    for (const NormalizeKind normalize : {NormalizeKind::none, NormalizeKind::window}) {
      ModelConfig config;
      config.lookback = 12;
      config.prep.normalize = normalize;
      config.shape = {config.prep.inputs(0), 8, 2, 3, 0.0};
      config.train.epochs = 2;
      const TrainedModel model = fit_model(frame, config, DataConfig{}, nullptr);
      std::vector<std::size_t> origins(600);  // several tasks of kInferenceTaskWindows
      std::iota(origins.begin(), origins.end(), 20);
      NetworkForecaster forecaster(model, frame.source);
      arma::mat one, three;
      forecaster.set_threads(1);
      forecaster.forecast(frame.series[0], origins, 3, one);
      forecaster.set_threads(3);
      forecaster.forecast(frame.series[0], origins, 3, three);
      REQUIRE(one.n_cols == origins.size());
      CHECK(one.is_finite());
      CHECK(arma::approx_equal(one, three, "absdiff", 0.0));
      for (const std::size_t j : {0, 127, 128, 255, 599}) {  // each column is its own origin's forecast
        arma::mat alone;
        forecaster.forecast(frame.series[0], std::span<const std::size_t>(&origins[j], 1), 3, alone);
        CHECK(arma::approx_equal(alone.col(0), three.col(j), "reldiff", 1e-5));
      }
    }
  }

  TEST_CASE("forecast_batch gives each series, origin and horizon exactly the forecasts of that series alone") {
    const TrainedModel model = panel_model();
    const Frame frame = panel({{"A", wave}, {"B", other}}, 300);
    const NetworkForecaster forecaster(model, frame.source);
    std::vector<std::size_t> many(200), one = {300}, few = {100, 250, 40};  // 200: more than a task's windows
    std::iota(many.begin(), many.end(), 30);
    const std::vector<SeriesOrigins> groups = {{&frame.series[0], many}, {&frame.series[1], one},
                                               {&frame.series[0], {}}, {&frame.series[1], few}};
    for (const std::size_t horizon : {std::size_t{2}, std::size_t{3}, std::size_t{8}}) {  // 8: rolled out past K
      CAPTURE(horizon);
      arma::mat all, alone;
      forecaster.forecast_batch(groups, horizon, all);
      REQUIRE(all.n_rows == horizon);
      REQUIRE(all.n_cols == many.size() + one.size() + few.size());
      std::size_t column = 0;
      for (const SeriesOrigins& group : groups) {
        if (group.origins.empty()) continue;
        forecaster.forecast(*group.series, group.origins, horizon, alone);
        CHECK(arma::approx_equal(alone, all.cols(column, column + alone.n_cols - 1), "absdiff", 0.0));
        column += alone.n_cols;
      }
    }
  }

  TEST_CASE("a series the model was not trained on is scaled by its own history") {
    const TrainedModel model = panel_model();
    // C is A's copy times 1000: every scale-free step (sdiff, z-score, window shift) sees A2's inputs.
    const Frame frame = panel({{"A2", wave}, {"C", [](std::size_t i) { return 1000.0 * wave(i); }}}, 200);
    NetworkForecaster forecaster(model, frame.source);
    arma::mat a, c;
    const std::size_t end = 200;
    CHECK_THROWS_WITH_AS(forecaster.forecast(frame.series[1], std::span<const std::size_t>(&end, 1), 3, c),
                         "series 'C' was not in the training data, so the model has no scaler for it, synthetic, "
                         "scale it by its own history first (NetworkForecaster::scale_unseen), or train the model on "
                         "data that includes it",
                         ModelError);
    CHECK(forecaster.scale_unseen(frame) == std::vector<std::string>{"A2", "C"});
    CHECK(forecaster.scale_unseen(frame).empty());  // once
    forecaster.forecast(frame.series[0], std::span<const std::size_t>(&end, 1), 3, a);
    forecaster.forecast(frame.series[1], std::span<const std::size_t>(&end, 1), 3, c);
    CHECK(c.is_finite());
    CHECK(arma::approx_equal(c, 1000.0 * a, "reldiff", 1e-6));
    // The series it was trained on keep their trained scalers.
    const Frame trained = panel({{"A", wave}, {"B", other}}, 300);
    NetworkForecaster again(model, trained.source);
    CHECK(again.scale_unseen(trained).empty());
  }

  TEST_CASE("under a split, an unseen series is scaled by its training part: no scored row sets its scale") {
    const TrainedModel model = panel_model();
    const SplitSpec split;  // 70% train, 10% validation, 20% test
    const Frame frame = panel({{"C", other}}, 200);
    Frame changed = frame;  // the last targets 100 times larger: only the test part differs
    changed.series[0].values.tail_cols(20) *= 100.0;
    std::vector<std::size_t> origins(15);  // test origins whose windows end before the changed rows
    std::iota(origins.begin(), origins.end(), 165);
    // The forecasts at those origins with the scaler fitted under the split, or on every row (as
    // forecasts of the future are).
    const auto forecasts = [&](const Frame& data, bool every_row) {
      NetworkForecaster forecaster(model, data.source);
      CHECK(forecaster.scale_unseen(data, every_row ? nullptr : &split) == std::vector<std::string>{"C"});
      arma::mat out;
      forecaster.forecast(data.series[0], origins, 3, out);
      return out;
    };
    const arma::mat before = forecasts(frame, false), after = forecasts(changed, false);
    const arma::mat whole_before = forecasts(frame, true), whole_after = forecasts(changed, true);
    CHECK(arma::approx_equal(before, after, "absdiff", 0.0));
    CHECK_FALSE(arma::approx_equal(whole_before, whole_after, "reldiff", 1e-3));
  }

  TEST_CASE("evaluate scores series batched together exactly as each series alone, with the same sink calls") {
    const TrainedModel model = panel_model();
    Frame frame = panel({{"A", wave}, {"B", other}}, 300);
    Series& b = frame.series[1];  // 100 rows: 18 test origins, where A has 58
    b.values = b.values.cols(0, 99).eval();
    b.time.resize(100);
    b.lines.resize(100);
    const NetworkForecaster forecaster(model, frame.source);
    using Calls = std::vector<std::pair<std::string, std::size_t>>;  // (series and forecast, origin) as the sink saw them
    const auto run = [&](const Frame& data, std::size_t max_forecasts, Calls& calls) {
      EvalOptions options = eval_options(task_shape(model.config), model.config.split);
      options.max_forecasts = max_forecasts;
      options.forecast_sink = [&calls](const Series& series, std::span<const std::size_t> origins, const arma::mat& f) {
        for (std::size_t j = 0; j < origins.size(); ++j) calls.emplace_back(series.id + std::to_string(f(0, j)), origins[j]);
      };
      return evaluate(data, forecaster, options);
    };
    // 120: pieces of up to 40 origins, batches [A 40] [A 18, B 18]; then both series in one batch.
    for (const std::size_t max_forecasts : {std::size_t{120}, std::size_t{1} << 22}) {
      CAPTURE(max_forecasts);
      Calls together, alone;
      const Evaluation all = run(frame, max_forecasts, together);
      REQUIRE(all.series.size() == 2);
      for (std::size_t i = 0; i < 2; ++i) {
        Frame one = frame;
        one.series = {frame.series[i]};
        const Evaluation single = run(one, max_forecasts, alone);
        CHECK(all.series[i].id == single.series[0].id);
        CHECK(all.series[i].origins == single.series[0].origins);
        CHECK(all.series[i].metrics.mae == single.series[0].metrics.mae);
        CHECK(all.series[i].metrics.rmse == single.series[0].metrics.rmse);
      }
      CHECK(together == alone);
    }
  }
}
