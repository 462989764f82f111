// A fast 64-bit hash of bytes (not cryptographic): checksums and fingerprints.
#pragma once

#include <cstdint>
#include <string_view>

namespace grucast {

/// FNV-1a 64 of `bytes` (offset basis 0xcbf29ce484222325, prime 0x100000001b3): the model file's and
/// the checkpoint's checksum, and the fingerprints of data and test origins.
/// Given the hash of what came before as `hash`, it continues it: the hash of a concatenation.
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash = 0xcbf29ce484222325ULL);

}  // namespace grucast
