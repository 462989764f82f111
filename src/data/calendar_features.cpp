// Calendar features: the encodings of a timestamp, the --calendar list, and when an item is of no use.
#include "data/calendar_features.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "data/time/calendar.hpp"
#include "util/name_table.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

constexpr auto kCalendarItemNames = std::to_array<Named<CalendarItem>>({{CalendarItem::hour, "hour"},
                                                                        {CalendarItem::dow, "dow"},
                                                                        {CalendarItem::month, "month"},
                                                                        {CalendarItem::doy, "doy"}});

// The cycle an item follows, for messages: "the hour of day", repeating every "day".
struct Cycle {
  const char* label;
  const char* period;
  const char* periods;
};

Cycle cycle_of(CalendarItem item) {
  switch (item) {
    case CalendarItem::hour: return {"the hour of day", "day", "days"};
    case CalendarItem::dow: return {"the day of week", "week", "weeks"};
    case CalendarItem::month: return {"the month", "year", "years"};
    case CalendarItem::doy: return {"the day of year", "year", "years"};
  }
  return {"", "", ""};
}

// How an item behaves on data at a frequency: it varies from row to row, it is the same in every
// row (the step is a whole number of its cycles), or it jumps by more than a cycle per step.
enum class Fit { varies, constant, coarser };

// A step of `step` units against a cycle of `period` units.
Fit fit_in_units(std::int64_t step, std::int64_t period) {
  if (step % period == 0) return Fit::constant;
  return step > period ? Fit::coarser : Fit::varies;
}

Fit fit_of(CalendarItem item, const Frequency& f) {
  constexpr std::int64_t year_seconds = 365 * calendar::seconds_per_day;
  constexpr std::int64_t year_business_days = 261;  // 52 weeks and a day
  const bool yearly_item = item == CalendarItem::month || item == CalendarItem::doy;
  switch (f.unit) {
    case FrequencyUnit::index:
      return Fit::varies;  // no calendar: check_calendar refuses it first
    case FrequencyUnit::seconds:
      if (item == CalendarItem::hour) return fit_in_units(f.step, calendar::seconds_per_day);
      if (item == CalendarItem::dow) return fit_in_units(f.step, calendar::seconds_per_week);
      return f.step >= year_seconds ? Fit::coarser : Fit::varies;
    case FrequencyUnit::business_days:  // one time of day; five business days make a week
      if (item == CalendarItem::hour) return Fit::constant;
      if (item == CalendarItem::dow) return fit_in_units(f.step, 5);
      return f.step >= year_business_days ? Fit::coarser : Fit::varies;
    case FrequencyUnit::months:  // one time of day; every month is longer than a week
      if (yearly_item) return fit_in_units(f.step, 12);
      return item == CalendarItem::hour ? Fit::constant : Fit::coarser;
  }
  return Fit::varies;
}

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// With L the local time in seconds (UTC time + the timestamp's own offset), s = L mod 86400 the
// second of its day and its date (day d of year Y, month M, weekday w, Monday = 0), each item is
// an angle θ = 2π · f on its cycle, and this is f:
//   hour:   f = s / 86400                        (h + min/60 + sec/3600 over 24 hours)
//   dow:    f = w / 7                            (w = (days since 1970-01-01 + 3) mod 7: it was a Thursday)
//   month:  f = (M − 1) / 12                     (the month alone: every day of May is May)
//   doy:    f = (d − 1 + s / 86400) / |Y|        (|Y| = 366 in leap years, else 365)
double cycle_fraction(CalendarItem item, const calendar::DayTime& local) {
  namespace chr = std::chrono;
  const double day_fraction = static_cast<double>(local.second) / static_cast<double>(calendar::seconds_per_day);
  switch (item) {
    case CalendarItem::hour:
      return day_fraction;
    case CalendarItem::dow: {
      const std::int64_t w = local.day + 3 - 7 * calendar::floor_div(local.day + 3, 7);
      return static_cast<double>(w) / 7.0;
    }
    case CalendarItem::month: {
      const calendar::Date date = calendar::date_of_day(local.day);
      return static_cast<double>(static_cast<unsigned>(date.month()) - 1) / 12.0;
    }
    case CalendarItem::doy: {
      const calendar::Date date = calendar::date_of_day(local.day);
      const std::int64_t first = calendar::day_number(date.year() / chr::January / 1);
      const double days_in_year = date.year().is_leap() ? 366.0 : 365.0;
      return (static_cast<double>(local.day - first) + day_fraction) / days_in_year;
    }
  }
  return 0.0;
}

}  // namespace

std::string calendar_item_name(CalendarItem item) { return name_of(kCalendarItemNames, item); }

std::vector<std::string> calendar_names(const std::vector<CalendarItem>& items) {
  std::vector<std::string> names;
  for (const CalendarItem item : items) names.push_back(calendar_item_name(item));
  return names;
}

std::vector<CalendarItem> parse_calendar(const std::string& text) {
  const std::string hint = "use " + names_text(kCalendarItemNames) + ", each at most once, separated by commas";
  std::vector<CalendarItem> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string given(trim(std::string_view(text).substr(start, comma - start)));
    if (given.empty()) throw UsageError(fmt::format("empty calendar item in {}", quoted(text)), "--calendar", hint);
    const auto known = value_of(kCalendarItemNames, to_lower(given));
    if (!known) throw UsageError(fmt::format("unknown calendar item {}", quoted(given)), "--calendar", hint);
    if (std::find(items.begin(), items.end(), *known) != items.end()) {
      throw UsageError(fmt::format("calendar item {} is given twice", quoted(given)), "--calendar",
                       "name each item once");
    }
    items.push_back(*known);
    if (comma == text.size()) return items;
    start = comma + 1;
  }
}

void check_calendar(const std::vector<CalendarItem>& items, const Frame& frame) {
  if (items.empty()) return;
  if (frame.time_column.empty()) {
    throw UsageError("--calendar needs timestamps, but the row index is the time (there is no time column)",
                     "--calendar", "name the time column with --time COL, or leave --calendar out");
  }
  for (const CalendarItem item : items) {
    const Fit fit = fit_of(item, frame.frequency);
    if (fit == Fit::varies) continue;
    const Cycle c = cycle_of(item);
    const std::string name = quoted(calendar_item_name(item));
    const std::string what =
        fit == Fit::constant
            ? fmt::format("calendar item {} ({}) is the same in every row of the data ({}): each step is a whole "
                          "number of {}", name, c.label, frame.frequency.name(), c.periods)
            : fmt::format("calendar item {} ({}) cannot follow its cycle in the data ({}): each step is longer than "
                          "a {}", name, c.label, frame.frequency.name(), c.period);
    throw UsageError(what, "--calendar", fmt::format("leave {} out: it needs data that steps less than a {}", name,
                                                      c.period));
  }
}

// Per item, θ = 2π · cycle_fraction (equations above it); the inputs are sin θ and cos θ (both:
// sin alone reads 03:00 and 09:00 the same).
void encode_calendar(const std::vector<CalendarItem>& items, TimePoint local, double* out) {
  const calendar::DayTime day_time = calendar::split(local);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const double theta = kTwoPi * cycle_fraction(items[i], day_time);
    out[kCalendarRows * i] = std::sin(theta);
    out[kCalendarRows * i + 1] = std::cos(theta);
  }
}

std::vector<CalendarItem> calendar_candidates(const Frame& frame) {
  if (frame.time_column.empty() || frame.frequency.unit == FrequencyUnit::index) return {};
  TimePoint span = 0;
  for (const Series& series : frame.series) {
    if (series.time.size() >= 2) span = std::max(span, series.time.back() - series.time.front());
  }
  const auto spanned = [&](std::int64_t cycle_seconds) { return 4 * span >= 3 * cycle_seconds; };
  constexpr std::int64_t year_seconds = 365 * calendar::seconds_per_day;
  std::vector<CalendarItem> items;
  const auto offer = [&](CalendarItem item, std::int64_t cycle_seconds) {
    if (fit_of(item, frame.frequency) == Fit::varies && spanned(cycle_seconds)) items.push_back(item);
  };
  offer(CalendarItem::hour, calendar::seconds_per_day);
  offer(CalendarItem::dow, calendar::seconds_per_week);
  offer(CalendarItem::doy, year_seconds);
  if (items.empty() || items.back() != CalendarItem::doy) offer(CalendarItem::month, year_seconds);
  return items;
}

arma::mat calendar_rows(const std::vector<CalendarItem>& items, const Series& series, std::size_t first,
                        std::size_t end) {
  if (series.time.size() < end) {  // a Series built by hand without timestamps
    throw DataError("calendar features need each row's timestamp, but the series has none",
                    series.id.empty() ? "the series" : "series " + quoted(series.id), "give the series its timestamps");
  }
  arma::mat rows(kCalendarRows * items.size(), end - first);
  for (std::size_t i = first; i < end; ++i) {
    encode_calendar(items, series.time[i] + series.offset(i), rows.colptr(i - first));
  }
  return rows;
}

}  // namespace grucast
