// Season detection by autocorrelation, for data whose frequency gives no season (issue 21).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "grucast/forecast/season_detection.hpp"
#include "support/frames.hpp"

using namespace grucast;

namespace {

std::vector<double> generated(std::size_t n, double (*value)(std::size_t, std::mt19937&), unsigned seed) {
  std::mt19937 random(seed);
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = value(i, random);
  return out;
}

double noise(std::mt19937& random) { return std::normal_distribution<double>(0.0, 1.0)(random); }

// A daily cycle of 24 and a weekly one of 168 on a trend, with noise.
double hourly(std::size_t i, std::mt19937& random) {
  const double t = static_cast<double>(i);
  return 0.01 * t + 5.0 * std::sin(2 * M_PI * t / 24) + 2.0 * std::sin(2 * M_PI * t / 168) + 0.5 * noise(random);
}
double weekly_pattern(std::size_t i, std::mt19937& random) {
  static const double pattern[] = {0, 1, 1, 2, 3, 8, 6};
  return 100.0 + 0.1 * static_cast<double>(i) + pattern[i % 7] + 0.3 * noise(random);
}
double random_walk(std::size_t i, std::mt19937& random) {
  static double level = 0.0;
  if (i == 0) level = 0.0;
  return level += noise(random);
}

}  // namespace

TEST_SUITE("season detection") {
  TEST_CASE("the season of a series is its strongest autocorrelation peak, or none") {
    CHECK(series_season(generated(2000, hourly, 1), 24) == 24);
    CHECK(series_season(generated(300, weekly_pattern, 2), 7) == 7);
    for (unsigned seed = 1; seed <= 20; ++seed) CHECK(series_season(generated(1000, random_walk, seed), 5) == 1);
    CHECK(series_season(std::vector<double>(100, 3.0), 5) == 1);  // constant: no autocorrelation
    CHECK(series_season(std::vector<double>{1, 2, 3}, 1) == 1);   // too short
    std::vector<double> gap = generated(300, weekly_pattern, 3);
    gap[100] = std::nan("");
    CHECK(series_season(gap, 7) == 1);
  }

  TEST_CASE("a frame's season is the one most of its series share") {
    Frame frame = test::generated_frame(300, [](std::size_t i) { return static_cast<double>(i % 7 == 5) * 8.0; });
    for (unsigned seed = 1; seed <= 2; ++seed) {
      Series walk = test::generated_frame(300, [](std::size_t) { return 0.0; }).series.front();
      const std::vector<double> values = generated(300, random_walk, seed);
      for (std::size_t i = 0; i < values.size(); ++i) walk.values(0, i) = values[i];
      frame.series.push_back(walk);
    }
    const DetectedSeason found = detect_season(frame, 7);
    CHECK(found.season == 7);
    CHECK(found.series == 3);
    CHECK(found.agreeing == 1);  // a third of them
    frame.series.push_back(frame.series[1]);
    CHECK(detect_season(frame, 7).season == 1);  // one of four: not enough
  }

  TEST_CASE("the frequency's season stays only when the data shows it") {
    const auto frame_of = [](const std::vector<double>& values) {
      return test::generated_frame(values.size(), [&](std::size_t i) { return values[i]; });
    };
    // A weekly pattern: last week's value beats yesterday's.
    const DetectedSeason weekly = confirm_season(frame_of(generated(300, weekly_pattern, 4)), 7, 7);
    CHECK(weekly.season == 7);
    CHECK(weekly.series == 1);
    CHECK(weekly.agreeing == 1);
    // A smooth yearly cycle seen daily, and a random walk: yesterday's value is the better guess.
    const auto yearly = [](std::size_t i, std::mt19937& random) {
      return 15.0 + 8.0 * std::sin(2 * M_PI * static_cast<double>(i) / 365.25) + 2.0 * noise(random);
    };
    CHECK(confirm_season(frame_of(generated(1400, yearly, 5)), 7, 7).season == 1);
    CHECK(confirm_season(frame_of(generated(1000, random_walk, 6)), 7, 7).season == 1);
    CHECK(confirm_season(frame_of(generated(2000, hourly, 7)), 24, 24).season == 24);
    // Missing values are passed over, not a reason to give the season up.
    std::vector<double> gaps = generated(300, weekly_pattern, 8);
    for (std::size_t i = 10; i < gaps.size(); i += 37) gaps[i] = std::nan("");
    CHECK(confirm_season(frame_of(gaps), 7, 7).season == 7);
    // Too short to judge (fewer than 2·7 values): the frequency's season stays, nobody voted.
    const DetectedSeason short_one = confirm_season(frame_of(generated(13, random_walk, 9)), 7, 7);
    CHECK(short_one.season == 7);
    CHECK(short_one.series == 0);
  }
}
