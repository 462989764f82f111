// What every fuzz target shares: the input split into option bytes and the rest, and the rule
// that only the library's documented errors may come out of the code under test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "util/byte_order.hpp"
#include "util/hash.hpp"

namespace grucast::fuzz {

/// The fuzzer's bytes, read from the front: option bytes first, then the text under test.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}
  /// The next byte (0 once the input is used up).
  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  /// Everything not read yet.
  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

/// `bytes` with its last 8 bytes replaced by the FNV-1a 64 of the rest, as model files and
/// checkpoints end, so that mutations get past the checksum to the fields it covers.
inline std::string with_checksum(std::string bytes) {
  if (bytes.size() < 8) return bytes;
  bytes.resize(bytes.size() - 8);
  put_le(bytes, fnv1a64(bytes), 8);
  return bytes;
}

/// Runs `body`; a grucast::Error (the library's documented failure) is an accepted outcome.
/// Any other exception escapes, std::terminate aborts, and libFuzzer reports a crash.
template <class Body>
void expect_only_grucast_errors(Body&& body) {
  try {
    body();
  } catch (const grucast::Error&) {
  }
}

/// Runs `body`, which must not fail at all: what the library accepted it must also be able to
/// write back (e.g. a model that loaded must save). An error here is a finding.
template <class Body>
void must_succeed(const char* what, Body&& body) {
  try {
    body();
  } catch (const grucast::Error& e) {
    std::fprintf(stderr, "finding: %s failed: %s\n", what, e.what());
    std::abort();
  }
}

}  // namespace grucast::fuzz
