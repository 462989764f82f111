#include <doctest/doctest.h>

#include "grucast/forecast/baselines.hpp"
#include "grucast/util/error.hpp"

using namespace grucast;

namespace {

Series series_of(const arma::rowvec& y) {
  Series s;
  s.values = y;
  for (arma::uword i = 0; i < y.n_elem; ++i) s.time.push_back(static_cast<TimePoint>(i));
  return s;
}

arma::mat forecast(BaselineMethod method, std::size_t season, const Series& s, std::size_t t, std::size_t k) {
  arma::mat out;
  const std::vector<std::size_t> origins = {t};
  Baseline(method, season).forecast(s, origins, k, out);
  return out;
}

}  // namespace

TEST_SUITE("baselines") {
  // y_1..y_8
  const Series s = series_of({3, 5, 4, 8, 6, 7, 9, 12});

  TEST_CASE("naive repeats the last value seen") {
    const arma::mat f = forecast(BaselineMethod::naive, 1, s, 5, 3);  // sees y_1..y_5
    CHECK(arma::approx_equal(f, arma::vec{6, 6, 6}, "absdiff", 0.0));
  }

  TEST_CASE("snaive repeats the last season, wrapping for h > m") {
    // m = 3 at t = 6: y_4, y_5, y_6, then y_4, y_5 again
    const arma::mat f = forecast(BaselineMethod::snaive, 3, s, 6, 5);
    CHECK(arma::approx_equal(f, arma::vec{8, 6, 7, 8, 6}, "absdiff", 0.0));
    // m = 1 is naive
    CHECK(arma::approx_equal(forecast(BaselineMethod::snaive, 1, s, 6, 2), arma::vec{7, 7}, "absdiff", 0.0));
  }

  TEST_CASE("drift extends the line through the first and last values") {
    // t = 5: slope (6 − 3)/4 = 0.75
    const arma::mat f = forecast(BaselineMethod::drift, 1, s, 5, 2);
    CHECK(arma::approx_equal(f, arma::vec{6.75, 7.5}, "absdiff", 1e-12));
  }

  TEST_CASE("mean is the mean of everything seen") {
    const arma::mat f = forecast(BaselineMethod::mean, 1, s, 4, 2);
    CHECK(arma::approx_equal(f, arma::vec{5, 5}, "absdiff", 1e-12));
  }

  TEST_CASE("many origins at once give the same as one at a time") {
    const std::vector<std::size_t> origins = {3, 8, 5};
    for (const auto method : {BaselineMethod::naive, BaselineMethod::snaive, BaselineMethod::drift, BaselineMethod::mean}) {
      arma::mat all;
      Baseline(method, 2).forecast(s, origins, 4, all);
      for (std::size_t j = 0; j < origins.size(); ++j) {
        CHECK(arma::approx_equal(all.col(j), forecast(method, 2, s, origins[j], 4), "absdiff", 0.0));
      }
    }
  }

  TEST_CASE("names, history needs and parsing") {
    CHECK(Baseline(BaselineMethod::snaive, 12).min_history() == 12);
    CHECK(Baseline(BaselineMethod::drift, 1).min_history() == 2);
    CHECK(Baseline(BaselineMethod::mean, 1).name() == "mean");
    CHECK(parse_baseline("drift") == BaselineMethod::drift);
    CHECK_THROWS_WITH_AS(parse_baseline("arima"),
                         "unknown baseline 'arima', --baseline, choose naive, snaive, drift, mean, ses, holt, damped, "
                         "theta, comb or ets",
                         UsageError);
    CHECK(make_baseline(BaselineMethod::theta, 12)->name() == "theta");
    CHECK(make_baseline(BaselineMethod::comb, 1)->min_history() == 1);
    CHECK(make_baseline(parse_baseline("ets"), 12)->name() == "ets");
    CHECK(make_baseline(BaselineMethod::naive, 1)->name() == "naive");
    CHECK_THROWS_AS(Baseline(BaselineMethod::ses, 1), std::logic_error);
  }
}
