#include "grucast/csv.hpp"

// fast-cpp-csv-parser's file-name copy trips a GCC 12 false positive when inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#include <libfccp/csv.h>
#pragma GCC diagnostic pop
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "grucast/error.hpp"
#include "grucast/text.hpp"

namespace grucast {

namespace {

bool is_utf8_start(char c);

// A byte source for io::LineReader that rejects NUL bytes (LineReader hands out NUL-terminated
// lines, so a NUL would silently cut a line short) and keeps count of lines to locate one.
class CheckedSource final : public io::ByteSourceBase {
 public:
  CheckedSource(std::string name, FILE* file, bool owned)
      : name_(std::move(name)), file_(file), owned_(owned) {}
  CheckedSource(std::string name, std::string_view data) : name_(std::move(name)), data_(data) {}
  ~CheckedSource() override {
    if (owned_) std::fclose(file_);
  }

  int read(char* buffer, int size) override {
    const int n = fill(buffer, size);
    if (first_read_) {
      check_encoding(buffer, n);
      if (n >= 3 && std::memcmp(buffer, "\xEF\xBB\xBF", 3) == 0) column_ = 0;  // LineReader drops the BOM
    }
    first_read_ = false;
    const char* nul = static_cast<const char*>(std::memchr(buffer, '\0', static_cast<std::size_t>(n)));
    if (nul != nullptr) {
      count_lines(buffer, nul);
      throw DataError("binary data (a NUL byte) in the input", location(name_, line_, column_),
                      "pass a text CSV file");
    }
    count_lines(buffer, buffer + n);
    return n;
  }

 private:
  int fill(char* buffer, int size) {
    if (file_ == nullptr) {
      const auto n = std::min(data_.size(), static_cast<std::size_t>(size));
      std::memcpy(buffer, data_.data(), n);
      data_.remove_prefix(n);
      return static_cast<int>(n);
    }
    const std::size_t n = std::fread(buffer, 1, static_cast<std::size_t>(size), file_);
    if (n < static_cast<std::size_t>(size) && std::ferror(file_)) {
      throw IoError(fmt::format("cannot read the data ({})", std::strerror(errno)), name_,
                    "check that the file is readable");
    }
    return static_cast<int>(n);
  }

  // Two common mistakes get their own message: a compressed file and UTF-16 text.
  void check_encoding(const char* buffer, int n) const {
    const auto byte = [&](int i) { return i < n ? static_cast<unsigned char>(buffer[i]) : 0u; };
    if (byte(0) == 0x1f && byte(1) == 0x8b) {
      throw DataError("the input is gzip-compressed", name_, "decompress it first, e.g. zcat FILE | grucast ... --data -");
    }
    if ((byte(0) == 0xff && byte(1) == 0xfe) || (byte(0) == 0xfe && byte(1) == 0xff)) {
      throw DataError("the input is UTF-16 text", name_, "save it as UTF-8");
    }
  }

  void count_lines(const char* begin, const char* end) {
    for (const char* p = begin; p != end; ++p) {
      if (*p == '\n') {
        ++line_;
        column_ = 1;
      } else {
        column_ += is_utf8_start(*p);
      }
    }
  }

  std::string name_;
  FILE* file_ = nullptr;
  bool owned_ = false;
  std::string_view data_;
  std::size_t line_ = 1;
  std::size_t column_ = 1;
  bool first_read_ = true;
};

std::unique_ptr<io::ByteSourceBase> open_source(const std::string& path, const std::string& name) {
  if (path == "-") return std::make_unique<CheckedSource>(name, stdin, false);
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    throw IoError(fmt::format("cannot open the data file ({})", std::strerror(errno)), path,
                  "check the path given to --data");
  }
  if (S_ISDIR(info.st_mode)) {
    throw IoError("the data path is a directory", path, "pass a CSV file to --data");
  }
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    throw IoError(fmt::format("cannot open the data file ({})", std::strerror(errno)), path,
                  "check the file's permissions");
  }
  return std::make_unique<CheckedSource>(name, file, true);
}

// Columns in messages count characters, not bytes: UTF-8 continuation bytes do not count.
bool is_utf8_start(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

std::size_t character_column(const char* line, const char* at) {
  return static_cast<std::size_t>(std::count_if(line, at, is_utf8_start)) + 1;
}

bool is_blank(const char* text) {
  for (; *text != '\0'; ++text) {
    if (*text != ' ' && *text != '\t') return false;
  }
  return true;
}

// Delimiter with the most occurrences outside quotes in the header; comma on a tie or none.
char detect_delimiter(const char* header) {
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  bool in_quotes = false;
  for (const char* p = header; *p != '\0'; ++p) {
    if (*p == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    commas += *p == ',';
    semicolons += *p == ';';
    tabs += *p == '\t';
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

}  // namespace

std::string delimiter_name(char delimiter) {
  switch (delimiter) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
    default: return fmt::format("'{}'", delimiter);
  }
}

char parse_delimiter(const std::string& text) {
  const std::string lower = to_lower(text);
  if (lower == "tab" || text == "\\t") return '\t';
  if (lower == "comma") return ',';
  if (lower == "semicolon") return ';';
  if (text.size() == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r') return text[0];
  throw UsageError(fmt::format("invalid delimiter {}", quoted(text)), "--delimiter",
                   "use one character, or tab, comma or semicolon");
}

CsvReader::CsvReader(const std::string& path, char delimiter)
    : name_(path == "-" ? "<stdin>" : path) {
  lines_ = std::make_unique<io::LineReader>(name_, open_source(path, name_));
  read_header(delimiter);
}

CsvReader::CsvReader(const std::string& name, std::string_view data, char delimiter) : name_(name) {
  lines_ = std::make_unique<io::LineReader>(name_, std::make_unique<CheckedSource>(name_, data));
  read_header(delimiter);
}

CsvReader::~CsvReader() = default;

char* CsvReader::next_line() {
  char* text = nullptr;
  try {
    text = lines_->next_line();
  } catch (const io::error::line_length_limit_exceeded&) {
    throw DataError("a line is longer than 16 MiB", location(name_, lines_->get_file_line()),
                    "check that this is a CSV file with LF or CRLF line endings");
  }
  if (text == nullptr) return nullptr;
  line_ = lines_->get_file_line();
  for (const char* p = text; *p != '\0'; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != 0x7f) continue;
    if (c == '\t') continue;
    const std::string where = location(name_, line_, character_column(text, p));
    if (c == '\r') {
      throw DataError("a carriage return inside a line", where,
                      "convert CR line endings to LF (e.g. tr '\\r' '\\n')");
    }
    throw DataError(fmt::format("binary data (byte 0x{:02x}) in the input", c), where,
                    "pass a text CSV file");
  }
  return text;
}

void CsvReader::read_header(char delimiter) {
  char* text = next_line();
  while (text != nullptr && is_blank(text)) text = next_line();
  // Excel may write "sep=;" above the header to name the delimiter.
  const std::string_view first = text == nullptr ? "" : trim(text);
  if (first.size() == 5 && first.substr(0, 4) == "sep=") {
    if (delimiter == 0) delimiter = first[4];
    text = next_line();
    while (text != nullptr && is_blank(text)) text = next_line();
  }
  header_line_ = line_;
  if (text == nullptr) {
    throw DataError("the file is empty", name_, "pass a CSV file with a header row and data rows");
  }
  delimiter_ = delimiter != 0 ? delimiter : detect_delimiter(text);
  std::vector<CsvField> fields;
  split(text, fields);
  for (const CsvField& field : fields) header_.emplace_back(trim(field.text));
}

std::size_t CsvReader::column_index(const std::string& column, const std::string& option) const {
  const auto matches = std::count(header_.begin(), header_.end(), column);
  if (matches > 1) {
    throw DataError(fmt::format("column '{}' ({}) appears {} times in the header", column, option, matches),
                    location(name_, header_line_), "rename the duplicates");
  }
  if (matches == 1) {
    return static_cast<std::size_t>(std::find(header_.begin(), header_.end(), column) - header_.begin());
  }
  std::string hint = "the columns are: " + join(header_, ", ");
  for (const std::string& name : header_) {
    if (to_lower(name) == to_lower(column)) hint += fmt::format(" (did you mean '{}'?)", name);
  }
  throw DataError(fmt::format("no column '{}' ({}) in the header", column, option), location(name_, header_line_),
                  hint);
}

bool CsvReader::next(std::vector<CsvField>& fields) {
  char* text = next_line();
  while (text != nullptr && is_blank(text)) text = next_line();
  if (text == nullptr) return false;
  split(text, fields);
  if (fields.size() != header_.size()) {
    throw DataError(fmt::format("the row has {} fields but the header has {}", fields.size(), header_.size()),
                    location(name_, line_),
                    fmt::format("fix the row, or check the delimiter ({}; set it with --delimiter)",
                                delimiter_name(delimiter_)));
  }
  return true;
}

// RFC 4180 fields, split in place: a quoted field is unescaped ("" -> ") over its own bytes,
// which is safe because the write position never passes the read position. Spaces before an
// opening quote are allowed (a, "b"). `column` counts the characters read, for messages.
void CsvReader::split(char* text, std::vector<CsvField>& fields) const {
  fields.clear();
  char* p = text;
  std::size_t column = 1;
  for (;;) {
    char* first = p;
    while (*first == ' ' && delimiter_ != ' ') ++first;
    if (*first != '"') {
      char* start = p;
      const std::size_t start_column = column;
      for (; *p != delimiter_ && *p != '\0'; ++p) column += is_utf8_start(*p);
      fields.push_back({std::string_view(start, static_cast<std::size_t>(p - start)), start_column});
    } else {
      column += static_cast<std::size_t>(first - p);
      const std::size_t quote_column = column;
      p = first + 1;
      ++column;
      char* start = p;
      char* out = p;
      for (;;) {
        if (*p == '\0') {
          throw DataError("a quoted field is not closed on its line", location(name_, line_, quote_column),
                          "close the quote; quoted fields that span lines are not supported");
        }
        if (*p == '"' && p[1] == '"') {
          *out++ = '"';
          p += 2;
          column += 2;
        } else if (*p == '"') {
          ++p;
          ++column;
          break;
        } else {
          column += is_utf8_start(*p);
          *out++ = *p++;
        }
      }
      fields.push_back({std::string_view(start, static_cast<std::size_t>(out - start)), quote_column});
      for (; *p == ' ' && delimiter_ != ' '; ++p) ++column;
      if (*p != delimiter_ && *p != '\0') {
        throw DataError("text after a closing quote", location(name_, line_, column),
                        "quote the whole field and double the quotes inside it");
      }
    }
    if (*p == '\0') return;
    ++p;
    ++column;
  }
}

}  // namespace grucast
