// grucast forecast: the K values after the end of each series.
#include <memory>

#include "common.hpp"
#include "grucast/baselines.hpp"
#include "grucast/evaluate.hpp"
#include "grucast/writers.hpp"

namespace grucast::cli {

namespace {

struct ForecastArgs {
  DataArgs data;
  std::string baseline;
  std::string horizon;
  std::string season;
  std::string out = "-";
};

int run_forecast(const ForecastArgs& args) {
  const std::size_t horizon = parse_count(args.horizon, "--horizon", 1, 1'000'000);
  const BaselineMethod method = parse_baseline(args.baseline);
  const std::optional<std::size_t> season = parse_season(args.season);
  Output output(args.out);
  const Frame frame = load_data(args.data);
  const Baseline forecaster(method, season.value_or(frame.frequency.default_season()));
  check_forecastable(frame, forecaster, horizon);
  output.write(forecasts_csv_header(frame));
  for (const Series& series : frame.series) {  // one series at a time: memory O(K), not O(K · series)
    output.write(forecast_csv_rows(frame, forecast_series(frame, series, forecaster, horizon)));
  }
  output.commit();
  return 0;
}

}  // namespace

Command add_forecast_command(CLI::App& app) {
  auto args = std::make_shared<ForecastArgs>();
  CLI::App* command = app.add_subcommand("forecast", "Forecast the values after the end of each series");
  add_data_options(*command, args->data);
  command->add_option("--baseline", args->baseline, "method: naive, snaive, drift or mean")->required();
  command->add_option("--horizon", args->horizon, "steps to forecast (K)")->required()->type_name("INT");
  command->add_option("--season", args->season,
                      "season length m for snaive (default from the frequency: hourly 24, daily 7, weekly 52, "
                      "monthly 12, quarterly 4, else 1)")
      ->type_name("INT");
  command->add_option("--out", args->out, "output CSV file, or - for stdout")->capture_default_str();
  command->footer(
      "Output columns: id (with --id), timestamp, step, forecast.\n"
      "Example:\n"
      "  grucast forecast --baseline snaive --data datasets/co2-concentration.csv --target CO2 --horizon 12");
  return {command, [args] { return run_forecast(*args); }};
}

}  // namespace grucast::cli
