// Frequencies: inferred from timestamps, checked for gaps, extended past the end.
#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "grucast/data/time/time_index.hpp"
#include "grucast/util/error.hpp"
#include "data/time/calendar.hpp"

namespace grucast {

namespace {

using namespace calendar;

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
  const bool month_end = all_ends && !all_same;
  return Frequency{FrequencyUnit::months, most_common(months), month_end,
                   month_end ? 0u : static_cast<unsigned>(largest)};
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

// The day of the month: the last (month ends), the series' own day (e.g. the 30th, clamped to
// February's last day), or the start's day.
TimePoint advance_months(TimePoint t, std::int64_t months, const Frequency& frequency) {
  const Date date = date_of(t);
  const chr::year_month target = date.year() / date.month() + chr::months{months};
  const unsigned last = last_day(target.year(), target.month());
  const unsigned wanted = frequency.day > 0 ? frequency.day : static_cast<unsigned>(date.day());
  const unsigned day = frequency.month_end ? last : std::min(wanted, last);
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
  if (frequency.unit == FrequencyUnit::index) return t + count;
  // Bounds first: the calendar types hold years up to 32767 only.
  const bool too_far = frequency.unit == FrequencyUnit::months
                           ? month_number(date_of(t)) + count > 9999 * 12 + 11
                           : count > latest_time - t || (frequency.unit == FrequencyUnit::business_days &&
                                                         count > (latest_time - t) / seconds_per_day * 5 / 7);
  if (too_far) {
    throw DataError("the future timestamps would pass the year 9999", "--horizon", "use a shorter horizon");
  }
  switch (frequency.unit) {
    case FrequencyUnit::index:
    case FrequencyUnit::seconds:
      return t + count;
    case FrequencyUnit::months:
      return advance_months(t, count, frequency);
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
