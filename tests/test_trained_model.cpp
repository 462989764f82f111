#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "grucast/workflow/fit.hpp"
#include "support/frames.hpp"

using namespace grucast;

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
}
