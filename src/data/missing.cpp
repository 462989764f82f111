// Missing-value policies: drop, forward fill, linear interpolation in time.
#include <cmath>

#include <fmt/format.h>

#include "grucast/data/frame.hpp"
#include "grucast/util/error.hpp"
#include "util/name_table.hpp"

namespace grucast {

namespace {

constexpr auto kMissingPolicyNames = std::to_array<Named<MissingPolicy>>({{MissingPolicy::error, "error"},
                                                                          {MissingPolicy::drop, "drop"},
                                                                          {MissingPolicy::ffill, "ffill"},
                                                                          {MissingPolicy::interpolate, "interpolate"}});

// A series is never left empty: the readers and writers after this take its last row.
std::size_t drop_rows(const Frame& frame, Series& series) {
  std::vector<arma::uword> keep;
  for (arma::uword i = 0; i < series.values.n_cols; ++i) {
    if (series.values.col(i).is_finite()) keep.push_back(i);
  }
  if (keep.empty()) {
    throw DataError(fmt::format("every row of {} has a missing value, so --missing drop leaves no rows",
                                frame.series_name(series)),
                    location(frame.source, series.lines.front()),
                    "fill them in, or choose --missing ffill or interpolate");
  }
  const std::size_t dropped = series.size() - keep.size();
  if (dropped == 0) return 0;
  series.values = series.values.cols(arma::uvec(keep));
  std::vector<TimePoint> time;
  std::vector<std::size_t> lines;
  std::vector<int> offsets;
  for (const arma::uword i : keep) {
    time.push_back(series.time[i]);
    lines.push_back(series.lines[i]);
    offsets.push_back(series.offset(i));
  }
  series.time = std::move(time);
  series.lines = std::move(lines);
  series.offsets = std::move(offsets);
  return dropped;
}

// Fills the missing values of one row of `values` (one column of the CSV) in place.
// ffill: x_i = x_{i-1}. interpolate: x_i = x_a + (x_b - x_a)(t_i - t_a)/(t_b - t_a) between
// the nearest known neighbours a < i < b. Before the first known value both take that value;
// interpolate also takes the last known value after it.
std::size_t fill_row(MissingPolicy policy, arma::mat& values, arma::uword row, const std::vector<TimePoint>& time) {
  const arma::uword n = values.n_cols;
  std::size_t filled = 0;
  std::optional<arma::uword> previous;  // last known position
  for (arma::uword i = 0; i < n; ++i) {
    if (std::isfinite(values(row, i))) {
      if (!previous && i > 0) values.submat(row, 0, row, i - 1).fill(values(row, i));
      if (policy == MissingPolicy::interpolate && previous && *previous + 1 < i) {
        const double a = values(row, *previous), b = values(row, i);
        const auto span = static_cast<double>(time[i] - time[*previous]);
        for (arma::uword j = *previous + 1; j < i; ++j) {
          const auto step = static_cast<double>(time[j] - time[*previous]);
          values(row, j) = a + (b - a) * step / span;
          // Near ±1e308, (b − a)·step overflows; a·(1 − f) + b·f cannot (it lies between a and b).
          if (!std::isfinite(values(row, j))) values(row, j) = a * (1 - step / span) + b * (step / span);
        }
      }
      previous = i;
      continue;
    }
    ++filled;
    if (previous && policy == MissingPolicy::ffill) values(row, i) = values(row, i - 1);
  }
  if (previous && *previous + 1 < n) values.submat(row, *previous + 1, row, n - 1).fill(values(row, *previous));
  return filled;
}

}  // namespace

MissingPolicy parse_missing_policy(const std::string& text) {
  if (const auto policy = value_of(kMissingPolicyNames, text)) return *policy;
  throw UsageError(fmt::format("unknown missing-value policy '{}'", text), "--missing",
                   "choose " + names_text(kMissingPolicyNames));
}

std::size_t apply_missing_policy(MissingPolicy policy, const Frame& frame, Series& series) {
  if (policy == MissingPolicy::error || series.size() == 0) return 0;
  if (policy == MissingPolicy::drop) return drop_rows(frame, series);
  series.filled.assign(series.values.n_elem, 0);
  for (arma::uword k = 0; k < series.values.n_elem; ++k) series.filled[k] = std::isfinite(series.values(k)) ? 0 : 1;
  std::size_t filled = 0;
  for (arma::uword row = 0; row < series.values.n_rows; ++row) {
    if (arma::uvec(arma::find_finite(series.values.row(row))).is_empty()) {
      throw DataError(fmt::format("column {} of {} has no values at all", quoted(frame.columns[row]),
                                  frame.series_name(series)),
                      location(frame.source, series.lines.front()), "fill it in, or leave the column out");
    }
    filled += fill_row(policy, series.values, row, series.time);
  }
  return filled;
}

Series without_lookahead(const Series& series, std::size_t from) {
  Series causal = series;
  const arma::uword C = series.values.n_rows, N = series.values.n_cols;
  for (arma::uword c = 0; c < C; ++c) {
    for (arma::uword i = 0; i < N;) {
      if (!series.is_filled(c, i)) {
        ++i;
        continue;
      }
      arma::uword end = i;  // one past the run of filled values
      while (end < N && series.is_filled(c, end)) ++end;
      if (end >= from && i > 0) causal.values.submat(c, i, c, end - 1).fill(causal.values(c, i - 1));
      i = end;
    }
  }
  return causal;
}

}  // namespace grucast
