// CSV reading: a buffered line source (src/data/line_source.hpp) and an RFC 4180 splitter for the fields.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace grucast {

class LineSource;

/// One field of a row: its text (quotes removed, "" unescaped) and the 1-based column where it
/// starts, counted in characters (UTF-8), for error messages.
struct CsvField {
  std::string_view text;
  std::size_t column = 0;
};

/// Reads a delimited text file row by row. Handles comma, semicolon and tab (detected from the
/// header line unless given), quoted fields, CRLF, a UTF-8 BOM and a missing final newline.
/// Blank lines are skipped. Rows with another field count than the header, quoted fields that
/// span lines and binary data are DataErrors naming file:line:column.
class CsvReader {
 public:
  /// Opens `path` ("-" reads stdin). `delimiter` 0 means detect it from the header line.
  explicit CsvReader(const std::string& path, char delimiter = 0);
  /// Reads from memory; `name` is the file name used in messages. `data` must outlive the reader.
  CsvReader(const std::string& name, std::string_view data, char delimiter = 0);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// Name used in messages: the path, or "<stdin>".
  const std::string& name() const { return name_; }
  const std::vector<std::string>& header() const { return header_; }
  char delimiter() const { return delimiter_; }
  /// Line number (1-based) of the header row.
  std::size_t header_line() const { return header_line_; }

  /// Index of the column called `column`; a DataError listing the columns if there is none
  /// (or several). `option` names the option in the message, e.g. "--target".
  std::size_t column_index(const std::string& column, const std::string& option) const;

  /// Reads the next data row into `fields` (views valid until the next call). False at the end.
  bool next(std::vector<CsvField>& fields);
  /// Line number (1-based) of the row last returned.
  std::size_t line() const { return line_; }
  /// The lines after the header: the most data rows there can be (0 for stdin, not known).
  std::size_t rows_hint() const { return rows_hint_; }

 private:
  void read_header(char delimiter);
  void split(char* text, std::vector<CsvField>& fields) const;
  char* next_line();

  std::string name_;
  std::unique_ptr<LineSource> lines_;
  std::vector<std::string> header_;
  char delimiter_ = ',';
  std::size_t line_ = 0;
  std::size_t header_line_ = 1;
  std::size_t rows_hint_ = 0;
};

/// Human name of a delimiter for messages: "comma", "semicolon", "tab" or the character.
std::string delimiter_name(char delimiter);

/// Parses a --delimiter value: a single character, or "tab", "comma", "semicolon".
char parse_delimiter(const std::string& text);

}  // namespace grucast
