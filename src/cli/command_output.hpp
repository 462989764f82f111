// What a command writes: its --format (a table, CSV or JSON), JSON text, and the files it writes,
// whole or not at all.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "util/output.hpp"

namespace grucast::cli {

/// What a data-producing command writes: a table for people, CSV or JSON for pipelines.
enum class Format { table, csv, json };
/// Adds --format with these choices (the first is the default) to a command.
CLI::Option* add_format_option(CLI::App& command, std::string& format, const std::vector<Format>& choices);
/// --format's value, one of `choices`; a UsageError naming them otherwise.
Format parse_format(const std::string& text, const std::vector<Format>& choices);
/// The format of a command that also has --json (an alias of --format json): json with --json,
/// else --format's; a UsageError when --json and a --format other than json are both given.
Format parse_format(const std::string& text, const std::vector<Format>& choices, bool json,
                    const CLI::Option* format_option);

/// JSON text (compact, or indented), invalid UTF-8 (a Latin-1 series id) written as U+FFFD
/// rather than failing.
std::string json_text(const nlohmann::ordered_json& value, int indent = -1);

/// Where a command's result goes: a file, which appears whole or not at all, or stdout ("-").
/// A file target is opened on construction, so an unwritable path fails before any work.
/// Stdout is all-or-nothing too: what is written is held until commit(), so a command that
/// fails half-way prints nothing on stdout.
class Output {
 public:
  explicit Output(const std::string& path);
  void write(const std::string& text);
  /// Completes a file target (renames it into place), or prints what stdout holds.
  void commit();
  /// A file target synced (AtomicFile::sync); nothing for stdout.
  void sync();
  bool is_stdout() const { return !file_; }

 private:
  std::optional<AtomicFile> file_;
  std::string held_;  ///< stdout's content until commit()
};

/// Commits a command's outputs (null: not given) so that a failure leaves none of them: first
/// every file is synced, then stdout is printed (it cannot be taken back), then the files are
/// renamed in the order given (the main output last).
void commit_outputs(const std::vector<Output*>& outputs);

}  // namespace grucast::cli
