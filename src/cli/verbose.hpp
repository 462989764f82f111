// What --verbose reports besides timings: the resolved options, and how each series is used.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/split.hpp"

namespace grucast::cli {

/// Whether the command line as typed (`given`) names `option`: --name, --name=value or -n.
bool typed(const CLI::Option& option, const std::vector<std::string>& given);

/// Every option of a parsed `command` with its value and where it came from: "--hidden 32
/// (default)", "--epochs 50 (config file run.toml)", "--lookback 36 (command line)", or
/// "--season not given" for an option without a default. `given` is the command line as typed
/// (to tell it from the options `config` inserted); --help, --quiet and --verbose are left out.
std::string options_report(const CLI::App& command, const std::vector<std::string>& given, const std::string& config);

/// Each series' rows in the training, validation and test parts, with the first and last
/// timestamp of each part, one line per series.
std::string split_report(const Frame& frame, const SplitSpec& spec);

/// Each series' rows with its first and last timestamp, one line per series (what forecast reads).
std::string series_report(const Frame& frame);

}  // namespace grucast::cli
