// What a command prints on stderr: errors, warnings, notes and --verbose reports, each line
// "grucast: ...", with the error and warning prefixes in colour on a terminal.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace grucast::cli {

/// How much a command reports on stderr: errors and warnings only (--quiet), notes too (the data
/// read, progress), or also the resolved options, the split and timings (--verbose).
enum class Verbosity { quiet, normal, verbose };

/// Set once the command line is parsed (run() resets it to normal first).
void set_verbosity(Verbosity verbosity);
bool quiet();
bool verbose();

/// Whether stderr takes ANSI colours: it is a terminal, NO_COLOR is absent or empty
/// (no-color.org), and TERM is set and not "dumb".
bool stderr_colour();
/// Whether stderr is a terminal that can redraw a line in place (TERM set and not "dumb").
bool stderr_terminal();

/// Writes `text` to stderr as it is; a failed write (a full or closed stderr) is ignored.
void write_diagnostic(std::string_view text);

/// "grucast: error: <message>" on one line (control bytes escaped), whatever the verbosity.
void print_error(const std::string& message);
/// "grucast: warning: <message>" on one line, whatever the verbosity.
void print_warning(const std::string& message);
/// "grucast: <message>", unless --quiet.
void print_note(const std::string& message);
/// "grucast: <message>", with --verbose only; a message of several lines gets the prefix on each.
void print_verbose(const std::string& message);

/// The wall-clock time of a command's phases, each reported with --verbose as it ends
/// ("grucast: time: read data 0.012 s").
class Timings {
 public:
  Timings();
  /// Reports the time since the previous phase ended (or since construction) as `phase`.
  void lap(const std::string& phase);
  /// Reports the time since construction as "total".
  void total() const;

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_, last_;
};

}  // namespace grucast::cli
