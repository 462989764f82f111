// Prediction intervals by split conformal prediction (issue 8).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/forecast/intervals.hpp"
#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "forecast/interval_source.hpp"
#include "support/frames.hpp"

using namespace grucast;

namespace {

// Forecasts 0 at every origin and step, so that each residual is |y| / s.
class ZeroForecaster final : public Forecaster {
 public:
  std::string name() const override { return "zero"; }
  std::size_t min_history() const override { return 1; }
  std::string short_history_hint() const override { return ""; }
  void forecast(const Series&, std::span<const std::size_t> origins, std::size_t horizon,
                arma::mat& out) const override {
    out.zeros(horizon, origins.size());
  }
};

// Gives its own intervals: forecast ∓ the level, at every origin and step.
class OwnIntervals final : public Forecaster {
 public:
  std::string name() const override { return "own"; }
  std::size_t min_history() const override { return 1; }
  void forecast(const Series&, std::span<const std::size_t> origins, std::size_t horizon,
                arma::mat& out) const override {
    out.zeros(horizon, origins.size());
  }
  bool has_own_intervals() const override { return true; }
  void check_own_levels(const std::vector<double>& levels) const override {
    if (levels.back() > 0.9) throw UsageError("no level above 0.9", "--intervals", "ask for less");
  }
  void own_bounds(const Series&, std::span<const std::size_t> origins, std::size_t horizon,
                  const std::vector<double>& levels, std::vector<arma::mat>& lower,
                  std::vector<arma::mat>& upper) const override {
    for (const double level : levels) {
      lower.push_back(arma::mat(horizon, origins.size(), arma::fill::value(-level)));
      upper.push_back(arma::mat(horizon, origins.size(), arma::fill::value(level)));
    }
  }
};

StepResiduals residuals_1_to(std::size_t n) {
  StepResiduals step;
  step.count = n;
  for (std::size_t i = 1; i <= n; ++i) step.sorted.push_back(static_cast<double>(i));
  return step;
}

// Independent normal noise (seeded): the exchangeable case where coverage is guaranteed.
Frame white_noise(std::size_t n) {
  std::mt19937_64 generator(7);
  std::normal_distribution<double> normal(10.0, 2.0);
  std::vector<double> values(n);
  for (double& v : values) v = normal(generator);
  return test::generated_frame(n, [&](std::size_t i) { return values[i]; });
}

}  // namespace

TEST_SUITE("intervals") {
  TEST_CASE("the conformal quantile is the ceil((n + 1) level)-th smallest residual") {
    const StepResiduals nine = residuals_1_to(9);
    CHECK(conformal_quantile(nine, 0.8, 0) == 8.0);  // rank ceil(10 * 0.8) = 8
    CHECK(conformal_quantile(nine, 0.5, 0) == 5.0);
    CHECK(conformal_quantile(nine, 0.9, 0) == 9.0);
    CHECK_THROWS_WITH_AS(conformal_quantile(nine, 0.95, 2, "m.grc"),
                         "the 95% interval of step 3 needs at least 19 validation residuals, but the calibration has "
                         "9, m.grc, ask for a lower level, or calibrate on a longer validation part (--val)",
                         DataError);
    CHECK(conformal_quantile(residuals_1_to(99), 0.99, 0) == 99.0);
    CHECK_THROWS_AS(conformal_quantile(residuals_1_to(98), 0.99, 0), DataError);
  }

  TEST_CASE("past 256 residuals the stored order statistics give each quantile at the next rank up") {
    const Frame frame = test::generated_frame(2000, [](std::size_t i) { return static_cast<double>(i % 1000 + 1); });
    // The last half of the rows is the validation part: origins 1000..1999 see y = 1..1000.
    const Calibration c = calibrate_tail(frame, ZeroForecaster(), 0.5, TaskShape{1, 1, 1, 0});
    REQUIRE(c.steps.size() == 1);
    CHECK(c.steps[0].count == 1000);
    CHECK(c.steps[0].sorted.size() == StepResiduals::kMaxStored);
    const double s = c.scales.at(0).scale;  // mean |y_i − y_{i−1}| of the first half
    CHECK(s == doctest::Approx(1.0).epsilon(0.01));
    // Rank 501 of 1000 is stored as the order statistic of rank ceil(129 · 1000 / 256) = 504.
    CHECK(conformal_quantile(c.steps[0], 0.5, 0) * s == doctest::Approx(504.0));
    // Rank 1000 (level 0.999: ceil(1001 · 0.999) = 1000) is the largest, kept exactly.
    CHECK(conformal_quantile(c.steps[0], 0.999, 0) * s == doctest::Approx(1000.0));
  }

  TEST_CASE("on white noise the intervals cover the test actuals at about their level") {
    const Frame frame = white_noise(6000);
    const Baseline mean(BaselineMethod::mean, 1);
    EvalOptions options = eval_options(TaskShape{1, 3, 1, 0}, SplitSpec{0.2, 0.2, std::nullopt, {}});
    const Calibration calibration = calibrate(frame, mean, options.split, options.shape);
    CHECK(calibration.steps.at(0).count == 1198);  // validation rows 3600..4799, origins up to 4797
    options.levels = {0.5, 0.8, 0.95};
    options.calibration = &calibration;
    const Evaluation e = evaluate(frame, mean, options);
    REQUIRE(e.intervals.size() == 3);
    for (const IntervalScore& score : e.intervals) {
      CAPTURE(score.level);
      // Three standard errors of a coverage estimated on 1,198 origins and calibrated on as many.
      const double tolerance = 3.0 * std::sqrt(2.0 * score.level * (1.0 - score.level) / 1198.0);
      CHECK(std::abs(score.coverage() - score.level) <= tolerance);
      for (std::size_t h = 0; h < 3; ++h) CHECK(std::abs(score.step_coverage(h) - score.level) <= tolerance);
    }
    // Wider for higher levels: about 2 · 1.28 σ and 2 · 1.96 σ for σ = 2.
    CHECK(e.intervals[1].mean_width() == doctest::Approx(2 * 1.2816 * 2.0).epsilon(0.08));
    CHECK(e.intervals[2].mean_width() == doctest::Approx(2 * 1.96 * 2.0).epsilon(0.08));
  }

  TEST_CASE("bands are the forecast plus and minus q_h times the series' scale") {
    Calibration c;
    c.steps = {residuals_1_to(9), residuals_1_to(19)};
    const std::vector<IntervalBand> bands = interval_bands(c, arma::vec{100.0, 200.0}, 0.5, {0.5, 0.8});
    REQUIRE(bands.size() == 2);
    CHECK(bands[0].lower[0] == 97.5);   // q = 5 (rank 5 of 9), s = 0.5
    CHECK(bands[0].upper[1] == 205.0);  // q = 10 (rank 10 of 19)
    CHECK(bands[1].lower[0] == 96.0);   // q = 8
    CHECK(bands[1].upper[1] == 208.0);  // q = 16
  }

  TEST_CASE("--intervals levels are fractions in (0, 1), each once") {
    CHECK(parse_levels("0.95, 0.8") == std::vector<double>{0.8, 0.95});
    CHECK(level_name(0.8) == "80");
    CHECK(level_name(0.975) == "97.5");
    CHECK_THROWS_WITH_AS(parse_levels("80"),
                         "interval level '80' is not a fraction between 0 and 1, --intervals, write it as a fraction, "
                         "e.g. 0.8",
                         UsageError);
    CHECK_THROWS_WITH_AS(parse_levels("0.8,abc"),
                         "interval level 'abc' is not a fraction between 0 and 1, --intervals, give coverage levels "
                         "such as 0.8,0.95",
                         UsageError);
    CHECK_THROWS_AS(parse_levels("0.8,"), UsageError);
    CHECK_THROWS_AS(parse_levels("0"), UsageError);
    CHECK_THROWS_AS(parse_levels("nan"), UsageError);
    CHECK_THROWS_WITH_AS(parse_levels("0.8,0.8"),
                         "an interval level is given twice, --intervals, give each level once", UsageError);
  }

  TEST_CASE("a trained model keeps its calibration through its file, and refuses what it cannot give") {
    ModelConfig config;
    config.lookback = 8;
    config.shape = {config.prep.inputs(0), 4, 1, 3, 0.0};
    config.train.epochs = 2;
    config.train.threads = 1;
    const Frame frame = test::generated_frame(400, [](std::size_t i) { return std::sin(0.3 * i) + 0.01 * i; });
    const TrainedModel model = fit_model(frame, config, DataConfig{"y", {}, "", "", "", {}}, nullptr);
    REQUIRE(model.calibration.steps.size() == 3);
    CHECK(model.calibration.steps[0].count == 38);  // validation rows 280..319: origins 280..317
    const TrainedModel loaded = parse_model(model_bytes(model), "m.grc");
    REQUIRE(loaded.calibration.steps.size() == 3);
    for (std::size_t h = 0; h < 3; ++h) {
      CHECK(loaded.calibration.steps[h].count == model.calibration.steps[h].count);
      // Stored rounded up to 6 digits: never narrower, and within 1e-5 relative.
      for (std::size_t i = 0; i < model.calibration.steps[h].sorted.size(); ++i) {
        const double stored = loaded.calibration.steps[h].sorted[i], exact = model.calibration.steps[h].sorted[i];
        CHECK(stored >= exact);
        CHECK(stored <= exact * (1 + 2e-5) + 1e-300);
      }
    }
    CHECK(loaded.calibration.scales.at(0).scale == model.calibration.scales.at(0).scale);
    CHECK_THROWS_AS(check_calibration(loaded.calibration, 3, {0.99}, "m.grc", ""), DataError);  // 38 < 99
    CHECK_NOTHROW(check_calibration(loaded.calibration, 3, {0.8, 0.95}, "m.grc", ""));
    CHECK_THROWS_AS(check_calibration(loaded.calibration, 4, {0.8}, "m.grc", ""), UsageError);  // past K

    config.split.val = 0.0;
    const TrainedModel unvalidated = fit_model(frame, config, DataConfig{"y", {}, "", "", "", {}}, nullptr);
    CHECK(unvalidated.calibration.empty());
    CHECK(parse_model(model_bytes(unvalidated), "m.grc").calibration.empty());
  }

  TEST_CASE("a method without intervals or a calibration of its own is calibrated on the data") {
    const Frame frame = white_noise(600);
    const ZeroForecaster zero;
    EvalOptions options = eval_options(TaskShape{1, 2, 1, 0}, SplitSpec{0.2, 0.2, std::nullopt, {}});
    const IntervalSource source = IntervalSource::for_evaluation(frame, zero, options, {0.8}, "");
    source.apply(options);
    REQUIRE(options.calibration != nullptr);
    CHECK_FALSE(options.bounds);
    CHECK(options.calibration->steps.at(0).count == calibrate(frame, zero, options.split, options.shape).steps[0].count);
    options.split.val = 0.0;
    CHECK_THROWS_AS(IntervalSource::for_evaluation(frame, zero, options, {0.8}, ""), UsageError);
    // Forecasts of the future: calibrated on the last 20% of each series.
    const IntervalSource future = IntervalSource::for_future(frame, zero, 2, 1, {0.8}, "");
    const std::vector<IntervalBand> bands = future.bands(frame.series[0], arma::vec{0.0, 0.0});
    REQUIRE(bands.size() == 1);
    CHECK(bands[0].upper[0] > 0.0);
    CHECK(bands[0].lower[0] == -bands[0].upper[0]);
  }

  TEST_CASE("a method with intervals of its own gives them, at the levels it checks") {
    const Frame frame = white_noise(100);
    const OwnIntervals own;
    EvalOptions options = eval_options(TaskShape{1, 2, 1, 0}, SplitSpec{0.0, 0.2, std::nullopt, {}});
    const IntervalSource source = IntervalSource::for_evaluation(frame, own, options, {0.5, 0.8}, "");
    source.apply(options);
    CHECK(options.calibration == nullptr);
    REQUIRE(options.bounds);
    CHECK(options.levels == std::vector<double>{0.5, 0.8});
    const std::vector<IntervalBand> bands = IntervalSource::for_future(frame, own, 2, 1, {0.8}, "").bands(
        frame.series[0], arma::vec{0.0, 0.0});
    REQUIRE(bands.size() == 1);
    CHECK(bands[0].upper[1] == 0.8);
    CHECK_THROWS_WITH_AS(IntervalSource::for_future(frame, own, 2, 1, {0.95}, ""),
                         "no level above 0.9, --intervals, ask for less", UsageError);
  }
}
