#include <doctest/doctest.h>

#include <cmath>

#include "grucast/forecast/metrics.hpp"

using namespace grucast;

TEST_SUITE("metrics") {
  TEST_CASE("each metric matches its definition on a hand example") {
    ErrorSums sums;
    sums.add(12, 10, 2.0);  // |e| 2: ape 20, smape 200·2/22
    sums.add(3, 4, 2.0);    // |e| 1: ape 25, smape 200/7
    sums.add(-1, 0, 2.0);   // |e| 1: actual 0, left out of MAPE; smape 200
    const Metrics m = sums.metrics();
    CHECK(m.count == 3);
    CHECK(m.mae == doctest::Approx(4.0 / 3));
    CHECK(m.rmse == doctest::Approx(std::sqrt(6.0 / 3)));
    CHECK(m.mape == doctest::Approx((20.0 + 25.0) / 2));
    CHECK(m.mape_skipped == 1);
    CHECK(m.smape == doctest::Approx((400.0 / 22 + 200.0 / 7 + 200.0) / 3));
    CHECK(m.mase == doctest::Approx(4.0 / 3 / 2.0));
  }

  TEST_CASE("an sMAPE term with forecast and actual both zero counts 0") {
    ErrorSums sums;
    sums.add(0, 0, 1.0);
    sums.add(1, 3, 1.0);
    CHECK(sums.metrics().smape == doctest::Approx(100.0 / 2));
    CHECK(std::isnan(ErrorSums().metrics().mae));
  }

  TEST_CASE("MASE pools scaled errors, each with its own series' scale, and skips series without one") {
    ErrorSums a, b, c;
    a.add(2, 0, 1.0);       // scaled 2
    b.add(10, 0, 10.0);     // scaled 1
    c.add(5, 0, std::nan(""));
    a.merge(b);
    a.merge(c);
    const Metrics m = a.metrics();
    CHECK(m.mase == doctest::Approx(1.5));
    CHECK(m.mase_skipped == 1);
    CHECK(m.mae == doctest::Approx(17.0 / 3));
  }

  TEST_CASE("MAPE is undefined when every actual is zero") {
    ErrorSums sums;
    sums.add(1, 0, 1.0);
    CHECK(std::isnan(sums.metrics().mape));
  }

  TEST_CASE("the MASE scale is the in-sample seasonal-naive error of the training part") {
    const arma::rowvec y = {1, 3, 2, 5, 4, 100};
    CHECK(mase_scale(y, 5, 1) == doctest::Approx((2 + 1 + 3 + 1) / 4.0));
    CHECK(mase_scale(y, 5, 2) == doctest::Approx((1 + 2 + 2) / 3.0));
    CHECK(std::isnan(mase_scale(y, 2, 2)));
  }
}

TEST_SUITE("metrics") {
  TEST_CASE("metrics of values near the limit of a double stay finite where the true value is") {
    ErrorSums sums;
    sums.add(1e306, -1e306, 1e306);
    sums.add(-1e306, 1e306, 1e306);
    const Metrics m = sums.metrics();
    CHECK(m.mape == doctest::Approx(200.0));
    CHECK(m.smape == doctest::Approx(200.0));
    CHECK(m.mase == doctest::Approx(2.0));
    CHECK(m.rmse == doctest::Approx(2e306));
    const arma::rowvec y = {1.7e308, -1.7e308, 1.7e308, -1.7e308};
    CHECK(std::isnan(mase_scale(y, 4, 1)));  // the true scale, 3.4e308, is past a double
  }
}
