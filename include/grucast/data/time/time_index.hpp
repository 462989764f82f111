// Timestamps: parsing (ISO 8601, epoch seconds, strptime patterns), writing them back in the
// input's own layout, inferring the frequency, counting gaps, extending past the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace grucast {

/// Seconds since 1970-01-01T00:00:00Z, or a 0-based row index when there is no time column.
using TimePoint = std::int64_t;

/// How timestamps are laid out in the input; the output writes future timestamps the same way.
enum class TimeStyle {
  index,         ///< no time column: the row index
  iso_date,      ///< 2020-01-31
  iso_month,     ///< 2020-01 (the first of the month)
  iso_datetime,  ///< 2020-01-31T13:45:00, 2020-01-31 13:45, ...Z, ...+02:00
  epoch,         ///< integer seconds since 1970-01-01 UTC
  pattern,       ///< a strptime/strftime pattern given with --time-format
  year,          ///< 2020 (January 1st), read only when asked (parse_time's `years`)
  quarter,       ///< 2020-Q1, 2020Q1, 2020 Q1 (the first day of the quarter)
  iso_week,      ///< 2020-W05, 2020W05 (ISO 8601 week: its Monday)
};

enum class TimeZoneStyle { none, utc, offset };

struct TimeFormat {
  TimeStyle style = TimeStyle::index;
  char separator = 'T';                     ///< iso_datetime: 'T' or ' '; quarter, iso_week: '-', ' ' or '\0' (none)
  bool seconds = true;                      ///< iso_datetime: HH:MM:SS (true) or HH:MM
  TimeZoneStyle zone = TimeZoneStyle::none; ///< iso_datetime and pattern: none, "Z", "+HH:MM"
  int offset = 0;                           ///< UTC offset in seconds of the timestamp parsed
  std::string pattern;                      ///< style pattern: the strptime/strftime pattern

  /// Same layout: style, separator, seconds and kind of zone (not the offset's value).
  bool same_layout(const TimeFormat& other) const;
  /// For messages, e.g. "ISO 8601 date (YYYY-MM-DD)" or "epoch seconds".
  std::string describe() const;
};

/// Parses one timestamp. An empty `pattern` detects the layout: ISO 8601 date, year-month, or
/// datetime ('T' or space, optional seconds, a fraction that must be zero, optional 'Z' or
/// offset +HH, +HHMM, +HH:MM), a quarter (2020-Q1, 2020Q1, 2020 Q1), an ISO 8601 week (2020-W05,
/// 2020W05), or integer epoch seconds; with `years`, four digits are a year (2020) instead of
/// epoch seconds (for a column named year or period). A non-empty `pattern` is a strptime
/// pattern that must consume the whole text. On success `format` describes the text's layout;
/// on failure the result is empty and `problem` says why (e.g. "month 13 is out of range").
std::optional<TimePoint> parse_time(std::string_view text, const std::string& pattern,
                                    TimeFormat& format, std::string& problem, bool years = false);

/// `t` written in `format` (zoned layouts are written in the format's offset).
std::string format_time(TimePoint t, const TimeFormat& format);

enum class FrequencyUnit { index, seconds, business_days, months };

struct Frequency {
  FrequencyUnit unit = FrequencyUnit::index;
  std::int64_t step = 1;   ///< rows, seconds, business days or months per step
  bool month_end = false;  ///< months: the timestamps are the last days of their months
  unsigned day = 0;        ///< months: the day of the month kept (clamped in shorter months); 0: the start's

  /// "hourly", "daily", "15 minutes", "business days", "monthly", "quarterly", "row index", ...
  std::string name() const;
  /// The season length used when --season is not given: hourly 24, daily 7, weekly 52,
  /// monthly 12, quarterly 4, else 1.
  std::size_t default_season() const;
};

/// Irregularities of one series' timestamps relative to a frequency.
struct Regularity {
  std::size_t gaps = 0;           ///< intervals longer than one step
  std::size_t missing_steps = 0;  ///< points those gaps skip
  std::size_t irregular = 0;      ///< intervals that are not a whole number of steps
};

/// The most common step between consecutive timestamps over all series (each sorted, without
/// duplicates): calendar months (same day of month or all month ends, same time of day),
/// business days (weekdays only, weekends skipped), else a fixed number of seconds. Empty when
/// no series has two timestamps.
std::optional<Frequency> infer_frequency(const std::vector<std::span<const TimePoint>>& series);

/// Gaps and irregular intervals of sorted timestamps under `frequency`.
Regularity check_regularity(std::span<const TimePoint> times, const Frequency& frequency);

/// The time `steps` steps after `t` (steps >= 0).
TimePoint advance(TimePoint t, const Frequency& frequency, std::int64_t steps);

}  // namespace grucast
