// The timestamp parser: parse_time with the layouts it detects (ISO 8601 dates, times and weeks,
// quarters, epoch seconds), or with a --time-format pattern; then format_time, which writes future
// timestamps in the same layout. Input: [mode] then the timestamp (mode bit 0 clear), or the
// pattern, LF, the timestamp (bit 0 set).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "grucast/data/time/time_index.hpp"
#include "fuzz_support.hpp"

namespace {

// A detected layout must read back what format_time writes: forecasts are written that way
// and read again by the next run.
void check_round_trip(grucast::TimePoint t, const grucast::TimeFormat& format) {
  const std::string written = grucast::format_time(t, format);
  grucast::TimeFormat again;
  std::string problem;
  const auto back = grucast::parse_time(written, "", again, problem);
  if (!back || *back != t || !again.same_layout(format)) {
    std::fprintf(stderr, "round trip failed: %lld written as '%s' reads back as %s\n", static_cast<long long>(t),
                 written.c_str(), back ? std::to_string(*back).c_str() : problem.c_str());
    std::abort();
  }
}

void parse_and_write(grucast::fuzz::Input input) {
  const bool with_pattern = (input.byte() & 1u) != 0;
  std::string_view text = input.rest();
  std::string pattern;
  if (with_pattern) {
    const std::size_t newline = text.find('\n');
    if (newline == std::string_view::npos || newline == 0) return;  // a pattern is never empty
    pattern = std::string(text.substr(0, newline));
    text.remove_prefix(newline + 1);
  }
  grucast::TimeFormat format;
  std::string problem;
  const auto t = grucast::parse_time(text, pattern, format, problem);
  if (!t) {
    if (problem.empty()) std::abort();  // a failure always says why
    return;
  }
  if (pattern.empty()) {
    check_round_trip(*t, format);
  } else {
    (void)grucast::format_time(*t, format);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  grucast::fuzz::expect_only_grucast_errors([&] { parse_and_write(grucast::fuzz::Input(data, size)); });
  return 0;
}
