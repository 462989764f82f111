// grucast evaluate: the rolling-origin test of docs/benchmarks.md, beside naive, snaive and the
// classical baselines (drift, theta, comb, ets).
#include <memory>

#include <fmt/format.h>

#include "grucast/forecast/baselines.hpp"
#include "grucast/forecast/evaluate.hpp"
#include "grucast/forecast/intervals.hpp"
#include "grucast/util/error.hpp"
#include "cli/command_output.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/data_args.hpp"
#include "cli/method_args.hpp"
#include "cli/option_values.hpp"
#include "cli/verbose.hpp"
#include "forecast/interval_source.hpp"
#include "report/explain.hpp"
#include "report/plots.hpp"
#include "report/writers.hpp"
#include "util/worker_pool.hpp"

namespace grucast::cli {

namespace {

struct EvaluateArgs {
  DataArgs data;
  MethodArgs method;
  SplitArgs split;
  std::string lookback = "24";
  std::string threads;
  bool json = false;  ///< --json, the same as --format json
  std::string format;
  const CLI::Option* format_option = nullptr;  ///< to tell a given --format from the default
};

const std::vector<Format> kFormats = {Format::table, Format::json, Format::csv};

// The forecaster, and the shape every series needs room for.
std::unique_ptr<Forecaster> make_forecaster(const Method& method, const Frame& frame, std::size_t lookback,
                                            std::size_t threads, TaskShape& shape, AttentionByLag* explained) {
  if (!method.model) {
    shape = {lookback, *method.horizon, *method.season};
    return make_baseline(method.baseline, shape.season);
  }
  const ModelConfig& c = method.model->config;
  shape = {c.lookback, method.horizon.value_or(c.shape.outputs), *method.season, c.prep.lag()};
  auto forecaster = std::make_unique<NetworkForecaster>(*method.model, frame.source);
  forecaster->set_threads(threads);
  if (explained != nullptr) {
    forecaster->explain([explained](const std::string&, std::size_t, std::span<const double> weights) {
      explained->add(weights);
    });
  }
  return forecaster;
}

int run_evaluate(const EvaluateArgs& args) {
  check_method_files(args.data, args.method);
  Method method = parse_method(args.method);
  const std::vector<double> levels = args.method.intervals.empty() ? std::vector<double>{}
                                                                     : parse_levels(args.method.intervals);
  const Format format = parse_format(args.format, kFormats, args.json, args.format_option);
  DataOptions data = data_options(args.data);
  if (method.model) data = model_data_options(data, *method.model, args.method.model);
  const std::size_t lookback = parse_count(args.lookback, settings::lookback);
  const std::size_t threads = args.threads.empty() ? available_cores() : parse_count(args.threads, settings::threads);
  check_split_args(args.split);
  std::optional<Output> plot_output = open_plot(args.method);
  Output output(args.method.out);
  std::optional<Output> explain_output;
  if (!args.method.explain.empty()) explain_output.emplace(args.method.explain);
  Timings timings;
  const Frame frame = load_data(data);
  resolve_season(method, frame);
  timings.lap("read data");
  if (method.model) check_model_data(frame, *method.model, args.method.model);
  TaskShape shape;
  AttentionByLag by_lag;
  const std::unique_ptr<Forecaster> network =
      make_forecaster(method, frame, lookback, threads, shape, explain_output ? &by_lag : nullptr);
  // A model is tested on the split it was trained with, unless the command line says otherwise.
  const SplitSpec split = method.model && !args.split.given() ? method.model->config.split : split_spec(args.split, frame, shape.horizon);
  if (auto* model = dynamic_cast<NetworkForecaster*>(network.get())) {
    note_unseen(frame, model->scale_unseen(frame, &split), "training part");
  }
  // A model scores what forecast forecasts: each series by what training chose for it.
  const std::unique_ptr<ChosenForecaster> chosen = chosen_forecaster(method, frame, *network, ChosenUse::evaluate);
  const Forecaster* forecaster = chosen ? static_cast<const Forecaster*>(chosen.get()) : network.get();
  EvalOptions options = eval_options(shape, split);
  options.more_baselines = {BaselineMethod::drift, BaselineMethod::theta, BaselineMethod::comb, BaselineMethod::ets};
  if (method.model) options.too_short_hint = "use a longer series, or other --val and --test fractions (the model's "
                                             "lookback and horizon are fixed)";
  std::optional<IntervalSource> intervals;
  if (!levels.empty()) {
    intervals.emplace(IntervalSource::for_evaluation(frame, *forecaster, options, levels, args.method.model));
    intervals->apply(options);
  }
  std::optional<EvaluationPlot> plot;
  if (plot_output) {
    plot.emplace(frame, options);
    options.forecast_sink = [&plot](const Series& series, std::span<const std::size_t> origins,
                                    const arma::mat& forecasts) { plot->add(series, origins, forecasts); };
  }
  if (verbose()) {  // the split of every series: not built unless printed
    print_verbose(fmt::format("method {}, lookback {}, horizon {}, season {}, threads {}", forecaster->name(),
                              shape.lookback, shape.horizon, shape.season, threads) +
                  "\n" + split_report(frame, split));
  }
  const Evaluation evaluation = evaluate(frame, *forecaster, options);
  if (evaluation.unscored > 0) {
    print_note(fmt::format("{} of {} series are too short for a test origin and are left out of the scores",
                           evaluation.unscored, frame.series.size()));
  }
  timings.lap("evaluate");
  const EvalContext context{frame.columns.front(), options.split.describe(frame.time_format)};
  output.write(format == Format::json  ? json_text(evaluation_json(frame, evaluation, context), 2) + "\n"
               : format == Format::csv ? evaluation_csv(evaluation)
                                       : evaluation_table(frame, evaluation, context));
  if (explain_output) explain_output->write(by_lag.csv());
  if (plot_output) plot_output->write(plot->svg(evaluation));
  // Every file written before any is committed, and --out last, so that a failure leaves none.
  commit_outputs({explain_output ? &*explain_output : nullptr, plot_output ? &*plot_output : nullptr, &output});
  timings.lap("write");
  timings.total();
  return 0;
}

}  // namespace

Command add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* command = app.add_subcommand("evaluate", "Score forecasts from every test origin, beside the baselines");
  add_data_options(*command, args->data);
  add_split_options(*command, args->split);
  add_method_options(*command, args->method, "the metrics");
  add_intervals_option(*command, args->method);
  add_explain_option(*command, args->method, "the mean attention weight per lag over the test origins: lag, weight");
  add_plot_option(*command, args->method,
                  "the test part's actuals beside the 1-step-ahead forecasts (up to 12 series; with --intervals, "
                  "their intervals as bands), and the MAE by step");
  command->add_option("--lookback", args->lookback,
                      "baselines: rows of history a window sees (T); sets the rows needed (a model has its own)")
      ->type_name("INT")
      ->capture_default_str();
  command->add_option("--threads", args->threads, "threads for the model's forward passes (default: all cores; the "
                                                  "metrics do not depend on it)")
      ->type_name("INT");
  command->add_flag("--json", args->json, "one JSON object instead of the table (--format json)");
  args->format_option = add_format_option(*command, args->format, kFormats);
  command->footer(
      "Metrics: MAE, RMSE, MAPE (zero actuals left out and counted), sMAPE, MASE, overall and per step.\n"
      "A model is tested on the split it was trained with unless --val, --test or --test-from is given.\n"
      "--intervals scores the method's intervals: coverage of the test actuals and mean width per level.\n"
      "Examples:\n"
      "  grucast evaluate --model co2.grc --data datasets/co2-concentration.csv --plot co2-test.svg\n"
      "  grucast evaluate --baseline snaive --data datasets/co2-concentration.csv --target CO2 --horizon 12 "
      "--season 12 --json");
  return {command, [args] { return run_evaluate(*args); }};
}

}  // namespace grucast::cli
