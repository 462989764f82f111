#include "data/line_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "grucast/util/error.hpp"

namespace grucast {

namespace {

constexpr std::size_t kBlock = std::size_t{1} << 20;
constexpr std::size_t kMaxLine = std::size_t{1} << 24;

}  // namespace

LineSource::LineSource(std::string name, std::FILE* file, bool owned)
    : name_(std::move(name)), file_(file), owned_(owned), buffer_(kBlock) {}

// Text in memory is often short (a test, a fuzz input): its buffer holds it and the NUL after a
// last line without LF, without a whole block to clear.
LineSource::LineSource(std::string name, std::string_view data)
    : name_(std::move(name)), data_(data), buffer_(std::min(kBlock, data.size() + 2)) {}

LineSource::~LineSource() {
  if (owned_) std::fclose(file_);
}

std::size_t LineSource::read_bytes(char* to, std::size_t size) {
  if (file_ == nullptr) {
    const std::size_t n = std::min(data_.size(), size);
    if (n > 0) std::memcpy(to, data_.data(), n);  // an empty view's data() may be null
    data_.remove_prefix(n);
    return n;
  }
  const std::size_t n = std::fread(to, 1, size, file_);
  if (n < size && std::ferror(file_)) {
    throw IoError(fmt::format("cannot read the data ({})", std::strerror(errno)), name_, "check that the file is readable");
  }
  return n;
}

// Moves the unread bytes to the front and reads more behind them (one byte is kept free for
// the NUL after a last line without LF); grows the buffer when one line fills it.
void LineSource::refill() {
  std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  if (end_ + 1 >= buffer_.size()) {
    if (buffer_.size() >= kMaxLine) {
      throw DataError("a line is longer than 16 MiB", location(name_, line_ + 1),
                      "check that this is a CSV file with LF or CRLF line endings");
    }
    buffer_.resize(2 * buffer_.size());
  }
  const std::size_t n = read_bytes(buffer_.data() + end_, buffer_.size() - end_ - 1);
  at_end_ = n == 0;
  end_ += n;
  check_new_bytes(end_ - n);
}

// Two common mistakes get their own message (a compressed file, UTF-16 text); a NUL byte
// would cut a line short, so it is an error at its line and column.
void LineSource::check_new_bytes(std::size_t from) {
  const char* data = buffer_.data();
  if (!started_ && end_ > 0) {
    started_ = true;
    const auto byte = [&](std::size_t i) { return i < end_ ? static_cast<unsigned char>(data[i]) : 0u; };
    if (byte(0) == 0x1f && byte(1) == 0x8b) {
      throw DataError("the input is gzip-compressed", name_, "decompress it first, e.g. zcat FILE | grucast ... --data -");
    }
    if ((byte(0) == 0xff && byte(1) == 0xfe) || (byte(0) == 0xfe && byte(1) == 0xff)) {
      throw DataError("the input is UTF-16 text", name_, "save it as UTF-8");
    }
  }
  const char* nul = static_cast<const char*>(std::memchr(data + from, '\0', end_ - from));
  if (nul == nullptr) return;
  const char* line_start = data + begin_;
  std::size_t line = line_ + 1;
  for (const char* p = data + begin_; p != nul; ++p) {
    if (*p == '\n') {
      ++line;
      line_start = p + 1;
    }
  }
  const bool bom = line == 1 && nul - line_start >= 3 && std::memcmp(line_start, "\xEF\xBB\xBF", 3) == 0;
  throw DataError("binary data (a NUL byte) in the input",
                  location(name_, line, character_column(line_start + (bom ? 3 : 0), nul)), "pass a text CSV file");
}

char* LineSource::next_line() {
  char* newline = nullptr;
  for (;;) {
    newline = static_cast<char*>(std::memchr(buffer_.data() + begin_, '\n', end_ - begin_));
    if (newline != nullptr || at_end_) break;
    refill();
  }
  if (newline == nullptr && begin_ == end_) return nullptr;
  char* text = buffer_.data() + begin_;
  char* stop = newline != nullptr ? newline : buffer_.data() + end_;
  begin_ = static_cast<std::size_t>(stop - buffer_.data()) + (newline != nullptr ? 1 : 0);
  if (stop != text && stop[-1] == '\r') --stop;
  *stop = '\0';
  if (++line_ == 1 && std::strncmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3;
  return text;
}

}  // namespace grucast
