// grucast evaluate: the rolling-origin test of BENCHMARKS.md, beside naive and snaive.
#include <memory>

#include "common.hpp"
#include "grucast/baselines.hpp"
#include "grucast/evaluate.hpp"
#include "grucast/writers.hpp"

namespace grucast::cli {

namespace {

struct EvaluateArgs {
  DataArgs data;
  SplitArgs split;
  std::string baseline;
  std::string horizon;
  std::string lookback = "24";
  std::string season;
  bool json = false;
  std::string out = "-";
};

int run_evaluate(const EvaluateArgs& args) {
  EvalOptions options;
  options.shape.horizon = parse_count(args.horizon, "--horizon", 1, 1'000'000);
  options.shape.lookback = parse_count(args.lookback, "--lookback", 1, 1'000'000);
  const BaselineMethod method = parse_baseline(args.baseline);
  const std::optional<std::size_t> season = parse_season(args.season);
  if (args.split.test_from.empty()) SplitSpec{args.split.val, args.split.test, std::nullopt}.validate();
  Output output(args.out);
  const Frame frame = load_data(args.data);
  options.shape.season = season.value_or(frame.frequency.default_season());
  options.split = split_spec(args.split, frame);
  const Baseline forecaster(method, options.shape.season);
  const Evaluation evaluation = evaluate(frame, forecaster, options);
  const EvalContext context{args.data.target, options.split.describe(frame.time_format)};
  // Invalid UTF-8 (a Latin-1 series id, say) becomes U+FFFD rather than failing the dump.
  output.write(args.json ? evaluation_json(frame, evaluation, context)
                                   .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
                               "\n"
                         : evaluation_table(frame, evaluation, context));
  output.commit();
  return 0;
}

}  // namespace

Command add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* command = app.add_subcommand("evaluate", "Score forecasts from every test origin, beside the baselines");
  add_data_options(*command, args->data);
  add_split_options(*command, args->split);
  command->add_option("--baseline", args->baseline, "method: naive, snaive, drift or mean")->required();
  command->add_option("--horizon", args->horizon, "steps forecast from each origin (K)")->required()->type_name("INT");
  command->add_option("--lookback", args->lookback, "rows of history a window sees (T); sets the rows needed")
      ->type_name("INT")
      ->capture_default_str();
  command->add_option("--season", args->season,
                      "season length m for snaive and the MASE scale (default from the frequency: hourly 24, "
                      "daily 7, weekly 52, monthly 12, quarterly 4, else 1)")
      ->type_name("INT");
  command->add_flag("--json", args->json, "one JSON object instead of the table");
  command->add_option("--out", args->out, "output file, or - for stdout")->capture_default_str();
  command->footer(
      "Metrics: MAE, RMSE, MAPE (zero actuals left out and counted), sMAPE, MASE, overall and per step.\n"
      "Example:\n"
      "  grucast evaluate --baseline snaive --data datasets/co2-concentration.csv --target CO2 --horizon 12 "
      "--season 12 --json");
  return {command, [args] { return run_evaluate(*args); }};
}

}  // namespace grucast::cli
