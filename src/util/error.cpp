#include "grucast/util/error.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/text.hpp"

namespace grucast {

namespace {

std::string join_parts(const std::string& what, const std::string& where, const std::string& hint) {
  std::string message = what;
  for (const std::string* part : {&where, &hint}) {
    if (part->empty()) continue;
    if (!message.empty()) message += ", ";
    message += *part;
  }
  return message;
}

}  // namespace

Error::Error(const std::string& what, const std::string& where, const std::string& hint)
    : std::runtime_error(join_parts(what, where, hint)) {}

std::string location(const std::string& file, std::size_t line, std::size_t column) {
  if (line == 0) return file;
  if (column == 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

std::string escape_controls(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = utf8_sequence_length(text, i);
    if (c < 0x20 || c == 0x7f || length == 0) {
      out += fmt::format("\\x{:02x}", c);  // a control byte, or a byte that is not UTF-8 (Latin-1 text)
      ++i;
    } else if (c == 0xc2 && static_cast<unsigned char>(text[i + 1]) == 0xa0) {
      out += "\\u00a0";  // a no-break space would look like a plain one
      i += 2;
    } else {
      out.append(text, i, length);
      i += length;
    }
  }
  return out;
}

std::string quoted(const std::string& text) {
  std::string out(1, '\'');  // appended, not "'" + ...: GCC 12 warns falsely of an overlap there (-Wrestrict)
  out += escape_controls(shortened(text));
  out += '\'';
  return out;
}

}  // namespace grucast
