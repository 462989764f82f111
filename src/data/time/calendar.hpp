// Calendar arithmetic on TimePoints shared by the timestamp parser and the frequency code
// (internal to the library).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "grucast/data/time/time_index.hpp"

namespace grucast::calendar {

namespace chr = std::chrono;
using Date = chr::year_month_day;

inline constexpr std::int64_t seconds_per_day = 86400;
inline constexpr std::int64_t seconds_per_week = 7 * seconds_per_day;
// Timestamps are kept within the years 0000..9999 that ISO 8601 writes with four digits.
inline constexpr TimePoint earliest_time = -62167219200;  // 0000-01-01T00:00:00Z
inline constexpr TimePoint latest_time = 253402300799;    // 9999-12-31T23:59:59Z

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// A TimePoint split into its day (since 1970-01-01) and its second of that day.
struct DayTime {
  std::int64_t day;
  std::int64_t second;
};

inline DayTime split(TimePoint t) {
  const chr::sys_days day = chr::floor<chr::days>(chr::sys_seconds{chr::seconds{t}});
  const std::int64_t days = day.time_since_epoch().count();
  return {days, t - days * seconds_per_day};
}

inline chr::sys_days to_sys_days(std::int64_t day) { return chr::sys_days{chr::days{day}}; }
inline Date date_of_day(std::int64_t day) { return Date{to_sys_days(day)}; }
inline Date date_of(TimePoint t) { return date_of_day(split(t).day); }
inline std::int64_t day_number(const Date& date) {
  return chr::sys_days{date}.time_since_epoch().count();
}
inline std::int64_t month_number(const Date& date) {
  return std::int64_t{static_cast<int>(date.year())} * 12 + static_cast<unsigned>(date.month()) - 1;
}
inline unsigned last_day(chr::year year, chr::month month) {
  return static_cast<unsigned>(chr::year_month_day_last{year, chr::month_day_last{month}}.day());
}
inline bool is_month_end(const Date& date) {
  return static_cast<unsigned>(date.day()) == last_day(date.year(), date.month());
}
inline bool is_weekday(std::int64_t day) {
  const chr::weekday weekday{to_sys_days(day)};
  return weekday != chr::Saturday && weekday != chr::Sunday;
}

// ISO 8601 weeks: Monday to Sunday; week 1 of a year is the week that holds its first Thursday
// (so its 4th of January), and a year has 52 weeks, or 53 when its last Thursday falls in week 53.

/// Days since Monday of the week `day` falls in: 0 (Monday) to 6 (Sunday).
inline std::int64_t days_since_monday(std::int64_t day) {
  return chr::weekday{to_sys_days(day)}.iso_encoding() - 1;
}
/// The Monday of ISO week `week` of `year`.
inline std::int64_t iso_week_monday(int year, int week) {
  const std::int64_t january_4 = day_number(chr::year{year} / 1 / 4);
  return january_4 - days_since_monday(january_4) + 7 * std::int64_t{week - 1};
}
/// The number of ISO weeks of `year`: 52 or 53.
inline int iso_weeks_in(int year) {
  return date_of_day(iso_week_monday(year, 53) + 3).year() == chr::year{year} ? 53 : 52;
}
struct IsoWeek {
  int year;
  int week;
};
/// The ISO year and week that `day` falls in (its Thursday's year).
inline IsoWeek iso_week_of(std::int64_t day) {
  const std::int64_t thursday = day - days_since_monday(day) + 3;
  const int year = static_cast<int>(date_of_day(thursday).year());
  return {year, static_cast<int>((thursday - 3 - iso_week_monday(year, 1)) / 7) + 1};
}

// Weekdays are ranked from Monday 1969-12-29: weekdays_before(d) counts those in [anchor, d).
inline const std::int64_t monday_anchor = day_number(chr::year{1969} / 12 / 29);

inline std::int64_t weekdays_before(std::int64_t day) {
  const std::int64_t weeks = floor_div(day - monday_anchor, 7);
  return weeks * 5 + std::min<std::int64_t>(day - monday_anchor - weeks * 7, 5);
}
/// Weekdays in (from, to].
inline std::int64_t weekdays_between(std::int64_t from, std::int64_t to) {
  return weekdays_before(to + 1) - weekdays_before(from + 1);
}
/// The weekday that has `rank` weekdays before it.
inline std::int64_t weekday_of_rank(std::int64_t rank) {
  const std::int64_t weeks = floor_div(rank, 5);
  return monday_anchor + weeks * 7 + (rank - weeks * 5);
}

}  // namespace grucast::calendar
