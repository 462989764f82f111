#include <doctest/doctest.h>

#include <cmath>

#include "grucast/data/scaler.hpp"
#include "grucast/util/error.hpp"

using namespace grucast;

TEST_SUITE("scaler") {
  const arma::mat values = {{1, 2, 3, 4, 100, -50}, {5, 5, 5, 5, 7, 9}};

  TEST_CASE("zscore is fitted on the training rows only") {
    const Scaler s = Scaler::fit(ScalerKind::zscore, values, 4);
    CHECK(s.shift(0) == doctest::Approx(2.5));
    CHECK(s.scale(0) == doctest::Approx(std::sqrt(1.25)));  // population standard deviation
    const arma::mat changed_test = arma::join_rows(values.cols(0, 3), arma::mat{{0, 0}, {0, 0}});
    const Scaler refit = Scaler::fit(ScalerKind::zscore, changed_test, 4);
    CHECK(arma::approx_equal(refit.scale, s.scale, "absdiff", 0.0));
    CHECK(arma::approx_equal(refit.shift, s.shift, "absdiff", 0.0));
    CHECK(s.shift(1) == doctest::Approx(5.0));  // not 6, the mean with the test rows 7 and 9
    const arma::mat scaled = s.transform(values);
    CHECK(arma::accu(scaled.row(0).cols(0, 3)) == doctest::Approx(0.0));
  }

  TEST_CASE("a constant training column maps to zero instead of dividing by zero") {
    for (const ScalerKind kind : {ScalerKind::zscore, ScalerKind::minmax}) {
      const Scaler s = Scaler::fit(kind, values, 4);
      CHECK(s.scale(1) == 1.0);
      const arma::mat scaled = s.transform(values);
      CHECK(scaled.is_finite());
      CHECK(scaled(1, 0) == 0.0);
    }
  }

  TEST_CASE("minmax maps the training rows into [0, 1]") {
    const Scaler s = Scaler::fit(ScalerKind::minmax, values, 4);
    const arma::mat scaled = s.transform(values);
    CHECK(scaled(0, 0) == 0.0);
    CHECK(scaled(0, 3) == 1.0);
    CHECK(scaled(0, 4) == doctest::Approx(33.0));  // test rows may leave the range
  }

  TEST_CASE("inverse undoes transform, for the matrix and for one column") {
    for (const ScalerKind kind : {ScalerKind::zscore, ScalerKind::minmax, ScalerKind::none}) {
      const Scaler s = Scaler::fit(kind, values, 4);
      CHECK(arma::approx_equal(s.inverse(s.transform(values)), values, "absdiff", 1e-12));
      const arma::mat target = s.transform(values).row(0);
      CHECK(arma::approx_equal(s.inverse_column(target, 0), values.row(0), "absdiff", 1e-12));
    }
  }

  TEST_CASE("scaler names parse") {
    CHECK(parse_scaler("minmax") == ScalerKind::minmax);
    CHECK(scaler_name(ScalerKind::zscore) == "zscore");
    CHECK_THROWS_WITH_AS(parse_scaler("robust"), "unknown scaler 'robust', --scaler, choose zscore, minmax or none",
                         UsageError);
  }

  TEST_CASE("z-score of values near 1e300 and 1e-300: the spread neither overflows nor underflows") {
    for (const double magnitude : {1e300, 1e-300, 1e-307}) {
      CAPTURE(magnitude);
      const arma::mat values = arma::mat{{1.0, 2.0, 3.0, 4.0}} * magnitude;
      const Scaler s = Scaler::fit(ScalerKind::zscore, values, 4);
      CHECK(s.shift[0] / magnitude == doctest::Approx(2.5));
      CHECK(s.scale[0] / magnitude == doctest::Approx(std::sqrt(1.25)));
      const arma::mat scaled = s.transform(values);
      CHECK(scaled.is_finite());
      CHECK(scaled(0, 0) == doctest::Approx(-1.5 / std::sqrt(1.25)));
    }
  }
}
