#include <doctest/doctest.h>

#include "grucast/data/time/time_index.hpp"
#include "grucast/util/error.hpp"
#include "support/time_helpers.hpp"

using namespace grucast;
using namespace grucast::test;

TEST_SUITE("time_format") {
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

  TEST_CASE("with years, four digits are a year, and other integers stay epoch seconds") {
    TimeFormat format;
    std::string problem;
    CHECK_EQ(grucast::parse_time("2020", "", format, problem, true), std::optional<TimePoint>(jan_1_2020));
    CHECK_EQ(format.style, TimeStyle::year);
    CHECK_EQ(format.describe(), "year (YYYY)");
    CHECK_EQ(format_time(jan_1_2020 + 40 * day, format), "2020");
    CHECK_EQ(grucast::parse_time("0999", "", format, problem, true), std::optional<TimePoint>(at("0999-01-01")));
    CHECK_EQ(grucast::parse_time("20200", "", format, problem, true), std::optional<TimePoint>(20200));
    CHECK_EQ(format.style, TimeStyle::epoch);
    CHECK_EQ(grucast::parse_time("2020", "%s", format, problem, true), std::optional<TimePoint>(2020));
    CHECK_EQ(format.style, TimeStyle::epoch);
    CHECK_EQ(grucast::parse_time("2020-03", "", format, problem, true), std::optional<TimePoint>(at("2020-03-01")));
    CHECK_EQ(format.style, TimeStyle::iso_month);
  }

  TEST_CASE("quarters are their first day, written back in their own layout") {
    CHECK_EQ(at("2020-Q1"), jan_1_2020);
    CHECK_EQ(at("2020Q2"), at("2020-04-01"));
    CHECK_EQ(at("2020 Q3"), at("2020-07-01"));
    CHECK_EQ(at("1990-Q4"), at("1990-10-01"));
    for (const char* text : {"2020-Q1", "2020Q4", "2020 Q2", "0001-Q1", "9999-Q4"}) {
      CAPTURE(text);
      CHECK_EQ(round_trip(text), text);
    }
    const Parsed parsed = parse("1990Q1");
    CHECK_EQ(parsed.format.style, TimeStyle::quarter);
    CHECK_EQ(parsed.format.describe(), "quarter (YYYYQn)");
    CHECK_EQ(parse("1990-Q1").format.describe(), "quarter (YYYY-Qn)");
    CHECK_EQ(format_time(at("1990-10-01"), parsed.format), "1990Q4");
    CHECK(parsed.format.same_layout(parse("2001Q3").format));
    CHECK_FALSE(parsed.format.same_layout(parse("2001-Q3").format));
    CHECK_EQ(problem_of("2020-Q5"), "quarter 5 is out of range");
    CHECK_EQ(problem_of("2020-Q0"), "quarter 0 is out of range");
    for (const char* text : {"2020-Q", "2020-Q12", "2020-q1", "Q1 2020", "2020--Q1", "20-Q1"}) {
      CAPTURE(text);
      CHECK_EQ(problem_of(text), "not an ISO 8601 date or datetime, nor epoch seconds");
    }
  }

  TEST_CASE("ISO 8601 weeks are their Monday, across the turn of a year") {
    CHECK_EQ(at("2020-W01"), at("2019-12-30"));
    CHECK_EQ(at("2020W05"), at("2020-01-27"));
    CHECK_EQ(at("2021-W01"), at("2021-01-04"));
    CHECK_EQ(at("2020-W53"), at("2020-12-28"));  // 2020 has 53 weeks (January 1st a Wednesday, a leap year)
    CHECK_EQ(at("2015-W53"), at("2015-12-28"));  // 2015 too (January 1st a Thursday)
    for (const char* text : {"2020-W01", "2020W05", "2020-W53", "2021-W52", "2004-W53", "1999-W01"}) {
      CAPTURE(text);
      CHECK_EQ(round_trip(text), text);
    }
    const Parsed parsed = parse("2020-W05");
    CHECK_EQ(parsed.format.style, TimeStyle::iso_week);
    CHECK_EQ(parsed.format.describe(), "ISO 8601 week (YYYY-Www)");
    CHECK_EQ(format_time(at("2020-12-28") + 7 * day, parsed.format), "2021-W01");
    CHECK_EQ(format_time(at("2020-01-01"), parsed.format), "2020-W01");  // a Wednesday: its week
    CHECK_EQ(problem_of("2021-W53"), "week 53 is out of range for 2021 (52 weeks)");
    CHECK_EQ(problem_of("2021-W00"), "week 0 is out of range for 2021 (52 weeks)");
    for (const char* text : {"2020-W5", "2020 W05", "2020-W05-1", "2020-w05"}) {
      CAPTURE(text);
      CHECK_EQ(problem_of(text), "not an ISO 8601 date or datetime, nor epoch seconds");
    }
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

  TEST_CASE("lower-case t and z and the %s pattern read as RFC 3339 allows") {
    CHECK_EQ(at("2020-01-01t00:00:00z"), at("2020-01-01T00:00:00Z"));
    TimeFormat format;
    std::string problem;
    CHECK_EQ(grucast::parse_time("1577836800", "%s", format, problem), std::optional<TimePoint>(1577836800));
    CHECK_EQ(format.style, TimeStyle::epoch);
    CHECK_FALSE(grucast::parse_time("2020-01-01", "%s", format, problem).has_value());
    CHECK_EQ(problem, "does not match --time-format '%s' (integer epoch seconds)");
  }
}
