// train --transform auto (issue 21): logarithms first for the series that look multiplicative,
// kept when a second network shows them better on validation.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "grucast/forecast/multiplicative.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"

using namespace grucast;

namespace {

constexpr double kPattern[] = {1.0, 2.0, 4.0, 1.5};

// n rows: a season of 4 whose swing is a share of a level growing `growth` a step (multiplicative),
// times noise of 3%.
std::vector<double> multiplicative(std::size_t n, double growth, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(0.0, 0.03);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = 10.0 * std::pow(growth, static_cast<double>(i)) * kPattern[i % 4] * std::exp(noise(random));
  }
  return y;
}

// n rows: the same season added to a level that grows `slope` a step, with noise of sd 1.
std::vector<double> additive(std::size_t n, double slope, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = 100.0 + slope * static_cast<double>(i) + 10.0 * kPattern[i % 4] + noise(random);
  return y;
}

Frame panel(const std::vector<std::pair<std::string, std::vector<double>>>& series) {
  Frame frame;
  frame.source = "panel.csv";
  frame.columns = {"sales"};
  for (const auto& [id, values] : series) {
    Series s;
    s.id = id;
    s.values = arma::rowvec(values);
    for (std::size_t i = 0; i < values.size(); ++i) {
      s.time.push_back(static_cast<TimePoint>(i));  // the row index
      s.lines.push_back(i + 2);
    }
    frame.series.push_back(std::move(s));
  }
  return frame;
}

ModelConfig small_config() {
  ModelConfig config;
  config.lookback = 8;
  config.season = config.prep.season = 4;
  config.shape = {config.prep.inputs(0), 8, 1, 4, 0.0};
  config.train.epochs = 20;
  config.train.patience = 20;
  config.train.optimizer.lr = 0.01;
  config.train.threads = 1;
  return config;
}

}  // namespace

TEST_SUITE("transform choice") {
  TEST_CASE("a swing that grows with the level looks multiplicative, a steady swing or level does not") {
    const std::vector<double> growing = multiplicative(200, 1.01, 1);
    CHECK(looks_multiplicative(growing, 4));
    CHECK(looks_multiplicative(growing, 1));  // blocks of 2 rows without a season
    CHECK_FALSE(looks_multiplicative(additive(200, 1.0, 2), 4));   // the level grows, the swing does not
    CHECK_FALSE(looks_multiplicative(multiplicative(200, 1.0, 3), 4));  // a steady level: nothing to tell
    std::vector<double> touching_zero = growing;
    touching_zero[50] = 0.0;
    CHECK_FALSE(looks_multiplicative(touching_zero, 4));
    CHECK_FALSE(looks_multiplicative(std::vector<double>(growing.begin(), growing.begin() + 7), 4));  // 3 blocks of 2
    const std::vector<double> fast = multiplicative(16, 1.05, 4);  // 4 blocks of 4, the level up 1.05^12 = 1.8 times
    CHECK(looks_multiplicative(fast, 4));
    CHECK_FALSE(looks_multiplicative(std::vector<double>(growing.begin(), growing.begin() + 16), 4));  // 1.01^12: 1.13
  }

  TEST_CASE("logarithms are tried for the multiplicative series only, and kept when validation says so") {
    const Frame frame = panel({{"m1", multiplicative(240, 1.008, 1)}, {"a1", additive(240, 0.1, 2)},
                               {"m2", multiplicative(240, 1.006, 3)}, {"a2", additive(240, 0.05, 4)},
                               {"m3", multiplicative(240, 1.01, 5)}, {"a3", additive(240, 0.0, 6)}});
    const ModelConfig config = small_config();
    std::size_t started = 0;
    FitControl control;
    control.transform_started = [&](std::size_t logged) { started = logged; };
    const TransformChoice choice = choose_transform(frame, config, DataConfig{}, nullptr, control, 4);
    CHECK(choice.candidates == 3);
    CHECK(started == 3);
    CHECK(choice.compared == 6);
    REQUIRE(std::isfinite(choice.log_ratio));
    REQUIRE(std::isfinite(choice.error));
    CHECK(choice.taken == (choice.log_ratio + choice.error < 0.0));
    CHECK(choice.taken);  // a swing of 10 to 270 is a ratio, and sdiff's errors grow with the level
    CHECK(choice.config.prep.logged == std::vector<std::string>{"m1", "m2", "m3"});
    CHECK_FALSE(choice.stopped);

    FitControl resume;
    resume.resume_path = "m.ckpt";
    CHECK_THROWS_AS(choose_transform(frame, config, DataConfig{}, nullptr, resume, 4), UsageError);
  }

  TEST_CASE("nothing is trained without a multiplicative series, a validation part, or with logarithms already") {
    const Frame steady = panel({{"a1", additive(240, 0.1, 2)}, {"a2", additive(240, 0.0, 3)}});
    const ModelConfig config = small_config();
    FitControl resume;  // a UsageError if anything were trained
    resume.resume_path = "m.ckpt";
    const TransformChoice none = choose_transform(steady, config, DataConfig{}, nullptr, resume, 4);
    CHECK(none.candidates == 0);
    CHECK(std::isnan(none.log_ratio));
    CHECK_FALSE(none.taken);
    CHECK(none.config.prep.logged.empty());

    const Frame growing = panel({{"m1", multiplicative(240, 1.008, 1)}});
    ModelConfig logs = config;
    logs.prep.transform = TransformKind::log_sdiff;
    CHECK(choose_transform(growing, logs, DataConfig{}, nullptr, resume, 4).candidates == 0);
    ModelConfig unvalidated = config;
    unvalidated.split.val = 0.0;
    CHECK(std::isnan(choose_transform(growing, unvalidated, DataConfig{}, nullptr, resume, 4).log_ratio));
  }
}
