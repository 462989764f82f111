#include "util/text.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "grucast/util/error.hpp"

namespace grucast {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string shortened(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t shown = max;
  // Not into the middle of a character (at most 3 continuation bytes): back to its first byte.
  for (int back = 0; back < 3 && (static_cast<unsigned char>(text[shown]) & 0xc0) == 0x80; ++back) --shown;
  return std::string(text.substr(0, shown)) + "...";
}

std::string shell_word(const std::string& text) {
  const bool plain = !text.empty() && text.size() <= 40 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_-.+:@%/").find(c) != std::string_view::npos;
  });
  return plain ? text : quoted(text);
}

std::string listed(const std::vector<std::string>& items, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < std::min(max, items.size()); ++i) {
    if (i > 0) out += ", ";
    out += escape_controls(shortened(items[i]));
  }
  if (items.size() > max) out += fmt::format(", ... and {} more", items.size() - max);
  return out;
}

namespace {

// Levenshtein distance of a and b, or limit + 1 once it is sure to exceed `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0], best = row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> nearest(const std::vector<std::string>& items, std::string_view text) {
  const std::string lower = to_lower(text);
  for (const std::string& item : items) {
    if (to_lower(item) == lower) return item;
  }
  constexpr std::size_t kCompared = 64;  // bytes: a hostile header's long names cost no more
  const std::string_view key = text.substr(0, kCompared);
  const std::size_t limit = key.size() / 4;  // "valu" is near "value"; "x" is near nothing
  std::optional<std::string> found;
  if (limit == 0) return found;
  std::size_t found_distance = limit + 1;
  for (const std::string& item : items) {
    if (item.empty()) continue;
    const std::size_t d = edit_distance(key, std::string_view(item).substr(0, kCompared), found_distance - 1);
    if (d < found_distance) {
      found = item;
      found_distance = d;
    }
  }
  return found;
}

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  std::uint32_t code = n == 1 ? c : c & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(text[i + k]);
    if ((d & 0xc0) != 0x80) return 0;
    code = (code << 6) | (d & 0x3f);
  }
  constexpr std::uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
  return code < kLeast[n] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? 0 : n;
}

std::optional<double> parse_number(std::string_view text, bool decimal_comma) {
  text = trim(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.front() == '+' || text.front() == '-') return std::nullopt;
  if (text.front() == 'i' || text.front() == 'I') {
    const std::string lower = to_lower(text);
    if (lower != "inf" && lower != "infinity") return std::nullopt;
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  std::string buffer;
  if (decimal_comma && text.find(',') != std::string_view::npos) {
    if (text.find('.') != std::string_view::npos || std::count(text.begin(), text.end(), ',') != 1) {
      return std::nullopt;
    }
    buffer = std::string(text);
    std::replace(buffer.begin(), buffer.end(), ',', '.');
    text = buffer;
  }
  // from_chars also reads "nan" and hex floats; neither is a decimal number here.
  // (A loop, not find_first_not_of, which calls memchr per character: this runs per cell.)
  const auto decimal_char = [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'; };
  if (!std::all_of(text.begin(), text.end(), decimal_char)) return std::nullopt;
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size()) return std::nullopt;
  if (error == std::errc::result_out_of_range) {
    // strtod tells overflow (infinity, rejected by the caller) from underflow (zero).
    value = std::strtod(std::string(text).c_str(), nullptr);
  } else if (error != std::errc()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

bool is_missing_marker(std::string_view text) {
  const std::string lower = to_lower(trim(text));
  return lower.empty() || lower == "na" || lower == "n/a" || lower == "#n/a" || lower == "nan" || lower == "null" ||
         lower == "none";
}

}  // namespace grucast
