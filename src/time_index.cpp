#include "grucast/time_index.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "grucast/text.hpp"

namespace grucast {

namespace {

namespace chr = std::chrono;
using Date = chr::year_month_day;

constexpr std::int64_t seconds_per_day = 86400;
constexpr std::int64_t seconds_per_week = 7 * seconds_per_day;
constexpr std::array<const char*, 12> month_names = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// A TimePoint split into its day (since 1970-01-01) and its second of that day.
struct DayTime {
  std::int64_t day;
  std::int64_t second;
};

DayTime split(TimePoint t) {
  const chr::sys_days day = chr::floor<chr::days>(chr::sys_seconds{chr::seconds{t}});
  const std::int64_t days = day.time_since_epoch().count();
  return {days, t - days * seconds_per_day};
}

chr::sys_days to_sys_days(std::int64_t day) { return chr::sys_days{chr::days{day}}; }
Date date_of_day(std::int64_t day) { return Date{to_sys_days(day)}; }
Date date_of(TimePoint t) { return date_of_day(split(t).day); }
std::int64_t day_number(const Date& date) {
  return chr::sys_days{date}.time_since_epoch().count();
}
std::int64_t month_number(const Date& date) {
  return std::int64_t{static_cast<int>(date.year())} * 12 + static_cast<unsigned>(date.month()) - 1;
}
unsigned last_day(chr::year year, chr::month month) {
  return static_cast<unsigned>(chr::year_month_day_last{year, chr::month_day_last{month}}.day());
}
bool is_month_end(const Date& date) {
  return static_cast<unsigned>(date.day()) == last_day(date.year(), date.month());
}
bool is_weekday(std::int64_t day) {
  const chr::weekday weekday{to_sys_days(day)};
  return weekday != chr::Saturday && weekday != chr::Sunday;
}

// Weekdays are ranked from Monday 1969-12-29: weekdays_before(d) counts those in [anchor, d).
const std::int64_t monday_anchor = day_number(chr::year{1969} / 12 / 29);

std::int64_t weekdays_before(std::int64_t day) {
  const std::int64_t weeks = floor_div(day - monday_anchor, 7);
  return weeks * 5 + std::min<std::int64_t>(day - monday_anchor - weeks * 7, 5);
}
/// Weekdays in (from, to].
std::int64_t weekdays_between(std::int64_t from, std::int64_t to) {
  return weekdays_before(to + 1) - weekdays_before(from + 1);
}
/// The weekday that has `rank` weekdays before it.
std::int64_t weekday_of_rank(std::int64_t rank) {
  const std::int64_t weeks = floor_div(rank, 5);
  return monday_anchor + weeks * 7 + (rank - weeks * 5);
}

struct Fields {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int offset_sign = 1, offset_hours = 0, offset_minutes = 0;
  bool fraction = false;  // a non-zero fraction of a second
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The ISO readers consume `in` from the front.
bool take(std::string_view& in, char c) {
  if (in.empty() || in.front() != c) return false;
  in.remove_prefix(1);
  return true;
}

/// Exactly `width` digits.
bool number(std::string_view& in, std::size_t width, int& value) {
  if (in.size() < width || !std::all_of(in.begin(), in.begin() + width, is_digit)) return false;
  value = 0;
  for (std::size_t i = 0; i < width; ++i) value = value * 10 + (in[i] - '0');
  in.remove_prefix(width);
  return true;
}

bool read_zone(std::string_view& in, Fields& fields, TimeFormat& format) {
  if (take(in, 'Z')) {
    format.zone = TimeZoneStyle::utc;
    return true;
  }
  const bool plus = take(in, '+');
  if (!plus && !take(in, '-')) return true;
  format.zone = TimeZoneStyle::offset;
  fields.offset_sign = plus ? 1 : -1;
  if (!number(in, 2, fields.offset_hours)) return false;
  if (take(in, ':')) return number(in, 2, fields.offset_minutes);
  number(in, 2, fields.offset_minutes);  // +HHMM, or just +HH
  return true;
}

bool read_clock(std::string_view& in, Fields& fields, TimeFormat& format) {
  if (!number(in, 2, fields.hour) || !take(in, ':') || !number(in, 2, fields.minute)) return false;
  format.seconds = take(in, ':');
  if (format.seconds && !number(in, 2, fields.second)) return false;
  if (format.seconds && take(in, '.')) {
    const std::size_t length = std::find_if_not(in.begin(), in.end(), is_digit) - in.begin();
    if (length == 0) return false;
    fields.fraction = in.substr(0, length).find_first_not_of('0') != std::string_view::npos;
    in.remove_prefix(length);
  }
  return read_zone(in, fields, format);
}

bool read_iso(std::string_view text, Fields& fields, TimeFormat& format) {
  std::string_view in = text;
  if (!number(in, 4, fields.year) || !take(in, '-') || !number(in, 2, fields.month)) return false;
  format.style = TimeStyle::iso_month;
  if (in.empty()) return true;
  if (!take(in, '-') || !number(in, 2, fields.day)) return false;
  format.style = TimeStyle::iso_date;
  if (in.empty()) return true;
  if (!take(in, 'T') && !take(in, ' ')) return false;
  format.style = TimeStyle::iso_datetime;
  format.separator = text[10];
  return read_clock(in, fields, format) && in.empty();
}

bool read_pattern(std::string_view text, const std::string& pattern, Fields& fields,
                  TimeFormat& format) {
  const std::string copy(text);
  std::tm tm{};
  const char* end = strptime(copy.c_str(), pattern.c_str(), &tm);
  if (end == nullptr || !trim(end).empty()) return false;
  fields.year = tm.tm_year + 1900;
  fields.month = tm.tm_mon + 1;
  fields.day = tm.tm_mday == 0 ? 1 : tm.tm_mday;  // a pattern without a day, e.g. "%Y-%m"
  fields.hour = tm.tm_hour;
  fields.minute = tm.tm_min;
  fields.second = tm.tm_sec;
  if (pattern.find("%z") != std::string::npos) {
    format.zone = TimeZoneStyle::offset;
    fields.offset_sign = tm.tm_gmtoff < 0 ? -1 : 1;
    fields.offset_hours = static_cast<int>(std::labs(tm.tm_gmtoff) / 3600);
    fields.offset_minutes = static_cast<int>(std::labs(tm.tm_gmtoff) / 60 % 60);
  }
  return true;
}

std::string range_problem(const Fields& f) {
  if (f.year < 0 || f.year > 9999) return fmt::format("year {} is out of range", f.year);
  if (f.month < 1 || f.month > 12) return fmt::format("month {} is out of range", f.month);
  const unsigned days = last_day(chr::year{f.year}, chr::month{static_cast<unsigned>(f.month)});
  if (f.day < 1 || static_cast<unsigned>(f.day) > days) {
    return fmt::format("day {} is out of range for {} {}", f.day, month_names[f.month - 1], f.year);
  }
  if (f.hour > 23) return fmt::format("hour {} is out of range", f.hour);
  if (f.minute > 59) return fmt::format("minute {} is out of range", f.minute);
  if (f.second > 59) return fmt::format("second {} is out of range", f.second);
  if (f.offset_hours > 14) return fmt::format("UTC offset hour {} is out of range", f.offset_hours);
  if (f.offset_minutes > 59) {
    return fmt::format("UTC offset minute {} is out of range", f.offset_minutes);
  }
  if (f.fraction) return "sub-second timestamps are not supported";
  return {};
}

TimePoint local_time(const Fields& f) {
  const Date date{chr::year{f.year}, chr::month{static_cast<unsigned>(f.month)},
                  chr::day{static_cast<unsigned>(f.day)}};
  return day_number(date) * seconds_per_day + f.hour * 3600 + f.minute * 60 + f.second;
}

int written_offset(const TimeFormat& format) {
  return format.zone == TimeZoneStyle::offset ? format.offset : 0;
}

std::string format_pattern(TimePoint t, const TimeFormat& format) {
  const int offset = written_offset(format);
  const DayTime local = split(t + offset);
  const Date date = date_of_day(local.day);
  std::tm tm{};
  tm.tm_year = static_cast<int>(date.year()) - 1900;
  tm.tm_mon = static_cast<int>(static_cast<unsigned>(date.month())) - 1;
  tm.tm_mday = static_cast<int>(static_cast<unsigned>(date.day()));
  tm.tm_hour = static_cast<int>(local.second / 3600);
  tm.tm_min = static_cast<int>(local.second / 60 % 60);
  tm.tm_sec = static_cast<int>(local.second % 60);
  tm.tm_wday = static_cast<int>(chr::weekday{to_sys_days(local.day)}.c_encoding());
  tm.tm_yday = static_cast<int>(local.day - day_number(date.year() / 1 / 1));
  tm.tm_gmtoff = offset;
  tm.tm_zone = offset == 0 ? "UTC" : "";
  std::string buffer(64 + 4 * format.pattern.size(), '\0');
  for (;;) {
    const std::size_t length =
        std::strftime(buffer.data(), buffer.size(), format.pattern.c_str(), &tm);
    // strftime returns 0 both when the buffer is too small and when the output is empty.
    if (length > 0 || buffer.size() > 4096) return buffer.substr(0, length);
    buffer.resize(buffer.size() * 2);
  }
}

/// The most frequent value; the smaller one on ties.
std::int64_t most_common(const std::vector<std::int64_t>& values) {
  std::map<std::int64_t, std::size_t> counts;
  for (const std::int64_t value : values) ++counts[value];
  return std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
           return a.second < b.second;
         })->first;
}

using SeriesList = std::vector<std::span<const TimePoint>>;

std::vector<TimePoint> pooled(const SeriesList& series) {
  std::vector<TimePoint> all;
  for (const auto& times : series) all.insert(all.end(), times.begin(), times.end());
  return all;
}

/// `measure` of every consecutive pair of every series.
template <typename Measure>
std::vector<std::int64_t> intervals(const SeriesList& series, Measure measure) {
  std::vector<std::int64_t> out;
  for (const auto& times : series) {
    for (std::size_t i = 1; i < times.size(); ++i) out.push_back(measure(times[i - 1], times[i]));
  }
  return out;
}

std::optional<Frequency> infer_months(const SeriesList& series) {
  std::vector<Date> dates;
  for (const TimePoint t : pooled(series)) dates.push_back(date_of(t));
  const auto by_day = [](const Date& a, const Date& b) { return a.day() < b.day(); };
  const chr::day largest = std::max_element(dates.begin(), dates.end(), by_day)->day();
  // One day of the month, clamped to shorter months (day 31 is Feb 29, Apr 30, ...).
  const bool one_day = std::all_of(dates.begin(), dates.end(), [&](const Date& date) {
    return date.day() == std::min(largest, chr::day{last_day(date.year(), date.month())});
  });
  const bool all_ends = std::all_of(dates.begin(), dates.end(), is_month_end);
  if (!one_day && !all_ends) return std::nullopt;
  const bool all_same = std::all_of(dates.begin(), dates.end(),
                                    [&](const Date& date) { return date.day() == largest; });
  const auto months = intervals(series, [](TimePoint a, TimePoint b) {
    return month_number(date_of(b)) - month_number(date_of(a));
  });
  if (std::any_of(months.begin(), months.end(), [](std::int64_t m) { return m <= 0; })) {
    return std::nullopt;
  }
  return Frequency{FrequencyUnit::months, most_common(months), all_ends && !all_same};
}

std::optional<Frequency> infer_business_days(const SeriesList& series) {
  const auto all = pooled(series);
  const auto on_weekday = [](TimePoint t) { return is_weekday(split(t).day); };
  if (!std::all_of(all.begin(), all.end(), on_weekday)) return std::nullopt;
  const auto weekdays = intervals(series, [](TimePoint a, TimePoint b) {
    return weekdays_between(split(a).day, split(b).day);
  });
  const auto days = intervals(series, [](TimePoint a, TimePoint b) {
    return split(b).day - split(a).day;
  });
  // Weekly data on a weekday skips weekends too, but reads better as "weekly".
  const bool whole_weeks =
      std::all_of(days.begin(), days.end(), [](std::int64_t d) { return d % 7 == 0; });
  if (weekdays == days || whole_weeks) return std::nullopt;
  return Frequency{FrequencyUnit::business_days, most_common(weekdays), false};
}

/// Whether a -> b keeps the monthly pattern: the time of day, and the day of the month.
bool keeps_month_pattern(TimePoint a, TimePoint b, bool month_end) {
  if (split(a).second != split(b).second) return false;
  const Date first = date_of(a), second = date_of(b);
  if (month_end) return is_month_end(first) && is_month_end(second);
  // Equal days, or a day clamped to a short month: then the smaller day ends its month.
  return first.day() == second.day() ||
         is_month_end(first.day() < second.day() ? first : second);
}

/// The distance a -> b in the frequency's unit, or nothing when a -> b breaks its pattern.
std::optional<std::int64_t> distance(TimePoint a, TimePoint b, const Frequency& frequency) {
  switch (frequency.unit) {
    case FrequencyUnit::index:
    case FrequencyUnit::seconds:
      return b - a;
    case FrequencyUnit::months:
      if (!keeps_month_pattern(a, b, frequency.month_end)) return std::nullopt;
      return month_number(date_of(b)) - month_number(date_of(a));
    case FrequencyUnit::business_days:
      if (split(a).second != split(b).second || !is_weekday(split(b).day)) return std::nullopt;
      return weekdays_between(split(a).day, split(b).day);
  }
  return std::nullopt;
}

TimePoint advance_months(TimePoint t, std::int64_t months, bool month_end) {
  const Date date = date_of(t);
  const chr::year_month target = date.year() / date.month() + chr::months{months};
  const unsigned last = last_day(target.year(), target.month());
  const unsigned day = month_end ? last : std::min(static_cast<unsigned>(date.day()), last);
  return day_number(target / chr::day{day}) * seconds_per_day + split(t).second;
}

std::string seconds_name(std::int64_t step) {
  static constexpr std::array<std::tuple<std::int64_t, const char*, const char*>, 5> units = {{
      {604800, "weekly", "weeks"},
      {86400, "daily", "days"},
      {3600, "hourly", "hours"},
      {60, "every minute", "minutes"},
      {1, "every second", "seconds"},
  }};
  for (const auto& [seconds, single, plural] : units) {
    if (step <= 0 || step % seconds != 0) continue;
    return step == seconds ? std::string(single) : fmt::format("{} {}", step / seconds, plural);
  }
  return fmt::format("{} seconds", step);
}

std::string months_name(std::int64_t step) {
  if (step == 1) return "monthly";
  if (step == 3) return "quarterly";
  if (step == 12) return "yearly";
  return step % 12 == 0 ? fmt::format("{} years", step / 12) : fmt::format("{} months", step);
}

}  // namespace

std::optional<TimePoint> parse_time(std::string_view text, const std::string& pattern,
                                    TimeFormat& format, std::string& problem) {
  text = trim(text);
  if (text.empty()) {
    problem = "the timestamp is empty";
    return std::nullopt;
  }
  const std::size_t sign = text.front() == '-' ? 1 : 0;
  TimeFormat parsed;
  Fields fields;
  if (!pattern.empty()) {
    parsed.style = TimeStyle::pattern;
    parsed.pattern = pattern;
    if (!read_pattern(text, pattern, fields, parsed)) {
      problem = fmt::format("does not match --time-format '{}'", pattern);
      return std::nullopt;
    }
  } else if (text.size() > sign && std::all_of(text.begin() + sign, text.end(), is_digit)) {
    if (text.size() - sign > 12) {
      problem = "epoch seconds have more than 12 digits";
      return std::nullopt;
    }
    TimePoint seconds = 0;
    std::from_chars(text.data(), text.data() + text.size(), seconds);
    format = TimeFormat{};
    format.style = TimeStyle::epoch;
    problem.clear();
    return seconds;
  } else if (!read_iso(text, fields, parsed)) {
    problem = "not an ISO 8601 date or datetime, nor epoch seconds";
    return std::nullopt;
  }
  if (std::string why = range_problem(fields); !why.empty()) {
    problem = std::move(why);
    return std::nullopt;
  }
  parsed.offset = fields.offset_sign * (fields.offset_hours * 3600 + fields.offset_minutes * 60);
  format = parsed;
  problem.clear();
  return local_time(fields) - parsed.offset;
}

std::string format_time(TimePoint t, const TimeFormat& format) {
  if (format.style == TimeStyle::index || format.style == TimeStyle::epoch) {
    return std::to_string(t);
  }
  if (format.style == TimeStyle::pattern) return format_pattern(t, format);
  const int offset = written_offset(format);
  const DayTime local = split(t + offset);
  const Date date = date_of_day(local.day);
  std::string out = fmt::format("{:04}-{:02}", static_cast<int>(date.year()),
                                static_cast<unsigned>(date.month()));
  if (format.style == TimeStyle::iso_month) return out;
  out += fmt::format("-{:02}", static_cast<unsigned>(date.day()));
  if (format.style == TimeStyle::iso_date) return out;
  out += fmt::format("{}{:02}:{:02}", format.separator, local.second / 3600,
                     local.second / 60 % 60);
  if (format.seconds) out += fmt::format(":{:02}", local.second % 60);
  if (format.zone == TimeZoneStyle::utc) out += 'Z';
  if (format.zone == TimeZoneStyle::offset) {
    const int size = std::abs(offset);
    out += fmt::format("{}{:02}:{:02}", offset < 0 ? '-' : '+', size / 3600, size / 60 % 60);
  }
  return out;
}

bool TimeFormat::same_layout(const TimeFormat& other) const {
  if (style != other.style) return false;
  if (style == TimeStyle::pattern) return pattern == other.pattern && zone == other.zone;
  if (style != TimeStyle::iso_datetime) return true;
  return separator == other.separator && seconds == other.seconds && zone == other.zone;
}

std::string TimeFormat::describe() const {
  switch (style) {
    case TimeStyle::index: return "row index";
    case TimeStyle::iso_date: return "ISO 8601 date (YYYY-MM-DD)";
    case TimeStyle::iso_month: return "ISO 8601 year-month (YYYY-MM)";
    case TimeStyle::epoch: return "epoch seconds";
    case TimeStyle::pattern: return fmt::format("pattern '{}'", pattern);
    case TimeStyle::iso_datetime: break;
  }
  const char* zone_text = zone == TimeZoneStyle::utc      ? "Z"
                          : zone == TimeZoneStyle::offset ? ", UTC offset"
                                                          : "";
  return fmt::format("ISO 8601 datetime (YYYY-MM-DD{}HH:MM{}{})", separator, seconds ? ":SS" : "",
                     zone_text);
}

std::string Frequency::name() const {
  switch (unit) {
    case FrequencyUnit::index: return "row index";
    case FrequencyUnit::seconds: return seconds_name(step);
    case FrequencyUnit::months: return months_name(step) + (month_end ? " (month end)" : "");
    case FrequencyUnit::business_days:
      return step == 1 ? "business days" : fmt::format("every {} business days", step);
  }
  return "row index";
}

std::size_t Frequency::default_season() const {
  if (unit == FrequencyUnit::seconds) {
    if (step == 3600) return 24;
    if (step == seconds_per_day) return 7;
    if (step == seconds_per_week) return 52;
  }
  if (unit == FrequencyUnit::months && step == 1) return 12;
  if (unit == FrequencyUnit::months && step == 3) return 4;
  return 1;
}

std::optional<Frequency> infer_frequency(const std::vector<std::span<const TimePoint>>& series) {
  SeriesList usable;  // a lone timestamp has no interval to learn from
  std::copy_if(series.begin(), series.end(), std::back_inserter(usable),
               [](std::span<const TimePoint> times) { return times.size() >= 2; });
  if (usable.empty()) return std::nullopt;
  const auto all = pooled(usable);
  const std::int64_t time_of_day = split(all.front()).second;
  const auto at_time_of_day = [&](TimePoint t) { return split(t).second == time_of_day; };
  if (std::all_of(all.begin(), all.end(), at_time_of_day)) {
    if (auto months = infer_months(usable)) return months;
    if (auto business = infer_business_days(usable)) return business;
  }
  const auto seconds = intervals(usable, [](TimePoint a, TimePoint b) { return b - a; });
  return Frequency{FrequencyUnit::seconds, most_common(seconds), false};
}

Regularity check_regularity(std::span<const TimePoint> times, const Frequency& frequency) {
  const std::int64_t step = std::max<std::int64_t>(frequency.step, 1);
  Regularity result;
  for (std::size_t i = 1; i < times.size(); ++i) {
    const std::optional<std::int64_t> units = distance(times[i - 1], times[i], frequency);
    if (!units || *units <= 0 || *units % step != 0) {
      ++result.irregular;
    } else if (*units > step) {
      ++result.gaps;
      result.missing_steps += static_cast<std::size_t>(*units / step - 1);
    }
  }
  return result;
}

TimePoint advance(TimePoint t, const Frequency& frequency, std::int64_t steps) {
  const std::int64_t count = frequency.step * steps;
  switch (frequency.unit) {
    case FrequencyUnit::index:
    case FrequencyUnit::seconds:
      return t + count;
    case FrequencyUnit::months:
      return advance_months(t, count, frequency.month_end);
    case FrequencyUnit::business_days: {
      if (count == 0) return t;
      const DayTime start = split(t);
      const std::int64_t day = weekday_of_rank(weekdays_before(start.day + 1) + count - 1);
      return day * seconds_per_day + start.second;
    }
  }
  return t;
}

}  // namespace grucast
