#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "forecast/ets_model.hpp"
#include "grucast/forecast/classical.hpp"
#include "support/classical_reference.hpp"

using namespace grucast;

namespace {

std::vector<double> forecasts_of(const EtsModel& model, std::span<const double> y, std::size_t horizon) {
  EtsState state = ets_start(model);
  for (double v : y) ets_step(model, state, v);
  std::vector<double> out;
  for (std::size_t h = 1; h <= horizon; ++h) out.push_back(ets_forecast(model, state, h));
  return out;
}

// The standard deviation of y: the scale the forecasts are compared on.
double spread(const std::vector<double>& y) {
  double mean = 0.0, squares = 0.0;
  for (double v : y) mean += v;
  mean /= static_cast<double>(y.size());
  for (double v : y) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(y.size()));
}

}  // namespace

TEST_SUITE("ets") {
  TEST_CASE("AutoETS chooses a model at least as good by AICc as R's, with forecasts close to R's") {
    for (const auto& [name, reference] : test::read_classical_reference()) {
      CAPTURE(name);
      const std::vector<double>& y = reference.values.at("y");
      const std::vector<double>& expected = reference.values.at("ets");
      const double r_aicc = reference.values.at("ets_aicc").at(0);
      REQUIRE(expected.size() == reference.horizon);
      const EtsModel model = fit_ets(y, reference.season);
      CAPTURE(ets_name(model.spec));
      // R's and grucast's AICc share the same constants (n·log Σε², no 2π terms).
      CHECK(model.aicc <= r_aicc + 1e-3 * std::fabs(r_aicc));
      const std::vector<double> ours = forecasts_of(model, y, reference.horizon);
      double worst = 0.0;
      for (std::size_t h = 0; h < reference.horizon; ++h) worst = std::max(worst, std::fabs(ours[h] - expected[h]));
      // Without a season the optimiser takes R's path (to ~1e-12). With one (hourly-normals:
      // R's ETS(M,A,M) at AICc 129.6) the start of the m − 1 seasonal states differs and
      // grucast lands lower (ETS(A,A,A), 87.8): only the AICc is compared.
      if (model.spec.season == EtsSeason::none) CHECK(worst / spread(y) < 1e-6);
    }
  }

  // Hyndman et al. (2008), table 2.3, ETS(M,Ad,M) in error-correction form, written out
  // separately from ets_step's common filter:
  //   ŷ = (l + φb)·s,  ε = (y − ŷ)/ŷ,  l ← (l + φb)(1 + αε),  b ← φb + β(l + φb)ε,  s ← s(1 + γε)
  TEST_CASE("the filter is ETS(M,Ad,M)'s error-correction form") {
    EtsModel model;
    model.spec = {true, Trend::damped, EtsSeason::multiplicative};
    model.period = 4;
    model.alpha = 0.3, model.beta = 0.1, model.gamma = 0.2, model.phi = 0.9;
    model.level = 100.0, model.slope = 2.0, model.seasons = {0.9, 1.1, 1.2, 0.8};
    EtsState state = ets_start(model);
    double l = 100.0, b = 2.0;
    std::vector<double> s = model.seasons;
    const std::vector<double> y{95.0, 118.0, 130.0, 84.0, 99.0, 121.0, 125.0, 90.0, 101.0};
    for (std::size_t t = 0; t < y.size(); ++t) {
      const double q = l + model.phi * b, predicted = q * s[t % 4];
      CHECK(ets_forecast(model, state, 1) == doctest::Approx(predicted).epsilon(1e-12));
      const double e = (y[t] - predicted) / predicted;
      l = q * (1.0 + model.alpha * e);
      b = model.phi * b + model.beta * q * e;
      s[t % 4] *= 1.0 + model.gamma * e;
      ets_step(model, state, y[t]);
      CHECK(state.level == doctest::Approx(l).epsilon(1e-12));
      CHECK(state.slope == doctest::Approx(b).epsilon(1e-12));
      CHECK(state.seasons[t % 4] == doctest::Approx(s[t % 4]).epsilon(1e-12));
    }
    // h steps ahead: (l + (φ + φ²)b)·s of that phase.
    CHECK(ets_forecast(model, state, 2) == doctest::Approx((l + (0.9 + 0.81) * b) * s[(y.size() + 1) % 4]));
  }

  TEST_CASE("a clean seasonal series with a trend is forecast almost exactly") {
    std::vector<double> y(96);
    const auto truth = [](std::size_t t) { return 50.0 + 0.5 * t + 8.0 * std::sin(2.0 * M_PI * t / 12.0); };
    for (std::size_t t = 0; t < y.size(); ++t) y[t] = truth(t);
    const EtsModel model = fit_ets(y, 12);
    CHECK(model.spec.season != EtsSeason::none);
    const std::vector<double> f = forecasts_of(model, y, 12);
    for (std::size_t h = 0; h < 12; ++h) CHECK(f[h] == doctest::Approx(truth(96 + h)).epsilon(0.01));
  }

  TEST_CASE("a straight line is fitted exactly (a criterion of log 0 is kept finite)") {
    std::vector<double> y(40);
    for (std::size_t t = 0; t < y.size(); ++t) y[t] = 3.0 + 2.0 * static_cast<double>(t);
    const std::vector<double> f = forecasts_of(fit_ets(y, 1), y, 5);
    for (std::size_t h = 0; h < 5; ++h) CHECK(f[h] == doctest::Approx(3.0 + 2.0 * (40.0 + h)).epsilon(1e-6));
    const std::vector<double> zeros(30, 0.0);
    for (double v : forecasts_of(fit_ets(zeros, 4), zeros, 3)) CHECK(v == doctest::Approx(0.0));
  }

  TEST_CASE("no multiplicative part on data that are not positive, and short series still get a forecast") {
    std::vector<double> y(60);
    for (std::size_t t = 0; t < y.size(); ++t) y[t] = std::sin(0.9 * t) + (t % 4 == 0 ? -2.0 : 1.0);
    const EtsModel model = fit_ets(y, 4);
    CHECK_FALSE(model.spec.multiplicative_error);
    CHECK(model.spec.season != EtsSeason::multiplicative);
    for (std::size_t n = 1; n <= 12; ++n) {
      CAPTURE(n);
      const std::vector<double> head(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(n));
      for (double v : forecasts_of(fit_ets(head, 4), head, 6)) CHECK(std::isfinite(v));
    }
  }

  TEST_CASE("EtsForecaster: later origins filter on, in any order of origins") {
    std::vector<double> y(120);
    for (std::size_t t = 0; t < y.size(); ++t) y[t] = 20.0 + 0.1 * t + 3.0 * std::sin(2.0 * M_PI * t / 6.0) + std::cos(1.7 * t);
    Series series;
    series.values = arma::rowvec(y);
    for (std::size_t i = 0; i < y.size(); ++i) series.time.push_back(static_cast<TimePoint>(i));
    arma::mat together, reversed, alone;
    const EtsForecaster ets(6);
    ets.forecast(series, std::vector<std::size_t>{100, 90, 110}, 4, together);
    ets.forecast(series, std::vector<std::size_t>{110, 90, 100}, 4, reversed);
    ets.forecast(series, std::vector<std::size_t>{90}, 4, alone);
    CHECK(arma::approx_equal(together.col(0), reversed.col(2), "absdiff", 1e-12));
    CHECK(arma::approx_equal(together.col(1), alone.col(0), "absdiff", 1e-12));
    // Filtering on from origin 90 keeps the parameters fitted there.
    const EtsModel model = fit_ets(std::span<const double>(y).first(90), 6);
    const std::vector<double> at110 = forecasts_of(model, std::span<const double>(y).first(110), 4);
    for (std::size_t h = 0; h < 4; ++h) CHECK(together(h, 2) == doctest::Approx(at110[h]).epsilon(1e-12));
  }
}
