// Lines of a CSV file, stdin or memory, handed out NUL-terminated in place from a 1 MiB buffer
// (grown for a longer line, up to 16 MiB). Refuses NUL bytes, gzip and UTF-16 input.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace grucast {

/// Columns in messages count characters, not bytes: UTF-8 continuation bytes do not count.
inline bool is_utf8_start(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

/// The 1-based character column of `at` in the line that starts at `line`.
inline std::size_t character_column(const char* line, const char* at) {
  std::size_t column = 1;
  for (; line != at; ++line) column += is_utf8_start(*line);
  return column;
}

class LineSource {
 public:
  /// Reads `file` (closed at the end when `owned`); `name` is the file name in messages.
  LineSource(std::string name, std::FILE* file, bool owned);
  /// Reads `data`, which must outlive the source.
  LineSource(std::string name, std::string_view data);
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  /// The next line without its LF (or CRLF), valid until the next call; nullptr at the end.
  /// A UTF-8 byte-order mark before the first line is dropped.
  char* next_line();
  /// 1-based number of the line last returned.
  std::size_t line() const { return line_; }

 private:
  std::size_t read_bytes(char* to, std::size_t size);
  void refill();
  void check_new_bytes(std::size_t from);

  std::string name_;
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  std::string_view data_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  ///< unread bytes are [begin_, end_)
  std::size_t end_ = 0;
  bool at_end_ = false;
  bool started_ = false;
  std::size_t line_ = 0;
};

}  // namespace grucast
