// What the machine has: its memory.
#pragma once

#include <cstdint>
#include <string>

namespace grucast {

/// The machine's physical memory in bytes; 0 when it cannot be told.
std::uint64_t physical_memory();

/// Bytes for people: "512 B", "1.5 KiB", "160.2 MiB", "206.3 GiB".
std::string bytes_text(double bytes);

}  // namespace grucast
