#include "data/time_column.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <numeric>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

constexpr std::array<std::string_view, 5> kSureNames = {"date", "time", "timestamp", "datetime", "ds"};
constexpr std::array<std::string_view, 5> kDatedNames = {"month", "year", "week", "quarter", "period"};

bool selected(const std::string& name, const DataOptions& options) {
  return name == options.target || name == options.id_column ||
         std::find(options.features.begin(), options.features.end(), name) != options.features.end();
}

// The rows i < j of a series whose timestamps are equal, if there are any.
std::optional<std::pair<std::size_t, std::size_t>> equal_times(const std::vector<TimePoint>& time) {
  if (std::is_sorted(time.begin(), time.end())) {
    const auto it = std::adjacent_find(time.begin(), time.end());
    if (it == time.end()) return std::nullopt;
    const auto i = static_cast<std::size_t>(it - time.begin());
    return std::pair{i, i + 1};
  }
  std::vector<std::size_t> order(time.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  for (std::size_t k = 1; k < order.size(); ++k) {
    if (time[order[k]] == time[order[k - 1]]) return std::pair{order[k - 1], order[k]};
  }
  return std::nullopt;
}

}  // namespace

TimeName time_name(std::string_view name) {
  const std::string lower = to_lower(name);
  if (std::find(kSureNames.begin(), kSureNames.end(), lower) != kSureNames.end()) return TimeName::sure;
  if (std::find(kDatedNames.begin(), kDatedNames.end(), lower) != kDatedNames.end()) return TimeName::if_dates;
  return TimeName::none;
}

bool holds_years(std::string_view name) {
  const std::string lower = to_lower(name);
  return lower == "year" || lower == "period";
}

TimeColumn find_time_column(const CsvReader& reader, const DataOptions& options) {
  TimeColumn found;
  if (options.time_column == "none") {
    if (!options.time_format.empty()) {
      throw UsageError("--time-format is given with --time none", "--time-format", "name the time column with --time");
    }
    return found;
  }
  if (!options.time_column.empty()) {
    found.position = reader.column_index(options.time_column, "--time");
    return found;
  }
  const std::vector<std::string>& header = reader.header();
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (selected(header[c], options)) continue;
    const TimeName kind = time_name(header[c]);
    if (kind == TimeName::sure) {
      found.position = reader.column_index(header[c], "--time");  // refuses a name the header has twice
      found.candidates.clear();
      return found;
    }
    if (kind == TimeName::if_dates && std::count(header.begin(), header.end(), header[c]) == 1) {
      found.candidates.push_back(c);
    }
  }
  if (!options.time_format.empty()) {  // the pattern says there is a time column: the first named one
    if (found.candidates.empty()) {
      throw UsageError("--time-format is given, but no column is named date, time, timestamp, datetime, ds, month, "
                       "year, week, quarter or period",
                       "--time-format", "name the time column with --time");
    }
    found.position = found.candidates.front();
    found.candidates.clear();
  }
  return found;
}

std::optional<std::size_t> first_dated(const std::vector<std::size_t>& candidates, const std::vector<CsvField>& fields,
                                       const std::vector<std::string>& header, std::string& skipped) {
  std::vector<std::string> reasons;
  for (const std::size_t c : candidates) {
    const std::string text(trim(fields[c].text));
    TimeFormat format;
    std::string problem;
    if (parse_time(text, "", format, problem, holds_years(header[c])) && format.style != TimeStyle::epoch) return c;
    reasons.push_back(fmt::format("column {} holds {}", quoted(header[c]), quoted(text)));
  }
  skipped = join(reasons, ", ") + (reasons.size() == 1 ? ", not a date" : ", not dates");
  return std::nullopt;
}

std::optional<std::string> repeated_time(const Frame& frame, const std::vector<SeriesRows>& all_rows) {
  for (const SeriesRows& rows : all_rows) {
    const auto pair = equal_times(rows.time);
    if (!pair) continue;
    const auto [i, j] = *pair;
    return fmt::format("column {} has {} twice{}, lines {} and {}", quoted(frame.time_column),
                       frame.written_time(rows.time[i], rows.offsets[i]),
                       frame.id_column.empty() ? "" : fmt::format(" in series {}", quoted(rows.id)),
                       std::min(rows.lines[i], rows.lines[j]), std::max(rows.lines[i], rows.lines[j]));
  }
  return std::nullopt;
}

void use_row_index(Frame& frame, std::vector<SeriesRows>& all_rows, const std::string& skipped) {
  for (SeriesRows& rows : all_rows) {
    std::iota(rows.time.begin(), rows.time.end(), TimePoint{0});
    std::fill(rows.offsets.begin(), rows.offsets.end(), 0);
  }
  frame.time_column.clear();
  frame.time_format = TimeFormat{};
  frame.report.skipped_time = skipped;
}

// Integers are epoch seconds, but 20200131 and 2020 are far more likely a date and a year:
// refuse them rather than read them as seconds in 1970.
void check_epoch_plausible(const Frame& frame, const std::vector<SeriesRows>& all_rows) {
  if (frame.time_format.style != TimeStyle::epoch) return;
  bool years = true, dates = true;
  for (const SeriesRows& rows : all_rows) {
    for (const TimePoint t : rows.time) {
      years = years && t >= 1000 && t <= 9999;
      const auto ymd = std::chrono::year_month_day{std::chrono::year{static_cast<int>(t / 10000)},
                                                   std::chrono::month{static_cast<unsigned>(t / 100 % 100)},
                                                   std::chrono::day{static_cast<unsigned>(t % 100)}};
      dates = dates && t >= 10000101 && t <= 99991231 && ymd.ok();
    }
  }
  if (!years && !dates) return;
  const SeriesRows& first = all_rows.front();
  throw DataError(fmt::format("timestamps like '{}' in column {} look like {}, not epoch seconds", first.time.front(),
                              quoted(frame.time_column), years ? "years" : "dates written YYYYMMDD"),
                  location(frame.source, first.lines.front()),
                  fmt::format("pass --time-format {}, or --time-format %s if they are epoch seconds",
                              years ? "%Y" : "%Y%m%d"));
}

}  // namespace grucast
