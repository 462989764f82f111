// A long-format file read without --id: the unused text columns that could name its series,
// watched while the rows are read, so that an error in the order of the timestamps (or the data
// summary, without timestamps) can say "pass --id COL".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "grucast/data/frame.hpp"
#include "data/csv.hpp"

namespace grucast {

/// A column that splits a file's rows into series without a repeated timestamp.
struct LongFormat {
  IdGuess id;
  bool in_order = true;  ///< each of those series is in time order as read (else --sort is needed too)

  /// "; the file looks like long format (column 'series' names 359 series)", for an error.
  std::string looks_like() const;
  /// "pass --id series", with " and --sort" when the series are out of order and `sort` is false.
  std::string advice(bool sort) const;
};

class SeriesIdWatch {
 public:
  /// Watches the columns of `header` that are not in `used` and are not named like a time.
  SeriesIdWatch(const std::vector<std::string>& header, const std::vector<std::size_t>& used);

  /// The next row.
  void add(const std::vector<CsvField>& fields);

  /// When `time` (the timestamps of all rows, in file order) is out of order or repeats a
  /// timestamp: the first watched column that explains it as long format, with two or more
  /// values that each have two rows or more on average (text in every row) and none of them a
  /// timestamp twice, while a tenth of the rows or more share their timestamp with another row
  /// (so that a row repeated by mistake, with a categorical column beside it, is not taken for
  /// long format).
  std::optional<LongFormat> explains(std::span<const TimePoint> time) const;

  /// The first watched column whose every value fills one block of two rows or more, in two
  /// blocks or more: what a series id looks like in a file without timestamps.
  std::optional<IdGuess> blocks() const;

 private:
  struct TextHash {  // looks up a string_view without making a string of it
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  struct Column {
    std::size_t position = 0;
    std::string name;
    std::vector<std::string> values;                       // by number
    std::unordered_map<std::string, std::uint32_t, TextHash, std::equal_to<>> codes;  // past kFewValues values
    std::vector<std::uint32_t> rows;                       // the number of each row's value
    std::size_t runs = 0;                                  // blocks of rows with one value
    bool watched = true;                                   // false once it cannot name series
  };

  static std::optional<std::uint32_t> find(const Column& column, std::string_view value);
  static std::uint32_t add_value(Column& column, std::string_view value);
  static void stop(Column& column);

  std::vector<Column> columns_;
  std::size_t rows_ = 0;
};

}  // namespace grucast
