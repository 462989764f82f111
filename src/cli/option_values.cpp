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

double parse_duration(const std::string& text, const std::string& option) {
  const std::string hint = "give seconds, or a number with s, m or h, e.g. 90, 15m or 1.5h";
  std::string number = text;
  double unit = 1.0;
  if (!number.empty() && (number.back() == 's' || number.back() == 'm' || number.back() == 'h')) {
    unit = number.back() == 'h' ? 3600.0 : number.back() == 'm' ? 60.0 : 1.0;
    number.pop_back();
  }
  double value = 0.0;
  const char* end = number.data() + number.size();
  const auto [stop, error] = std::from_chars(number.data(), end, value);
  if (number.empty() || stop != end || error != std::errc()) {
    throw UsageError(fmt::format("{} {} is not a duration", option.substr(2), quoted(text)), option, hint);
  }
  const double seconds = value * unit;
  if (!(seconds > 0.0) || seconds > 1e9) {
    throw UsageError(fmt::format("{} {} is out of range", option.substr(2), text), option,
                     "give a positive duration of at most 1e9 seconds");
  }
  return seconds;
}

}  // namespace grucast::cli
