#include "data/long_format.hpp"

#include <algorithm>
#include <functional>
#include <numeric>
#include <string_view>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "data/time_column.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

// After this many rows, a column with more values than half its rows (free text, a value per
// row) is no longer hashed: it names no series. So a long-format file whose rows are interleaved
// by time is seen with up to 32,768 series.
constexpr std::size_t kRowsBeforeStop = 65536;
// Up to this many values, a value's number is found by comparing it with each (a category
// that changes every row costs no hash); past it, through a hash table.
constexpr std::size_t kFewValues = 16;

}  // namespace

std::string LongFormat::looks_like() const {
  return fmt::format("; the file looks like long format (column {} names {} series)", quoted(id.column), id.series);
}

std::string LongFormat::advice(bool sort) const {
  return fmt::format("pass --id {}{}", shell_word(id.column), in_order || sort ? "" : " and --sort");
}

SeriesIdWatch::SeriesIdWatch(const std::vector<std::string>& header, const std::vector<std::size_t>& used) {
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (std::find(used.begin(), used.end(), c) != used.end() || time_name(header[c]) != TimeName::none) continue;
    columns_.push_back(Column{c, header[c], {}, {}, {}, 0, true});
  }
}

void SeriesIdWatch::stop(Column& column) {
  column.watched = false;
  column.values = {};
  column.codes = {};
  column.rows = {};
}

std::optional<std::uint32_t> SeriesIdWatch::find(const Column& column, std::string_view value) {
  const auto& values = column.values;
  if (values.size() <= kFewValues) {
    const auto it = std::find(values.begin(), values.end(), value);
    if (it != values.end()) return static_cast<std::uint32_t>(it - values.begin());
  } else if (const auto it = column.codes.find(value); it != column.codes.end()) {
    return it->second;
  }
  return std::nullopt;
}

std::uint32_t SeriesIdWatch::add_value(Column& column, std::string_view value) {
  auto& values = column.values;
  values.emplace_back(value);
  if (values.size() == kFewValues + 1) {
    for (std::size_t k = 0; k < values.size(); ++k) column.codes.emplace(values[k], static_cast<std::uint32_t>(k));
  } else if (values.size() > kFewValues + 1) {
    column.codes.emplace(values.back(), static_cast<std::uint32_t>(values.size() - 1));
  }
  return static_cast<std::uint32_t>(values.size() - 1);
}

void SeriesIdWatch::add(const std::vector<CsvField>& fields) {
  for (Column& c : columns_) {
    if (!c.watched) continue;
    const std::string_view text = trim(fields[c.position].text);
    if (rows_ > 0 && text == c.values[c.rows.back()]) {  // most rows of a long-format file: the series before
      c.rows.push_back(c.rows.back());
      continue;
    }
    ++c.runs;
    if (const auto code = find(c, text)) {
      c.rows.push_back(*code);
      continue;
    }
    if (is_missing_marker(text) || parse_number(text, true)) {  // a series id is text, in every row
      stop(c);
      continue;
    }
    c.rows.push_back(add_value(c, text));
    if (rows_ + 1 >= kRowsBeforeStop && 2 * c.values.size() > rows_ + 1) stop(c);
  }
  ++rows_;
}

std::optional<LongFormat> SeriesIdWatch::explains(std::span<const TimePoint> time) const {
  const std::size_t n = time.size();
  const bool in_order = std::adjacent_find(time.begin(), time.end(), std::greater_equal<>()) == time.end();
  if (in_order || n != rows_) return std::nullopt;
  std::vector<TimePoint> sorted(time.begin(), time.end());
  std::sort(sorted.begin(), sorted.end());
  const auto distinct = static_cast<std::size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
  if (10 * (n - distinct) < n) return std::nullopt;
  for (const Column& c : columns_) {
    if (!c.watched || c.values.size() < 2 || 2 * c.values.size() > n) continue;
    const auto& id = c.rows;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return id[a] < id[b]; });
    bool series_in_order = true;  // then no series has a timestamp twice either
    for (std::size_t k = 1; k < n && series_in_order; ++k) {
      series_in_order = id[order[k]] != id[order[k - 1]] || time[order[k]] > time[order[k - 1]];
    }
    bool distinct_in_series = series_in_order;
    if (!series_in_order) {
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return id[a] != id[b] ? id[a] < id[b] : time[a] < time[b];
      });
      distinct_in_series = true;
      for (std::size_t k = 1; k < n && distinct_in_series; ++k) {
        distinct_in_series = id[order[k]] != id[order[k - 1]] || time[order[k]] != time[order[k - 1]];
      }
    }
    if (distinct_in_series) return LongFormat{IdGuess{c.name, c.values.size()}, series_in_order};
  }
  return std::nullopt;
}

std::optional<IdGuess> SeriesIdWatch::blocks() const {
  for (const Column& c : columns_) {
    if (!c.watched || c.values.size() < 2 || c.runs != c.values.size()) continue;
    std::vector<std::size_t> count(c.values.size(), 0);
    for (const std::uint32_t code : c.rows) ++count[code];
    if (*std::min_element(count.begin(), count.end()) >= 2) return IdGuess{c.name, c.values.size()};
  }
  return std::nullopt;
}

}  // namespace grucast
