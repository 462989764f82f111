// grucast forecast: the values after the end of each series, by a baseline or a trained model.
#include <algorithm>
#include <functional>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>

#include "grucast/forecast/baselines.hpp"
#include "grucast/forecast/evaluate.hpp"
#include "grucast/forecast/intervals.hpp"
#include "cli/command_output.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/data_args.hpp"
#include "cli/method_args.hpp"
#include "cli/verbose.hpp"
#include "forecast/interval_source.hpp"
#include "report/explain.hpp"
#include "report/plots.hpp"
#include "report/writers.hpp"
#include "util/text.hpp"

namespace grucast::cli {

namespace {

struct ForecastArgs {
  DataArgs data;
  MethodArgs method;
  std::string format;
};

const std::vector<Format> kFormats = {Format::csv, Format::json};

// Series by id, for the attention sink, which names the series of each forecast.
std::unordered_map<std::string, const Series*> series_by_id(const Frame& frame) {
  std::unordered_map<std::string, const Series*> by_id;
  for (const Series& series : frame.series) by_id.emplace(series.id, &series);
  return by_id;
}

// A model, or the baseline; with --explain, the model writes the weights of its forecasts into
// `explained`. A model notes the series it was not trained on, and scales them by their history.
std::unique_ptr<Forecaster> make_forecaster(const Method& method, const ForecastArgs& args, const Frame& frame,
                                            Output* explained) {
  if (!method.model) {
    return make_baseline(method.baseline, *method.season);
  }
  check_model_data(frame, *method.model, args.method.model);
  auto model = std::make_unique<NetworkForecaster>(*method.model, frame.source);
  if (explained) {
    explained->write(attention_csv_header(frame));
    model->explain([&frame, explained, by_id = series_by_id(frame)](const std::string& id, std::size_t origin,
                                                                    std::span<const double> weights) {
      explained->write(attention_csv_rows(frame, *by_id.at(id), origin, weights));
    });
  }
  return model;
}

// A model's forecast never refuses a series for being short: one shorter than the model's window
// is forecast by a baseline, snaive when it holds a season, else naive, and is marked as such.
class ShortSeriesFallback {
 public:
  ShortSeriesFallback(const Method& method, const Frame& frame, const Forecaster& forecaster)
      : season_(method.model ? method.model->config.season : 1),
        naive_(BaselineMethod::naive, season_), snaive_(BaselineMethod::snaive, season_),
        min_history_(method.model ? forecaster.min_history() : 0) {
    for (const Series& series : frame.series) {
      if (applies(series)) ids_.push_back(series.id);
    }
  }

  bool any() const { return !ids_.empty(); }
  bool applies(const Series& series) const { return series.size() < min_history_; }
  const Forecaster& baseline(const Series& series) const {
    return season_ > 1 && series.size() >= season_ ? static_cast<const Forecaster&>(snaive_) : naive_;
  }
  // What check_forecastable checks every series against.
  const Forecaster& weakest(const Forecaster& forecaster) const { return any() ? naive_ : forecaster; }

  void note(const Frame& frame) const {
    if (!any()) return;
    const std::string by = season_ > 1 ? fmt::format("snaive (those of {} rows or more) or naive", season_)
                                       : std::string("naive");
    print_note(fmt::format("{} of {} series are shorter than the {} rows the model reads: forecast by {} ({}); the "
                           "output's method column says which",
                           ids_.size(), frame.series.size(), min_history_, by, listed(ids_, 5)));
  }

 private:
  std::size_t season_;
  Baseline naive_, snaive_;
  std::size_t min_history_;
  std::vector<std::string> ids_;
};

// Forecasts of every series, kSeriesPerPass at a time through one batched pass (memory
// O(K · kSeriesPerPass), not O(K · series)), each handed to `emit` in the file's order.
void forecast_all(const Frame& frame, const Forecaster& forecaster, const ShortSeriesFallback& fallback,
                  std::size_t horizon, const std::function<void(const Series&, SeriesForecast&)>& emit) {
  for (std::size_t first = 0; first < frame.series.size(); first += kSeriesPerPass) {
    std::vector<const Series*> pass;
    const std::size_t end = std::min(first + kSeriesPerPass, frame.series.size());
    for (std::size_t i = first; i < end; ++i) {
      if (!fallback.applies(frame.series[i])) pass.push_back(&frame.series[i]);
    }
    std::vector<SeriesForecast> forecasts = forecast_series_batch(frame, pass, forecaster, horizon);
    for (std::size_t i = first, next = 0; i < end; ++i) {
      const Series& series = frame.series[i];
      if (next < pass.size() && pass[next] == &series) {
        emit(series, forecasts[next++]);
        continue;
      }
      const Forecaster& baseline = fallback.baseline(series);
      SeriesForecast forecast = forecast_series(frame, series, baseline, horizon);
      forecast.method = baseline.name();
      emit(series, forecast);
    }
  }
}

int run_forecast(const ForecastArgs& args) {
  check_method_files(args.data, args.method);
  Method method = parse_method(args.method);
  const std::vector<double> levels = args.method.intervals.empty() ? std::vector<double>{}
                                                                     : parse_levels(args.method.intervals);
  const bool json = parse_format(args.format, kFormats) == Format::json;
  DataOptions data = data_options(args.data);
  if (method.model) data = model_data_options(data, *method.model, args.method.model);
  std::optional<Output> plotted = open_plot(args.method);
  Output output(args.method.out);
  std::optional<Output> explained;
  if (!args.method.explain.empty()) explained.emplace(args.method.explain);
  Timings timings;
  const Frame frame = load_data(data);
  resolve_season(method, frame);
  timings.lap("read data");
  const std::unique_ptr<Forecaster> forecaster =
      make_forecaster(method, args, frame, explained ? &*explained : nullptr);
  const std::size_t horizon = method.horizon.value_or(method.model ? method.model->config.shape.outputs : 1);
  if (verbose()) {  // every series' history: not built unless printed
    print_verbose(fmt::format("method {}, horizon {}", forecaster->name(), horizon) + "\n" + series_report(frame));
  }
  const ShortSeriesFallback fallback(method, frame, *forecaster);
  check_forecastable(frame, fallback.weakest(*forecaster), horizon);
  fallback.note(frame);
  if (auto* network = dynamic_cast<NetworkForecaster*>(forecaster.get())) {
    note_unseen(frame, network->scale_unseen(frame), "history");
  }
  const std::unique_ptr<ChosenForecaster> chosen = chosen_forecaster(method, frame, *forecaster, ChosenUse::forecast);
  const Forecaster& used = chosen ? *chosen : *forecaster;
  std::optional<IntervalSource> intervals;
  if (!levels.empty()) {
    const std::size_t season = *method.season;
    intervals.emplace(IntervalSource::for_future(frame, used, horizon, season, levels, args.method.model));
  }
  std::optional<ForecastPlot> plot;
  if (plotted) plot.emplace(frame, forecaster->name());
  // A model's forecasts of several series name their method: the model's, the one chosen on
  // validation, or a short series' baseline (a single series' choice is in the note).
  const std::string method_column = method.model && !frame.id_column.empty() ? forecaster->name() : "";
  output.write(json ? "[" : forecasts_csv_header(frame, levels, !method_column.empty()));
  forecast_all(frame, used, fallback, horizon, [&](const Series& series, SeriesForecast& forecast) {
    if (forecast.method.empty() && !method_column.empty()) {
      forecast.method = chosen ? chosen->method_of(series.id) : method_column;
    }
    if (intervals) forecast.intervals = intervals->bands(series, forecast.values, fallback.applies(series));
    if (json) {  // an array with one series' object per line
      output.write((&series == &frame.series.front() ? "\n" : ",\n") + json_text(forecast_json(frame, forecast)));
    } else {
      output.write(forecast_csv_rows(frame, forecast));
    }
    if (plot) plot->add(series, forecast);
  });
  if (json) output.write("\n]\n");
  timings.lap("forecast");
  if (plotted) plotted->write(plot->svg());
  // Every file written before any is committed, and --out last, so that a failure leaves none.
  commit_outputs({explained ? &*explained : nullptr, plotted ? &*plotted : nullptr, &output});
  timings.lap("write");
  timings.total();
  return 0;
}

}  // namespace

Command add_forecast_command(CLI::App& app) {
  auto args = std::make_shared<ForecastArgs>();
  CLI::App* command = app.add_subcommand("forecast", "Forecast the values after the end of each series");
  add_data_options(*command, args->data);
  add_method_options(*command, args->method, "the forecasts (CSV)");
  add_intervals_option(*command, args->method);
  add_format_option(*command, args->format, kFormats);
  add_explain_option(*command, args->method,
                     "the attention weights of every forecast: the --id column, timestamp (the origin: the last row "
                     "seen), lag, weight");
  add_plot_option(*command, args->method, "the recent history and the forecast of each series (up to 12)");
  command->footer(
      "Output columns: the --id column (named as in the data), timestamp, step, forecast, and with --intervals "
      "lower_L, upper_L per level L.\n"
      "--format json: an array of one object per series: id, timestamps, forecast, lower_L, upper_L.\n"
      "With --model, a --horizon beyond the model's K rolls out recursively (models without --features or --loss "
      "quantile).\n"
      "A model trained with --loss quantile forecasts its 0.5 quantile, and --intervals L gives its (1-L)/2 and "
      "(1+L)/2 quantiles.\n"
      "--explain writes T rows per forecast, lag 1 the last row seen; each forecast's weights sum to 1.\n"
      "Examples:\n"
      "  grucast forecast --model co2.grc --data datasets/co2-concentration.csv --out forecast.csv\n"
      "  grucast forecast --baseline snaive --data datasets/co2-concentration.csv --target CO2 --horizon 12 "
      "--plot co2.svg");
  return {command, [args] { return run_forecast(*args); }};
}

}  // namespace grucast::cli
