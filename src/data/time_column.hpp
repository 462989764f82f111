// The time column: named with --time, or found by its name in the header; and the checks of
// its timestamps that need every row (frame.cpp reads them).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grucast/data/frame.hpp"
#include "data/csv.hpp"
#include "data/series_rows.hpp"

namespace grucast {

/// What a column's name says about it when --time is not given.
enum class TimeName {
  none,
  sure,      ///< date, time, timestamp, datetime, ds (any case): the time column
  if_dates,  ///< month, year, week, quarter, period (any case): the time column if it holds dates
};

TimeName time_name(std::string_view name);

/// Whether four-digit numbers in the column `name` are years (2001) rather than epoch seconds:
/// a column named year or period (any case).
bool holds_years(std::string_view name);

/// Where the time is, as far as the header tells.
struct TimeColumn {
  std::optional<std::size_t> position;  ///< --time, or the first column named TimeName::sure
  /// Without one: the columns named TimeName::if_dates, in header order; the first whose first
  /// value is a date is the time (first_dated). With --time-format the first of them is sure.
  std::vector<std::size_t> candidates;
};

/// The time column of `reader`'s header: `options.time_column`, "none", or found by its name
/// among the columns not selected otherwise (target, features, id). UsageError when
/// --time-format is given without a time column.
TimeColumn find_time_column(const CsvReader& reader, const DataOptions& options);

/// The first of `candidates` whose value in the first row (`fields`) is a date, not epoch
/// seconds (a column named week that holds 1 is not a time). Empty when none is, and then
/// `skipped` says why, e.g. "column 'week' holds '1', not a date".
std::optional<std::size_t> first_dated(const std::vector<std::size_t>& candidates, const std::vector<CsvField>& fields,
                                       const std::vector<std::string>& header, std::string& skipped);

/// A timestamp that a series has twice, described for the data summary ("column 'year' has 1949
/// twice, lines 2 and 3"); empty when every series' timestamps are distinct.
std::optional<std::string> repeated_time(const Frame& frame, const std::vector<SeriesRows>& all_rows);

/// Makes the row index the time of every series (a time column found by its name that repeats
/// its values, as a year column beside a month column does); `skipped` says why.
void use_row_index(Frame& frame, std::vector<SeriesRows>& all_rows, const std::string& skipped);

/// Refuses epoch seconds that all look like years (2001) or dates written YYYYMMDD: read as
/// seconds in 1970 they would be silently wrong.
void check_epoch_plausible(const Frame& frame, const std::vector<SeriesRows>& all_rows);

}  // namespace grucast
