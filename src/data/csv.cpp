#include "data/csv.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "data/line_source.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

std::unique_ptr<LineSource> open_source(const std::string& path, const std::string& name) {
  if (path == "-") return std::make_unique<LineSource>(name, stdin, false);
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
  return std::make_unique<LineSource>(name, file, true);
}

// Lines of text in a string (a last line without LF counts).
std::size_t count_lines(std::string_view text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + (!text.empty() && text.back() != '\n');
}

// Lines of a regular file by one fast pass over it (0 when it cannot be read: the reader
// then reports the problem).
// Only a regular file can be read twice: a FIFO or <(cmd) would be consumed by the count and
// then read as empty. Anything else gets no hint (as stdin does).
std::size_t count_file_lines(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return 0;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return 0;
  std::vector<char> block(std::size_t{1} << 20);
  std::size_t lines = 0, n = 0;
  char last = '\n';
  while ((n = std::fread(block.data(), 1, block.size(), file)) > 0) {
    lines += static_cast<std::size_t>(std::count(block.data(), block.data() + n, '\n'));
    last = block[n - 1];
  }
  std::fclose(file);
  return lines + (last != '\n');
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

// A header of one column that holds another delimiter was most likely split at the wrong one.
std::string other_delimiter_hint(const std::vector<std::string>& header, char delimiter) {
  if (header.size() != 1) return "";
  for (const char other : {',', ';', '\t'}) {
    if (other != delimiter && header[0].find(other) != std::string::npos) {
      return fmt::format(" (one column: is the delimiter {}? set it with --delimiter)", delimiter_name(other));
    }
  }
  return "";
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
  lines_ = open_source(path, name_);
  if (path != "-") rows_hint_ = count_file_lines(path);
  read_header(delimiter);
}

CsvReader::CsvReader(const std::string& name, std::string_view data, char delimiter) : name_(name) {
  lines_ = std::make_unique<LineSource>(name_, data);
  rows_hint_ = count_lines(data);
  read_header(delimiter);
}

CsvReader::~CsvReader() = default;

char* CsvReader::next_line() {
  char* text = lines_->next_line();
  if (text == nullptr) return nullptr;
  line_ = lines_->line();
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
  rows_hint_ -= std::min(rows_hint_, header_line_);
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
    throw DataError(fmt::format("column {} ({}) appears {} times in the header", quoted(column), option, matches),
                    location(name_, header_line_), "rename the duplicates");
  }
  if (matches == 1) {
    return static_cast<std::size_t>(std::find(header_.begin(), header_.end(), column) - header_.begin());
  }
  std::vector<std::string> shown = header_;
  std::replace(shown.begin(), shown.end(), std::string(), std::string("(unnamed)"));
  // A header can have 100,000 columns: the first ten, each shortened, and the nearest name.
  std::string hint = "the columns are: " + listed(shown);
  if (const auto near = nearest(header_, column)) hint += fmt::format(" (did you mean {}?)", quoted(*near));
  hint += other_delimiter_hint(header_, delimiter_);
  // A model trained on many series names its id column; a file of one series has none.
  if (option == "--id") hint += "; --id none reads the file as one series";
  throw DataError(fmt::format("no column {} ({}) in the header", quoted(column), option), location(name_, header_line_),
                  hint);
}

bool CsvReader::next(std::vector<CsvField>& fields) {
  char* text = next_line();
  while (text != nullptr && is_blank(text)) text = next_line();
  if (text == nullptr) return false;
  split(text, fields);
  if (fields.size() != header_.size()) {
    throw DataError(fmt::format("the row has {} field{} but the header has {}", fields.size(),
                                fields.size() == 1 ? "" : "s", header_.size()),
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
