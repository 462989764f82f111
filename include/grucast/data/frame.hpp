// Frame: the selected columns of a CSV file as one or many time series (long format with --id).
#pragma once

#include <armadillo>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "grucast/data/time/time_index.hpp"

namespace grucast {

class CsvReader;

/// What to do with missing values (empty, NA, N/A, NaN, null, None) in the selected columns.
enum class MissingPolicy {
  error,        ///< refuse, with the count and the first location
  drop,         ///< drop the rows that have one
  ffill,        ///< carry the last value forward (leading gaps take the first value)
  interpolate,  ///< linear in time between neighbours (edges take the nearest value)
};

/// The largest magnitude a value read may have. A double ends at 1.8e308; the factor of 180 left
/// is for what grucast computes from the values: differences (diff, errors, min-max spans),
/// forecasts a little past the data, and the metrics' sums.
inline constexpr double kLargestValue = 1e306;

/// Which file and columns to read, and how.
struct DataOptions {
  std::string path;                   ///< CSV file; "-" reads stdin
  std::string target;                 ///< the column to forecast
  std::vector<std::string> features;  ///< extra input columns
  std::string time_column;            ///< "" detects it by name (Frame::time_column); "none": row index
  std::string time_format;            ///< strptime pattern; "" detects ISO 8601 or epoch seconds
  std::string id_column;              ///< "" for one series; else the column naming each series
  char delimiter = 0;                 ///< 0 detects comma, semicolon or tab
  MissingPolicy missing = MissingPolicy::error;
  bool sort = false;                  ///< sort rows by time instead of refusing unsorted input
};

/// One series: N rows in time order, C columns (the target first), original units.
struct Series {
  std::string id;                  ///< value of the id column; "" without --id
  std::vector<TimePoint> time;     ///< (N) ascending, no duplicates
  arma::mat values;                ///< (C, N): row 0 the target, rows 1.. the features
  std::vector<std::size_t> lines;  ///< (N) source line of each row, for messages
  std::vector<int> offsets;        ///< (N) UTC offset of each timestamp as written, seconds; empty: all 0
  std::vector<std::uint8_t> filled;  ///< (C·N) 1 where --missing filled the value (index c + C·i); empty: none

  std::size_t size() const { return time.size(); }
  /// UTC offset of timestamp i.
  int offset(std::size_t i) const { return offsets.empty() ? 0 : offsets[i]; }
  /// Whether value (c, i) was filled in by --missing ffill or interpolate.
  bool is_filled(std::size_t c, std::size_t i) const { return !filled.empty() && filled[c + values.n_rows * i] != 0; }
  /// The timestamps as written (time + offset): calendar rules (months, business days) read these.
  std::vector<TimePoint> local_time() const;
  /// y_1..y_N.
  arma::rowvec target() const { return values.row(0); }
};

/// A column that looks like it names the series of a long-format file read without --id.
struct IdGuess {
  std::string column;      ///< its name
  std::size_t series = 0;  ///< its distinct values
};

/// What reading found and did, for the summary line.
struct DataReport {
  std::size_t rows = 0;           ///< data rows read
  std::size_t dropped_rows = 0;   ///< rows dropped by --missing drop
  std::size_t filled_values = 0;  ///< values filled by --missing ffill or interpolate
  std::size_t sorted_series = 0;  ///< series that --sort reordered
  bool target_by_default = false;  ///< no target was named: it is the only column left (Frame::columns[0])
  Regularity regularity;          ///< gaps and irregular intervals, summed over the series
  /// Why a column named like a time (month, year, week, quarter, period) is not the time, e.g.
  /// "column 'week' holds '1', not a date"; "" when none was passed over.
  std::string skipped_time;
  /// Without --id and without a time column (where no repeated or unordered timestamp can show
  /// that the file is long format): an unused text column whose every value fills one block of
  /// rows, as a series id does.
  std::optional<IdGuess> id_guess;
};

struct Frame {
  std::string source;                ///< file name used in messages ("<stdin>" for -)
  std::vector<std::string> columns;  ///< (C) the target, then the features
  /// "" when the row index is the time. Without --time: the first column named date, time,
  /// timestamp, datetime or ds, else the first named month, year, week, quarter or period whose
  /// first value is a date (skipped_time says why none was).
  std::string time_column;
  std::string id_column;             ///< "" for one series
  std::size_t header_line = 0;       ///< line of the header row in the source, for messages
  TimeFormat time_format;
  Frequency frequency;
  DataReport report;
  std::vector<Series> series;        ///< in order of first appearance

  /// "series 'id'" for messages, or "the series" without --id.
  std::string series_name(const Series& s) const;
  /// Timestamp i of `s` written in the input's layout, with its own UTC offset.
  std::string written_time(const Series& s, std::size_t i) const;
  /// `t` (UTC) written in the input's layout with UTC offset `offset`.
  std::string written_time(TimePoint t, int offset) const;
};

/// Reads the file named in `options` (see CsvReader for the CSV dialects accepted).
Frame load_frame(const DataOptions& options);
/// Reads from an open reader (`options.path` and `options.delimiter` are not used).
Frame read_frame(CsvReader& reader, const DataOptions& options);

/// Parses a --missing value.
MissingPolicy parse_missing_policy(const std::string& text);

/// Applies a missing-value policy other than `error` to one series of `frame` (NaN marks a
/// missing value); returns the rows dropped (drop) or the values filled (ffill, interpolate),
/// which `series.filled` marks.
std::size_t apply_missing_policy(MissingPolicy policy, const Frame& frame, Series& series);

/// A copy of `series` in which no filled value depends on a row at or after `from`: every run
/// of filled values whose next known value lies at or after `from` (interpolation reaching into
/// the future) is forward-filled from the value before it instead. An evaluation gives its
/// forecasters this, so no forecast sees past its origin.
Series without_lookahead(const Series& series, std::size_t from);

}  // namespace grucast
