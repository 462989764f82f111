// The training data's profile (issue 20, item 6): what a model keeps of its training values, and
// the words forecast and evaluate say about data far outside it.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "grucast/forecast/data_profile.hpp"
#include "grucast/forecast/trained_model.hpp"
#include "support/frames.hpp"

using namespace grucast;

namespace {

// A panel (id column "site") of the given series, each value(i) for i < n.
Frame panel(const std::vector<std::pair<std::string, std::function<double(std::size_t)>>>& series, std::size_t n) {
  Frame frame;
  frame.source = "panel.csv";
  frame.columns = {"load"};
  frame.id_column = "site";
  for (const auto& [id, value] : series) {
    Series s = test::generated_frame(n, value).series[0];
    s.id = id;
    frame.series.push_back(std::move(s));
  }
  return frame;
}

// A model that was trained on `frame`: its series' scalers and the frame's profile.
TrainedModel trained_on(const Frame& frame) {
  TrainedModel model;
  for (const Series& s : frame.series) model.scalers.push_back({s.id, Scaler{}});
  model.profile = profile_data(frame);
  return model;
}

std::vector<std::string> texts(const std::vector<DataFinding>& findings, DataFinding::Kind kind) {
  std::vector<std::string> out;
  for (const DataFinding& f : findings) {
    if (f.kind == kind) out.push_back(f.text);
  }
  return out;
}

double temperature(std::size_t i) { return 15.0 + 10.0 * std::sin(0.1 * static_cast<double>(i)); }

}  // namespace

TEST_SUITE("data profile") {
  TEST_CASE("the profile holds each series' range, mean, sd and last time, and all series'") {
    Frame frame = panel({{"a", [](std::size_t i) { return static_cast<double>(i); }}, {"b", [](std::size_t) { return 1e9; }}}, 5);
    frame.series[1].values(0, 2) = std::nan("");  // a missing value is not counted
    const DataProfile p = profile_data(frame);
    CHECK(p.series == 2);
    REQUIRE(p.per_series.size() == 2);
    const ValueProfile& a = p.per_series[0];
    CHECK(a.id == "a");
    CHECK(a.rows == 5);
    CHECK(a.min == 0.0);
    CHECK(a.max == 4.0);
    CHECK(a.mean == doctest::Approx(2.0));
    CHECK(a.sd == doctest::Approx(std::sqrt(2.0)));
    CHECK(a.last == 4);
    CHECK(p.per_series[1].rows == 4);
    CHECK(p.per_series[1].sd == 0.0);  // exact for values far from 0
    CHECK(p.all.rows == 9);
    CHECK(p.all.min == 0.0);
    CHECK(p.all.max == 1e9);
    CHECK(p.all.id.empty());
  }

  TEST_CASE("per-series entries stop at kMaxSeries, and all series are still counted") {
    std::vector<std::pair<std::string, std::function<double(std::size_t)>>> many;
    for (std::size_t i = 0; i < DataProfile::kMaxSeries + 3; ++i) {
      many.emplace_back(std::to_string(i), [i](std::size_t) { return static_cast<double>(i); });
    }
    const DataProfile p = profile_data(panel(many, 2));
    CHECK(p.series == DataProfile::kMaxSeries + 3);
    CHECK(p.per_series.size() == DataProfile::kMaxSeries);
    CHECK(p.all.max == static_cast<double>(DataProfile::kMaxSeries + 2));
  }

  TEST_CASE("the training data itself, its continuation and an outlier give no warning") {
    const Frame one = test::generated_frame(400, temperature);
    const TrainedModel model = trained_on(test::generated_frame(300, temperature));
    CHECK(check_against_training(model, one).empty());
    Frame outlier = one;
    outlier.series[0].values(0, 399) = 1e6;  // one value: the median and the middle 90% hold
    CHECK(check_against_training(model, outlier).empty());
    CHECK(check_against_training(TrainedModel{}, one).empty());  // an older model: no profile, no check
  }

  TEST_CASE("a series far outside its training values is a warning in words") {
    const TrainedModel model = trained_on(test::generated_frame(300, temperature));
    const Frame passengers = test::generated_frame(144, [](std::size_t i) { return 100.0 + 3.6 * static_cast<double>(i); });
    const std::vector<DataFinding> findings = check_against_training(model, passengers);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].kind == DataFinding::Kind::warning);
    CHECK(findings[0].text == "the series lies far outside the training data: its values are 100 to 614.8, the model "
                              "was trained on 5 to 25; forecasts may be poor");
    // The same level, but spread over far more than the training range.
    const Frame wide = test::generated_frame(300, [](std::size_t i) { return 15.0 + 300.0 * std::sin(0.1 * static_cast<double>(i)); });
    CHECK(texts(check_against_training(model, wide), DataFinding::Kind::warning).size() == 1);
  }

  TEST_CASE("in a panel, a series is compared with its own training values, an unseen one with all of them") {
    const auto small = [](std::size_t i) { return 1.0 + static_cast<double>(i % 5); };     // 1 to 5
    const auto large = [](std::size_t i) { return 900.0 + static_cast<double>(i % 50); };  // 900 to 949
    const TrainedModel model = trained_on(panel({{"a", small}, {"b", large}}, 100));
    const Frame swapped = panel({{"a", large}, {"b", large}, {"new", small}, {"far", [](std::size_t) { return 1e5; }}}, 100);
    const std::vector<DataFinding> findings = check_against_training(model, swapped);
    CHECK(texts(findings, DataFinding::Kind::warning) ==
          std::vector<std::string>{"series 'a' lies far outside the training data: its values are 900 to 949, the "
                                   "model was trained on 1 to 5 (series 'a'); forecasts may be poor",
                                   "series 'far' lies far outside the training data: its values are 1e+05 to 1e+05, "
                                   "the model was trained on 1 to 949 (all 2 of its series); forecasts may be poor"});
    // The unseen ones are the forecast's note (scaled by their own history), not the profile's.
    CHECK(texts(findings, DataFinding::Kind::note).empty());
  }

  TEST_CASE("past kMaxFarListed far series, the rest are counted in one warning") {
    std::vector<std::pair<std::string, std::function<double(std::size_t)>>> trained, given;
    for (std::size_t i = 0; i < 8; ++i) {
      trained.emplace_back(fmt::format("s{}", i), [](std::size_t j) { return static_cast<double>(j); });
      given.emplace_back(fmt::format("s{}", i), [](std::size_t j) { return 1e4 + static_cast<double>(j); });
    }
    const std::vector<std::string> warnings =
        texts(check_against_training(trained_on(panel(trained, 10)), panel(given, 10)), DataFinding::Kind::warning);
    REQUIRE(warnings.size() == kMaxFarListed + 1);
    CHECK(warnings.back() == "3 more of the 8 series lie far outside the training data; forecasts may be poor");
  }
}
