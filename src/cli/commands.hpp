// The subcommand table, and the command line that runs one of them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace grucast::cli {

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

/// Parses and runs a command line; returns the exit status (0, 1 data/model error, 2 usage error,
/// 128 + the signal when a signal stopped training).
int run(int argc, const char* const* argv);

}  // namespace grucast::cli
