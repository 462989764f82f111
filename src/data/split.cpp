#include "grucast/data/split.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "grucast/data/frame.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

namespace {

// floor(fraction · n), tolerant of decimal fractions that binary floating point cannot hold
// exactly (0.7 · 10 must give 7).
std::size_t fraction_of(double fraction, std::size_t n) {
  return static_cast<std::size_t>(std::floor(fraction * static_cast<double>(n) + 1e-9));
}

std::string percent(double fraction) { return fmt::format("{:g}%", 100.0 * fraction + 0.0); }

bool fits(const SplitPoints& p, const SplitSpec& spec, const TaskShape& shape) {
  return p.n_train >= shape.history() + shape.horizon && p.n_train > shape.season &&
         (!spec.has_validation() || p.n_val >= shape.horizon) && (!spec.has_test() || p.n_test >= shape.horizon);
}

// Parts given in rows take the last rows (test first, then validation), fractions as in SplitSpec.
SplitPoints split_rows(std::size_t n, const SplitSpec& spec) {
  SplitPoints p;
  if (spec.val_rows == 0 && spec.test_rows == 0) {
    p.n_train = fraction_of(1.0 - spec.val - spec.test, n);
    p.n_val = fraction_of(spec.val, n);
    p.n_test = n - p.n_train - p.n_val;
    return p;
  }
  p.n_test = spec.test_rows > 0 ? std::min(spec.test_rows, n) : n - fraction_of(1.0 - spec.test, n);
  p.n_val = std::min(spec.val_rows > 0 ? spec.val_rows : fraction_of(spec.val, n), n - p.n_test);
  p.n_train = n - p.n_test - p.n_val;
  return p;
}

// "13 rows" or "10%".
std::string part_size(double fraction, std::size_t rows) {
  return rows > 0 ? fmt::format("{} row{}", rows, rows == 1 ? "" : "s") : percent(fraction);
}

}  // namespace

std::string SplitSpec::describe(const TimeFormat& format) const {
  if (!rows.empty()) return fmt::format("rows given per series, {} validation", has_validation() ? "with" : "no");
  const std::string validation = part_size(val, val_rows);
  if (test_from) return fmt::format("test from {}, {} validation", format_time(*test_from, format), validation);
  if (by_rows()) return fmt::format("the last {} test, the {} before them validation", part_size(test, test_rows), validation);
  if (val_rows == 0 && test_rows == 0) {
    return fmt::format("{} train, {} validation, {} test", percent(1.0 - val - test), percent(val), percent(test));
  }
  return fmt::format("{} validation, {} test, the rest train", validation, part_size(test, test_rows));
}

void SplitSpec::validate() const {
  // Fractions below 1e-6 would ask for more rows than any file holds.
  if (val_rows == 0 && !(val == 0.0 || (val >= kMinFraction && val < 1.0))) {
    throw UsageError(fmt::format("validation fraction {} is out of range", val), "--val",
                     "use 0 (no validation part), a fraction 0.000001 <= val < 1, or a whole number of rows");
  }
  if (test_from || !rows.empty() || test_rows > 0) return;
  if (!(test == 0.0 || (test >= kMinFraction && test < 1.0))) {
    throw UsageError(fmt::format("test fraction {} is out of range", test), "--test",
                     "use 0 (no test part), a fraction 0.000001 <= test < 1, or a whole number of rows");
  }
  if (val_rows == 0 && val + test > 1.0 - kMinFraction) {
    throw UsageError(fmt::format("--val {} and --test {} leave no training part", val, test), "--val, --test",
                     "keep val + test below 1");
  }
}

SplitPoints split_series(const Series& series, const SplitSpec& spec) {
  const std::size_t n = series.size();
  if (!spec.rows.empty()) return spec.rows.at(series.id);
  if (!spec.test_from) return split_rows(n, spec);
  const auto first_test = std::lower_bound(series.time.begin(), series.time.end(), *spec.test_from);
  SplitPoints p;
  const auto test_begin = static_cast<std::size_t>(first_test - series.time.begin());
  p.n_test = n - test_begin;
  p.n_val = std::min(spec.val_rows > 0 ? spec.val_rows : fraction_of(spec.val, n), test_begin);
  p.n_train = test_begin - p.n_val;
  return p;
}

// A part given in rows holds its origins' targets, so it needs at least one horizon of rows.
void check_part_rows(std::size_t rows, const char* option, const TaskShape& shape) {
  if (rows == 0 || rows >= shape.horizon) return;
  throw UsageError(fmt::format("{} {} row{} cannot hold a forecast of horizon {}", option, rows, rows == 1 ? "" : "s",
                               shape.horizon),
                   option, fmt::format("give at least {} rows (the horizon), or a fraction", shape.horizon));
}

std::size_t rows_needed(const SplitSpec& spec, const TaskShape& shape) {
  check_part_rows(spec.val_rows, "--val", shape);
  check_part_rows(spec.test_rows, "--test", shape);
  const double k = static_cast<double>(shape.horizon);
  const double val = spec.val_rows > 0 ? 0.0 : spec.val, test = spec.test_rows > 0 ? 0.0 : spec.test;
  const double in_rows = static_cast<double>(spec.val_rows + spec.test_rows);
  const double train = std::max<double>(shape.history() + shape.horizon, shape.season + 1);
  double lower = (train + in_rows) / (1.0 - val - test);
  if (test > 0.0) lower = std::max(lower, k / test);
  if (val > 0.0) lower = std::max(lower, k / val);
  // Every floor loses less than one row, so the answer lies a few rows above the bound.
  const auto first = static_cast<std::size_t>(std::max(lower - 3.0, 1.0));
  for (std::size_t n = first; n < first + 2 * (shape.history() + shape.horizon + shape.season) + 64; ++n) {
    if (fits(split_rows(n, spec), spec, shape)) return n;
  }
  throw std::logic_error("rows_needed: no series length fits the split");
}

void check_split(const Frame& frame, const Series& series, const SplitSpec& spec, const TaskShape& shape,
                 const std::string& given_hint) {
  const SplitPoints p = split_series(series, spec);
  if (fits(p, spec, shape)) return;
  const std::string name = frame.series_name(series);
  const std::string hint = !given_hint.empty() ? given_hint
                                               : "use a longer series, a shorter --lookback, --horizon or --season, or "
                                                 "other --val and --test fractions";
  const std::string lag = shape.lag > 0 ? fmt::format(" + {} for the transform", shape.lag) : "";
  const std::string needs = fmt::format(
      "a training part of at least {} rows (lookback {}{} + horizon {}, and more than season {}){}{}",
      std::max(shape.history() + shape.horizon, shape.season + 1), shape.lookback, lag, shape.horizon, shape.season,
      spec.has_validation() ? fmt::format(", a validation part of at least {} rows (the horizon)", shape.horizon) : "",
      spec.has_test() ? fmt::format(", and a test part of at least {} rows (the horizon)", shape.horizon) : "");
  if (!spec.test_from && spec.rows.empty()) {
    throw DataError(fmt::format("{} has {} rows, but needs at least {}: {} under the split {}", name, series.size(),
                                rows_needed(spec, shape), needs, spec.describe(frame.time_format)),
                    frame.source, hint);
  }
  const std::string from =
      spec.test_from ? fmt::format(" (test from {})", format_time(*spec.test_from, frame.time_format)) : "";
  throw DataError(fmt::format("{} splits into {} training, {} validation and {} test rows{}, but needs {}", name,
                              p.n_train, p.n_val, p.n_test, from, needs),
                  frame.source, spec.test_from ? hint + ", or move --test-from" : hint);
}

std::optional<std::pair<std::size_t, std::size_t>> origin_range(const SplitPoints& points, Part part,
                                                                const TaskShape& shape) {
  std::size_t first = 0, end = 0;  // end: one past the last row the targets may reach
  switch (part) {
    case Part::train: first = 0, end = points.n_train; break;
    case Part::validation: first = points.n_train, end = points.test_begin(); break;
    case Part::test: first = points.test_begin(), end = points.test_begin() + points.n_test; break;
  }
  first = std::max(first, shape.history());
  if (end < shape.horizon || first > end - shape.horizon) return std::nullopt;
  return std::pair{first, end - shape.horizon};
}

}  // namespace grucast
