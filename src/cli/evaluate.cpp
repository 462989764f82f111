// grucast evaluate: the rolling-origin test of docs/benchmarks.md, beside naive and snaive.
#include <memory>

#include "common.hpp"
#include "grucast/baselines.hpp"
#include "grucast/evaluate.hpp"
#include "grucast/writers.hpp"

namespace grucast::cli {

namespace {

struct EvaluateArgs {
  DataArgs data;
  MethodArgs method;
  SplitArgs split;
  std::string lookback = "24";
  bool json = false;
};

int run_evaluate(const EvaluateArgs& args) {
  const Method method = parse_method(args.method);
  const DataOptions data = data_options(args.data);
  const std::size_t lookback = parse_count(args.lookback, "--lookback", 1, 1'000'000);
  if (args.split.test_from.empty()) SplitSpec{args.split.val, args.split.test, std::nullopt}.validate();
  Output output(args.method.out);
  const Frame frame = load_data(data, args.data.quiet);
  const std::size_t season = method.season.value_or(frame.frequency.default_season());
  const EvalOptions options{TaskShape{lookback, method.horizon, season}, split_spec(args.split, frame)};
  const Evaluation evaluation = evaluate(frame, Baseline(method.baseline, season), options);
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
  add_method_options(*command, args->method, "the metrics");
  command->add_option("--lookback", args->lookback, "rows of history a window sees (T); sets the rows needed")
      ->type_name("INT")
      ->capture_default_str();
  command->add_flag("--json", args->json, "one JSON object instead of the table");
  command->footer(
      "Metrics: MAE, RMSE, MAPE (zero actuals left out and counted), sMAPE, MASE, overall and per step.\n"
      "Example:\n"
      "  grucast evaluate --baseline snaive --data datasets/co2-concentration.csv --target CO2 --horizon 12 "
      "--season 12 --json");
  return {command, [args] { return run_evaluate(*args); }};
}

}  // namespace grucast::cli
