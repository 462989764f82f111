// train --calendar auto (issue 21): the network with and without the calendar inputs, on the
// same split; the lower validation loss is kept.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"

using namespace grucast;

namespace {

// 420 days from 2021-01-04 (a Monday): 5 on Saturdays and Sundays, 0 on weekdays, with noise. A
// window of two days cannot tell Thursday (Friday next: 0) from Friday (Saturday next: 5); the
// day of week can.
Frame weekend_frame() {
  Frame frame;
  frame.source = "weekend.csv";
  frame.columns = {"visits"};
  frame.time_column = "date";
  frame.frequency = {FrequencyUnit::seconds, 86400};
  Series s;
  const std::size_t n = 420;
  s.values.set_size(1, n);
  std::mt19937 random(7);
  std::normal_distribution<double> noise(0.0, 0.3);
  const TimePoint monday = 1609718400;  // 2021-01-04
  for (std::size_t i = 0; i < n; ++i) {
    s.values(0, i) = (i % 7 >= 5 ? 5.0 : 0.0) + noise(random);
    s.time.push_back(monday + static_cast<TimePoint>(i) * 86400);
    s.lines.push_back(i + 2);
  }
  frame.series.push_back(std::move(s));
  return frame;
}

ModelConfig small_config() {
  ModelConfig config;
  config.lookback = 2;
  config.shape = {config.prep.inputs(0), 8, 1, 1, 0.0};
  config.train.epochs = 30;
  config.train.patience = 30;
  config.train.optimizer.lr = 0.01;
  config.train.threads = 1;
  return config;
}

const std::vector<CalendarItem> kWeek = {CalendarItem::dow};

}  // namespace

TEST_SUITE("calendar choice") {
  TEST_CASE("the run of the lower validation loss is kept, and it is the run fit_model makes of that config") {
    const Frame frame = weekend_frame();
    const ModelConfig config = small_config();
    const CalendarChoice choice = fit_choosing_calendar(frame, config, DataConfig{}, kWeek, false, nullptr);
    REQUIRE(std::isfinite(choice.loss_without));
    REQUIRE(std::isfinite(choice.loss_with));
    CHECK(choice.loss_with < choice.loss_without);  // the weekend is in the calendar, not in two days
    CHECK(choice.model.config.prep.calendar == kWeek);
    CHECK(choice.model.config.shape.inputs == config.shape.inputs + kCalendarRows);
    CHECK_FALSE(choice.model.test.methods.empty());   // finished: test scores,
    CHECK_FALSE(choice.model.calibration.empty());    // calibration
    CHECK(choice.model.selection.series.size() == 1);  // and the validation choice

    ModelConfig dated = config;
    dated.prep.calendar = kWeek;
    dated.shape.inputs += kCalendarRows;
    CHECK(fit_model(frame, dated, DataConfig{}, nullptr).summary.best_loss == choice.loss_with);
    CHECK(fit_model(frame, config, DataConfig{}, nullptr).summary.best_loss == choice.loss_without);
  }

  TEST_CASE("a calendar that does not help on validation is left out") {
    Frame frame = weekend_frame();
    frame.series[0].values.row(0) = arma::linspace<arma::rowvec>(0.0, 10.0, 420);  // a line: nothing weekly
    const CalendarChoice choice = fit_choosing_calendar(frame, small_config(), DataConfig{}, kWeek, false, nullptr);
    CHECK((choice.loss_with < choice.loss_without) == !choice.model.config.prep.calendar.empty());
  }

  TEST_CASE("with final, the kept network is trained again on every row for its best epoch count") {
    const Frame frame = weekend_frame();
    const CalendarChoice choice = fit_choosing_calendar(frame, small_config(), DataConfig{}, kWeek, true, nullptr);
    REQUIRE(choice.model.final_fit.has_value());
    CHECK(choice.model.config.prep.calendar == kWeek);
    CHECK(choice.model.config.split.val == 0.0);
    CHECK(choice.model.summary.epochs_run == choice.model.final_fit->epochs);
    CHECK_FALSE(choice.model.test.methods.empty());  // the split run's scores
  }

  TEST_CASE("for an ensemble, a network of each kind decides and every member gets the kept inputs") {
    const Frame frame = weekend_frame();
    ModelConfig config = small_config();
    config.train.epochs = config.train.patience = 10;
    const CalendarChoice choice = fit_choosing_calendar(frame, config, DataConfig{}, kWeek, false, nullptr, {}, 2);
    REQUIRE(choice.model.members.size() == 2);
    REQUIRE(std::isfinite(choice.loss_with));
    const bool with = choice.loss_with < choice.loss_without;
    CHECK(choice.model.config.prep.calendar == (with ? kWeek : std::vector<CalendarItem>{}));
    for (const auto& member : choice.model.members)
      CHECK(member.lookback >= config.lookback);  // members differ in lookback, not in inputs
    CHECK_FALSE(choice.model.test.methods.empty());
  }

  TEST_CASE("nothing offered, or no validation part: one run, as fit_model's") {
    const Frame frame = weekend_frame();
    const ModelConfig config = small_config();
    const CalendarChoice none = fit_choosing_calendar(frame, config, DataConfig{}, {}, false, nullptr);
    CHECK(std::isnan(none.loss_with));
    CHECK(none.model.config.prep.calendar.empty());
    CHECK(none.model.summary.best_loss == fit_model(frame, config, DataConfig{}, nullptr).summary.best_loss);
    ModelConfig no_validation = config;
    no_validation.split.val = 0.0;
    const CalendarChoice alone = fit_choosing_calendar(frame, no_validation, DataConfig{}, kWeek, false, nullptr);
    CHECK(std::isnan(alone.loss_with));
    CHECK(alone.model.config.prep.calendar.empty());
  }

  TEST_CASE("resuming is refused: there is no single run to resume") {
    FitControl control;
    control.resume_path = "run.ckpt";
    CHECK_THROWS_AS(fit_choosing_calendar(weekend_frame(), small_config(), DataConfig{}, kWeek, false, nullptr, control),
                    UsageError);
  }
}
