// grucast forecast: the values after the end of each series, by a baseline or a trained model.
#include <memory>

#include "common.hpp"
#include "grucast/baselines.hpp"
#include "grucast/evaluate.hpp"
#include "grucast/explain.hpp"
#include "grucast/plots.hpp"
#include "grucast/writers.hpp"

namespace grucast::cli {

namespace {

struct ForecastArgs {
  DataArgs data;
  MethodArgs method;
};

int run_forecast(const ForecastArgs& args) {
  const Method method = parse_method(args.method, args.data.target);
  DataOptions data = data_options(args.data);
  if (method.model) data = model_data_options(data, *method.model, args.method.model);
  if (!args.method.plot.empty()) {
    check_plot_path(args.method.plot, "--plot", {{"--out", args.method.out}, {"--explain", args.method.explain},
                                                 {"--data", args.data.path}, {"--model", args.method.model}});
  }
  Output output(args.method.out);
  std::optional<Output> explained, plotted;
  if (!args.method.explain.empty()) explained.emplace(args.method.explain);
  if (!args.method.plot.empty()) plotted.emplace(args.method.plot);
  const Frame frame = load_data(data, args.data.quiet);
  std::unique_ptr<Forecaster> forecaster;
  const Series* current = nullptr;  // the series being forecast, for the sink
  if (method.model) {
    check_model_frequency(frame, *method.model, args.method.model);
    auto model = std::make_unique<GruForecaster>(*method.model, frame.source);
    if (explained) {
      explained->write(attention_csv_header(frame));
      model->explain([&](const std::string&, std::size_t origin, std::span<const double> weights) {
        explained->write(attention_csv_rows(frame, *current, origin, weights));
      });
    }
    forecaster = std::move(model);
  } else {
    forecaster = std::make_unique<Baseline>(method.baseline, method.season.value_or(frame.frequency.default_season()));
  }
  const std::size_t horizon = method.horizon.value_or(method.model ? method.model->config.shape.outputs : 1);
  check_forecastable(frame, *forecaster, horizon);
  std::optional<ForecastPlot> plot;
  if (plotted) plot.emplace(frame, forecaster->name());
  output.write(forecasts_csv_header(frame));
  for (const Series& series : frame.series) {  // one series at a time: memory O(K), not O(K · series)
    current = &series;
    const SeriesForecast forecast = forecast_series(frame, series, *forecaster, horizon);
    output.write(forecast_csv_rows(frame, forecast));
    if (plot) plot->add(series, forecast);
  }
  if (plotted) plotted->write(plot->svg());
  // Every file written before any is committed, and --out last, so that a failure leaves none.
  if (explained) explained->commit();
  if (plotted) plotted->commit();
  output.commit();
  return 0;
}

}  // namespace

Command add_forecast_command(CLI::App& app) {
  auto args = std::make_shared<ForecastArgs>();
  CLI::App* command = app.add_subcommand("forecast", "Forecast the values after the end of each series");
  add_data_options(*command, args->data);
  add_method_options(*command, args->method, "the forecasts (CSV)");
  add_explain_option(*command, args->method,
                     "the attention weights of every forecast: id, timestamp (the origin: the last row seen), lag, "
                     "weight");
  add_plot_option(*command, args->method, "the recent history and the forecast of each series (up to 12)");
  command->footer(
      "Output columns: id (with --id), timestamp, step, forecast.\n"
      "With --model, a --horizon beyond the model's K rolls out recursively (models without --features).\n"
      "--explain writes T rows per forecast, lag 1 the last row seen; each forecast's weights sum to 1.\n"
      "Examples:\n"
      "  grucast forecast --model co2.grc --data datasets/co2-concentration.csv --out forecast.csv\n"
      "  grucast forecast --baseline snaive --data datasets/co2-concentration.csv --target CO2 --horizon 12 "
      "--plot co2.svg");
  return {command, [args] { return run_forecast(*args); }};
}

}  // namespace grucast::cli
