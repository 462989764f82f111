// grucast compare: train every cell × attention variant with the same data, budget and seeds,
// and report them beside the baselines in one table.
#include <memory>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "cli/command_output.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/data_args.hpp"
#include "cli/option_values.hpp"
#include "cli/signals.hpp"
#include "cli/train_options.hpp"
#include "cli/verbose.hpp"
#include "nn/cells.hpp"
#include "report/compare_report.hpp"
#include "workflow/compare.hpp"

namespace grucast::cli {

namespace {

struct CompareArgs {
  DataArgs data;
  SplitArgs split;
  ModelArgs model;
  std::string cells = "gru,lstm";
  std::string seeds = "3";
  bool json = false;  ///< --json, the same as --format json
  std::string format;
  const CLI::Option* format_option = nullptr;  ///< to tell a given --format from the default
  const CLI::Option* cell_option = nullptr;    ///< train's --cell, refused here
};

const std::vector<Format> kFormats = {Format::table, Format::json, Format::csv};

// The base configuration (the variants replace its cell and attention), checked before any data is read.
ModelConfig base_config(const CompareArgs& args) {
  if (args.cell_option->count() > 0) {
    throw UsageError("compare trains each cell of --cells, and --cell names only one", "--cell",
                     "use --cells, e.g. --cells " + args.model.cell);
  }
  ModelArgs single = args.model;
  single.attention = "none";  // a list here: parse_variants reads it
  return model_config(single, args.data.features.size());
}

// Trains the variants with progress on stderr; a stop request is an Interrupted error.
CompareReport run_comparison(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                             const std::vector<Variant>& variants, const std::vector<std::uint64_t>& seeds) {
  ProgressPrinter printer(quiet());
  const GracefulStop graceful;
  CompareControl control;
  control.progress = [&printer](const EpochReport& r) { printer(r); };
  control.stop = graceful.flag();
  std::string current;
  control.run_start = [&](const Variant& variant, std::uint64_t seed, std::size_t run, std::size_t runs) {
    current = fmt::format("{} seed {} (run {} of {})", variant.name(), seed, run, runs);
    printer.finish();
    if (!quiet()) print_note(fmt::format("compare: {} seed {} ({}/{})", variant.name(), seed, run, runs));
  };
  try {
    CompareReport report = compare_models(frame, config, data, variants, seeds, control);
    printer.finish();
    return report;
  } catch (const Interrupted&) {
    printer.finish();
    throw Interrupted(fmt::format("stopped by {} while training {}", signal_name(graceful.signal()), current),
                      "stdout (not written)", "let it finish, or use fewer --seeds, --cells or --epochs",
                      128 + graceful.signal());
  }
}

// A run whose training diverged is scored with the weights of its best finished epoch: say so.
void report_diverged(const CompareReport& report) {
  for (const VariantResult& v : report.variants) {
    for (const CompareRun& run : v.runs) {
      if (run.summary.stop != StopReason::diverged) continue;
      print_warning(fmt::format("{} seed {} diverged in epoch {} ({}); its scores are those of epoch {}, lower --lr or "
                                "keep --clip on", v.variant.name(), run.seed, run.summary.stop_epoch,
                                run.summary.fault, run.summary.best_epoch));
    }
  }
}

int run_compare(const CompareArgs& args) {
  const DataOptions data_opts = data_options(args.data);
  ModelConfig config = base_config(args);
  const std::vector<Variant> variants = parse_variants(args.cells, args.model.attention);
  const std::vector<std::uint64_t> seeds =
      compare_seeds(config.train.seed, parse_count(args.seeds, "--seeds", 1, 100));
  check_split_args(args.split);
  const Format format = parse_format(args.format, kFormats, args.json, args.format_option);
  Output output("-");
  Timings timings;
  const Frame frame = load_data(data_opts);
  timings.lap("read data");
  complete_config(config, args.model, args.split, frame);
  if (verbose()) print_verbose(split_report(frame, config.split));
  const CompareReport report = run_comparison(frame, config, data_config(args.data, frame), variants, seeds);
  timings.lap("train and score");
  report_diverged(report);
  const CompareContext context{frame.columns.front(), config.split.describe(frame.time_format)};
  output.write(format == Format::json  ? json_text(compare_json(frame, report, context), 2) + "\n"
               : format == Format::csv ? compare_csv(report)
                                       : compare_table(frame, report, context));
  output.commit();
  timings.total();
  return 0;
}

void add_compare_options(CLI::App& command, CompareArgs& args) {
  CLI::Option* cell = command.get_option("--cell");
  cell->group("");  // refused: --cells replaces it
  args.cell_option = cell;
  command.get_option("--attention")
      ->description("attention of each variant, comma-separated: none, additive, dot")
      ->type_name("LIST");
  command.add_option("--cells", args.cells, "the cells to compare, comma-separated: " + names_text(kCellNames, ", "))
      ->capture_default_str()->type_name("LIST")->group("Compare");
  command.add_option("--seeds", args.seeds, "seeds per variant: --seed, --seed+1, ... (1 to 100)")
      ->capture_default_str()->type_name("N")->group("Compare");
  command.add_flag("--json", args.json, "the report as JSON (--format json)");
  args.format_option = add_format_option(command, args.format, kFormats);
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* command = app.add_subcommand(
      "compare", "Train GRU and LSTM variants with the same data, budget and seeds; compare them beside the baselines");
  add_data_options(*command, args->data);
  add_split_options(*command, args->split);
  add_model_options(*command, args->model);
  add_training_options(*command, args->model);
  add_compare_options(*command, *args);
  command->footer(
      "Each variant (every cell with every attention) trains once per seed; the test metrics are the mean and\n"
      "the sample standard deviation over the seeds, on the test origins of naive and snaive. --format csv:\n"
      "one row per variant and seed, then naive and snaive.\n"
      "Example:\n"
      "  grucast compare --data datasets/seattle-weather.csv --target temp_max --lookback 28 --horizon 7 "
      "--epochs 20 --attention none,additive");
  return {command, [args] { return run_compare(*args); }};
}

}  // namespace grucast::cli
