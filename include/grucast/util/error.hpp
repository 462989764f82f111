// Every error the library throws. Messages read "<what>, <where>, <how to fix>".
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace grucast {

/// Base of all grucast errors; the three parts are joined with ", " (empty parts are left out).
class Error : public std::runtime_error {
 public:
  Error(const std::string& what, const std::string& where, const std::string& hint);
  /// Process exit code the CLI uses: 1 for data, model and file errors, 2 for usage errors,
  /// 128 + the signal for Interrupted.
  virtual int exit_code() const { return 1; }
};

/// The input data is wrong: unparsable values, bad order, too short, ...
class DataError : public Error {
  using Error::Error;
};

/// A file cannot be opened, read or written.
class IoError : public Error {
  using Error::Error;
};

/// A model file is not one, is damaged, or does not fit the data.
class ModelError : public Error {
  using Error::Error;
};

/// The machine cannot give the work what it needs: memory, threads.
class ResourceError : public Error {
  using Error::Error;
};

/// The options contradict each other or are out of range (exit code 2).
class UsageError : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return 2; }
};

/// Work stopped on request (SIGINT, SIGTERM) before it had a result to keep; the exit code is
/// 128 + the signal's number, as a shell reports a process the signal ended.
class Interrupted : public Error {
 public:
  Interrupted(const std::string& what, const std::string& where, const std::string& hint, int exit_code = 130)
      : Error(what, where, hint), exit_code_(exit_code) {}
  int exit_code() const override { return exit_code_; }

 private:
  int exit_code_;
};

/// "file:line:column", "file:line" (column 0) or "file" (line 0).
std::string location(const std::string& file, std::size_t line, std::size_t column = 0);

/// A value quoted for a message: control bytes escaped, long text shortened.
std::string quoted(const std::string& text);

/// `text` with control bytes written as \x0a, so a message stays on one line, and bytes that are
/// not UTF-8 (Latin-1 text) as \xe9, so it stays UTF-8.
std::string escape_controls(const std::string& text);

}  // namespace grucast
