// Non-negative targets (issue 20, item 4): --nonnegative parsed and decided on the data, and a
// non-negative model's forecasts, quantiles, roll-outs and intervals kept at 0 or above.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/forecast/nonnegative.hpp"
#include "grucast/forecast/trained_model.hpp"
#include "grucast/io/torch_json.hpp"
#include "grucast/util/error.hpp"
#include "nn/network.hpp"
#include "support/frames.hpp"

using namespace grucast;

namespace {

// A GRU of zero weights whose head bias is its forecast: raw values in and out (no transform,
// scaler or window shift), K = 3 steps, or K·Q outputs for a quantile model.
TrainedModel bias_model(const std::vector<double>& bias, bool nonnegative, std::vector<double> quantiles = {}) {
  TrainedModel m;
  ModelConfig& c = m.config;
  c.lookback = 4;
  c.prep = Preprocessing{TransformKind::none, ScalerKind::none, NormalizeKind::none, 1, {}, {}};
  c.shape = ModelShape{1, 2, 1, 3, 0.0};
  if (!quantiles.empty()) {
    c.train.loss = LossKind::quantile;
    c.shape.quantiles = quantiles.size();
    c.train.quantiles = std::move(quantiles);
  }
  c.nonnegative = nonnegative;
  m.scalers.push_back({"", Scaler{ScalerKind::none, arma::vec{0.0}, arma::vec{1.0}}});
  const ParamLayout layout = network_layout(c.shape);
  arma::fvec& params = m.params_of<float>();
  params.zeros(layout.size());
  const Slice* head = layout.find("head.bias");
  REQUIRE(head != nullptr);
  REQUIRE(head->rows == bias.size());
  for (std::size_t i = 0; i < bias.size(); ++i) params[head->offset + i] = static_cast<float>(bias[i]);
  return m;
}

const Frame kFrame = test::generated_frame(40, [](std::size_t) { return 0.5; });

arma::mat forecast_of(const TrainedModel& model, std::size_t horizon, std::size_t origin = 40) {
  NetworkForecaster forecaster(model, "m.grc");
  arma::mat out;
  forecaster.forecast(kFrame.series[0], std::span<const std::size_t>(&origin, 1), horizon, out);
  return out;
}

}  // namespace

TEST_SUITE("nonnegative") {
  TEST_CASE("--nonnegative is auto, yes or no, and anything else is a usage error") {
    CHECK(parse_nonnegative("auto") == NonnegativeMode::automatic);
    CHECK(parse_nonnegative(" YES ") == NonnegativeMode::yes);
    CHECK(parse_nonnegative("no") == NonnegativeMode::no);
    CHECK(nonnegative_name(NonnegativeMode::automatic) == "auto");
    CHECK_THROWS_WITH_AS(parse_nonnegative("maybe"),
                         "unknown non-negative setting 'maybe', --nonnegative, use auto, yes or no (auto: yes when "
                         "every target value is >= 0)",
                         UsageError);
  }

  TEST_CASE("auto is yes when every target value is >= 0, and yes refuses a negative value, naming its line") {
    const Frame counts = test::generated_frame(30, [](std::size_t i) { return i % 3 == 0 ? 0.0 : 2.0; });
    const Frame dipping = test::generated_frame(30, [](std::size_t i) { return i == 17 ? -0.5 : 1.0; });
    Frame missing = counts;
    missing.series[0].values(0, 4) = std::numeric_limits<double>::quiet_NaN();  // not negative
    CHECK(resolve_nonnegative(NonnegativeMode::automatic, counts));
    CHECK(resolve_nonnegative(NonnegativeMode::automatic, missing));
    CHECK_FALSE(resolve_nonnegative(NonnegativeMode::automatic, dipping));
    CHECK(resolve_nonnegative(NonnegativeMode::yes, counts));
    CHECK_FALSE(resolve_nonnegative(NonnegativeMode::no, counts));
    CHECK_FALSE(resolve_nonnegative(NonnegativeMode::no, dipping));
    CHECK_THROWS_WITH_AS(resolve_nonnegative(NonnegativeMode::yes, dipping),
                         "--nonnegative yes keeps forecasts at 0 or above, but the target 'y' of the series is -0.5 "
                         "(row 18 of the series), synthetic:19, use --nonnegative auto or no for a target that can be "
                         "negative",
                         DataError);
  }

  TEST_CASE("a non-negative model raises its forecasts below 0 to 0, also past K and in every quantile") {
    const std::vector<double> bias = {1.5, -2.0, -0.0};
    const arma::mat off = forecast_of(bias_model(bias, false), 3);
    const arma::mat on = forecast_of(bias_model(bias, true), 3);
    CHECK(off(1, 0) == doctest::Approx(-2.0));
    CHECK(on(0, 0) == doctest::Approx(1.5));
    CHECK(on(1, 0) == 0.0);
    CHECK_FALSE(std::signbit(on(2, 0)));
    CHECK_FALSE(std::signbit(at_least_zero(-0.0)));  // written "0", not "-0"
    CHECK(std::isnan(at_least_zero(std::numeric_limits<double>::quiet_NaN())));  // refused later, not hidden
    const arma::mat rolled = forecast_of(bias_model(bias, true), 7);  // three passes of K = 3
    REQUIRE(rolled.n_rows == 7);
    CHECK(rolled.min() >= 0.0);
    CHECK(rolled(3, 0) == doctest::Approx(1.5));
    CHECK(forecast_of(bias_model(bias, false), 7).min() < 0.0);

    // Q = 3 blocks of K rows: τ 0.1, 0.5, 0.9, each step's quantiles then sorted.
    const std::vector<double> q = {-3.0, -1.0, 0.5, -1.0, 2.0, 1.0, 1.0, 3.0, 2.0};
    const TrainedModel quantile = bias_model(q, true, {0.1, 0.5, 0.9});
    NetworkForecaster forecaster(quantile, "m.grc");
    const std::size_t origin = 40;
    arma::cube all;
    forecaster.forecast_quantiles(kFrame.series[0], std::span<const std::size_t>(&origin, 1), 3, all);
    CHECK(all.min() >= 0.0);
    CHECK(all(0, 0, 0) == 0.0);
    CHECK(all(0, 0, 1) == 0.0);  // the median of step 1, -1 unclamped
    CHECK(all(0, 0, 2) == doctest::Approx(1.0));
    std::vector<arma::mat> lower, upper;
    forecaster.quantile_bounds(kFrame.series[0], std::span<const std::size_t>(&origin, 1), 3, {0.8}, lower, upper);
    CHECK(lower[0].min() >= 0.0);
  }

  TEST_CASE("torch-json keeps config.nonnegative, and an import without it is not non-negative") {
    const nlohmann::ordered_json exported = torch_json(bias_model({1.5, -2.0, 0.0}, true));
    CHECK(exported["model"]["config"]["nonnegative"] == true);
    const TrainedModel back = import_torch_json(exported.dump(), "m.json");
    CHECK(back.config.nonnegative);
    CHECK(back.calibration.nonnegative);
    CHECK(forecast_of(back, 3)(1, 0) == 0.0);
    // From Python: the least model object, with and without the field.
    nlohmann::ordered_json least = {{"format", "grucast-torch-json"},
                                    {"state_dict", exported["state_dict"]},
                                    {"model", {{"config", {{"lookback", 4}}}, {"data", {{"target", "y"}}}}}};
    CHECK_FALSE(import_torch_json(least.dump(), "m.json").config.nonnegative);
    least["model"]["config"]["nonnegative"] = true;
    CHECK(import_torch_json(least.dump(), "m.json").config.nonnegative);
    least["model"]["config"]["nonnegative"] = "yes";
    CHECK_THROWS_WITH_AS(import_torch_json(least.dump(), "m.json"),
                         "model.config.nonnegative is a string, not true or false, m.json, fix it in the import file "
                         "(docs/torch-json.md lists the fields and their defaults)",
                         ModelError);
  }

  TEST_CASE("a non-negative calibration's interval bounds are raised to 0, and evaluate scores those bounds") {
    Calibration calibration;
    calibration.scales.push_back({"", 1.0});
    for (int h = 0; h < 3; ++h) calibration.steps.push_back({10, std::vector<double>(10, 1.0)});
    const arma::vec forecast = {1.5, 0.0, 0.25};
    for (const bool nonnegative : {false, true}) {
      CAPTURE(nonnegative);
      calibration.nonnegative = nonnegative;
      const std::vector<IntervalBand> bands = interval_bands(calibration, forecast, 1.0, {0.8});
      CHECK(bands[0].lower(0) == doctest::Approx(0.5));
      CHECK(bands[0].lower(1) == doctest::Approx(nonnegative ? 0.0 : -1.0));
      CHECK(bands[0].lower(2) == doctest::Approx(nonnegative ? 0.0 : -0.75));
      CHECK(bands[0].upper(1) == doctest::Approx(1.0));

      // The model forecasts 1.5, -2 (0 when non-negative) and 0 at every origin; the actuals are 0.5.
      const TrainedModel model = bias_model({1.5, -2.0, 0.0}, nonnegative);
      const NetworkForecaster forecaster(model, "m.grc");
      EvalOptions options = eval_options(TaskShape{4, 3, 1, 0}, SplitSpec{0.0, 0.25, std::nullopt, {}});
      options.calibration = &calibration;
      options.levels = {0.8};
      const Evaluation evaluation = evaluate(kFrame, forecaster, options);
      REQUIRE(evaluation.intervals.size() == 1);
      // Widths 2, 2, 2 unclamped; [0.5, 2.5], [0, 1], [0, 1] raised to 0.
      CHECK(evaluation.intervals[0].mean_width() == doctest::Approx(nonnegative ? 4.0 / 3.0 : 2.0));
      CHECK(evaluation.intervals[0].step_coverage(1) == doctest::Approx(nonnegative ? 1.0 : 0.0));
      const double mae = nonnegative ? (1.0 + 0.5 + 0.5) / 3.0 : (1.0 + 2.5 + 0.5) / 3.0;
      CHECK(evaluation.model.overall.mae == doctest::Approx(mae));
    }
  }
}
