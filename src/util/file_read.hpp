// Reading a whole regular file into memory, with messages that name what the file should be
// (internal to the library).
#pragma once

#include <cstdint>
#include <string>

namespace grucast {

/// What a file is meant to be, for messages: "model file", and how to fix a missing path.
struct FileRole {
  const char* name;          ///< "model file"
  const char* short_name;    ///< "model": "the model path is a directory"
  const char* missing_hint;  ///< when the path does not exist
  const char* regular_hint;  ///< when it is a directory or not a regular file
};

/// The file's bytes. IoError when it cannot be opened or read or is not a regular file;
/// ModelError when it is larger than `max_bytes` (nothing that large is allocated).
std::string read_regular_file(const std::string& path, std::uint64_t max_bytes, const FileRole& role);

}  // namespace grucast
