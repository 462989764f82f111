#include "grucast/error.hpp"

#include <fmt/format.h>

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
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xa0) {
      out += "\\u00a0";  // a no-break space would look like a plain one
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string quoted(const std::string& text) {
  constexpr std::size_t kMaxShown = 40;
  const bool long_text = text.size() > kMaxShown;
  return fmt::format("'{}{}'", escape_controls(long_text ? text.substr(0, kMaxShown) : text), long_text ? "..." : "");
}

}  // namespace grucast
