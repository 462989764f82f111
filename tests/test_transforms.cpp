// The target transforms (--transform): what the network learns, and forecasts restored exactly.
#include <doctest/doctest.h>

#include <cmath>

#include "grucast/data/scaler.hpp"
#include "grucast/util/error.hpp"
#include "data/prepare.hpp"
#include "support/frames.hpp"

using namespace grucast;

namespace {

// A season of 4 that scales with the level: 10 at the low phase, 40 at the high, growing 1% a step.
double multiplicative(std::size_t i) {
  static const double pattern[] = {1.0, 2.0, 4.0, 1.5};
  return 10.0 * pattern[i % 4] * std::pow(1.01, static_cast<double>(i));
}

Preprocessing prep_of(TransformKind kind) {
  Preprocessing prep;
  prep.transform = kind;
  prep.scaler = ScalerKind::none;
  prep.season = 4;
  return prep;
}

}  // namespace

TEST_SUITE("transforms") {
  TEST_CASE("log+sdiff and log+diff take the log, then the difference, and need positive values") {
    const Frame frame = test::generated_frame(40, multiplicative);
    const arma::mat seasonal = transform_values(prep_of(TransformKind::log_sdiff), frame.series[0], "s");
    const arma::mat relative = transform_values(prep_of(TransformKind::log_diff), frame.series[0], "s");
    CHECK(prep_of(TransformKind::log_sdiff).lag() == 4);
    CHECK(prep_of(TransformKind::log_diff).lag() == 1);
    for (std::size_t i = 0; i < 4; ++i) CHECK(seasonal(0, i) == 0.0);
    for (std::size_t i = 4; i < 40; ++i) CHECK(seasonal(0, i) == doctest::Approx(4.0 * std::log(1.01)));
    CHECK(relative(0, 5) == doctest::Approx(std::log(multiplicative(5) / multiplicative(4))));
    Frame negative = test::generated_frame(10, [](std::size_t i) { return i == 6 ? -1.0 : 1.0; });
    CHECK_THROWS_WITH_AS(transform_values(prep_of(TransformKind::log_sdiff), negative.series[0], "f.csv"),
                         "--transform log+sdiff needs positive values, but the target of the series is -1, f.csv:8, "
                         "give positive values, or train with --transform none, diff or sdiff",
                         DataError);
  }

  TEST_CASE("the true transformed values restore to the true future, across several seasons") {
    const Frame frame = test::generated_frame(40, multiplicative);
    const double* history = frame.series[0].values.memptr();
    Scaler identity;
    for (const TransformKind kind : {TransformKind::sdiff, TransformKind::diff, TransformKind::log, TransformKind::log_diff,
                                     TransformKind::log_sdiff}) {
      const Preprocessing prep = prep_of(kind);
      const arma::mat z = transform_values(prep, frame.series[0], "s");
      const std::size_t t = 20, K = 10;  // K > m: later steps restore from the forecasts
      const arma::vec output = z.row(0).cols(t, t + K - 1).t();
      const arma::vec y = restore_forecast(prep.transform, prep.lag(), identity, 0.0, output, history, t);
      for (std::size_t h = 0; h < K; ++h) CHECK(y[h] == doctest::Approx(multiplicative(t + h)).epsilon(1e-12));
    }
  }

  TEST_CASE("--transform auto's series take logarithms first, the others do not, and both restore") {
    Frame frame = test::generated_frame(40, multiplicative);
    frame.series[0].id = "b";
    Preprocessing prep = prep_of(TransformKind::sdiff);
    prep.logged = {"a", "b", "c"};
    CHECK(with_log(TransformKind::none) == TransformKind::log);
    CHECK(with_log(TransformKind::diff) == TransformKind::log_diff);
    CHECK(with_log(TransformKind::sdiff) == TransformKind::log_sdiff);
    CHECK(with_log(TransformKind::log_diff) == TransformKind::log_diff);
    CHECK(prep.transform_of("b") == TransformKind::log_sdiff);
    CHECK(prep.transform_of("d") == TransformKind::sdiff);
    const arma::mat logged = transform_values(prep, frame.series[0], "s");
    CHECK(logged(0, 10) == doctest::Approx(4.0 * std::log(1.01)));
    const double* history = frame.series[0].values.memptr();
    const arma::vec output = logged.row(0).cols(20, 29).t();
    const arma::vec y = restore_forecast(prep.transform_of("b"), prep.lag(), Scaler{}, 0.0, output, history, 20);
    for (std::size_t h = 0; h < 10; ++h) CHECK(y[h] == doctest::Approx(multiplicative(20 + h)).epsilon(1e-12));
    frame.series[0].id = "d";
    CHECK(transform_values(prep, frame.series[0], "s")(0, 10) ==
          doctest::Approx(multiplicative(10) - multiplicative(6)));
    frame.series[0].id = "b";
    frame.series[0].values(0, 6) = 0.0;
    CHECK_THROWS_WITH_AS(transform_values(prep, frame.series[0], "f.csv"),
                         "the model takes logarithms of series 'b' (log+sdiff for it: --transform auto chose it on "
                         "validation), but its target is 0, f.csv:8, give positive values, or train with --transform "
                         "sdiff",
                         DataError);
  }
}
