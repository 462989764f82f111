// grucast backtest: rolling-origin cross-validation, fold by fold, beside the baselines.
#include <memory>

#include <fmt/format.h>

#include "grucast/forecast/intervals.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/backtest.hpp"
#include "cli/command_output.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/data_args.hpp"
#include "cli/file_paths.hpp"
#include "cli/option_values.hpp"
#include "cli/signals.hpp"
#include "cli/train_options.hpp"
#include "cli/verbose.hpp"
#include "report/backtest_report.hpp"
#include "util/text.hpp"

namespace grucast::cli {

namespace {

struct BacktestArgs {
  DataArgs data;
  SplitArgs split;
  ModelArgs model;
  std::string folds = "5";
  std::string stride;
  std::string refit = "every";
  bool warm_start = false;
  std::string ensemble = "auto";
  std::string intervals;
  std::string forecasts;  ///< --forecasts FILE: every fold's forecasts as CSV
  std::string out = "-";
  std::string format;
};

const std::vector<Format> kFormats = {Format::table, Format::json, Format::csv};

BacktestSpec backtest_spec(const BacktestArgs& args, const ModelConfig& config) {
  BacktestSpec spec;
  spec.folds = parse_count(args.folds, "--folds", 1, 10'000);
  if (!args.stride.empty()) spec.stride = parse_count(args.stride, "--stride", 1, 1'000'000'000);
  spec.refit = parse_refit(args.refit);
  spec.warm_start = args.warm_start;
  if (spec.warm_start && spec.refit == Refit::once) {
    throw UsageError("--warm-start starts each fold's training from the last fold's model, but --refit once trains "
                     "only one", "--warm-start", "use --refit every, or leave --warm-start out");
  }
  spec.ensemble = ensemble_size(args.ensemble, config, backtest_ensemble_obstacle(config, spec));
  if (!args.intervals.empty()) spec.levels = parse_levels(args.intervals);
  if (!spec.levels.empty() && args.split.val == 0.0) {
    throw UsageError("--intervals calibrates each fold's model on its validation part, but --val is 0", "--intervals",
                     "give --val above 0, e.g. 0.1");
  }
  return spec;
}

// "5 folds over the test part (70% train, 10% validation, 20% test)", or "5 folds of 30 origins
// at the end of each series (10% validation)", then ", each the median of 5 networks".
std::string folds_text(const BacktestSpec& spec, const SplitSpec& split, const Frame& frame) {
  const std::string folds = fmt::format("{} fold{}", spec.folds, spec.folds == 1 ? "" : "s");
  const std::string networks = spec.ensemble > 1 ? fmt::format(", each the median of {} networks", spec.ensemble) : "";
  if (spec.stride == 0) {
    return fmt::format("{} over the test part ({}){}", folds, split.describe(frame.time_format), networks);
  }
  const std::string validation =
      split.val_rows > 0 ? fmt::format("{} rows", split.val_rows) : fmt::format("{:g}%", 100.0 * split.val);
  return fmt::format("{} of {} origins at the end of each series ({} validation){}", folds, spec.stride, validation,
                     networks);
}

// Where each fold's forecasts go, as CSV rows.
BacktestSink forecasts_sink(const Frame& frame, const BacktestSpec& spec, Output& file) {
  file.write(backtest_forecasts_header(frame, spec.levels));
  return [&frame, &spec, &file](std::size_t fold, const Calibration* calibration, const Series& series,
                                std::span<const std::size_t> origins, const arma::mat& forecasts) {
    file.write(backtest_forecast_rows(frame, fold, series, origins, forecasts, calibration, spec.levels));
  };
}

void check_output_paths(const BacktestArgs& args) {
  check_file_uses({{"--data", args.data.path, false},
                   {"--config", args.data.config, false},
                   {"--out", args.out, true},
                   {"--forecasts", args.forecasts, true}});
}

int run_backtest(const BacktestArgs& args) {
  const DataOptions data_opts = data_options(args.data);
  ModelConfig config = model_config(args.model, args.data.features.size());
  check_split_args(args.split);
  const BacktestSpec spec = backtest_spec(args, config);
  const Format format = parse_format(args.format, kFormats);
  check_output_paths(args);
  std::optional<Output> forecasts_file;
  if (!args.forecasts.empty()) forecasts_file.emplace(args.forecasts);
  Output output(args.out);
  Timings timings;
  const Frame frame = load_data(data_opts);
  timings.lap("read data");
  complete_config(config, args.model, args.split, frame, false);  // folds need more than one horizon of origins
  if (verbose() && spec.stride == 0) print_verbose(split_report(frame, config.split));
  ProgressPrinter printer(quiet());
  const GracefulStop graceful;
  BacktestControl control;
  control.progress = [&printer](const EpochReport& r) { printer(r); };
  control.stop = graceful.flag();
  std::size_t current_fold = 0;
  control.fold_start = [&](std::size_t fold, bool training) {
    current_fold = fold;
    printer.finish();
    print_note(fmt::format("fold {}/{}: {}", fold, spec.folds,
                           training ? "training on the rows before it"
                                    : "forecasting with the model of fold 1 (--refit once)"));
  };
  if (forecasts_file) control.sink = forecasts_sink(frame, spec, *forecasts_file);
  Backtest result;
  try {
    result = backtest(frame, config, data_config(args.data, frame), spec, control);
  } catch (const Interrupted&) {
    printer.finish();
    throw Interrupted(fmt::format("stopped by {} while training fold {} of {}", signal_name(graceful.signal()),
                                  current_fold, spec.folds),
                      args.out == "-" ? "stdout (not written)" : args.out + " (not written)",
                      "let it finish, or use fewer --folds, fewer --epochs or --refit once", 128 + graceful.signal());
  }
  printer.finish();
  if (!result.left_out.empty()) {
    print_warning(fmt::format("{} of {} series are too short for the folds and were left out of the backtest ({})",
                              result.left_out.size(), frame.series.size(), listed(result.left_out, 5)));
  }
  timings.lap(fmt::format("backtest ({:.1f} s training, {:.1f} s forecasting and scoring)", result.train_seconds,
                          result.evaluate_seconds));
  const BacktestContext context{frame.columns.front(), folds_text(spec, config.split, frame)};
  output.write(format == Format::json  ? json_text(backtest_json(frame, result, context), 2) + "\n"
               : format == Format::csv ? backtest_csv(result)
                                       : backtest_table(frame, result, context));
  commit_outputs({forecasts_file ? &*forecasts_file : nullptr, &output});
  timings.lap("write");
  timings.total();
  return 0;
}

void add_backtest_options(CLI::App& command, BacktestArgs& args) {
  command.add_option("--folds", args.folds, "folds: blocks of consecutive forecast origins, each scored on its own")
      ->capture_default_str()->group("Backtest");
  CLI::Option* stride =
      command.add_option("--stride", args.stride, "origins per fold, the folds being the last folds x stride origins of "
                                                  "each series (default: the folds split the --test part)")
          ->type_name("ROWS")->group("Backtest");
  stride->excludes(command.get_option("--test"))->excludes(command.get_option("--test-from"));
  command.add_option("--refit", args.refit, "every: train a model per fold on the rows before it; once: train on the "
                                            "first fold's rows and reuse that model")
      ->capture_default_str()->group("Backtest");
  command.add_flag("--warm-start", args.warm_start, "with --refit every: start each fold's training from the "
                                                   "previous fold's weights (fewer epochs)")
      ->group("Backtest");
  command.add_option("--ensemble", args.ensemble, "networks per fold's model, as train's --ensemble (auto: 5, or 1 "
                                                  "with --warm-start, --attention or --loss quantile)")
      ->type_name("N")->default_str("auto")->group("Backtest");
  command.add_option("--intervals", args.intervals, "score prediction intervals at these levels, e.g. 0.8,0.95 "
                                                    "(each fold's model calibrated on its validation part)")
      ->type_name("LEVELS")->group("Backtest");
  command.add_option("--forecasts", args.forecasts, "every forecast as CSV: fold, origin (the last row seen), "
                                                    "timestamp, step, forecast, actual")
      ->type_name("FILE")->group("Backtest");
  command.add_option("--out", args.out, "where the report goes ('-': stdout)")->capture_default_str();
  add_format_option(command, args.format, kFormats);
}

}  // namespace

Command add_backtest_command(CLI::App& app) {
  auto args = std::make_shared<BacktestArgs>();
  CLI::App* command = app.add_subcommand(
      "backtest", "Rolling-origin cross-validation: train and score fold by fold, beside the baselines");
  add_data_options(*command, args->data);
  add_split_options(*command, args->split);
  add_model_options(*command, args->model);
  add_training_options(*command, args->model);
  add_backtest_options(*command, *args);
  command->footer(
      "Each fold's model trains on every row before the fold (an expanding window; the last --val of the series\n"
      "before it validates) and forecasts K steps from each origin of the fold, seeing only the actuals before it.\n"
      "Example:\n"
      "  grucast backtest --data datasets/co2-concentration.csv --target CO2 --lookback 36 --horizon 12 --season 12 "
      "--folds 4 --forecasts co2-folds.csv");
  return {command, [args] { return run_backtest(*args); }};
}

}  // namespace grucast::cli
