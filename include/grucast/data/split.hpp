// Chronological train / validation / test split of each series (docs/benchmarks.md, "The protocol").
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "grucast/data/time/time_index.hpp"

namespace grucast {

struct Frame;
struct Series;

/// Rows [0, n_train) train, [n_train, test_begin()) validation, [test_begin(), N) test.
struct SplitPoints {
  std::size_t n_train = 0;
  std::size_t n_val = 0;
  std::size_t n_test = 0;
  std::size_t test_begin() const { return n_train + n_val; }
};

/// How to split every series. By fractions: n_train = floor((1 − val − test)·N),
/// n_val = floor(val·N), the rest is the test part. With `test_from`, the test part starts at
/// the first row at or after that time and the validation part is the floor(val·N) rows before it.
struct SplitSpec {
  static constexpr double kMinFraction = 1e-6;  ///< smallest non-zero fraction

  double val = 0.1;
  double test = 0.2;
  std::optional<TimePoint> test_from;
  /// When not empty, each series' split by its id, in rows (a backtest fold): it overrides the
  /// fractions and test_from, and val only says whether there is a validation part.
  std::map<std::string, SplitPoints> rows;

  /// "70% train, 10% validation, 20% test", or "test from 2019-01-01, 10% validation".
  std::string describe(const TimeFormat& format) const;
  /// UsageError unless val is 0 or in [1e-6, 1), test in [1e-6, 1) (unless test_from is given),
  /// and the training part keeps at least 1e-6.
  void validate() const;
};

SplitPoints split_series(const Series& series, const SplitSpec& spec);

/// The lookback T, horizon K and season m of a task: what every series must have room for.
struct TaskShape {
  std::size_t lookback = 1;
  std::size_t horizon = 1;
  std::size_t season = 1;
  std::size_t lag = 0;  ///< rows a transform needs before the lookback (sdiff: m)

  /// Rows of history a window needs: lookback + lag.
  std::size_t history() const { return lookback + lag; }
};

/// The fewest rows a series needs under a fractional split: a training window (T + K rows) and
/// more than m rows in the training part (for the MASE scale), K rows in the validation part
/// when val > 0 (one validation window), and K rows in the test part (one test origin).
std::size_t rows_needed(const SplitSpec& spec, const TaskShape& shape);

/// A DataError naming the series, its rows and the rows it needs, when its split lacks room.
/// `hint` replaces the default advice (shorter --lookback, ...) when those options do not apply.
void check_split(const Frame& frame, const Series& series, const SplitSpec& spec, const TaskShape& shape,
                 const std::string& hint = "");

enum class Part { train, validation, test };

/// Origins t (rows [t − T, t) seen, [t, t + K) predicted) whose targets lie in `part`, and which
/// have T rows of history: [first, last], or empty. For the test part these are exactly the
/// protocol's rolling origins n_train + n_val .. N − K.
std::optional<std::pair<std::size_t, std::size_t>> origin_range(const SplitPoints& points, Part part,
                                                                const TaskShape& shape);

}  // namespace grucast
