#include "grucast/data/frame.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "data/csv.hpp"
#include "data/long_format.hpp"
#include "data/series_rows.hpp"
#include "data/time_column.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

// Positions of the selected columns in the CSV header.
struct ColumnPositions {
  std::vector<std::size_t> values;  // target first, then the features
  std::optional<std::size_t> time;
  std::vector<std::size_t> time_candidates;  // named like a time: the time if the first row holds a date
  bool time_if_dates = false;                // the time is one of them
  std::optional<std::size_t> id;
};

// time + offset: the timestamps as written.
std::vector<TimePoint> with_offsets(const std::vector<TimePoint>& time, const std::vector<int>& offsets) {
  std::vector<TimePoint> local = time;
  for (std::size_t i = 0; i < offsets.size(); ++i) local[i] += offsets[i];
  return local;
}

// The first missing value met, and how many there are.
struct MissingTally {
  std::size_t count = 0;
  std::string where;
  std::string column;
};

// Without --target: the one column that is not the time (or named like one), the id or a feature.
std::string only_value_column(const CsvReader& reader, const DataOptions& options, const TimeColumn& time) {
  const std::vector<std::string>& header = reader.header();
  std::vector<std::string> left;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const bool is_time = time.position == c ||
                         std::find(time.candidates.begin(), time.candidates.end(), c) != time.candidates.end();
    const bool is_feature = std::find(options.features.begin(), options.features.end(), header[c]) !=
                            options.features.end();
    if (!is_time && !is_feature && header[c] != options.id_column) left.push_back(header[c]);
  }
  if (left.size() == 1) return left.front();
  if (left.empty()) {
    throw UsageError("no column is left to forecast (the others are the time, the id or features)", "--target",
                     "name the column to forecast");
  }
  std::string names;
  for (std::size_t i = 0; i < left.size() && i < 6; ++i) names += (i > 0 ? ", " : "") + quoted(left[i]);
  if (left.size() > 6) names += ", ...";
  throw UsageError(fmt::format("no --target, and {} columns could be the one to forecast ({})", left.size(), names),
                   "--target",
                   fmt::format("name the column to forecast, e.g. --target {}, and give a column that names the "
                               "series to --id",
                               shell_word(left.back())));
}

ColumnPositions resolve_columns(const CsvReader& reader, const DataOptions& options, Frame& frame) {
  TimeColumn time = find_time_column(reader, options);
  std::string target = options.target;
  if (target.empty()) {
    target = only_value_column(reader, options, time);
    frame.report.target_by_default = true;
  }
  ColumnPositions positions;
  positions.values.push_back(reader.column_index(target, "--target"));
  frame.columns.push_back(target);
  for (const std::string& feature : options.features) {
    if (std::find(frame.columns.begin(), frame.columns.end(), feature) != frame.columns.end()) {
      throw UsageError(fmt::format("column {} is selected twice", quoted(feature)), "--features",
                       "name each column once; the target is always an input");
    }
    positions.values.push_back(reader.column_index(feature, "--features"));
    frame.columns.push_back(feature);
  }
  positions.time = time.position;
  positions.time_candidates = std::move(time.candidates);
  if (!options.id_column.empty()) positions.id = reader.column_index(options.id_column, "--id");
  for (const auto& [position, option] : {std::pair{positions.time, "--time"}, std::pair{positions.id, "--id"}}) {
    if (!position) continue;
    if (std::find(positions.values.begin(), positions.values.end(), *position) != positions.values.end()) {
      throw UsageError(
          fmt::format("column {} is both {} and a value column", quoted(reader.header()[*position]), option), option,
          "choose different columns");
    }
  }
  if (positions.time && positions.id && *positions.time == *positions.id) {
    throw UsageError("the same column is given to --time and --id", "--id", "choose different columns");
  }
  if (positions.time) frame.time_column = reader.header()[*positions.time];
  if (positions.id) frame.id_column = reader.header()[*positions.id];
  return positions;
}

// Reads rows, parsing the selected cells, into one SeriesRows per id; the first row settles
// the time column when it is one of the columns named like a time only if it holds dates.
class RowReader {
 public:
  RowReader(CsvReader& reader, const DataOptions& options, ColumnPositions& positions, Frame& frame,
            SeriesIdWatch* watch)
      : reader_(reader), options_(options), positions_(positions), frame_(frame), watch_(watch),
        decimal_comma_(reader.delimiter() == ';') {}  // the European convention: "3,14" in a ";" file

  std::vector<SeriesRows> read_all(MissingTally& missing) {
    std::vector<CsvField> fields;
    while (reader_.next(fields)) {
      if (frame_.report.rows == 0) choose_time(fields);
      if (watch_ != nullptr) watch_->add(fields);
      SeriesRows& rows = series_for(fields);
      int offset = 0;
      rows.time.push_back(positions_.time ? parse_time_cell(fields[*positions_.time], offset)
                                          : static_cast<TimePoint>(rows.lines.size()));
      rows.offsets.push_back(offset);
      const std::size_t C = positions_.values.size();
      double* values = rows.values.add(C);
      for (std::size_t c = 0; c < C; ++c) {
        values[c] = parse_value_cell(fields[positions_.values[c]], frame_.columns[c], missing);
      }
      rows.lines.push_back(reader_.line());
      ++frame_.report.rows;
    }
    return std::move(series_);
  }

 private:
  void choose_time(const std::vector<CsvField>& fields) {
    if (!positions_.time_candidates.empty()) {
      positions_.time = first_dated(positions_.time_candidates, fields, reader_.header(), frame_.report.skipped_time);
      positions_.time_if_dates = positions_.time.has_value();
      if (positions_.time) frame_.time_column = reader_.header()[*positions_.time];
    }
    years_ = positions_.time && holds_years(frame_.time_column);
  }

  SeriesRows& series_for(const std::vector<CsvField>& fields) {
    if (!positions_.id) {
      if (series_.empty()) {  // one series: room for every row the file can hold
        SeriesRows& rows = series_.emplace_back();
        const std::size_t n = reader_.rows_hint();
        rows.time.reserve(n);
        rows.values.reserve(positions_.values.size(), n);
        rows.lines.reserve(n);
        rows.offsets.reserve(n);
        advise_huge_pages(rows.time.data(), n * sizeof(TimePoint));
        advise_huge_pages(rows.lines.data(), n * sizeof(std::size_t));
      }
      return series_.front();
    }
    const CsvField& cell = fields[*positions_.id];
    const std::string_view id = trim(cell.text);
    if (id.empty()) {
      throw DataError(fmt::format("missing series id in column {}", quoted(frame_.id_column)), where(cell),
                      "give every row its series id");
    }
    if (last_ < series_.size() && series_[last_].id == id) return same_spelling(last_, cell);
    const auto [it, added] = index_.try_emplace(std::string(id), series_.size());
    if (added) {
      series_.push_back(SeriesRows{std::string(id), {}, {}, {}, {}});
      written_.emplace_back(cell.text.size() == id.size() ? "" : std::string(cell.text));
    }
    last_ = it->second;
    return same_spelling(last_, cell);
  }

  // Ids that differ only in surrounding spaces would silently merge two series.
  SeriesRows& same_spelling(std::size_t k, const CsvField& cell) {
    const std::string_view first = written_[k].empty() ? std::string_view(series_[k].id) : written_[k];
    if (cell.text == first) return series_[k];
    throw DataError(fmt::format("series ids {} (line {}) and {} are the same after trimming spaces", quoted(std::string(first)),
                                series_[k].lines.front(), quoted(std::string(cell.text))),
                    where(cell), "write each series id the same way, or make the ids differ");
  }

  TimePoint parse_time_cell(const CsvField& cell, int& offset) {
    const std::string& column = frame_.time_column;
    if (trim(cell.text).empty()) {
      throw DataError(fmt::format("missing timestamp in column {}", quoted(column)), where(cell),
                      "fill it in or remove the row");
    }
    TimeFormat format;
    std::string problem;
    const auto t = parse_time(cell.text, options_.time_format, format, problem, years_);
    if (!t) {
      const std::string hint = options_.time_format.empty()
          ? "write ISO 8601 dates or datetimes or epoch seconds, or give --time-format (e.g. \"%d/%m/%Y\")"
          : "fix the value or the --time-format pattern";
      throw DataError(fmt::format("cannot read timestamp {} in column {} ({})", quoted(std::string(cell.text)),
                                  quoted(column), problem), where(cell), hint);
    }
    if (!first_time_) {
      first_time_ = std::string(trim(cell.text));
      frame_.time_format = format;
    } else if (!format.same_layout(frame_.time_format)) {
      throw DataError(fmt::format("mixed timestamp formats: {} is {}, but {} (the first row) is {}",
                                  quoted(std::string(cell.text)), format.describe(), quoted(*first_time_),
                                  frame_.time_format.describe()),
                      where(cell), "write every timestamp the same way");
    }
    offset = format.offset;  // per row: the frame's format keeps the first row's
    return *t;
  }

  double parse_value_cell(const CsvField& cell, const std::string& column, MissingTally& missing) {
    if (const auto value = parse_number(cell.text, decimal_comma_)) {
      const double magnitude = std::abs(*value);
      if (magnitude <= kLargestValue && (magnitude >= std::numeric_limits<double>::min() || magnitude == 0.0)) {
        return *value;
      }
      refuse_value(cell, column, magnitude);
    }
    if (!is_missing_marker(cell.text)) {
      const bool comma = !decimal_comma_ && parse_number(cell.text, true).has_value();  // "12,5" in a comma file
      throw DataError(fmt::format("non-numeric value {} in column {}", quoted(std::string(cell.text)), quoted(column)),
                      where(cell),
                      comma ? "write it with a decimal point (decimal commas are read in semicolon-separated files)"
                            : "fix the value, or leave the cell empty (or NA) to mark it missing");
    }
    if (missing.count++ == 0) {
      missing.where = where(cell);
      missing.column = column;
    }
    return std::numeric_limits<double>::quiet_NaN();
  }

  // A number a double holds, but not one grucast can compute with: infinite, near a double's
  // limit, or subnormal (below 2.2e-308: it has lost its precision, and dividing by it overflows).
  [[noreturn]] void refuse_value(const CsvField& cell, const std::string& column, double magnitude) const {
    const std::string value = quoted(std::string(cell.text));
    if (std::isinf(magnitude)) {
      throw DataError(fmt::format("infinite value {} in column {}", value, quoted(column)), where(cell),
                      "use a finite number, or leave the cell empty to mark it missing");
    }
    if (magnitude > kLargestValue) {
      throw DataError(fmt::format("value {} in column {} is past ±1e306, too near the limit of a double (1.8e308) "
                                  "for the differences and errors computed from it",
                                  value, quoted(column)),
                      where(cell), "rescale the column (divide it by a power of ten), or leave the cell empty to "
                                   "mark it missing");
    }
    throw DataError(fmt::format("value {} in column {} is a subnormal double (not 0, but below 2.2e-308): it has "
                                "lost its precision, and what divides by it overflows",
                                value, quoted(column)),
                    where(cell), "write 0 if it means zero, or rescale the column (multiply it by a power of ten)");
  }

  std::string where(const CsvField& cell) const { return location(reader_.name(), reader_.line(), cell.column); }

  CsvReader& reader_;
  const DataOptions& options_;
  ColumnPositions& positions_;
  Frame& frame_;
  SeriesIdWatch* watch_;  // without --id
  bool decimal_comma_;
  bool years_ = false;  // four digits in the time column are years
  std::vector<SeriesRows> series_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> written_;  // (series) the id as first written when spaces surround it, else ""
  std::size_t last_ = 0;
  std::optional<std::string> first_time_;
};

// Puts the rows in time order (--sort) or names the first row out of order; then refuses
// duplicate timestamps. Both errors say so when the file looks like long format read without --id.
void order_rows(SeriesRows& rows, std::size_t n_columns, const Frame& frame, bool sort, const std::string& name,
                const std::optional<LongFormat>& long_format) {
  const auto& time = rows.time;
  const std::string looks_long = long_format ? long_format->looks_like() : "";
  const auto unsorted = std::is_sorted_until(time.begin(), time.end());
  if (unsorted != time.end() && !sort) {
    const auto i = static_cast<std::size_t>(unsorted - time.begin());
    throw DataError(fmt::format("rows out of time order in {}: {} comes after {} (line {}){}", name,
                                frame.written_time(time[i], rows.offsets[i]),
                                frame.written_time(time[i - 1], rows.offsets[i - 1]), rows.lines[i - 1], looks_long),
                    location(frame.source, rows.lines[i]),
                    long_format ? long_format->advice(sort) : "sort the rows by time, or pass --sort");
  }
  if (unsorted != time.end()) {
    std::vector<std::size_t> order(time.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
    SeriesRows sorted{rows.id, {}, {}, {}, {}};
    sorted.values.reserve(n_columns, order.size());
    for (const std::size_t i : order) {
      sorted.time.push_back(rows.time[i]);
      sorted.lines.push_back(rows.lines[i]);
      sorted.offsets.push_back(rows.offsets[i]);
      std::copy_n(rows.values.data.colptr(i), n_columns, sorted.values.add(n_columns));
    }
    rows = std::move(sorted);
  }
  const auto duplicate = std::adjacent_find(rows.time.begin(), rows.time.end());
  if (duplicate != rows.time.end()) {
    const auto i = static_cast<std::size_t>(duplicate - rows.time.begin());
    throw DataError(fmt::format("duplicate timestamp {} in {} (also at line {}){}",
                                frame.written_time(rows.time[i], rows.offsets[i]), name,
                                std::min(rows.lines[i], rows.lines[i + 1]), looks_long),
                    location(frame.source, std::max(rows.lines[i], rows.lines[i + 1])),
                    long_format ? long_format->advice(sort) : "remove or merge one of the rows");
  }
}

Series to_series(SeriesRows&& rows) {
  Series series;
  series.id = std::move(rows.id);
  series.time = std::move(rows.time);
  series.lines = std::move(rows.lines);
  series.offsets = std::move(rows.offsets);
  series.values = rows.values.take();
  return series;
}

// Days, months and business days are counted in the timestamps as written (2021-06-01T00:00+02:00
// is the 1st of June); shorter steps in UTC, where a daylight-saving change is no gap.
bool on_calendar(const Frequency& frequency) {
  return frequency.unit != FrequencyUnit::seconds || frequency.step % 86400 == 0;
}

std::optional<Frequency> infer_from(const std::vector<SeriesRows>& all_rows, bool local) {
  std::vector<std::vector<TimePoint>> times;
  for (const SeriesRows& rows : all_rows) times.push_back(local ? with_offsets(rows.time, rows.offsets) : rows.time);
  return grucast::infer_frequency({times.begin(), times.end()});
}

// The frequency comes from the timestamps as read, before --missing drop makes holes.
void infer_frequency(Frame& frame, const std::vector<SeriesRows>& all_rows) {
  if (frame.time_column.empty()) return;  // the row index: Frequency{}
  std::optional<Frequency> frequency = infer_from(all_rows, true);
  if (frequency && !on_calendar(*frequency)) frequency = infer_from(all_rows, false);
  if (!frequency) {
    throw DataError("every series has a single row, so the time step cannot be inferred", frame.source,
                    "give each series at least two rows");
  }
  frame.frequency = *frequency;
}

void count_gaps(Frame& frame) {
  for (const Series& s : frame.series) {
    const Regularity r = check_regularity(on_calendar(frame.frequency) ? s.local_time() : s.time, frame.frequency);
    frame.report.regularity.gaps += r.gaps;
    frame.report.regularity.missing_steps += r.missing_steps;
    frame.report.regularity.irregular += r.irregular;
  }
}

}  // namespace

std::vector<TimePoint> Series::local_time() const { return with_offsets(time, offsets); }

std::string Frame::written_time(TimePoint t, int offset) const {
  TimeFormat format = time_format;
  format.offset = offset;
  return format_time(t, format);
}

std::string Frame::written_time(const Series& s, std::size_t i) const { return written_time(s.time[i], s.offset(i)); }

std::string Frame::series_name(const Series& s) const {
  return id_column.empty() ? "the series" : fmt::format("series {}", quoted(s.id));
}

Frame read_frame(CsvReader& reader, const DataOptions& options) {
  Frame frame;
  frame.source = reader.name();
  frame.header_line = reader.header_line();
  ColumnPositions positions = resolve_columns(reader, options, frame);
  std::optional<SeriesIdWatch> watch;  // without --id: a column that could name series
  if (!positions.id) {
    std::vector<std::size_t> used = positions.values;
    if (positions.time) used.push_back(*positions.time);
    watch.emplace(reader.header(), used);
  }
  MissingTally missing;
  std::vector<SeriesRows> all_rows =
      RowReader(reader, options, positions, frame, watch ? &*watch : nullptr).read_all(missing);
  if (frame.report.rows == 0) {
    throw DataError("no data rows after the header", frame.source, "add rows of data below the header line");
  }
  if (missing.count > 0 && options.missing == MissingPolicy::error) {
    throw DataError(fmt::format("{} missing value{} in the selected columns (the first in column {})", missing.count,
                                missing.count == 1 ? "" : "s", quoted(missing.column)),
                    missing.where, "fill them in, or choose --missing drop, ffill or interpolate");
  }
  // Rows out of order or a repeated timestamp without --id: is the file long format?
  const std::optional<LongFormat> long_format = watch ? watch->explains(all_rows.front().time) : std::nullopt;
  if (positions.time_if_dates && !long_format) {  // a year column beside a month column: not the time
    if (const auto repeated = repeated_time(frame, all_rows)) use_row_index(frame, all_rows, *repeated);
  }
  const std::size_t n_columns = frame.columns.size();
  for (SeriesRows& rows : all_rows) {
    const std::string name = frame.id_column.empty() ? "the series" : fmt::format("series {}", quoted(rows.id));
    frame.report.sorted_series += std::is_sorted(rows.time.begin(), rows.time.end()) ? 0 : 1;
    order_rows(rows, n_columns, frame, options.sort, name, long_format);
  }
  if (watch && frame.time_column.empty()) frame.report.id_guess = watch->blocks();
  if (options.time_format.empty()) check_epoch_plausible(frame, all_rows);
  infer_frequency(frame, all_rows);
  frame.series.reserve(all_rows.size());  // a Series (its arma::mat) would be copied as the vector grows
  for (SeriesRows& rows : all_rows) {
    frame.series.push_back(to_series(std::move(rows)));
    if (missing.count == 0) continue;
    const std::size_t changed = apply_missing_policy(options.missing, frame, frame.series.back());
    (options.missing == MissingPolicy::drop ? frame.report.dropped_rows : frame.report.filled_values) += changed;
  }
  count_gaps(frame);
  return frame;
}

Frame load_frame(const DataOptions& options) {
  CsvReader reader(options.path, options.delimiter);
  return read_frame(reader, options);
}

}  // namespace grucast
