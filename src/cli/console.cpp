#include "cli/console.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "grucast/util/error.hpp"

namespace grucast::cli {

namespace {

Verbosity g_verbosity = Verbosity::normal;

constexpr const char* kBoldRed = "\033[1;31m";
constexpr const char* kBoldYellow = "\033[1;33m";
constexpr const char* kReset = "\033[0m";

bool capable_terminal() {
  if (::isatty(STDERR_FILENO) != 1) return false;
  const char* term = std::getenv("TERM");
  return term != nullptr && *term != '\0' && std::strcmp(term, "dumb") != 0;
}

// "error:" in `colour` when stderr takes colours; the message itself is never coloured.
void print_labelled(const char* label, const char* colour, const std::string& message) {
  const std::string text = escape_controls(message);
  if (stderr_colour()) {
    write_diagnostic(fmt::format("grucast: {}{}:{} {}\n", colour, label, kReset, text));
  } else {
    write_diagnostic(fmt::format("grucast: {}: {}\n", label, text));
  }
}

}  // namespace

// fmt's print throws when the write fails (2>/dev/full), and a throw from a diagnostic ended the
// run with SIGABRT; a diagnostic that cannot be written is lost instead.
void write_diagnostic(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stderr); }

void set_verbosity(Verbosity verbosity) { g_verbosity = verbosity; }
bool quiet() { return g_verbosity == Verbosity::quiet; }
bool verbose() { return g_verbosity == Verbosity::verbose; }

bool stderr_terminal() { return capable_terminal(); }

bool stderr_colour() {
  const char* no_color = std::getenv("NO_COLOR");
  return (no_color == nullptr || *no_color == '\0') && capable_terminal();
}

void print_error(const std::string& message) { print_labelled("error", kBoldRed, message); }

void print_warning(const std::string& message) { print_labelled("warning", kBoldYellow, message); }

void print_note(const std::string& message) {
  if (!quiet()) write_diagnostic(fmt::format("grucast: {}\n", message));
}

void print_verbose(const std::string& message) {
  if (!verbose()) return;
  std::string text;  // one write, not one per line: a report of 10,000 series is 10,000 lines
  for (std::size_t start = 0; start < message.size();) {
    const std::size_t end = std::min(message.find('\n', start), message.size());
    text += fmt::format("grucast: {}\n", std::string_view(message).substr(start, end - start));
    start = end + 1;
  }
  write_diagnostic(text);
}

Timings::Timings() : start_(Clock::now()), last_(start_) {}

void Timings::lap(const std::string& phase) {
  const Clock::time_point now = Clock::now();
  print_verbose(fmt::format("time: {} {:.3f} s", phase, std::chrono::duration<double>(now - last_).count()));
  last_ = now;
}

void Timings::total() const {
  print_verbose(fmt::format("time: total {:.3f} s", std::chrono::duration<double>(Clock::now() - start_).count()));
}

}  // namespace grucast::cli
