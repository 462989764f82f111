// What the subcommands share: the data and split options, output, and the subcommand table.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/split.hpp"
#include "grucast/forecast/baselines.hpp"
#include "grucast/forecast/trained_model.hpp"
#include "util/output.hpp"

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
};

/// --baseline or --model, --horizon, --season, --out: what to forecast, how far, and where it goes.
struct MethodArgs {
  std::string baseline;
  std::string model;
  std::string horizon;
  std::string season;
  std::string out = "-";
  std::string explain;  ///< --explain FILE: the attention weights
  std::string intervals;  ///< --intervals LEVELS: prediction intervals, e.g. "0.8,0.95"
  std::string plot;       ///< --plot FILE: the SVG plot
};

/// MethodArgs checked: done before any data is read, so a usage error is never hidden.
struct Method {
  BaselineMethod baseline = BaselineMethod::naive;
  std::optional<TrainedModel> model;  ///< with --model
  std::optional<std::size_t> horizon;  ///< empty: the model's K
  std::optional<std::size_t> season;  ///< empty: the model's m, else the frequency's default
};

/// --val, --test, --test-from.
struct SplitArgs {
  double val = 0.1;
  double test = 0.2;
  std::string test_from;
  std::vector<const CLI::Option*> options;  ///< to tell whether any was given

  bool given() const;
};

void add_data_options(CLI::App& command, DataArgs& args);
void add_method_options(CLI::App& command, MethodArgs& args, const std::string& what_is_written);
void add_split_options(CLI::App& command, SplitArgs& args);
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

/// Adds --intervals LEVELS (split conformal prediction intervals) to forecast or evaluate.
void add_intervals_option(CLI::App& command, MethodArgs& args);
/// --explain FILE (forecast and evaluate), checked by parse_method.
void add_explain_option(CLI::App& command, MethodArgs& args, const std::string& what_is_written);

/// --plot FILE (forecast and evaluate).
void add_plot_option(CLI::App& command, MethodArgs& args, const std::string& what_is_drawn);
/// A UsageError when a plot file (given with `option`) is stdout or the same file as one of the
/// others a command reads or writes (option name and path; empty paths are not given).
void check_plot_path(const std::string& path, const std::string& option,
                     const std::vector<std::pair<std::string, std::string>>& others);

/// The data options checked (delimiter, missing-value policy), before anything is read.
DataOptions data_options(const DataArgs& args);
/// Checks --baseline/--model and --horizon, and loads the model.
Method parse_method(const MethodArgs& args, const std::string& target);
/// The data options of a model: its target, features, id and time columns, unless given (when
/// given, the target, features and id column must be the model's).
DataOptions model_data_options(const DataOptions& given, const TrainedModel& model, const std::string& path);
/// A ModelError when the data's frequency is not the one the model was trained on.
void check_model_frequency(const Frame& frame, const TrainedModel& model, const std::string& path);
/// Reads the data, and reports it on stderr unless --quiet.
Frame load_data(const DataOptions& options);
/// A UsageError for fractions out of range, before any data is read (--test-from is checked by split_spec).
void check_split_args(const SplitArgs& args);
/// The split the options describe; --test-from is read in the frame's time format.
SplitSpec split_spec(const SplitArgs& args, const Frame& frame);

/// Whether two paths ("-": stdout) name the same file: the same inode when both exist, else the
/// same path once resolved.
bool same_file(const std::string& a, const std::string& b);

/// A whole number in [low, high] from an option's text; a UsageError naming the option otherwise.
std::size_t parse_count(const std::string& text, const std::string& option, std::size_t low, std::size_t high);

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

 private:
  std::optional<AtomicFile> file_;
  std::string held_;  ///< stdout's content until commit()
};

/// The --plot file of forecast or evaluate, opened now (an unwritable path fails before any
/// work), or empty without --plot; check_plot_path's UsageError for stdout or another file of
/// the command (--out, --explain, --data, --model).
std::optional<Output> open_plot(const DataArgs& data, const MethodArgs& method);

/// A subcommand: how to set it up on the app, and how to run it once parsed.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_forecast_command(CLI::App& app);
Command add_evaluate_command(CLI::App& app);
Command add_train_command(CLI::App& app);
Command add_inspect_command(CLI::App& app);
Command add_export_command(CLI::App& app);
Command add_import_command(CLI::App& app);
Command add_bench_command(CLI::App& app);
Command add_backtest_command(CLI::App& app);
Command add_compare_command(CLI::App& app);

/// The command line with the options of its --config file (TOML, or INI for *.ini) inserted
/// after the command name, so that the command line overrides the file.
/// `config_path` gets the file's path when there is one.
std::vector<std::string> expand_config(const CLI::App& app, const std::vector<std::string>& args,
                                       std::string& config_path);

/// The options a config file's `text` gives `command`, as command-line arguments (--name value,
/// --flag=true); top-level keys and those under [command]. `path` names the file in messages,
/// and a name ending in .ini selects INI, else TOML. A UsageError for a line that is not
/// key = value, a [section] or a comment, or a key that is not an option of `command`.
std::vector<std::string> config_arguments(const CLI::App& command, const std::string& text, const std::string& path);

/// Adds --config FILE to a command (read by expand_config before parsing), in this option group.
inline constexpr const char* kConfigFileGroup = "Config file";
void add_config_option(CLI::App& command);

/// Parses and runs a command line; returns the exit status (0, 1 data/model error, 2 usage error,
/// 128 + the signal when a signal stopped training).
int run(int argc, const char* const* argv);

/// Handles SIGINT, SIGTERM, SIGHUP (inside a GracefulStop the first of them sets its flag) and
/// SIGPIPE, SIGQUIT, SIGXFSZ, SIGALRM, SIGUSR1, SIGUSR2, SIGABRT: the temporary output files are
/// removed and the process ends by the signal. Signals the parent ignores stay ignored. Called
/// from the main thread, the one that creates output files: a signal sent to the process that
/// another thread receives is passed on to it.
void install_signal_handlers();

/// "SIGINT", "SIGTERM", "SIGHUP".
std::string signal_name(int signal_number);

/// While it lives, the first SIGINT, SIGTERM or SIGHUP asks the work to stop (flag()) instead of
/// ending the process; a second ends it.
class GracefulStop {
 public:
  GracefulStop();
  ~GracefulStop();
  GracefulStop(const GracefulStop&) = delete;
  GracefulStop& operator=(const GracefulStop&) = delete;
  const std::atomic<bool>* flag() const;
  int signal() const;  ///< the signal that asked, or 0
};

}  // namespace grucast::cli
