// What the subcommands share: the data and split options, output, and the subcommand table.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "grucast/frame.hpp"
#include "grucast/output.hpp"
#include "grucast/split.hpp"

namespace grucast::cli {

/// --data, --target, --features, --time, --time-format, --id, --delimiter, --missing, --sort.
struct DataArgs {
  std::string path;
  std::string target;
  std::vector<std::string> features;
  std::string time_column;
  std::string time_format;
  std::string id_column;
  std::string delimiter;
  std::string missing = "error";
  bool sort = false;
  bool quiet = false;
};

/// --val, --test, --test-from.
struct SplitArgs {
  double val = 0.1;
  double test = 0.2;
  std::string test_from;
};

void add_data_options(CLI::App& command, DataArgs& args);
void add_split_options(CLI::App& command, SplitArgs& args);

/// Reads the data the options name, and reports it on stderr unless --quiet.
Frame load_data(const DataArgs& args);
/// The split the options describe; --test-from is read in the frame's time format.
SplitSpec split_spec(const SplitArgs& args, const Frame& frame);

/// A whole number in [low, high] from an option's text; a UsageError naming the option otherwise.
std::size_t parse_count(const std::string& text, const std::string& option, std::size_t low, std::size_t high);
/// --season when given (checked before any data is read); empty means the frequency's default.
std::optional<std::size_t> parse_season(const std::string& season);

/// Where a command's result goes: a file, which appears whole or not at all, or stdout ("-").
/// A file target is opened on construction, so an unwritable path fails before any work.
class Output {
 public:
  explicit Output(const std::string& path);
  void write(const std::string& text);
  /// Completes a file target (renames it into place); stdout needs nothing.
  void commit();

 private:
  std::optional<AtomicFile> file_;
};

/// A subcommand: how to set it up on the app, and how to run it once parsed.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_forecast_command(CLI::App& app);
Command add_evaluate_command(CLI::App& app);

/// Parses and runs a command line; returns the exit status (0, 1 data/model error, 2 usage error).
int run(int argc, const char* const* argv);

}  // namespace grucast::cli
