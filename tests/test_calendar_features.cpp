// Calendar features: the encodings at known timestamps (UTC offsets, leap years, before 1970),
// the --calendar list, and the items that are of no use at a frequency.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <numbers>

#include "grucast/util/error.hpp"
#include "data/calendar_features.hpp"

using namespace grucast;

namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
const std::vector<CalendarItem> kAll = {CalendarItem::hour, CalendarItem::dow, CalendarItem::month, CalendarItem::doy};

// The timestamp as written (UTC + its own offset), as the frame keeps it: time and offset.
struct Stamp {
  TimePoint time = 0;
  int offset = 0;
};

Stamp stamp(const std::string& text) {
  TimeFormat format;
  std::string problem;
  const auto time = parse_time(text, "", format, problem);
  REQUIRE_MESSAGE(time.has_value(), problem);
  return {*time, format.offset};
}

// The eight encodings of every item at `text`: sin, cos of hour, dow, month, doy.
std::vector<double> encoded(const std::string& text) {
  const Stamp s = stamp(text);
  std::vector<double> out(kCalendarRows * kAll.size());
  encode_calendar(kAll, s.time + s.offset, out.data());
  return out;
}

// sin and cos of 2π·fraction, as encoded() lays them out for item `item`.
void check_angle(const std::vector<double>& values, std::size_t item, double fraction) {
  CAPTURE(item);
  CAPTURE(fraction);
  CHECK(values[2 * item] == doctest::Approx(std::sin(kTwoPi * fraction)).epsilon(1e-12));
  CHECK(values[2 * item + 1] == doctest::Approx(std::cos(kTwoPi * fraction)).epsilon(1e-12));
}

std::string usage_message(const std::function<void()>& call) {
  try {
    call();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no usage error)";
}

Frame frame_at(Frequency frequency, std::string time_column = "date") {
  Frame frame;
  frame.time_column = std::move(time_column);
  frame.frequency = frequency;
  return frame;
}

}  // namespace

TEST_SUITE("calendar features") {
  TEST_CASE("a local time in a leap year, written with a UTC offset, is read in its own offset") {
    // 2024-02-29 18:30 in India (+05:30) is 13:00 UTC, a Thursday, day 60 of a 366-day year.
    const auto v = encoded("2024-02-29T18:30:00+05:30");
    check_angle(v, 0, 18.5 / 24.0);
    check_angle(v, 1, 3.0 / 7.0);  // Monday 0 .. Sunday 6
    check_angle(v, 2, 1.0 / 12.0);  // February, the month alone
    check_angle(v, 3, (59.0 + 18.5 / 24.0) / 366.0);
  }

  TEST_CASE("the offset decides the day, the weekday, the month and the year") {
    // 23:00 on Saturday 2022-12-31 at −05:00 is 04:00 UTC on Sunday 2023-01-01.
    const auto v = encoded("2022-12-31T23:00:00-05:00");
    check_angle(v, 0, 23.0 / 24.0);
    check_angle(v, 1, 5.0 / 7.0);
    check_angle(v, 2, 11.0 / 12.0);
    check_angle(v, 3, (364.0 + 23.0 / 24.0) / 365.0);
    const auto utc = encoded("2023-01-01T04:00:00Z");  // the same instant in UTC
    check_angle(utc, 0, 4.0 / 24.0);
    check_angle(utc, 1, 6.0 / 7.0);
    check_angle(utc, 2, 0.0);
    check_angle(utc, 3, (4.0 / 24.0) / 365.0);
  }

  TEST_CASE("minutes and seconds are fractions of the hour, day of year counts 366 days in leap years") {
    check_angle(encoded("2021-07-04T06:45:36"), 0, (6.0 + 45.0 / 60.0 + 36.0 / 3600.0) / 24.0);
    check_angle(encoded("2024-12-31"), 3, 365.0 / 366.0);  // the leap year's last day
    check_angle(encoded("2023-12-31"), 3, 364.0 / 365.0);
    check_angle(encoded("2024-01-01"), 3, 0.0);
    check_angle(encoded("2100-03-01"), 3, 59.0 / 365.0);  // 2100 is not a leap year
    check_angle(encoded("2000-03-01"), 3, 60.0 / 366.0);  // 2000 is
    check_angle(encoded("2020-01-31"), 2, 0.0);  // every day of January is January
    check_angle(encoded("2020-01-01"), 2, 0.0);
    check_angle(encoded("2020-12-15"), 2, 11.0 / 12.0);
  }

  TEST_CASE("days before 1970 have the right weekday and time of day") {
    const auto v = encoded("1969-12-31T12:00:00Z");  // a Wednesday
    check_angle(v, 0, 0.5);
    check_angle(v, 1, 2.0 / 7.0);
    check_angle(encoded("1900-01-01"), 1, 0.0);  // a Monday
  }

  TEST_CASE("calendar_rows encode each row of a series in its own offset") {
    Series s;
    for (const char* text : {"2021-03-27T23:00:00+01:00", "2021-03-28T03:00:00+02:00"}) {
      const Stamp st = stamp(text);
      s.time.push_back(st.time);
      s.offsets.push_back(st.offset);
    }
    const arma::mat rows = calendar_rows({CalendarItem::hour, CalendarItem::dow}, s, 0, 2);
    REQUIRE(rows.n_rows == 4);
    REQUIRE(rows.n_cols == 2);
    CHECK(rows(0, 0) == doctest::Approx(std::sin(kTwoPi * 23.0 / 24.0)));
    CHECK(rows(1, 1) == doctest::Approx(std::cos(kTwoPi * 3.0 / 24.0)));
    CHECK(rows(2, 0) == doctest::Approx(std::sin(kTwoPi * 5.0 / 7.0)));  // Saturday
    CHECK(rows(2, 1) == doctest::Approx(std::sin(kTwoPi * 6.0 / 7.0)));  // Sunday
    const arma::mat second = calendar_rows({CalendarItem::hour}, s, 1, 2);
    CHECK(second(0, 0) == rows(0, 1));
    Series untimed;  // built by hand, without timestamps
    untimed.id = "north";
    untimed.values.zeros(1, 2);
    CHECK_THROWS_WITH_AS(calendar_rows({CalendarItem::hour}, untimed, 0, 2),
                         "calendar features need each row's timestamp, but the series has none, series 'north', give "
                         "the series its timestamps",
                         DataError);
  }

  TEST_CASE("--calendar takes any subset in any order, each once, in any case") {
    CHECK(parse_calendar("hour") == std::vector<CalendarItem>{CalendarItem::hour});
    CHECK(parse_calendar("doy,month, DOW ,hour") ==
          std::vector<CalendarItem>{CalendarItem::doy, CalendarItem::month, CalendarItem::dow, CalendarItem::hour});
    CHECK(calendar_names(parse_calendar("Month,hour")) == std::vector<std::string>{"month", "hour"});
    const std::string items = ", --calendar, use hour, dow, month or doy, each at most once, separated by commas";
    CHECK(usage_message([] { parse_calendar("hour,week"); }) == "unknown calendar item 'week'" + items);
    CHECK(usage_message([] { parse_calendar("doy,hour,DOY"); }) ==
          "calendar item 'DOY' is given twice, --calendar, name each item once");
    CHECK(usage_message([] { parse_calendar("hour,,dow"); }) == "empty calendar item in 'hour,,dow'" + items);
    CHECK(usage_message([] { parse_calendar(""); }) == "empty calendar item in ''" + items);
  }

  TEST_CASE("calendar items that are the same in every row, or step past their cycle, are refused saying why") {
    const Frequency hourly{FrequencyUnit::seconds, 3600}, daily{FrequencyUnit::seconds, 86400};
    const Frequency weekly{FrequencyUnit::seconds, 7 * 86400}, monthly{FrequencyUnit::months, 1, false, 1};
    const Frequency yearly{FrequencyUnit::months, 12, false, 1}, business{FrequencyUnit::business_days, 1};
    CHECK(usage_message([&] { check_calendar(kAll, frame_at(hourly)); }) == "(no usage error)");
    CHECK(usage_message([&] { check_calendar({CalendarItem::dow, CalendarItem::doy}, frame_at(daily)); }) ==
          "(no usage error)");
    CHECK(usage_message([&] { check_calendar({CalendarItem::dow}, frame_at(business)); }) == "(no usage error)");
    CHECK(usage_message([&] { check_calendar({CalendarItem::month, CalendarItem::doy}, frame_at(monthly)); }) ==
          "(no usage error)");
    CHECK(usage_message([&] { check_calendar({CalendarItem::doy, CalendarItem::hour}, frame_at(daily)); }) ==
          "calendar item 'hour' (the hour of day) is the same in every row of the data (daily): each step is a whole "
          "number of days, --calendar, leave 'hour' out: it needs data that steps less than a day");
    CHECK(usage_message([&] { check_calendar({CalendarItem::dow}, frame_at(weekly)); }) ==
          "calendar item 'dow' (the day of week) is the same in every row of the data (weekly): each step is a whole "
          "number of weeks, --calendar, leave 'dow' out: it needs data that steps less than a week");
    CHECK(usage_message([&] { check_calendar({CalendarItem::dow}, frame_at(monthly)); }) ==
          "calendar item 'dow' (the day of week) cannot follow its cycle in the data (monthly): each step is longer "
          "than a week, --calendar, leave 'dow' out: it needs data that steps less than a week");
    CHECK(usage_message([&] { check_calendar({CalendarItem::month}, frame_at(yearly)); }) ==
          "calendar item 'month' (the month) is the same in every row of the data (yearly): each step is a whole "
          "number of years, --calendar, leave 'month' out: it needs data that steps less than a year");
    CHECK(usage_message([&] { check_calendar({CalendarItem::hour}, frame_at(business)); }).find(
              "'hour' (the hour of day) is the same in every row of the data (business days)") != std::string::npos);
    CHECK(usage_message([&] { check_calendar({CalendarItem::hour}, frame_at({FrequencyUnit::seconds, 36 * 3600})); })
              .find("cannot follow its cycle in the data (36 hours): each step is longer than a day") !=
          std::string::npos);
    CHECK(usage_message([&] { check_calendar({CalendarItem::doy}, frame_at(hourly, "")); }) ==
          "--calendar needs timestamps, but the row index is the time (there is no time column), --calendar, name "
          "the time column with --time COL, or leave --calendar out");
    CHECK(usage_message([&] { check_calendar({}, frame_at(daily, "")); }) == "(no usage error)");
  }

  TEST_CASE("--calendar auto offers the items that vary at the frequency over data spanning 3/4 of their cycle") {
    const auto spanning = [](Frequency frequency, TimePoint days, const std::string& time_column = "date") {
      Frame frame = frame_at(frequency, time_column);
      Series series;
      series.time = {0, days * 86400};
      frame.series.push_back(series);
      return frame;
    };
    using I = CalendarItem;
    const Frequency hourly{FrequencyUnit::seconds, 3600}, daily{FrequencyUnit::seconds, 86400};
    const Frequency weekly{FrequencyUnit::seconds, 7 * 86400}, monthly{FrequencyUnit::months, 1, false, 1};
    const Frequency quarterly{FrequencyUnit::months, 3, false, 1}, business{FrequencyUnit::business_days, 1};
    CHECK(calendar_candidates(spanning(hourly, 365)) == std::vector<I>{I::hour, I::dow, I::doy});
    CHECK(calendar_candidates(spanning(hourly, 14)) == std::vector<I>{I::hour, I::dow});  // not a year
    CHECK(calendar_candidates(spanning(daily, 1461)) == std::vector<I>{I::dow, I::doy});
    CHECK(calendar_candidates(spanning(daily, 274)) == std::vector<I>{I::dow, I::doy});   // 3/4 of a year
    CHECK(calendar_candidates(spanning(daily, 273)) == std::vector<I>{I::dow});
    CHECK(calendar_candidates(spanning(business, 700)) == std::vector<I>{I::dow, I::doy});
    CHECK(calendar_candidates(spanning(weekly, 700)) == std::vector<I>{I::doy});
    CHECK(calendar_candidates(spanning(monthly, 3650)) == std::vector<I>{I::doy});
    CHECK(calendar_candidates(spanning(quarterly, 3650)) == std::vector<I>{I::doy});
    CHECK(calendar_candidates(spanning({FrequencyUnit::months, 12, false, 1}, 3650)).empty());  // yearly
    CHECK(calendar_candidates(spanning(daily, 1461, "")).empty());                              // a row index
    CHECK(calendar_candidates(spanning({FrequencyUnit::index, 1}, 1461)).empty());
  }
}
