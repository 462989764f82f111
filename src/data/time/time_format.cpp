// Timestamps: ISO 8601, epoch seconds and strptime patterns, read and written back.
#include "grucast/data/time/time_index.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "data/time/calendar.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

using namespace calendar;

constexpr std::array<const char*, 12> month_names = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

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
  if (take(in, 'Z') || take(in, 'z')) {
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
  if (!take(in, 'T') && !take(in, 't') && !take(in, ' ')) return false;
  format.style = TimeStyle::iso_datetime;
  format.separator = text[10];
  return read_clock(in, fields, format) && in.empty();
}

// A quarter, "2020-Q1", "2020Q1" or "2020 Q1" (its first day), or an ISO 8601 week, "2020-W05" or
// "2020W05" (its Monday). False when `text` has neither layout; a number out of range sets
// `problem`.
bool read_period(std::string_view text, Fields& fields, TimeFormat& format, std::string& problem) {
  std::string_view in = text;
  int year = 0, n = 0;
  if (!number(in, 4, year)) return false;
  const char separator = take(in, '-') ? '-' : take(in, ' ') ? ' ' : '\0';
  if (take(in, 'Q')) {
    if (!number(in, 1, n) || !in.empty()) return false;
    format.style = TimeStyle::quarter;
    format.separator = separator;
    if (n < 1 || n > 4) problem = fmt::format("quarter {} is out of range", n);
    fields.year = year;
    fields.month = 3 * (n - 1) + 1;
    return true;
  }
  if (separator == ' ' || !take(in, 'W') || !number(in, 2, n) || !in.empty()) return false;
  format.style = TimeStyle::iso_week;
  format.separator = separator;
  const int weeks = iso_weeks_in(year);
  if (n < 1 || n > weeks) {
    problem = fmt::format("week {} is out of range for {} ({} weeks)", n, year, weeks);
    return true;
  }
  const Date monday = date_of_day(iso_week_monday(year, n));
  fields.year = static_cast<int>(monday.year());
  fields.month = static_cast<int>(static_cast<unsigned>(monday.month()));
  fields.day = static_cast<int>(static_cast<unsigned>(monday.day()));
  return true;
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

}  // namespace

std::optional<TimePoint> parse_time(std::string_view text, const std::string& pattern,
                                    TimeFormat& format, std::string& problem, bool years) {
  text = trim(text);
  if (text.empty()) {
    problem = "the timestamp is empty";
    return std::nullopt;
  }
  const std::size_t sign = text.front() == '-' ? 1 : 0;
  TimeFormat parsed;
  Fields fields;
  const bool epoch_pattern = pattern == "%s";  // glibc's strptime %s would read it in local time
  if (!pattern.empty() && !epoch_pattern) {
    parsed.style = TimeStyle::pattern;
    parsed.pattern = pattern;
    if (!read_pattern(text, pattern, fields, parsed)) {
      problem = fmt::format("does not match --time-format {}", quoted(pattern));
      return std::nullopt;
    }
  } else if (years && !epoch_pattern && text.size() == 4 && std::all_of(text.begin(), text.end(), is_digit)) {
    parsed.style = TimeStyle::year;
    std::string_view in = text;
    number(in, 4, fields.year);
  } else if (text.size() > sign && std::all_of(text.begin() + sign, text.end(), is_digit)) {
    if (text.size() - sign > 12) {
      problem = "epoch seconds have more than 12 digits";
      return std::nullopt;
    }
    TimePoint seconds = 0;
    std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (seconds < earliest_time || seconds > latest_time) {
      problem = "epoch seconds outside the years 0000 to 9999";
      return std::nullopt;
    }
    format = TimeFormat{};
    format.style = TimeStyle::epoch;
    problem.clear();
    return seconds;
  } else if (epoch_pattern) {
    problem = "does not match --time-format '%s' (integer epoch seconds)";
    return std::nullopt;
  } else if (std::string out_of_range; !read_iso(text, fields, parsed)) {
    if (!read_period(text, fields, parsed, out_of_range)) {
      problem = "not an ISO 8601 date or datetime, nor epoch seconds";
      return std::nullopt;
    }
    if (!out_of_range.empty()) {
      problem = std::move(out_of_range);
      return std::nullopt;
    }
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
  const std::string separator = format.separator == '\0' ? "" : std::string(1, format.separator);
  if (format.style == TimeStyle::year) return fmt::format("{:04}", static_cast<int>(date.year()));
  if (format.style == TimeStyle::quarter) {
    return fmt::format("{:04}{}Q{}", static_cast<int>(date.year()), separator,
                       (static_cast<unsigned>(date.month()) - 1) / 3 + 1);
  }
  if (format.style == TimeStyle::iso_week) {
    const IsoWeek week = iso_week_of(local.day);
    return fmt::format("{:04}{}W{:02}", week.year, separator, week.week);
  }
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
  if (style == TimeStyle::quarter || style == TimeStyle::iso_week) return separator == other.separator;
  if (style != TimeStyle::iso_datetime) return true;
  return separator == other.separator && seconds == other.seconds && zone == other.zone;
}

std::string TimeFormat::describe() const {
  switch (style) {
    case TimeStyle::index: return "row index";
    case TimeStyle::iso_date: return "ISO 8601 date (YYYY-MM-DD)";
    case TimeStyle::iso_month: return "ISO 8601 year-month (YYYY-MM)";
    case TimeStyle::epoch: return "epoch seconds";
    case TimeStyle::pattern: return fmt::format("pattern {}", quoted(pattern));
    case TimeStyle::year: return "year (YYYY)";
    case TimeStyle::quarter:
      return fmt::format("quarter (YYYY{}Qn)", separator == '\0' ? "" : std::string(1, separator));
    case TimeStyle::iso_week:
      return fmt::format("ISO 8601 week (YYYY{}Www)", separator == '\0' ? "" : std::string(1, separator));
    case TimeStyle::iso_datetime: break;
  }
  const char* zone_text = zone == TimeZoneStyle::utc      ? "Z"
                          : zone == TimeZoneStyle::offset ? ", UTC offset"
                                                          : "";
  return fmt::format("ISO 8601 datetime (YYYY-MM-DD{}HH:MM{}{})", separator, seconds ? ":SS" : "",
                     zone_text);
}

}  // namespace grucast
