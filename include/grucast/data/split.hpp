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
/// n_val = floor(val·N), the rest is the test part. By rows (the M competitions' holdout): the
/// last test_rows rows are the test part and the val_rows rows before them the validation part
/// (fewer in a series too short for them). With `test_from`, the test part starts at the first
/// row at or after that time and the validation part is the floor(val·N) (or val_rows) rows before it.
/// A fraction of 0 is no such part.
struct SplitSpec {
  static constexpr double kMinFraction = 1e-6;  ///< smallest non-zero fraction

  double val = 0.1;
  double test = 0.2;
  std::optional<TimePoint> test_from;
  /// When not empty, each series' split by its id, in rows (a backtest fold): it overrides the
  /// fractions and test_from, and val only says whether there is a validation part.
  std::map<std::string, SplitPoints> rows;
  std::size_t val_rows = 0;   ///< > 0: the validation part in rows, instead of val
  std::size_t test_rows = 0;  ///< > 0: the test part in rows, instead of test

  bool has_validation() const { return val_rows > 0 || val > 0.0; }
  bool has_test() const { return test_from.has_value() || !rows.empty() || test_rows > 0 || test > 0.0; }
  /// Both parts given in rows: the split of a panel.
  bool by_rows() const { return val_rows > 0 && test_rows > 0; }

  /// "70% train, 10% validation, 20% test", "the last 13 rows test, the 13 before them
  /// validation", or "test from 2019-01-01, 10% validation".
  std::string describe(const TimeFormat& format) const;
  /// UsageError unless val is 0 or in [1e-6, 1), test is 0 or in [1e-6, 1) (unless test_from is
  /// given), and the training part keeps at least 1e-6.
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

/// The fewest rows a series needs under a split by fractions or rows: a training window
/// (T + K rows) and more than m rows in the training part (for the MASE scale), K rows in the
/// validation part when there is one (one validation window), and K rows in the test part when
/// there is one (one test origin).
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
