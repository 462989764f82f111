#include "grucast/time_index.hpp"

#include "grucast/error.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace {

using grucast::advance;
using grucast::check_regularity;
using grucast::format_time;
using grucast::Frequency;
using grucast::FrequencyUnit;
using grucast::TimeFormat;
using grucast::TimePoint;
using grucast::TimeStyle;
using grucast::TimeZoneStyle;

constexpr TimePoint day = 86400;
constexpr TimePoint jan_1_2000 = 946684800;
constexpr TimePoint jan_1_2020 = 1577836800;

struct Parsed {
  std::optional<TimePoint> time;
  TimeFormat format;
  std::string problem;
};

Parsed parse(std::string_view text, const std::string& pattern = "") {
  Parsed parsed;
  parsed.time = grucast::parse_time(text, pattern, parsed.format, parsed.problem);
  return parsed;
}

TimePoint at(std::string_view text) {
  const Parsed parsed = parse(text);
  REQUIRE_MESSAGE(parsed.time.has_value(), parsed.problem);
  return *parsed.time;
}

std::string problem_of(std::string_view text, const std::string& pattern = "") {
  const Parsed parsed = parse(text, pattern);
  CHECK_FALSE(parsed.time.has_value());
  return parsed.problem;
}

std::string round_trip(std::string_view text, const std::string& pattern = "") {
  const Parsed parsed = parse(text, pattern);
  REQUIRE_MESSAGE(parsed.time.has_value(), parsed.problem);
  return format_time(*parsed.time, parsed.format);
}

std::vector<TimePoint> every(TimePoint start, TimePoint step, int count) {
  std::vector<TimePoint> times;
  for (int i = 0; i < count; ++i) times.push_back(start + i * step);
  return times;
}

std::vector<TimePoint> dates(const std::vector<std::string>& texts) {
  std::vector<TimePoint> times;
  for (const auto& text : texts) times.push_back(at(text));
  return times;
}

std::optional<Frequency> infer(const std::vector<TimePoint>& times) {
  return grucast::infer_frequency({std::span<const TimePoint>(times)});
}

Frequency infer_required(const std::vector<TimePoint>& times) {
  const auto frequency = infer(times);
  REQUIRE(frequency.has_value());
  return *frequency;
}

Frequency infer_dates(const std::vector<std::string>& texts) {
  return infer_required(dates(texts));
}

Frequency seconds(std::int64_t step) { return Frequency{FrequencyUnit::seconds, step, false}; }
Frequency business(std::int64_t step) {
  return Frequency{FrequencyUnit::business_days, step, false};
}
Frequency months(std::int64_t step, bool month_end = false) {
  return Frequency{FrequencyUnit::months, step, month_end};
}

/// Weekdays from Monday 2024-01-01 for `calendar_days` days, leaving out `holidays`.
std::vector<TimePoint> business_days(int calendar_days, const std::set<std::string>& holidays) {
  std::vector<TimePoint> times;
  const TimePoint monday = at("2024-01-01");
  for (int i = 0; i < calendar_days; ++i) {
    const TimePoint t = monday + i * day;
    TimeFormat format;
    format.style = TimeStyle::iso_date;
    if (i % 7 < 5 && holidays.count(format_time(t, format)) == 0) times.push_back(t);
  }
  return times;
}

/// The first column of a dataset, parsed.
std::vector<TimePoint> dataset_times(const std::string& file, TimeFormat& format) {
  std::ifstream in(std::string(GRUCAST_DATASETS) + "/" + file);
  REQUIRE(in.good());
  std::string line;
  std::getline(in, line);  // header
  std::vector<TimePoint> times;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::string problem;
    const auto t = grucast::parse_time(line.substr(0, line.find(',')), "", format, problem);
    REQUIRE_MESSAGE(t.has_value(), problem);
    times.push_back(*t);
  }
  return times;
}

}  // namespace

TEST_SUITE("time_index") {
  TEST_CASE("every ISO 8601 layout is written back exactly as it was read") {
    for (const char* text :
         {"2020-01-31", "2020-01", "2020-01-31T13:45:07", "2020-01-31 13:45:07",
          "2020-01-31T13:45", "2020-01-31 13:45", "2020-01-31T13:45:07Z", "2020-01-31 13:45Z",
          "2020-01-31T13:45:07+02:00", "2020-01-31T13:45-05:30", "1969-12-31T23:59:59",
          "1900-01-01", "1600-02-29", "0001-01-01", "9999-12-31T23:59:59Z", "2020-02-29"}) {
      CAPTURE(text);
      CHECK_EQ(round_trip(text), text);
    }
  }

  TEST_CASE("ISO 8601 texts give seconds since the epoch in UTC") {
    CHECK_EQ(at("2020-01-01"), jan_1_2020);
    CHECK_EQ(at("2020-01"), jan_1_2020);
    CHECK_EQ(at("2020-01-01T00:00:00"), jan_1_2020);
    CHECK_EQ(at("2020-01-01 01:02:03"), jan_1_2020 + 3723);
    CHECK_EQ(at("2020-01-01T00:00:00Z"), jan_1_2020);
    CHECK_EQ(at("2020-02-29"), 1582934400);
    CHECK_EQ(at("  2020-01-01  "), jan_1_2020);
  }

  TEST_CASE("a UTC offset is subtracted and kept in the format") {
    for (const char* text : {"2020-01-01T02:00:00+02:00", "2020-01-01T02:00:00+0200",
                             "2020-01-01T02:00:00+02"}) {
      CAPTURE(text);
      const Parsed parsed = parse(text);
      REQUIRE(parsed.time.has_value());
      CHECK_EQ(*parsed.time, jan_1_2020);
      CHECK_EQ(parsed.format.zone, TimeZoneStyle::offset);
      CHECK_EQ(parsed.format.offset, 7200);
      CHECK_EQ(format_time(*parsed.time + 3600, parsed.format),
               "2020-01-01T03:00:00+02:00");
    }
    CHECK_EQ(at("2019-12-31T19:00-05:00"), jan_1_2020);
    CHECK_EQ(round_trip("2019-12-31T19:00-05:00"), "2019-12-31T19:00-05:00");
  }

  TEST_CASE("the layout of a parsed ISO 8601 text is recorded") {
    Parsed parsed = parse("2020-01-31 13:45Z");
    CHECK_EQ(parsed.format.style, TimeStyle::iso_datetime);
    CHECK_EQ(parsed.format.separator, ' ');
    CHECK_FALSE(parsed.format.seconds);
    CHECK_EQ(parsed.format.zone, TimeZoneStyle::utc);
    CHECK_EQ(parse("2020-01-31").format.style, TimeStyle::iso_date);
    CHECK_EQ(parse("2020-01").format.style, TimeStyle::iso_month);
    CHECK_EQ(parse("2020-01-31T00:00:00").format.zone, TimeZoneStyle::none);
  }

  TEST_CASE("dates before 1970 are negative and are written back") {
    CHECK_EQ(at("1969-12-31"), -day);
    CHECK_EQ(at("1900-01-01"), -2208988800);
    CHECK_EQ(at("1969-12-31T23:59:59Z"), -1);
    TimeFormat format;
    format.style = TimeStyle::iso_datetime;
    format.zone = TimeZoneStyle::utc;
    CHECK_EQ(format_time(-1, format), "1969-12-31T23:59:59Z");
    format.style = TimeStyle::iso_month;
    CHECK_EQ(format_time(-2208988800, format), "1900-01");
  }

  TEST_CASE("leap days are valid only in leap years") {
    CHECK(parse("2020-02-29").time.has_value());
    CHECK(parse("2000-02-29").time.has_value());
    CHECK_EQ(problem_of("2021-02-29"), "day 29 is out of range for February 2021");
    CHECK_EQ(problem_of("1900-02-29"), "day 29 is out of range for February 1900");
    CHECK_EQ(problem_of("2020-04-31"), "day 31 is out of range for April 2020");
    CHECK_EQ(problem_of("2020-01-00"), "day 0 is out of range for January 2020");
  }

  TEST_CASE("a zero fraction of a second is accepted and not written back") {
    CHECK_EQ(at("2020-01-01T00:00:00.000"), jan_1_2020);
    CHECK_EQ(round_trip("2020-01-01T00:00:00.0Z"), "2020-01-01T00:00:00Z");
  }

  TEST_CASE("integers are epoch seconds, a bare year included") {
    const Parsed parsed = parse("1577836800");
    REQUIRE(parsed.time.has_value());
    CHECK_EQ(*parsed.time, jan_1_2020);
    CHECK_EQ(parsed.format.style, TimeStyle::epoch);
    CHECK_EQ(round_trip("1577836800"), "1577836800");
    CHECK_EQ(at("-86400"), -day);
    CHECK_EQ(at("2020"), 2020);
    CHECK_EQ(at("253402300799"), 253402300799);  // 9999-12-31T23:59:59Z
    CHECK_EQ(problem_of("253402300800"), "epoch seconds outside the years 0000 to 9999");
    CHECK_EQ(problem_of("1234567890123"), "epoch seconds have more than 12 digits");
  }

  TEST_CASE("a strptime pattern reads month names") {
    const Parsed parsed = parse("Jan 1 2000", "%b %d %Y");
    REQUIRE(parsed.time.has_value());
    CHECK_EQ(*parsed.time, jan_1_2000);
    CHECK_EQ(parsed.format.style, TimeStyle::pattern);
    CHECK_EQ(parsed.format.pattern, "%b %d %Y");
    CHECK_EQ(format_time(*parsed.time + 40 * day, parsed.format), "Feb 10 2000");
    CHECK_EQ(at("2000-01-01"), jan_1_2000);
  }

  TEST_CASE("a strptime pattern reads day-first dates with a time") {
    const Parsed parsed = parse("31/12/1999 23:30", "%d/%m/%Y %H:%M");
    REQUIRE(parsed.time.has_value());
    CHECK_EQ(*parsed.time, jan_1_2000 - 1800);
    CHECK_EQ(format_time(*parsed.time + 3600, parsed.format), "01/01/2000 00:30");
    CHECK_EQ(round_trip("05/03/1950 07:00", "%d/%m/%Y %H:%M"), "05/03/1950 07:00");
  }

  TEST_CASE("a strptime pattern without a day starts on the first of the month") {
    CHECK_EQ(*parse("2020", "%Y").time, jan_1_2020);
    CHECK_EQ(*parse("2020-03", "%Y-%m").time, at("2020-03-01"));
    CHECK_EQ(round_trip("2020-03", "%Y-%m"), "2020-03");
  }

  TEST_CASE("a strptime pattern with %z takes the offset from the text") {
    const Parsed parsed = parse("2020-01-01 02:00 +0200", "%Y-%m-%d %H:%M %z");
    REQUIRE(parsed.time.has_value());
    CHECK_EQ(*parsed.time, jan_1_2020);
    CHECK_EQ(parsed.format.zone, TimeZoneStyle::offset);
    CHECK_EQ(parsed.format.offset, 7200);
    CHECK_EQ(format_time(*parsed.time, parsed.format), "2020-01-01 02:00 +0200");
  }

  TEST_CASE("a text that does not match the pattern, or has text left over, is rejected") {
    CHECK_EQ(problem_of("2000-01-01", "%b %d %Y"), "does not match --time-format '%b %d %Y'");
    CHECK_EQ(problem_of("Jan 1 2000 noon", "%b %d %Y"), "does not match --time-format '%b %d %Y'");
    CHECK_EQ(*parse("Jan 1 2000   ", "%b %d %Y").time, jan_1_2000);
    CHECK_EQ(problem_of("31/02/2021 00:00", "%d/%m/%Y %H:%M"),
             "day 31 is out of range for February 2021");
    CHECK_EQ(problem_of("", "%Y"), "the timestamp is empty");
  }

  TEST_CASE("bad timestamps say what is wrong") {
    CHECK_EQ(problem_of(""), "the timestamp is empty");
    CHECK_EQ(problem_of("   "), "the timestamp is empty");
    CHECK_EQ(problem_of("2020-13-01"), "month 13 is out of range");
    CHECK_EQ(problem_of("2020-00"), "month 0 is out of range");
    CHECK_EQ(problem_of("2020-01-01T25:00:00"), "hour 25 is out of range");
    CHECK_EQ(problem_of("2020-01-01T00:60"), "minute 60 is out of range");
    CHECK_EQ(problem_of("2020-01-01T00:00:60"), "second 60 is out of range");
    CHECK_EQ(problem_of("2020-01-01T00:00:00.5"), "sub-second timestamps are not supported");
    CHECK_EQ(problem_of("2020-01-01T00:00:00+15:00"), "UTC offset hour 15 is out of range");
    CHECK_EQ(problem_of("2020-01-01T00:00+01:60"), "UTC offset minute 60 is out of range");
    for (const char* text :
         {"hello", "2020-1-1", "2020/01/01", "2020-01-01T", "2020-01-01T10", "2020-01-01x",
          "2020-01-01T10:00:00.", "2020-01-01T10:00+1", "-", "12.5", "20200101T000000"}) {
      CAPTURE(text);
      CHECK_EQ(problem_of(text), "not an ISO 8601 date or datetime, nor epoch seconds");
    }
  }

  TEST_CASE("a failed parse leaves the format as it was") {
    TimeFormat format;
    format.style = TimeStyle::iso_month;
    std::string problem;
    CHECK_FALSE(grucast::parse_time("2020-13", "", format, problem).has_value());
    CHECK_EQ(format.style, TimeStyle::iso_month);
    CHECK(grucast::parse_time("2020-12", "", format, problem).has_value());
    CHECK(problem.empty());
  }

  TEST_CASE("same_layout ignores the offset's value but not the layout") {
    const TimeFormat plus_two = parse("2020-01-01T00:00:00+02:00").format;
    CHECK(plus_two.same_layout(parse("2020-06-01T00:00:00-05:00").format));
    CHECK_FALSE(plus_two.same_layout(parse("2020-01-01T00:00:00Z").format));
    CHECK_FALSE(plus_two.same_layout(parse("2020-01-01 00:00:00+02:00").format));
    CHECK_FALSE(plus_two.same_layout(parse("2020-01-01T00:00+02:00").format));
    CHECK(parse("2020-01-01").format.same_layout(parse("1999-12-31").format));
    CHECK_FALSE(parse("2020-01-01").format.same_layout(parse("2020-01").format));
    CHECK(parse("12").format.same_layout(parse("-5").format));
    CHECK(parse("2020", "%Y").format.same_layout(parse("2021", "%Y").format));
    CHECK_FALSE(parse("2020", "%Y").format.same_layout(parse("2020 1", "%Y %m").format));
  }

  TEST_CASE("describe names the layout for messages") {
    CHECK_EQ(parse("2020-01-01").format.describe(), "ISO 8601 date (YYYY-MM-DD)");
    CHECK_EQ(parse("2020-01").format.describe(), "ISO 8601 year-month (YYYY-MM)");
    CHECK_EQ(parse("2020-01-01T00:00:00").format.describe(),
             "ISO 8601 datetime (YYYY-MM-DDTHH:MM:SS)");
    CHECK_EQ(parse("2020-01-01 00:00+01:00").format.describe(),
             "ISO 8601 datetime (YYYY-MM-DD HH:MM, UTC offset)");
    CHECK_EQ(parse("2020-01-01T00:00:00Z").format.describe(),
             "ISO 8601 datetime (YYYY-MM-DDTHH:MM:SSZ)");
    CHECK_EQ(parse("17").format.describe(), "epoch seconds");
    CHECK_EQ(parse("Jan 1 2000", "%b %d %Y").format.describe(), "pattern '%b %d %Y'");
    CHECK_EQ(TimeFormat{}.describe(), "row index");
  }

  TEST_CASE("fixed steps in seconds are inferred") {
    CHECK_EQ(infer_required(every(at("2020-03-28T00:00:00"), 3600, 100)).name(), "hourly");
    CHECK_EQ(infer_required(every(at("2020-01-01"), day, 100)).name(), "daily");
    CHECK_EQ(infer_required(every(at("2020-01-05"), 7 * day, 30)).name(), "weekly");
    CHECK_EQ(infer_required(every(at("2020-01-01T00:00"), 900, 200)).name(), "15 minutes");
    const Frequency ten_seconds = infer_required(every(1577836800, 10, 50));
    CHECK_EQ(ten_seconds.unit, FrequencyUnit::seconds);
    CHECK_EQ(ten_seconds.step, 10);
    CHECK_EQ(ten_seconds.name(), "10 seconds");
  }

  TEST_CASE("weekly data on a weekday stays weekly, not every 5 business days") {
    const Frequency weekly = infer_required(every(at("2024-01-01"), 7 * day, 20));
    CHECK_EQ(weekly.unit, FrequencyUnit::seconds);
    CHECK_EQ(weekly.name(), "weekly");
  }

  TEST_CASE("the most common step wins, the smaller one on ties") {
    std::vector<TimePoint> times = every(0, 60, 10);
    times.push_back(times.back() + 120);
    times.push_back(times.back() + 120);
    CHECK_EQ(infer_required(times).step, 60);
    CHECK_EQ(infer_required({0, 60, 180, 240, 360}).step, 60);
  }

  TEST_CASE("weekdays with weekends skipped are business days, holidays and all") {
    const auto times = business_days(100, {"2024-01-15", "2024-02-19", "2024-03-29"});
    const Frequency frequency = infer_required(times);
    CHECK_EQ(frequency.unit, FrequencyUnit::business_days);
    CHECK_EQ(frequency.step, 1);
    CHECK_EQ(frequency.name(), "business days");
    const auto regularity = check_regularity(times, frequency);
    CHECK_EQ(regularity.gaps, 3);
    CHECK_EQ(regularity.missing_steps, 3);
    CHECK_EQ(regularity.irregular, 0);
  }

  TEST_CASE("weekdays that never cross a weekend are daily") {
    CHECK_EQ(infer_required(every(at("2024-01-01"), day, 5)).name(), "daily");
  }

  TEST_CASE("calendar months are inferred from the day of the month") {
    const Frequency monthly = infer_dates({"2019-11-01", "2019-12-01", "2020-01-01", "2020-02-01"});
    CHECK_EQ(monthly.unit, FrequencyUnit::months);
    CHECK_EQ(monthly.step, 1);
    CHECK_FALSE(monthly.month_end);
    CHECK_EQ(monthly.name(), "monthly");
    const Frequency ends =
        infer_dates({"2019-12-31", "2020-01-31", "2020-02-29", "2020-03-31", "2020-04-30"});
    CHECK_EQ(ends.step, 1);
    CHECK(ends.month_end);
    CHECK_EQ(ends.name(), "monthly (month end)");
    const Frequency quarterly = infer_dates({"2020-01-15", "2020-04-15", "2020-07-15"});
    CHECK_EQ(quarterly.name(), "quarterly");
    const Frequency quarter_ends = infer_dates({"2020-03-31", "2020-06-30", "2020-09-30"});
    CHECK_EQ(quarter_ends.name(), "quarterly (month end)");
    const Frequency yearly = infer_dates({"2018-01-01", "2019-01-01", "2020-01-01", "2021-01-01"});
    CHECK_EQ(yearly.unit, FrequencyUnit::months);
    CHECK_EQ(yearly.step, 12);
    CHECK_EQ(yearly.name(), "yearly");
    CHECK_EQ(infer_dates({"2020-01-01T06:00", "2020-02-01T06:00", "2020-03-01T06:00"}).name(),
             "monthly");
  }

  TEST_CASE("month ends all on the same day keep that day rather than the month end") {
    const Frequency december = infer_dates({"2018-12-31", "2019-12-31", "2020-12-31"});
    CHECK_EQ(december.name(), "yearly");
    CHECK_FALSE(december.month_end);
    const Frequency february = infer_dates({"2021-02-28", "2022-02-28", "2023-02-28"});
    CHECK_FALSE(february.month_end);
    CHECK_EQ(advance(at("2023-02-28"), february, 1), at("2024-02-28"));
  }

  TEST_CASE("a monthly day clamped to short months is still monthly") {
    const Frequency frequency = infer_dates({"2021-01-30", "2021-02-28", "2021-03-30"});
    CHECK_EQ(frequency.unit, FrequencyUnit::months);
    CHECK_FALSE(frequency.month_end);
  }

  TEST_CASE("month-like data with a changing time of day is not monthly") {
    const auto times = dates({"2020-01-01T00:00", "2020-02-01T01:00", "2020-03-01T00:00"});
    CHECK_EQ(infer_required(times).unit, FrequencyUnit::seconds);
  }

  TEST_CASE("all series are pooled, single rows teach nothing") {
    const auto first = every(0, 7200, 10);
    const auto second = every(50000, 3600, 3);
    const std::vector<TimePoint> single = {123};
    const auto frequency = grucast::infer_frequency({first, second, single});
    REQUIRE(frequency.has_value());
    CHECK_EQ(frequency->name(), "2 hours");
    const auto months = grucast::infer_frequency(
        {dates({"2020-01-01", "2020-02-01"}), dates({"2021-05-01", "2021-06-01", "2021-08-01"})});
    REQUIRE(months.has_value());
    CHECK_EQ(months->name(), "monthly");
  }

  TEST_CASE("no series with two timestamps gives no frequency") {
    const std::vector<TimePoint> single = {jan_1_2020};
    const std::vector<TimePoint> empty;
    CHECK_FALSE(infer(single).has_value());
    CHECK_FALSE(grucast::infer_frequency({single, empty}).has_value());
    CHECK_FALSE(grucast::infer_frequency({}).has_value());
  }

  TEST_CASE("frequencies are named the way people say them") {
    CHECK_EQ(seconds(604800).name(), "weekly");
    CHECK_EQ(seconds(2 * 604800).name(), "2 weeks");
    CHECK_EQ(seconds(86400).name(), "daily");
    CHECK_EQ(seconds(3 * 86400).name(), "3 days");
    CHECK_EQ(seconds(3600).name(), "hourly");
    CHECK_EQ(seconds(6 * 3600).name(), "6 hours");
    CHECK_EQ(seconds(60).name(), "every minute");
    CHECK_EQ(seconds(300).name(), "5 minutes");
    CHECK_EQ(seconds(1).name(), "every second");
    CHECK_EQ(seconds(90).name(), "90 seconds");
    CHECK_EQ(months(1).name(), "monthly");
    CHECK_EQ(months(3).name(), "quarterly");
    CHECK_EQ(months(12).name(), "yearly");
    CHECK_EQ(months(24).name(), "2 years");
    CHECK_EQ(months(6).name(), "6 months");
    CHECK_EQ(months(1, true).name(), "monthly (month end)");
    CHECK_EQ(months(6, true).name(), "6 months (month end)");
    CHECK_EQ(business(1).name(), "business days");
    CHECK_EQ(business(5).name(), "every 5 business days");
    CHECK_EQ(Frequency{}.name(), "row index");
  }

  TEST_CASE("default seasons follow the calendar") {
    CHECK_EQ(seconds(3600).default_season(), 24);
    CHECK_EQ(seconds(86400).default_season(), 7);
    CHECK_EQ(seconds(604800).default_season(), 52);
    CHECK_EQ(seconds(900).default_season(), 1);
    CHECK_EQ(months(1).default_season(), 12);
    CHECK_EQ(months(3).default_season(), 4);
    CHECK_EQ(months(12).default_season(), 1);
    CHECK_EQ(business(1).default_season(), 1);
    CHECK_EQ(Frequency{}.default_season(), 1);
  }

  TEST_CASE("a daily series with a 3-day interval has one gap of two missing days") {
    std::vector<TimePoint> times = every(at("2020-01-01"), day, 10);
    times.push_back(times.back() + 3 * day);
    times.push_back(times.back() + day);
    const auto regularity = check_regularity(times, seconds(day));
    CHECK_EQ(regularity.gaps, 1);
    CHECK_EQ(regularity.missing_steps, 2);
    CHECK_EQ(regularity.irregular, 0);
  }

  TEST_CASE("an interval of one and a half steps is irregular") {
    const std::vector<TimePoint> times = {0, 3600, 7200, 12600, 16200};
    const auto regularity = check_regularity(times, seconds(3600));
    CHECK_EQ(regularity.irregular, 1);
    CHECK_EQ(regularity.gaps, 0);
  }

  TEST_CASE("business-day gaps count weekdays only") {
    // Fri 2024-01-05 -> Mon 08 is one step; Mon 08 -> Wed 10 skips Tuesday.
    const auto times = dates(
        {"2024-01-04", "2024-01-05", "2024-01-08", "2024-01-10", "2024-01-15"});
    const auto regularity = check_regularity(times, business(1));
    CHECK_EQ(regularity.gaps, 2);
    CHECK_EQ(regularity.missing_steps, 3);
    CHECK_EQ(regularity.irregular, 0);
    const auto weekend = dates({"2024-01-05", "2024-01-06"});
    CHECK_EQ(check_regularity(weekend, business(1)).irregular, 1);
  }

  TEST_CASE("a skipped month is a gap, a broken day of month is irregular") {
    const Frequency monthly = months(1);
    const auto skipped = dates({"2020-01-01", "2020-02-01", "2020-04-01", "2020-05-01"});
    auto regularity = check_regularity(skipped, monthly);
    CHECK_EQ(regularity.gaps, 1);
    CHECK_EQ(regularity.missing_steps, 1);
    CHECK_EQ(regularity.irregular, 0);
    const auto broken = dates({"2020-01-01", "2020-02-01", "2020-03-15", "2020-04-01"});
    regularity = check_regularity(broken, monthly);
    CHECK_EQ(regularity.irregular, 2);
    regularity = check_regularity(dates({"2020-01-31", "2020-02-29", "2020-03-31"}), monthly);
    CHECK_EQ(regularity.irregular, 0);
    const Frequency quarterly_ends = months(3, true);
    const auto ends = dates({"2020-03-31", "2020-06-30", "2020-12-31", "2021-02-28"});
    regularity = check_regularity(ends, quarterly_ends);
    CHECK_EQ(regularity.gaps, 1);
    CHECK_EQ(regularity.missing_steps, 1);
    CHECK_EQ(regularity.irregular, 1);
  }

  TEST_CASE("row indexes count steps of rows") {
    const std::vector<TimePoint> rows = {0, 1, 2, 5, 6};
    const auto regularity = check_regularity(rows, Frequency{});
    CHECK_EQ(regularity.gaps, 1);
    CHECK_EQ(regularity.missing_steps, 2);
    CHECK_EQ(advance(6, Frequency{}, 3), 9);
  }

  TEST_CASE("advance adds fixed steps of seconds") {
    CHECK_EQ(advance(jan_1_2020, seconds(3600), 5), jan_1_2020 + 18000);
    CHECK_EQ(advance(-day, seconds(day), 1), 0);
    CHECK_EQ(advance(jan_1_2020, seconds(day), 0), jan_1_2020);
  }

  TEST_CASE("advance skips weekends in business days and keeps the time of day") {
    const Frequency daily_business = business(1);
    const TimePoint friday = at("2024-01-05T16:00");
    CHECK_EQ(advance(friday, daily_business, 1), at("2024-01-08T16:00"));
    CHECK_EQ(advance(friday, daily_business, 5), at("2024-01-12T16:00"));
    CHECK_EQ(advance(friday, daily_business, 6), at("2024-01-15T16:00"));
    CHECK_EQ(advance(friday, daily_business, 0), friday);
    CHECK_EQ(advance(at("2024-01-04"), business(2), 1), at("2024-01-08"));
    CHECK_EQ(advance(at("1969-12-26"), daily_business, 1), at("1969-12-29"));
    CHECK_EQ(advance(at("1970-01-02"), daily_business, 1), at("1970-01-05"));
  }

  TEST_CASE("advance in months keeps the month end") {
    const Frequency ends = months(1, true);
    CHECK_EQ(advance(at("2020-01-31"), ends, 1), at("2020-02-29"));
    CHECK_EQ(advance(at("2020-02-29"), ends, 1), at("2020-03-31"));
    CHECK_EQ(advance(at("2020-01-31"), ends, 2), at("2020-03-31"));
    CHECK_EQ(advance(at("2020-02-29"), ends, 2), at("2020-04-30"));
  }

  TEST_CASE("advance in months clamps the day to shorter months") {
    const Frequency monthly = months(1);
    CHECK_EQ(advance(at("2020-01-31"), monthly, 1), at("2020-02-29"));
    CHECK_EQ(advance(at("2020-01-31"), monthly, 2), at("2020-03-31"));
    CHECK_EQ(advance(at("2020-01-15T12:30"), monthly, 13), at("2021-02-15T12:30"));
    CHECK_EQ(advance(at("1969-12-01"), monthly, 1), at("1970-01-01"));
    CHECK_EQ(advance(at("2020-02-29"), months(12), 1), at("2021-02-28"));
    CHECK_EQ(advance(at("2020-11-30"), months(3), 1), at("2021-02-28"));
  }

  TEST_CASE("a monthly series on day 30 keeps day 30 after February") {
    const std::vector<TimePoint> times = {at("2019-11-30"), at("2019-12-30"), at("2020-01-30"), at("2020-02-29")};
    const auto frequency = grucast::infer_frequency({std::span<const TimePoint>(times)});
    REQUIRE(frequency);
    CHECK_EQ(frequency->name(), "monthly");
    CHECK_EQ(frequency->day, 30u);
    CHECK_EQ(advance(times.back(), *frequency, 1), at("2020-03-30"));
  }

  TEST_CASE("lower-case t and z and the %s pattern read as RFC 3339 allows") {
    CHECK_EQ(at("2020-01-01t00:00:00z"), at("2020-01-01T00:00:00Z"));
    TimeFormat format;
    std::string problem;
    CHECK_EQ(grucast::parse_time("1577836800", "%s", format, problem), std::optional<TimePoint>(1577836800));
    CHECK_EQ(format.style, TimeStyle::epoch);
    CHECK_FALSE(grucast::parse_time("2020-01-01", "%s", format, problem).has_value());
    CHECK_EQ(problem, "does not match --time-format '%s' (integer epoch seconds)");
  }

  TEST_CASE("advance refuses to pass the year 9999 in every unit") {
    CHECK_EQ(advance(at("9999-11-01"), months(1), 1), at("9999-12-01"));
    CHECK_THROWS_WITH_AS(advance(at("9999-11-01"), months(1), 2),
                         "the future timestamps would pass the year 9999, --horizon, use a shorter horizon", grucast::DataError);
    CHECK_THROWS_AS(advance(at("9999-12-31"), Frequency{FrequencyUnit::seconds, 86400, false}, 1), grucast::DataError);
    CHECK_THROWS_AS(advance(at("9999-12-31"), Frequency{FrequencyUnit::business_days, 1, false}, 1000),
                    grucast::DataError);
    CHECK_EQ(advance(at("2020-01-01"), months(12), 7000), at("9020-01-01"));
  }

  TEST_CASE("the S&P 500 dataset is business days with holiday gaps") {
    TimeFormat format;
    const auto times = dataset_times("sp500-2000.csv", format);
    CHECK_EQ(format.style, TimeStyle::iso_date);
    const Frequency frequency = infer_required(times);
    CHECK_EQ(frequency.name(), "business days");
    const auto regularity = check_regularity(times, frequency);
    CHECK_GT(regularity.gaps, 0);
    CHECK_EQ(regularity.irregular, 0);
    CHECK_EQ(format_time(advance(times.back(), frequency, 1), format).size(), 10);
  }

  TEST_CASE("the CO2 dataset is monthly on the first") {
    TimeFormat format;
    const auto times = dataset_times("co2-concentration.csv", format);
    CHECK_EQ(format.style, TimeStyle::iso_date);
    CHECK_EQ(format_time(times.front(), format), "1958-03-01");
    const Frequency frequency = infer_required(times);
    CHECK_EQ(frequency.name(), "monthly");
    CHECK_EQ(frequency.default_season(), 12);
    CHECK_EQ(check_regularity(times, frequency).irregular, 0);
  }

  TEST_CASE("the Seattle hourly normals are hourly ISO datetimes") {
    TimeFormat format;
    const auto times = dataset_times("seattle-weather-hourly-normals.csv", format);
    CHECK_EQ(format.describe(), "ISO 8601 datetime (YYYY-MM-DDTHH:MM:SS)");
    CHECK_EQ(format_time(times.front(), format), "2010-01-01T01:00:00");
    const Frequency frequency = infer_required(times);
    CHECK_EQ(frequency.name(), "hourly");
    CHECK_EQ(frequency.default_season(), 24);
    CHECK_EQ(check_regularity(times, frequency).irregular, 0);
  }
}
