// The grucast command line: parse, dispatch, and turn errors into messages and exit codes.
#include <algorithm>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "cli/console.hpp"
#include "cli/signals.hpp"
#include "cli/verbose.hpp"
#include "util/blas_memory.hpp"
#include "util/text.hpp"

namespace grucast::cli {

namespace {

constexpr const char* kExamples =
    "Examples:\n"
    "  grucast evaluate --baseline snaive --data datasets/co2-concentration.csv --target CO2 --horizon 12\n"
    "  grucast forecast --baseline naive --data datasets/sp500-2000.csv --target close --horizon 5 --out f.csv\n"
    "  cat data.csv | grucast forecast --baseline mean --data - --target value --horizon 3\n"
    "Run 'grucast COMMAND --help' for the options of a command.";

// --quiet and --verbose, on every command.
struct Reporting {
  bool quiet = false;
  bool verbose = false;
};

void add_reporting_options(CLI::App& command, Reporting& reporting) {
  command.add_flag("-q,--quiet", reporting.quiet,
                   "nothing on stderr but errors and warnings (no data summary, progress or notes)");
  command.add_flag("-v,--verbose", reporting.verbose,
                   "also report on stderr the options with their values, how each series is split, and timings");
}

// `where` is the config file when the message names an option that only the file gave.
int usage_error(const CLI::App& app, const std::string& what, const std::vector<std::string>& given = {},
                const std::string& config = "") {
  const auto selected = app.get_subcommands();
  const std::string command = selected.empty() ? "grucast" : "grucast " + selected.front()->get_name();
  std::string where = "command line";
  if (!config.empty() && !selected.empty()) {
    for (const CLI::Option* option : selected.front()->get_options()) {
      for (const std::string& long_name : option->get_lnames()) {
        const std::string name = "--" + long_name;
        const bool named = what.find(name + " ") != std::string::npos || what.find(name + ":") != std::string::npos;
        if (named && !typed(*option, given)) where = "config file " + config;
      }
    }
  }
  // CLI11's messages quote the value given, which a config file can make 100 kB long.
  print_error(fmt::format("{}, {}, see '{} --help'", shortened(what, 200), where, command));
  return 2;
}

}  // namespace

int run(int argc, const char* const* argv) {
  install_signal_handlers();
  set_verbosity(Verbosity::normal);
  CLI::App app("grucast: time-series forecasting from the shell", "grucast");
  app.set_version_flag("--version", "grucast " GRUCAST_VERSION);
  app.footer(kExamples);
  app.require_subcommand(1);
  const std::vector<Command> commands = {add_train_command(app), add_forecast_command(app), add_evaluate_command(app),
                                         add_backtest_command(app), add_compare_command(app),
                                         add_inspect_command(app), add_export_command(app),
                                         add_import_command(app), add_bench_command(app)};
  Reporting reporting;
  for (const Command& command : commands) add_reporting_options(*command.app, reporting);
  if (argc > 1 && argv[1][0] != '-' &&
      std::none_of(commands.begin(), commands.end(), [&](const Command& c) { return c.app->check_name(argv[1]); })) {
    return usage_error(app, fmt::format("unknown command {}", quoted(argv[1])));
  }
  const std::vector<std::string> given(argv, argv + argc);
  std::vector<std::string> args;
  std::string config;
  try {
    args = expand_config(app, given, config);
  } catch (const Error& e) {
    print_error(e.what());
    return e.exit_code();
  }
  try {
    app.parse(std::vector<std::string>(args.rbegin(), args.rend() - 1));  // CLI11 wants them reversed, no argv[0]
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(app, e.what(), given, config);
  }
  if (reporting.quiet && reporting.verbose) {
    return usage_error(app, "--quiet and --verbose cannot be used together", given, config);
  }
  set_verbosity(reporting.quiet ? Verbosity::quiet : reporting.verbose ? Verbosity::verbose : Verbosity::normal);
  try {
    for (const Command& command : commands) {
      if (!command.app->parsed()) continue;
      print_verbose(options_report(*command.app, given, config));
      return command.run();
    }
  } catch (const Error& e) {
    print_error(e.what());
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    const std::string limit = memory_limit_text();
    const std::string network = "a smaller network (--hidden, --layers, --batch-size, --lookback)";
    print_error(limit.empty() ? "out of memory, while running the command, use less data, or " + network
                              : fmt::format("out of memory ({}), while running the command, raise the limit, or use "
                                            "fewer --threads, less data or {}",
                                            limit, network));
    return 1;
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error ({}), while running the command, please report it with the command line",
                            e.what()));
    return 1;
  }
  return 2;
}

}  // namespace grucast::cli
