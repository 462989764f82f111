#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "grucast/forecast/selection.hpp"
#include "grucast/util/error.hpp"
#include "support/frames.hpp"

using namespace grucast;

namespace {

// A stand-in network: the actual values shifted by `offset` (it reads the future, so offset 0
// is a perfect forecaster and a large offset a bad one).
class ShiftedTruth final : public Forecaster {
 public:
  explicit ShiftedTruth(double offset) : offset_([offset](std::size_t) { return offset; }) {}
  /// Shifted by offset(origin): its error is the same at every step of an origin.
  explicit ShiftedTruth(std::function<double(std::size_t)> offset) : offset_(std::move(offset)) {}
  std::string name() const override { return "gru"; }
  std::size_t min_history() const override { return 4; }
  void forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                arma::mat& out) const override {
    out.set_size(horizon, origins.size());
    for (std::size_t j = 0; j < origins.size(); ++j)
      for (std::size_t h = 0; h < horizon; ++h) {
        const std::size_t row = std::min<std::size_t>(origins[j] + h, series.size() - 1);
        out(h, j) = series.values(0, row) + offset_(origins[j]);
      }
  }

 private:
  std::function<double(std::size_t)> offset_;
};

// A stand-in network: a baseline's forecasts plus `offset`, minus it at every other origin.
class BaselinePlus final : public Forecaster {
 public:
  BaselinePlus(BaselineMethod method, double offset) : baseline_(make_baseline(method, 1)), offset_(offset) {}
  std::string name() const override { return "gru"; }
  std::size_t min_history() const override { return 4; }
  void forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                arma::mat& out) const override {
    baseline_->forecast(series, origins, horizon, out);
    for (std::size_t j = 0; j < origins.size(); ++j) out.col(j) += origins[j] % 2 == 0 ? offset_ : -offset_;
  }

 private:
  std::unique_ptr<Forecaster> baseline_;
  double offset_;
};

// A stand-in network: a baseline's forecasts moved toward the actual values by the fraction
// `even` at even origins and `odd` at odd ones (a negative fraction moves away from them).
class TowardTruth final : public Forecaster {
 public:
  TowardTruth(BaselineMethod method, double even, double odd)
      : baseline_(make_baseline(method, 1)), truth_(0.0), even_(even), odd_(odd) {}
  std::string name() const override { return "gru"; }
  std::size_t min_history() const override { return 4; }
  void forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                arma::mat& out) const override {
    arma::mat truth;
    baseline_->forecast(series, origins, horizon, out);
    truth_.forecast(series, origins, horizon, truth);
    for (std::size_t j = 0; j < origins.size(); ++j)
      out.col(j) += (origins[j] % 2 == 0 ? even_ : odd_) * (truth.col(j) - out.col(j));
  }

 private:
  std::unique_ptr<Forecaster> baseline_;
  ShiftedTruth truth_;
  double even_, odd_;
};

// Two series: "line" (a straight line, which drift forecasts exactly) and "wave".
Frame two_series() {
  Frame frame = test::generated_frame(100, [](std::size_t i) { return 5.0 + 0.5 * static_cast<double>(i); });
  frame.series[0].id = "line";
  Frame wave = test::generated_frame(100, [](std::size_t i) { return 50.0 + 10.0 * std::sin(0.7 * i); });
  wave.series[0].id = "wave";
  frame.series.push_back(std::move(wave.series[0]));
  frame.id_column = "id";
  return frame;
}

const TaskShape kShape{8, 3, 1};

}  // namespace

TEST_SUITE("selection") {
  TEST_CASE("a bad network loses to the baseline that fits each series, a perfect one wins") {
    const Frame frame = two_series();
    const Selection bad = select_by_validation(frame, ShiftedTruth(25.0), SplitSpec{}, kShape,
                                               FallbackPolicy::automatic, false);
    REQUIRE(bad.series.size() == 2);
    CHECK(bad.series[0].id == "line");
    CHECK(bad.series[0].method != "gru");
    CHECK(bad.series[0].method_mae < 1e-6);  // drift, holt or theta: a line is forecast exactly
    CHECK(bad.series[0].network_mae == doctest::Approx(25.0));
    CHECK(bad.worse_than_naive() == 0);
    CHECK(bad.chooses_other_than("gru"));
    const Selection good = select_by_validation(frame, ShiftedTruth(0.0), SplitSpec{}, kShape,
                                                FallbackPolicy::automatic, false);
    CHECK(good.series[0].method == "drift");  // as exact as the network on the line, and simpler
    CHECK(good.series[1].method == "gru");
  }

  TEST_CASE("--fallback none keeps the network and counts where it is worse than naive") {
    const Selection none = select_by_validation(two_series(), ShiftedTruth(25.0), SplitSpec{}, kShape,
                                                FallbackPolicy::none, false);
    for (const SeriesChoice& c : none.series) CHECK(c.method == "gru");
    CHECK(none.worse_than_naive() == 2);
    CHECK(none.network_beaten() == 2);
    CHECK(none.counts() == std::vector<std::pair<std::string, std::size_t>>{{"gru", 2}});
  }

  TEST_CASE("the chosen forecaster forecasts each series by its choice, the others by the network") {
    const Frame frame = two_series();
    const ShiftedTruth network(25.0);
    Selection selection;
    selection.series = {{"line", "drift", 0, 0, 0, 0}, {"wave", "gru+comb", 0, 0, 0, 0}};
    const ChosenForecaster chosen(network, selection, 1, false);
    const std::vector<std::size_t> origins = {80, 90};
    arma::mat out, expected, from_network;
    chosen.forecast(frame.series[0], origins, 3, out);
    make_baseline(BaselineMethod::drift, 1)->forecast(frame.series[0], origins, 3, expected);
    CHECK(arma::approx_equal(out, expected, "absdiff", 1e-12));
    chosen.forecast(frame.series[1], origins, 3, out);
    make_baseline(BaselineMethod::comb, 1)->forecast(frame.series[1], origins, 3, expected);
    network.forecast(frame.series[1], origins, 3, from_network);
    CHECK(arma::approx_equal(out, 0.5 * (from_network + expected), "absdiff", 1e-9));
    // A batch of both gives the same columns; an unknown series goes to the network.
    const std::vector<SeriesOrigins> groups = {{&frame.series[0], origins}, {&frame.series[1], origins}};
    arma::mat batch;
    chosen.forecast_batch(groups, 3, batch);
    CHECK(arma::approx_equal(batch.cols(2, 3), out, "absdiff", 1e-12));
    CHECK(chosen.method_of("elsewhere") == "gru");
  }

  TEST_CASE("a non-negative model's chosen forecasts are not below 0") {
    Frame frame = test::generated_frame(60, [](std::size_t i) { return 30.0 - 0.5 * static_cast<double>(i); });
    frame.series[0].id = "falling";
    Selection selection;
    selection.series = {{"falling", "drift", 0, 0, 0, 0}};
    const ShiftedTruth network(0.0);
    const ChosenForecaster chosen(network, selection, 1, true);
    arma::mat out;
    const std::vector<std::size_t> origins = {60};
    chosen.forecast(frame.series[0], origins, 5, out);
    CHECK(out.min() >= 0.0);
  }

  TEST_CASE("a choice within two standard errors of naive is not clearly better than naive") {
    Selection selection;
    selection.series = {{"close", "gru", 1.00, 1.00, 1.05, 1.00, 0.10},   // 0.05 better, SE 0.1
                        {"nearly", "drift", 1.00, 1.00, 1.15, 1.00, 0.10}, // 1.5 standard errors better
                        {"clear", "theta", 1.00, 1.50, 2.00, 1.00, 0.10},  // 1.0 better
                        {"naive", "naive", 1.00, 1.20, 1.00, 1.00, 0.00},
                        {"read", "gru", 1.00, 1.00, 1.05, 1.00, NAN}};     // from a model file: not known
    CHECK(kWarningStandardErrors == 2.0);
    CHECK(selection.not_clearly_better() == 2);
    CHECK(selection.series[1].not_clearly_better_than_naive());
    CHECK_FALSE(selection.series[2].not_clearly_better_than_naive());
    // On a series with no signal, the network's edge on validation is within the noise.
    const Frame noise = [] {
      Frame f = test::generated_frame(400, [](std::size_t i) { return 100.0 + std::sin(1.7 * i * i); });
      f.series[0].id = "noise";
      return f;
    }();
    const Selection chosen = select_by_validation(noise, ShiftedTruth(0.0), SplitSpec{}, kShape,
                                                  FallbackPolicy::automatic, false);
    CHECK(chosen.series[0].method == "gru");  // the perfect stand-in
    CHECK(chosen.series[0].naive_gap_error > 0.0);
    CHECK(chosen.not_clearly_better() == 0);  // and clearly so
  }

  TEST_CASE("a series' gap to naive is judged over its origins: an origin's steps move together") {
    // On y = 2i with K = 3, naive misses by 2, 4, 6 at every origin; the stand-in misses by 1 at
    // every step of even origins and by 6.6 at odd ones: 3 and −2.6 better than naive per origin.
    const ShiftedTruth origin_shift([](std::size_t origin) { return origin % 2 == 0 ? 1.0 : 6.6; });
    Frame line = test::generated_frame(400, [](std::size_t i) { return 2.0 * static_cast<double>(i); });
    line.series[0].id = "line";
    const TaskShape shape{8, 3, 1};
    const Selection s = select_by_validation(line, origin_shift, SplitSpec{}, shape, FallbackPolicy::none, false);
    const auto range = origin_range(split_series(line.series[0], SplitSpec{}), Part::validation, shape);
    REQUIRE(range.has_value());
    const std::size_t n = range->second - range->first + 1;
    REQUIRE(n % 2 == 0);
    REQUIRE(n <= kMaxValidationOrigins);  // every origin, so the even and odd ones alternate
    CHECK(s.series[0].naive_mae - s.series[0].network_mae == doctest::Approx(0.2));
    // Differences of 3 and −2.6, n/2 each: mean 0.2, deviations ±2.8, standard error 2.8/√(n − 1).
    CHECK(s.series[0].naive_gap_error == doctest::Approx(2.8 / std::sqrt(static_cast<double>(n - 1))));
    CHECK(s.series[0].not_clearly_better_than_naive());
  }

  TEST_CASE("the network has to beat the best baseline by more than the noise across origins") {
    const Frame noise = [] {
      Frame f = test::generated_frame(400, [](std::size_t i) { return 100.0 + std::sin(1.7 * i * i); });
      f.series[0].id = "noise";
      return f;
    }();
    const std::vector<std::string> plain{"naive", "drift", "theta", "comb", "ets"};
    // Comb moved halfway to the truth at even origins and 40% away at odd ones: a lower MAE than
    // every baseline's, but a gap within its standard error: the best plain baseline forecasts.
    const Selection close = select_by_validation(noise, TowardTruth(BaselineMethod::comb, 0.5, -0.4), SplitSpec{},
                                                 kShape, FallbackPolicy::automatic, false);
    const SeriesChoice& tie = close.series[0];
    REQUIRE(tie.network_mae == doctest::Approx(tie.best_mae));  // the network's MAE is the lowest
    CHECK(std::find(plain.begin(), plain.end(), tie.method) != plain.end());
    CHECK(tie.method_mae > tie.network_mae);
    CHECK(tie.method_mae - tie.network_mae < tie.network_gap_error);
    // Halfway to the truth at every origin: clearly better, kept.
    const Selection clear = select_by_validation(noise, TowardTruth(BaselineMethod::comb, 0.5, 0.5), SplitSpec{},
                                                 kShape, FallbackPolicy::automatic, false);
    CHECK(clear.series[0].method == "gru");
    // A network that is comb 2 off at alternate origins is clearly beaten.
    const Selection far = select_by_validation(noise, BaselinePlus(BaselineMethod::comb, 2.0), SplitSpec{}, kShape,
                                               FallbackPolicy::automatic, false);
    CHECK(far.series[0].method != "gru");
    CHECK(far.series[0].method_mae < 0.5 * far.series[0].network_mae);
    CHECK(far.series[0].method_mae < far.series[0].network_mae);
  }

  TEST_CASE("series with one validation origin each take one candidate for the panel") {
    Frame frame;
    for (std::size_t k = 0; k < 6; ++k) {  // lines of different slopes: drift forecasts each exactly
      Frame line = test::generated_frame(40, [k](std::size_t i) { return 10.0 + (1.0 + k) * static_cast<double>(i); });
      line.series[0].id = "line" + std::to_string(k);
      frame.series.push_back(std::move(line.series[0]));
    }
    frame.id_column = "id";
    SplitSpec one_origin;
    one_origin.val_rows = 3, one_origin.test_rows = 3;
    const Selection bad = select_by_validation(frame, ShiftedTruth(25.0), one_origin, kShape,
                                               FallbackPolicy::automatic, false);
    REQUIRE(bad.series.size() == 6);
    for (const SeriesChoice& c : bad.series) CHECK(c.method == bad.series.front().method);
    CHECK(bad.series.front().method_mae < 1e-6);  // drift, holt, theta or ets: every line exactly
    // A perfect network on waves (which no baseline forecasts exactly) is kept for every series;
    // on the lines it is no better than drift, the simpler, which is taken for all.
    Frame waves;
    for (std::size_t k = 0; k < 6; ++k) {
      Frame wave = test::generated_frame(40, [k](std::size_t i) { return 50.0 + 10.0 * std::sin(0.7 * i + k); });
      wave.series[0].id = "wave" + std::to_string(k);
      waves.series.push_back(std::move(wave.series[0]));
    }
    waves.id_column = "id";
    const Selection good = select_by_validation(waves, ShiftedTruth(0.0), one_origin, kShape,
                                                FallbackPolicy::automatic, false);
    for (const SeriesChoice& c : good.series) CHECK(c.method == "gru");
    const Selection tie = select_by_validation(frame, ShiftedTruth(0.0), one_origin, kShape,
                                               FallbackPolicy::automatic, false);
    for (const SeriesChoice& c : tie.series) CHECK(c.method == "drift");
    // Alone, a series with one origin is judged by its own steps.
    frame.series.resize(1);
    const Selection lone = select_by_validation(frame, ShiftedTruth(25.0), one_origin, kShape,
                                                FallbackPolicy::automatic, false);
    CHECK(lone.series[0].method != "gru");
    // ... and a perfect network on it, no better than drift over those steps, gives way to drift.
    const Selection lone_tie = select_by_validation(frame, ShiftedTruth(0.0), one_origin, kShape,
                                                    FallbackPolicy::automatic, false);
    CHECK(lone_tie.series[0].method == "drift");
  }

  TEST_CASE("policy names") {
    CHECK(parse_fallback("auto") == FallbackPolicy::automatic);
    CHECK(fallback_name(parse_fallback("none")) == "none");
    CHECK_THROWS_WITH_AS(parse_fallback("always"), "unknown fallback policy 'always', --fallback, choose auto or none",
                         UsageError);
    CHECK(candidate_names("lstm", 12) ==
          std::vector<std::string>{"lstm", "naive", "snaive", "drift", "theta", "comb", "ets", "lstm+comb", "lstm+ets"});
    CHECK(candidate_names("gru", 1) ==
          std::vector<std::string>{"gru", "naive", "drift", "theta", "comb", "ets", "gru+comb", "gru+ets"});
  }
}
