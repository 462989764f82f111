#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "forecast/exp_smoothing.hpp"
#include "forecast/nelder_mead.hpp"
#include "forecast/seasonal_adjust.hpp"
#include "grucast/forecast/classical.hpp"
#include "support/classical_reference.hpp"

using namespace grucast;

namespace {

Series series_of(const std::vector<double>& y) {
  Series s;
  s.values = arma::rowvec(y);
  for (std::size_t i = 0; i < y.size(); ++i) s.time.push_back(static_cast<TimePoint>(i));
  return s;
}

arma::mat forecast_at(ClassicalMethod method, std::size_t season, const Series& s, std::vector<std::size_t> origins,
                      std::size_t horizon) {
  arma::mat out;
  ClassicalForecaster(method, season).forecast(s, origins, horizon, out);
  return out;
}

}  // namespace

TEST_SUITE("classical") {
  TEST_CASE("Nelder-Mead finds the minimum of the Rosenbrock function") {
    const auto rosenbrock = [](std::span<const double> x) {
      return 100.0 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1.0 - x[0], 2);
    };
    const NelderMeadResult best = nelder_mead(rosenbrock, {-1.2, 1.0}, 1e-12, 5000);
    CHECK(best.point[0] == doctest::Approx(1.0).epsilon(1e-3));
    CHECK(best.point[1] == doctest::Approx(1.0).epsilon(1e-3));
    CHECK(best.value < 1e-6);
  }

  TEST_CASE("a constant series forecasts its value and is not seasonal") {
    const Series s = series_of(std::vector<double>(40, 5.0));
    CHECK_FALSE(seasonal_by_acf(std::vector<double>(40, 5.0), 4));
    for (ClassicalMethod method : {ClassicalMethod::ses, ClassicalMethod::holt, ClassicalMethod::damped,
                                   ClassicalMethod::theta, ClassicalMethod::comb}) {
      const arma::mat f = forecast_at(method, 4, s, {40}, 6);
      CHECK(arma::approx_equal(f, arma::mat(6, 1, arma::fill::value(5.0)), "absdiff", 1e-6));
    }
  }

  TEST_CASE("short series get a forecast from their first value on") {
    for (std::size_t n = 1; n <= 12; ++n) {
      std::vector<double> y(n);
      for (std::size_t i = 0; i < n; ++i) y[i] = 10.0 + static_cast<double>(i % 3);
      for (ClassicalMethod method : {ClassicalMethod::ses, ClassicalMethod::holt, ClassicalMethod::damped,
                                     ClassicalMethod::theta, ClassicalMethod::comb}) {
        CAPTURE(n);
        const arma::mat f = forecast_at(method, 1, series_of(y), {n}, 4);
        CHECK(f.is_finite());
      }
    }
  }

  TEST_CASE("the M4 benchmarks match R's forecast package (bench/classical_reference.R)") {
    const std::map<std::string, ClassicalMethod> methods = {{"ses", ClassicalMethod::ses},
                                                            {"holt", ClassicalMethod::holt},
                                                            {"damped", ClassicalMethod::damped},
                                                            {"theta", ClassicalMethod::theta},
                                                            {"comb", ClassicalMethod::comb}};
    for (const auto& [name, c] : test::read_classical_reference()) {
      const std::vector<double>& y = c.values.at("y");
      CAPTURE(name);
      CHECK(seasonal_by_acf(y, c.season) == (c.values.at("seasonal")[0] == 1.0));
      for (const auto& [method_name, method] : methods) {
        CAPTURE(method_name);
        const arma::mat f = forecast_at(method, c.season, series_of(y), {y.size()}, c.horizon);
        const std::vector<double>& expected = c.values.at(method_name);
        double worst = 0.0;
        for (std::size_t h = 0; h < c.horizon; ++h)
          worst = std::max(worst, std::fabs(f(h, 0) - expected[h]) / std::max(1.0, std::fabs(expected[h])));
        CHECK(worst < 1e-7);  // the same optimiser path as R: agrees to ~1e-12
      }
    }
  }

  TEST_CASE("later origins filter on with the first origin's parameters") {
    std::vector<double> y(60);
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = 20.0 + 0.3 * static_cast<double>(i) + std::sin(1.0 * i);
    const Series s = series_of(y);
    // Origins in any order give the columns of their own origin.
    const arma::mat together = forecast_at(ClassicalMethod::theta, 1, s, {50, 40, 45}, 3);
    const arma::mat reversed = forecast_at(ClassicalMethod::theta, 1, s, {45, 40, 50}, 3);
    CHECK(arma::approx_equal(together.col(0), reversed.col(2), "absdiff", 1e-12));
    CHECK(arma::approx_equal(together.col(2), reversed.col(0), "absdiff", 1e-12));
    // At its first origin a method is its own single-origin fit.
    CHECK(arma::approx_equal(together.col(1), forecast_at(ClassicalMethod::theta, 1, s, {40}, 3), "reldiff", 1e-9));
  }
}
