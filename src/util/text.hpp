// Small string helpers shared by the readers and writers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace grucast {

/// `text` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);
/// ASCII lower case.
std::string to_lower(std::string_view text);
/// The items joined with `separator`.
std::string join(const std::vector<std::string>& items, std::string_view separator);

/// At most `max` bytes of `text`, not cut inside a character, with "..." after a cut: what a
/// message shows of a name or value read from a file (quoted() quotes it).
std::string shortened(std::string_view text, std::size_t max = 40);

/// `text` as one word of a command line in a message ("pass --id store"): as it is when it is
/// plain (letters, digits and _-.+:@%/), else quoted().
std::string shell_word(const std::string& text);

/// The first `max` items, each shortened and with its control bytes escaped, joined with ", ",
/// then "... and N more": a list read from a file, bounded for a message.
std::string listed(const std::vector<std::string>& items, std::size_t max = 10);

/// The item nearest `text`: the first equal to it but for case, else the first within the
/// fewest single-byte edits, at most a quarter of its size (comparing the first 64 bytes); none
/// when no item is that near.
std::optional<std::string> nearest(const std::vector<std::string>& items, std::string_view text);

/// The length of the well-formed UTF-8 sequence that starts at text[i] (1 to 4), or 0 when the
/// byte there does not start one (overlongs, surrogates and code points past U+10FFFF are not
/// well-formed).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

/// A decimal number: optional sign, digits, optional fraction and exponent; also "inf" and
/// "infinity" (any case), which the caller rejects. `decimal_comma` accepts "3,14".
/// Surrounding spaces are ignored. Empty when the text is not a number.
std::optional<double> parse_number(std::string_view text, bool decimal_comma = false);

/// True for the markers of a missing value: empty, NA, N/A, #N/A, NaN, null, None (any case).
bool is_missing_marker(std::string_view text);

}  // namespace grucast
