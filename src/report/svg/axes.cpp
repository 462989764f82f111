// Axis ticks (1-2-5 steps, calendar boundaries), tick labels, axis layout, and XML escaping for the SVG charts.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "data/time/calendar.hpp"
#include "report/svg/layout.hpp"
#include "report/svg/svg.hpp"
#include "util/text.hpp"

namespace grucast::svg {

namespace {

using namespace calendar;

// The k-th step of the ladder ..., 0.5, 1, 2, 5, 10, 20, ...: {1, 2, 5}[k mod 3] · 10^floor(k / 3).
double ladder_step(int k) {
  constexpr std::array<double, 3> mantissa = {1.0, 2.0, 5.0};
  const int decade = k >= 0 ? k / 3 : -((-k + 2) / 3);
  return mantissa[static_cast<std::size_t>(k - 3 * decade)] * std::pow(10.0, decade);
}

// Multiples of `step` in [low, high]: the first and last multiplier.
std::pair<double, double> multiples(double low, double high, double step) {
  return {std::ceil(low / step), std::floor(high / step)};
}

double tick_count(double low, double high, double step) {
  const auto [first, last] = multiples(low, high, step);
  return std::isfinite(step) && step > 0 ? std::max(0.0, last - first + 1) : 0.0;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

enum class Unit { seconds, months, years };

// A candidate spacing of time ticks and the width of its labels.
struct TimeStep {
  Unit unit;
  std::int64_t count;  // seconds, months or years per step
  std::size_t chars;   // label width
};

constexpr std::int64_t kHour = 3600;
constexpr std::array<TimeStep, 32> kTimeSteps = {{
    {Unit::seconds, 1, 8}, {Unit::seconds, 2, 8}, {Unit::seconds, 5, 8}, {Unit::seconds, 10, 8},
    {Unit::seconds, 15, 8}, {Unit::seconds, 30, 8}, {Unit::seconds, 60, 5}, {Unit::seconds, 120, 5},
    {Unit::seconds, 300, 5}, {Unit::seconds, 600, 5}, {Unit::seconds, 900, 5}, {Unit::seconds, 1800, 5},
    {Unit::seconds, kHour, 5}, {Unit::seconds, 2 * kHour, 5}, {Unit::seconds, 3 * kHour, 5},
    {Unit::seconds, 6 * kHour, 5}, {Unit::seconds, 12 * kHour, 5}, {Unit::seconds, seconds_per_day, 10},
    {Unit::seconds, 2 * seconds_per_day, 10}, {Unit::seconds, seconds_per_week, 10},
    {Unit::seconds, 2 * seconds_per_week, 10}, {Unit::months, 1, 7}, {Unit::months, 2, 7}, {Unit::months, 3, 7},
    {Unit::months, 6, 7}, {Unit::years, 1, 4}, {Unit::years, 2, 4}, {Unit::years, 5, 4}, {Unit::years, 10, 4},
    {Unit::years, 20, 4}, {Unit::years, 50, 4}, {Unit::years, 100, 4},
}};
constexpr std::size_t kMaxTimeTicks = 10;

double approximate_seconds(const TimeStep& step) {
  switch (step.unit) {
    case Unit::seconds: return static_cast<double>(step.count);
    case Unit::months: return static_cast<double>(step.count) * 30.44 * seconds_per_day;
    case Unit::years: break;
  }
  return static_cast<double>(step.count) * 365.25 * seconds_per_day;
}

TimePoint month_start(std::int64_t month) {  // month: year · 12 + (month − 1)
  const std::int64_t year = floor_div(month, 12);
  const Date date{chr::year{static_cast<int>(year)}, chr::month{static_cast<unsigned>(month - 12 * year + 1)},
                  chr::day{1}};
  return day_number(date) * seconds_per_day;
}

// Local tick times in [low, high] (local seconds), aligned to the step's calendar boundaries.
std::vector<TimePoint> aligned_times(TimePoint low, TimePoint high, const TimeStep& step) {
  std::vector<TimePoint> times;
  if (step.unit == Unit::seconds) {
    // Weeks start on Mondays; shorter steps divide a day, so they start at midnight.
    const std::int64_t anchor = step.count % seconds_per_week == 0 ? monday_anchor * seconds_per_day : 0;
    for (TimePoint t = anchor + ceil_div(low - anchor, step.count) * step.count; t <= high; t += step.count) {
      times.push_back(t);
    }
    return times;
  }
  const std::int64_t per_step = step.unit == Unit::years ? 12 * step.count : step.count;
  std::int64_t month = month_number(date_of(low));
  if (month_start(month) < low) ++month;
  for (month = ceil_div(month, per_step) * per_step; month_start(month) <= high; month += per_step) {
    times.push_back(month_start(month));
  }
  return times;
}

std::string tick_label(TimePoint local, const TimeStep& step) {
  TimeFormat format;
  format.style = TimeStyle::iso_datetime;
  format.separator = ' ';
  const std::string written = format_time(local, format);  // "2015-03-14 13:05:00"
  if (step.unit == Unit::years) return written.substr(0, 4);
  if (step.unit == Unit::months) return written.substr(0, 7);
  if (step.count >= seconds_per_day) return written.substr(0, 10);
  return written.substr(11, step.count < 60 ? 8 : 5);
}

// The dates of sub-day ticks: under the first and where the day changes, when there is room.
void add_dates(std::vector<TimeTick>& ticks, int utc_offset, double chars_per_tick) {
  constexpr double kDateChars = 12;
  std::string shown;
  double since_shown = kDateChars;
  for (TimeTick& tick : ticks) {
    TimeFormat format;
    format.style = TimeStyle::iso_date;
    const std::string date = format_time(tick.time + utc_offset, format);
    if (date != shown && since_shown >= kDateChars) {
      tick.context = date;
      shown = date;
      since_shown = 0;
    }
    since_shown += chars_per_tick;
  }
}

// [low, high] of the finite values, or empty; with a zero span padded so that a scale exists.
bool finite_range(const std::vector<double>& values, double& low, double& high) {
  low = std::numeric_limits<double>::infinity();
  high = -low;
  for (const double v : values) {
    if (!std::isfinite(v)) continue;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  return low <= high;
}

// A constant (or nearly constant) range widened around its middle.
void pad_flat_range(double& low, double& high, double pad) {
  const double middle = low * 0.5 + high * 0.5;
  if (high * 0.5 - low * 0.5 > std::abs(middle) * 1e-12 && high - low > 1e-200) return;
  constexpr double kLargest = std::numeric_limits<double>::max();
  low = std::max(middle - pad, -kLargest);  // near ±1.8e308 the pad stays inside a double
  high = std::min(middle + pad, kLargest);
}

std::string pow10_label(double exponent) {
  const int k = static_cast<int>(std::lround(exponent));
  if (k < -4 || k > 5) return fmt::format("1e{}", k);
  return fmt::format("{:.{}f}", std::pow(10.0, k), std::max(0, -k));
}

constexpr std::size_t kMaxYTicks = 6;

}  // namespace

std::string escape(std::string_view text) {
  const std::string readable = escape_controls(std::string(text));  // control bytes and non-UTF-8 as \x..
  std::string out;
  out.reserve(readable.size());
  for (std::size_t i = 0; i < readable.size(); ++i) {
    const char c = readable[i];
    if (c == '\xef' && readable.compare(i + 1, 2, "\xbf\xbe") == 0) {
      out += "\\xef\\xbf\\xbe";  // U+FFFE, not allowed in XML
      i += 2;
    } else if (c == '\xef' && readable.compare(i + 1, 2, "\xbf\xbf") == 0) {
      out += "\\xef\\xbf\\xbf";  // U+FFFF
      i += 2;
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&apos;";
    } else {
      out += c;
    }
  }
  return out;
}

Ticks nice_ticks(double low, double high, std::size_t max_ticks) {
  max_ticks = std::max<std::size_t>(max_ticks, 2);
  if (!(low < high)) {  // one value: a step of its order of magnitude
    const double step = std::pow(10.0, std::floor(std::log10(std::abs(low))));
    return {{low}, std::isfinite(step) && step > 0 ? step : 1.0};
  }
  // Half the span first: high − low may overflow a double.
  double raw = (high * 0.5 - low * 0.5) / static_cast<double>(max_ticks - 1) * 2.0;
  raw = std::clamp(raw, 1e-300, std::numeric_limits<double>::max());
  int k = 3 * static_cast<int>(std::floor(std::log10(raw)));
  while (ladder_step(k) < raw) ++k;
  const auto fits = [&](int at) { return tick_count(low, high, ladder_step(at)) <= static_cast<double>(max_ticks); };
  while (!fits(k) && std::isfinite(ladder_step(k + 1))) ++k;
  // Rounding up may leave fewer than two ticks in a narrow range: a finer step, if it still fits.
  for (int finer = 0; finer < 3 && tick_count(low, high, ladder_step(k)) < 2 && fits(k - 1); ++finer) --k;
  Ticks ticks;
  ticks.step = ladder_step(k);
  const auto [first, last] = multiples(low, high, ticks.step);
  for (double i = first; i <= last && ticks.values.size() < max_ticks; ++i) {
    const double value = i * ticks.step;
    ticks.values.push_back(std::abs(value) < ticks.step * 1e-9 ? 0.0 : value);
  }
  return ticks;
}

std::vector<std::string> tick_labels(const std::vector<double>& values, double step) {
  if (!std::isfinite(step) || step < 1e-300) step = 1;
  double largest = 0;
  for (const double v : values) largest = std::max(largest, std::isfinite(v) ? std::abs(v) : 0.0);
  const int step_exponent = static_cast<int>(std::floor(std::log10(step)));
  // Scientific labels share the largest value's exponent: 0.8e12, 1.0e12 (not 8e11, 1.0e12).
  const int exponent = largest > 0 ? static_cast<int>(std::floor(std::log10(largest))) : 0;
  const bool scientific = largest >= 1e7 || step_exponent < -5;
  const int decimals = std::clamp(scientific ? exponent - step_exponent : -step_exponent, 0, 17);
  std::vector<std::string> labels;
  for (const double v : values) {
    if (std::abs(v) < step * 1e-9) {
      labels.emplace_back("0");
    } else if (scientific) {
      labels.push_back(fmt::format("{:.{}f}e{}", v / std::pow(10.0, exponent), decimals, exponent));
    } else {
      labels.push_back(fmt::format("{:.{}f}", v, decimals));
    }
  }
  return labels;
}

std::vector<TimeTick> time_ticks(TimePoint low, TimePoint high, int utc_offset, double width_chars) {
  const TimePoint local_low = low + utc_offset, local_high = high + utc_offset;
  const double span = static_cast<double>(high - low);
  std::vector<TimePoint> times;
  const TimeStep* chosen = &kTimeSteps.back();
  for (const TimeStep& step : kTimeSteps) {
    const double room = static_cast<double>(step.chars + 3);
    const bool last = &step == &kTimeSteps.back();
    if (!last && (span / approximate_seconds(step) + 1) * room > width_chars * 1.2) continue;  // far too many
    times = aligned_times(local_low, local_high, step);
    chosen = &step;
    if (times.size() <= kMaxTimeTicks && static_cast<double>(times.size()) * room <= width_chars) break;
  }
  if (times.size() > kMaxTimeTicks) {  // even the widest step has too many (a span of millennia): thin them
    std::vector<TimePoint> kept;
    const std::size_t every = (times.size() + kMaxTimeTicks - 1) / kMaxTimeTicks;
    for (std::size_t i = 0; i < times.size(); i += every) kept.push_back(times[i]);
    times = std::move(kept);
  }
  std::vector<TimeTick> ticks;
  for (const TimePoint t : times) ticks.push_back({t - utc_offset, tick_label(t, *chosen), {}});
  if (chosen->unit == Unit::seconds && chosen->count < seconds_per_day) {
    add_dates(ticks, utc_offset, span > 0 ? width_chars * static_cast<double>(chosen->count) / span : width_chars);
  }
  return ticks;
}

double axis_value(double value, bool log) {
  if (!log) return value;
  return value > 0 ? std::log10(value) : std::numeric_limits<double>::quiet_NaN();
}

AxisLayout y_layout(const Panel& panel) {
  std::vector<double> values;
  for (const Line& line : panel.lines) {
    for (const double y : line.y) values.push_back(axis_value(y, panel.y.log));
  }
  for (const Band& band : panel.bands) {
    for (const double y : band.lower) values.push_back(axis_value(y, panel.y.log));
    for (const double y : band.upper) values.push_back(axis_value(y, panel.y.log));
  }
  AxisLayout axis;
  if (!finite_range(values, axis.low, axis.high)) axis.low = 0, axis.high = 1;
  if (panel.y.log) {  // whole decades
    axis.low = std::floor(axis.low);
    axis.high = std::max(std::ceil(axis.high), axis.low + 1);
    const Ticks ticks = nice_ticks(axis.low, axis.high, kMaxYTicks + 2);
    const double step = std::max(1.0, ticks.step);
    for (double k = std::ceil(axis.low / step) * step; k <= axis.high; k += step) {
      axis.ticks.push_back(k);
      axis.labels.push_back(pow10_label(k));
    }
    return axis;
  }
  pad_flat_range(axis.low, axis.high, std::abs(axis.low) > 1e-200 ? std::abs(axis.low) * 0.1 : 1.0);
  const Ticks ticks = nice_ticks(axis.low, axis.high, kMaxYTicks);
  const double first = std::floor(axis.low / ticks.step), last = std::ceil(axis.high / ticks.step);
  if (std::isfinite(first * ticks.step) && std::isfinite(last * ticks.step)) {  // out to the ticks around the data
    axis.low = first * ticks.step;
    axis.high = last * ticks.step;
  }
  for (double i = first; i <= last && axis.ticks.size() < kMaxYTicks + 2; ++i) {
    const double value = i * ticks.step;
    if (std::isfinite(value)) axis.ticks.push_back(std::abs(value) < ticks.step * 1e-9 ? 0.0 : value);
  }
  axis.labels = tick_labels(axis.ticks, ticks.step);
  return axis;
}

AxisLayout x_layout(const Panel& panel, double width) {
  std::vector<double> values;
  for (const Line& line : panel.lines) values.insert(values.end(), line.x.begin(), line.x.end());
  for (const Band& band : panel.bands) values.insert(values.end(), band.x.begin(), band.x.end());
  for (const Rule& rule : panel.rules) values.push_back(rule.x);
  AxisLayout axis;
  if (!finite_range(values, axis.low, axis.high)) axis.low = 0, axis.high = 1;
  const AxisKind kind = panel.x.kind;
  if (axis.low == axis.high) {
    const double pad = kind == AxisKind::time      ? 43200  // half a day
                       : kind == AxisKind::integer ? 0.5
                                                   : std::max(std::abs(axis.low) * 0.1, 1.0);
    axis.low -= pad;
    axis.high += pad;
  }
  if (kind == AxisKind::time) {
    // Ticks within the years 0000..9999 that timestamps can have.
    const auto clamped = [](double t) { return std::clamp(t, double(earliest_time), double(latest_time)); };
    const auto low = static_cast<TimePoint>(std::ceil(clamped(axis.low)));
    const auto high = static_cast<TimePoint>(std::floor(clamped(axis.high)));
    for (const TimeTick& tick : time_ticks(low, high, panel.x.utc_offset, width / kCharWidth)) {
      axis.ticks.push_back(static_cast<double>(tick.time));
      axis.labels.push_back(tick.label);
      axis.contexts.push_back(tick.context);
    }
    return axis;
  }
  const auto max_ticks = static_cast<std::size_t>(std::clamp(width / 90, 2.0, 10.0));
  Ticks ticks = nice_ticks(axis.low, axis.high, max_ticks);
  if (kind == AxisKind::integer && ticks.step < 1) {
    ticks = {{}, 1.0};
    for (double i = std::ceil(axis.low); i <= axis.high && ticks.values.size() <= max_ticks; ++i) {
      if (!ticks.values.empty() && i == ticks.values.back()) break;  // past 2^53, +1 changes nothing
      ticks.values.push_back(i);
    }
  }
  axis.ticks = ticks.values;
  axis.labels = tick_labels(ticks.values, ticks.step);
  axis.contexts.assign(axis.ticks.size(), "");
  return axis;
}

}  // namespace grucast::svg
