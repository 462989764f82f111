// The data and split options of the commands that read data (--data ... --sort, --val, --test,
// --test-from), and reading the data.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/split.hpp"

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
  std::string config;  ///< --config FILE, read before parsing (config.hpp)
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
void add_split_options(CLI::App& command, SplitArgs& args);

/// The data options checked (delimiter, missing-value policy), before anything is read.
DataOptions data_options(const DataArgs& args);
/// Reads the data, and reports it on stderr unless --quiet.
Frame load_data(const DataOptions& options);
/// A UsageError for sizes out of range, before any data is read (--test-from is checked by split_spec).
void check_split_args(const SplitArgs& args);
/// The split the options describe: a value below 1 is a fraction of each series, a whole number
/// a count of rows; --test-from is read in the frame's time format. In a file of several series,
/// a part not given is `horizon` rows (the last horizon of each series, as the M competitions
/// hold out; horizon 0: no such default), else the default fraction.
SplitSpec split_spec(const SplitArgs& args, const Frame& frame, std::size_t horizon);

}  // namespace grucast::cli
