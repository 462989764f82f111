#include "cli/option_values.hpp"

#include <charconv>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/text.hpp"

namespace grucast::cli {

std::size_t parse_count(const std::string& text, const std::string& option, std::size_t low, std::size_t high) {
  const std::string name = option.substr(2);
  const std::string range = fmt::format("use a whole number from {} to {}", low, high);
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || stop != end || (error != std::errc() && error != std::errc::result_out_of_range)) {
    throw UsageError(fmt::format("{} {} is not a whole number", name, quoted(text)), option, range);
  }
  if (error == std::errc::result_out_of_range || value < low || value > high) {
    throw UsageError(fmt::format("{} {} is out of range", name, text), option, range);
  }
  return value;
}

std::size_t parse_count(const std::string& text, const SettingRange& range) {
  return parse_count(text, range.option, static_cast<std::size_t>(range.low), static_cast<std::size_t>(range.high));
}

}  // namespace grucast::cli
