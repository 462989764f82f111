#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/util/error.hpp"
#include "data/csv.hpp"

using namespace grucast;

namespace {

Frame load(const std::string& file, const std::string& target) {
  DataOptions options;
  options.path = std::string(GRUCAST_DATASETS) + "/" + file;
  options.target = target;
  return load_frame(options);
}

// Column `column` of a plain comma-separated file, read without any grucast code.
std::vector<double> read_column(const std::string& file, std::size_t column) {
  std::ifstream in(std::string(GRUCAST_DATASETS) + "/" + file);
  std::string line;
  std::getline(in, line);
  std::vector<double> y;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string cell;
    for (std::size_t i = 0; i <= column; ++i) std::getline(fields, cell, ',');
    y.push_back(std::stod(cell));
  }
  return y;
}

struct HandMetrics {
  double mae = 0, rmse = 0, mape = 0, smape = 0, mase = 0;
  std::size_t origins = 0;
};

// The protocol of docs/benchmarks.md written out directly, one loop over origins and steps.
HandMetrics hand_protocol(const std::vector<double>& y, std::size_t K, std::size_t m, bool seasonal) {
  const std::size_t N = y.size();
  const auto n_train = static_cast<std::size_t>(std::floor(0.7 * static_cast<double>(N)));
  const auto n_val = static_cast<std::size_t>(std::floor(0.1 * static_cast<double>(N)));
  double s = 0;
  for (std::size_t i = m; i < n_train; ++i) s += std::abs(y[i] - y[i - m]);
  s /= static_cast<double>(n_train - m);
  HandMetrics r;
  double abs = 0, sq = 0, ape = 0, smape = 0;
  std::size_t n = 0;
  for (std::size_t t = n_train + n_val; t <= N - K; ++t, ++r.origins) {
    for (std::size_t h = 1; h <= K; ++h, ++n) {
      const double f = seasonal ? y[t - 1 - m + (h - 1) % m + 1] : y[t - 1];
      const double a = y[t + h - 1], e = std::abs(f - a);
      abs += e;
      sq += e * e;
      ape += 100 * e / std::abs(a);
      smape += 200 * e / (std::abs(f) + std::abs(a));
    }
  }
  r.mae = abs / static_cast<double>(n);
  r.rmse = std::sqrt(sq / static_cast<double>(n));
  r.mape = ape / static_cast<double>(n);
  r.smape = smape / static_cast<double>(n);
  r.mase = r.mae / s;
  return r;
}

void check_same(const Metrics& m, const HandMetrics& hand) {
  CHECK(m.mae == doctest::Approx(hand.mae).epsilon(1e-12));
  CHECK(m.rmse == doctest::Approx(hand.rmse).epsilon(1e-12));
  CHECK(m.mape == doctest::Approx(hand.mape).epsilon(1e-12));
  CHECK(m.smape == doctest::Approx(hand.smape).epsilon(1e-12));
  CHECK(m.mase == doctest::Approx(hand.mase).epsilon(1e-12));
}

Series series_of(std::vector<double> y, std::string id) {
  Series s;
  s.id = std::move(id);
  s.values = arma::rowvec(y);
  for (std::size_t i = 0; i < y.size(); ++i) s.time.push_back(static_cast<TimePoint>(i));
  return s;
}

}  // namespace

TEST_SUITE("evaluate") {
  TEST_CASE("co2 snaive and naive equal a hand computation of the protocol") {
    const Frame frame = load("co2-concentration.csv", "CO2");
    const EvalOptions options = eval_options(TaskShape{36, 12, 12}, SplitSpec{});
    const Evaluation e = evaluate(frame, Baseline(BaselineMethod::snaive, 12), options);
    const std::vector<double> y = read_column("co2-concentration.csv", 1);
    const HandMetrics snaive = hand_protocol(y, 12, 12, true), naive = hand_protocol(y, 12, 12, false);
    CHECK(e.origins == 138);
    CHECK(snaive.origins == 138);
    check_same(e.model.overall, snaive);
    check_same(e.snaive.overall, snaive);
    check_same(e.naive.overall, naive);
    // Pinned: the same numbers from an independent Python computation, and the reference table of docs/benchmarks.md.
    CHECK(e.model.overall.mae == doctest::Approx(2.3355978260869503).epsilon(1e-12));
    CHECK(e.model.overall.rmse == doctest::Approx(2.4213984785217497).epsilon(1e-12));
    CHECK(e.model.overall.mape == doctest::Approx(0.5855922451543335).epsilon(1e-12));
    CHECK(e.model.overall.smape == doctest::Approx(0.5874343288921625).epsilon(1e-12));
    CHECK(e.model.overall.mase == doctest::Approx(1.711506712429939).epsilon(1e-12));
    CHECK(e.naive.overall.mase == doctest::Approx(2.0930938324169444).epsilon(1e-12));
    CHECK(e.model.per_step.size() == 12);
    CHECK(e.model.per_step[0].count == 138);
  }

  TEST_CASE("the reference tasks give the reference baseline MASE and origins") {
    struct Task {
      const char* file;
      const char* target;
      std::size_t K, T, m, origins;
      double naive, snaive;
    };
    for (const Task& task : {Task{"seattle-weather.csv", "temp_max", 7, 28, 1, 287, 1.6044, 1.6044},
                             Task{"sp500-2000.csv", "close", 5, 30, 1, 1018, 2.7345, 2.7345},
                             Task{"seattle-weather-hourly-normals.csv", "temperature", 24, 168, 24, 1730, 16.1479,
                                  1.3291}}) {
      CAPTURE(task.file);
      const Evaluation e = evaluate(load(task.file, task.target), Baseline(BaselineMethod::naive, task.m),
                                    eval_options(TaskShape{task.T, task.K, task.m}, SplitSpec{}));
      CHECK(e.origins == task.origins);
      CHECK(e.naive.overall.mase == doctest::Approx(task.naive).epsilon(1e-4));
      CHECK(e.snaive.overall.mase == doctest::Approx(task.snaive).epsilon(1e-4));
    }
  }

  TEST_CASE("series of a long-format file are pooled, each with its own MASE scale") {
    Frame frame;
    frame.id_column = "id";
    frame.series = {series_of({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "up"), series_of({0, 10, 0, 10, 0, 10, 0, 10, 0, 10}, "zigzag")};
    const EvalOptions options = eval_options(TaskShape{2, 1, 1}, SplitSpec{0.1, 0.2, {}, {}});
    const Evaluation e = evaluate(frame, Baseline(BaselineMethod::naive, 1), options);
    // Each series: n_train 7, n_val 1, origins 8 and 9 predicting y_9 and y_10.
    CHECK(e.origins == 4);
    REQUIRE(e.series.size() == 2);
    CHECK(e.series[0].scale == 1.0);
    CHECK(e.series[1].scale == 10.0);
    // up: errors 1, 1 (scaled 1, 1); zigzag: errors 10, 10 (scaled 1, 1); actual 0 skipped in MAPE
    CHECK(e.model.overall.mae == doctest::Approx(5.5));
    CHECK(e.model.overall.mase == doctest::Approx(1.0));
    CHECK(e.model.overall.mape_skipped == 1);
    CHECK(e.series[1].metrics.mae == doctest::Approx(10.0));
  }

  TEST_CASE("of several series, one too short for the split is left out, and none long enough fails before any forecast") {
    // Counts its calls, so the test tells "checked first" from "failed on the way".
    struct CountingForecaster final : Forecaster {
      mutable int calls = 0;
      std::string name() const override { return "counting"; }
      std::size_t min_history() const override { return 1; }
      void forecast(const Series&, std::span<const std::size_t> origins, std::size_t horizon,
                    arma::mat& out) const override {
        ++calls;
        out.zeros(horizon, origins.size());
      }
    };
    Frame frame;
    frame.source = "x.csv";
    frame.id_column = "id";
    frame.series = {series_of(std::vector<double>(200, 1.0), "long"), series_of(std::vector<double>(20, 1.0), "short")};
    const CountingForecaster counting;
    // Of several series, one too short for a test origin is left out, and counted.
    const Evaluation e = evaluate(frame, counting, eval_options(TaskShape{24, 12, 1}, SplitSpec{}));
    CHECK(e.unscored == 1);
    CHECK(e.series.size() == 1);
    CHECK(e.series[0].id == "long");
    // With no series long enough, nothing is forecast.
    frame.series[0] = series_of(std::vector<double>(30, 1.0), "long");
    const std::size_t calls = counting.calls;
    CHECK_THROWS_WITH_AS(evaluate(frame, counting, eval_options(TaskShape{24, 12, 1}, SplitSpec{})),
                         doctest::Contains("series 'long' has 30 rows, but needs at least 120"), DataError);
    CHECK(counting.calls == calls);
  }

  TEST_CASE("future forecasts carry the timestamps after the end of each series") {
    const Frame frame = load("co2-concentration.csv", "CO2");
    const auto forecasts = forecast_future(frame, Baseline(BaselineMethod::snaive, 12), 13);
    REQUIRE(forecasts.size() == 1);
    const SeriesForecast& f = forecasts.front();
    CHECK(format_time(f.time.front(), frame.time_format) == "2020-05-01");
    CHECK(format_time(f.time.back(), frame.time_format) == "2021-05-01");
    const arma::rowvec y = frame.series[0].target();
    CHECK(f.values(0) == y(y.n_elem - 12));   // May 2019
    CHECK(f.values(12) == y(y.n_elem - 12));  // wraps to May again
  }

  TEST_CASE("a future forecast needs the forecaster's history") {
    Frame frame;
    frame.source = "x.csv";
    frame.series = {series_of({1, 2, 3}, "")};
    CHECK_THROWS_WITH_AS(forecast_future(frame, Baseline(BaselineMethod::snaive, 7), 2),
                         "the series has 3 rows, but the snaive forecast needs at least 7, x.csv, use a longer series, "
                         "or a shorter --season",
                         DataError);
  }
}

TEST_SUITE("evaluate") {
  TEST_CASE("forecasting origins in small chunks gives the same metrics") {
    const Frame frame = load("seattle-weather.csv", "temp_max");
    EvalOptions whole = eval_options(TaskShape{28, 7, 7}, SplitSpec{});
    EvalOptions chunked = whole;
    chunked.max_forecasts = 7 * 5;  // five origins at a time
    const Evaluation a = evaluate(frame, Baseline(BaselineMethod::mean, 7), whole);
    const Evaluation b = evaluate(frame, Baseline(BaselineMethod::mean, 7), chunked);
    CHECK(a.origins == b.origins);
    CHECK(a.model.overall.mae == doctest::Approx(b.model.overall.mae).epsilon(1e-14));
    CHECK(a.snaive.per_step[6].rmse == doctest::Approx(b.snaive.per_step[6].rmse).epsilon(1e-14));
    CHECK(a.series[0].metrics.smape == doctest::Approx(b.series[0].metrics.smape).epsilon(1e-14));
  }

  TEST_CASE("more baselines are scored beside naive and snaive, as each scores on its own") {
    const Frame co2 = load("co2-concentration.csv", "CO2");
    EvalOptions options = eval_options(TaskShape{36, 12, 12}, SplitSpec{});
    options.more_baselines = {BaselineMethod::drift, BaselineMethod::theta, BaselineMethod::ets};
    const Evaluation e = evaluate(co2, Baseline(BaselineMethod::naive, 12), options);
    REQUIRE(e.more_baselines.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      const MethodScores& scores = e.more_baselines[i];
      CAPTURE(scores.method);
      const std::unique_ptr<Forecaster> alone = make_baseline(options.more_baselines[i], 12);
      CHECK(scores.method == alone->name());
      const Evaluation own = evaluate(co2, *alone, eval_options(options.shape, options.split));
      CHECK(scores.overall.mae == doctest::Approx(own.model.overall.mae).epsilon(1e-12));
      CHECK(scores.overall.mase == doctest::Approx(own.model.overall.mase).epsilon(1e-12));
      CHECK(scores.per_step.size() == 12);
    }
    CHECK(e.more_baselines[2].overall.mase == doctest::Approx(0.3430).epsilon(1e-3));  // docs/benchmarks.md
  }

  TEST_CASE("a baseline beside the method whose forecasts overflow is left out, not refused") {
    Frame frame;
    frame.source = "x.csv";
    std::vector<double> y(100);  // a ramp from -1.5e308 to 1.5e308: naive is fine, drift's y_t - y_1 overflows
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = 1.5e308 * (-1.0 + 2.0 * static_cast<double>(i) / 99.0);
    frame.series = {series_of(y, "")};
    EvalOptions options = eval_options(TaskShape{5, 2, 1}, {});
    options.more_baselines = {BaselineMethod::drift, BaselineMethod::ets};
    const Evaluation e = evaluate(frame, Baseline(BaselineMethod::naive, 1), options);
    CHECK(std::isfinite(e.model.overall.mae));
    CHECK(std::none_of(e.more_baselines.begin(), e.more_baselines.end(),
                       [](const MethodScores& m) { return m.method == "drift"; }));
    for (const MethodScores& m : e.more_baselines) CHECK((std::isfinite(m.overall.mae) && std::isfinite(m.overall.rmse)));
  }

  TEST_CASE("a forecast that overflows a double is refused, and huge errors still give a finite RMSE") {
    Frame frame;
    frame.source = "x.csv";
    std::vector<double> y(100);
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = (i % 2 == 0 ? 1.0 : -1.0) * 1.7e308;
    frame.series = {series_of(y, "")};
    CHECK_THROWS_WITH_AS(forecast_future(frame, Baseline(BaselineMethod::drift, 1), 3),
                         "the drift forecast of the series is not a finite number (the values are near the limit of a "
                         "double, 1.8e308), x.csv, rescale the data, e.g. divide it by a power of ten",
                         DataError);
    for (double& v : y) v = v / 1.7e8;  // ±1e300: naive errors are 2e300 (step 1) and 0 (step 2)
    frame.series = {series_of(y, "")};
    const Evaluation e = evaluate(frame, Baseline(BaselineMethod::naive, 1), eval_options(TaskShape{5, 2, 1}, {}));
    // sqrt((4e600 + 0)/2): the square is far past a double, the result is not
    CHECK(e.model.overall.rmse == doctest::Approx(2e300 / std::sqrt(2.0)).epsilon(1e-12));
    for (double& v : y) v *= 1.7e8;  // back to ±1.7e308: the naive errors themselves overflow
    frame.series = {series_of(y, "")};
    CHECK_THROWS_WITH_AS(evaluate(frame, Baseline(BaselineMethod::naive, 1), eval_options(TaskShape{5, 2, 1}, {})),
                         "the naive metrics overflow a double (the values or errors are near 1.8e308), x.csv, rescale "
                         "the data, e.g. divide it by a power of ten",
                         DataError);
  }

  TEST_CASE("a MAPE or MASE that overflows names what it divides by, not values near 1.8e308") {
    Frame frame;
    frame.source = "x.csv";
    std::vector<double> y(100);
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = 10.0 + static_cast<double>(i % 3);
    y[90] = 1e-307;  // in the test part: a naive error near 10, over 1e306 times this actual
    frame.series = {series_of(y, "")};
    const EvalOptions options = eval_options(TaskShape{5, 2, 1}, {});
    CHECK_THROWS_WITH_AS(evaluate(frame, Baseline(BaselineMethod::naive, 1), options),
                         "the naive MAPE overflows a double: an error is over 1e306 times its actual value, which is "
                         "that near 0, x.csv, write 0 for actual values that mean zero (MAPE leaves zeros out)",
                         DataError);
    // The training part barely moves (steps of 1e-300), the test part jumps by 1e10.
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = i < 80 ? 1e-300 * static_cast<double>(1 + i % 2) : 1e10;
    frame.series = {series_of(y, "")};
    CHECK_THROWS_WITH_AS(evaluate(frame, Baseline(BaselineMethod::naive, 1), options),
                         "the naive MASE overflows a double: the mean naive error of the training part, which it "
                         "divides by, is near 0, x.csv, check the training part: its values hardly change",
                         DataError);
  }
}

TEST_SUITE("evaluate") {
  TEST_CASE("filled values never leak the future into an evaluation, and are not scored as actuals") {
    // y_i = 10·i, rows 16 and 17 missing and interpolated (160, 170). N = 20: 14 train, 2 validation,
    // test rows 16..19, origins 16..19 with K = 1.
    std::string text = "time,y\n";
    for (int i = 0; i < 20; ++i) text += std::to_string(i) + "," + (i == 16 || i == 17 ? "" : std::to_string(10 * i)) + "\n";
    CsvReader reader("t.csv", text);
    DataOptions data;
    data.target = "y";
    data.missing = MissingPolicy::interpolate;
    const Frame frame = read_frame(reader, data);
    CHECK(frame.series[0].values(0, 17) == 170.0);  // the frame keeps the interpolation
    CHECK(frame.series[0].is_filled(0, 16));
    CHECK_FALSE(frame.series[0].is_filled(0, 15));
    const Series causal = without_lookahead(frame.series[0], 14);
    CHECK(causal.values(0, 16) == 150.0);
    CHECK(causal.values(0, 17) == 150.0);
    const Evaluation e = evaluate(frame, Baseline(BaselineMethod::naive, 1), eval_options(TaskShape{2, 1, 1}, {}));
    // Origins 16 and 17 predict filled actuals: not scored. Origin 18 has seen 150 (not the
    // interpolated 170, which used y_18 itself): error |150 − 180| = 30; origin 19: |180 − 190| = 10.
    CHECK(e.origins == 4);
    CHECK(e.model.overall.count == 2);
    CHECK(e.model.overall.filled_skipped == 2);
    CHECK(e.model.overall.mae == doctest::Approx(20.0));
  }
}

TEST_SUITE("evaluate") {
  TEST_CASE("the forecast sink gets every test origin's forecasts, chunk by chunk, in original units") {
    Frame frame;
    frame.id_column = "id";
    std::vector<double> up(60), down(60);
    for (std::size_t i = 0; i < up.size(); ++i) up[i] = static_cast<double>(i), down[i] = -static_cast<double>(i);
    frame.series = {series_of(up, "up"), series_of(down, "down")};
    EvalOptions options = eval_options(TaskShape{4, 3, 1}, SplitSpec{});
    options.max_forecasts = 3 * 5;  // five origins at a time
    std::vector<std::string> ids;
    std::vector<std::size_t> origins, chunk_sizes;
    options.forecast_sink = [&](const Series& series, std::span<const std::size_t> chunk, const arma::mat& forecasts) {
      REQUIRE(forecasts.n_rows == 3);
      REQUIRE(forecasts.n_cols == chunk.size());
      chunk_sizes.push_back(chunk.size());
      for (std::size_t j = 0; j < chunk.size(); ++j) {
        ids.push_back(series.id);
        origins.push_back(chunk[j]);
        // drift at origin t: y_t + h·(y_t − y_1)/(t − 1), on a straight line the next values exactly
        for (std::size_t h = 0; h < 3; ++h) CHECK(forecasts(h, j) == doctest::Approx(series.values(0, chunk[j] + h)));
      }
    };
    const Evaluation e = evaluate(frame, Baseline(BaselineMethod::drift, 1), options);
    // Each series: 42 train, 6 validation, test rows 48..59, origins 48..57 (10) in two chunks of 5.
    CHECK(origins.size() == e.origins);
    CHECK(chunk_sizes == std::vector<std::size_t>{5, 5, 5, 5});
    CHECK(origins.front() == 48);
    CHECK(origins[9] == 57);
    CHECK(ids.front() == "up");
    CHECK(ids.back() == "down");
    CHECK(std::is_sorted(origins.begin(), origins.begin() + 10));
  }
}
