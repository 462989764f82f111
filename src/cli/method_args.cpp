#include "cli/method_args.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "cli/console.hpp"
#include "cli/file_paths.hpp"
#include "cli/option_values.hpp"
#include "cli/train_options.hpp"
#include "util/text.hpp"

namespace grucast::cli {

void add_method_options(CLI::App& command, MethodArgs& args, const std::string& what_is_written) {
  CLI::Option* baseline = command.add_option("--baseline", args.baseline, "method: " + baseline_names());
  command.add_option("--model", args.model, "a model file written by grucast train")->excludes(baseline);
  command.add_option("--horizon", args.horizon, "steps to forecast (K; with --model, default the model's)")
      ->type_name("INT");
  command.add_option("--season", args.season,
                     "season length m for snaive and the MASE scale (default: the model's; for a baseline, the "
                     "frequency's (hourly 24, daily 7, weekly 52, monthly 12, quarterly 4) when a seasonal naive "
                     "of it beats the naive in-sample, as train chooses, else one found by autocorrelation, else 1)")
      ->type_name("INT");
  command.add_option("--out", args.out, "output file for " + what_is_written + ", or - for stdout")
      ->capture_default_str();
}

void add_intervals_option(CLI::App& command, MethodArgs& args) {
  command
      .add_option("--intervals", args.intervals,
                  "prediction intervals at these coverage levels, e.g. 0.8,0.95 (split conformal, from the validation "
                  "residuals per step; a --loss quantile model's own (1-L)/2 and (1+L)/2 quantiles)")
      ->type_name("LEVELS");
}

void add_explain_option(CLI::App& command, MethodArgs& args, const std::string& what_is_written) {
  command.add_option("--explain", args.explain, "with a model with attention: " + what_is_written + " (CSV)")
      ->type_name("FILE");
}

void add_plot_option(CLI::App& command, MethodArgs& args, const std::string& what_is_drawn) {
  command.add_option("--plot", args.plot, "an SVG plot of " + what_is_drawn)->type_name("FILE");
}

namespace {

void check_explain_path(const MethodArgs& args) {
  if (args.model.empty()) {
    throw UsageError("--explain needs --model", "--explain", "give a model trained with --attention additive or dot");
  }
}

}  // namespace

Method parse_method(const MethodArgs& args) {
  Method method;
  if (args.baseline.empty() && args.model.empty()) {
    throw UsageError("--baseline or --model is required", "command line",
                     "give a baseline (" + baseline_names() + ") or a model file from grucast train");
  }
  if (!args.horizon.empty()) method.horizon = parse_count(args.horizon, settings::horizon);
  if (!args.season.empty()) method.season = parse_count(args.season, settings::season);
  if (!args.explain.empty()) check_explain_path(args);
  if (args.model.empty()) {
    method.baseline = parse_baseline(args.baseline);
    if (!method.horizon) throw UsageError("--horizon is required", "command line", "give the steps to forecast");
    return method;
  }
  method.model = load_model(args.model);
  if (!method.season) method.season = method.model->config.season;
  if (!args.explain.empty() && method.model->config.shape.attention == AttentionKind::none) {
    throw UsageError(fmt::format("the model {} has no attention (it was trained with --attention none), so there are "
                                 "no weights to explain", args.model),
                     "--explain", "train the model with --attention additive or dot");
  }
  return method;
}

void resolve_season(Method& method, const Frame& frame) {
  if (!method.season) method.season = data_season(frame, *method.horizon);
}

namespace {

void check_same(const std::string& option, const std::string& given, const std::string& trained, const std::string& path) {
  if (given.empty() || given == trained) return;
  const std::string model = trained.empty() ? "the model has no features" : quoted(trained);
  throw UsageError(fmt::format("{} {} is not the model's ({})", option, quoted(given), model), option,
                   fmt::format("leave {} out: the model {} knows its columns", option, path));
}

}  // namespace

// The series of the data need not be the model's: a one-series model forecasts each series of a
// long-format file (--id COLUMN), and a model of many series a file of one series (--id none),
// each such series scaled by its own history (NetworkForecaster::scale_unseen).
DataOptions model_data_options(const DataOptions& given, const TrainedModel& model, const std::string& path) {
  DataOptions options = given;
  const DataConfig& d = model.data;
  check_same("--target", given.target, d.target, path);
  check_same("--features", join(given.features, ","), join(d.features, ","), path);
  if (!d.id_column.empty() && given.id_column != "none") check_same("--id", given.id_column, d.id_column, path);
  options.target = d.target;
  options.features = d.features;
  if (given.id_column.empty()) options.id_column = d.id_column;  // "none" stays: load_data reads one series
  if (options.time_column.empty()) options.time_column = d.time_column.empty() ? "none" : d.time_column;
  if (options.time_format.empty()) options.time_format = d.time_format;
  return options;
}

void check_model_frequency(const Frame& frame, const TrainedModel& model, const std::string& path) {
  const Frequency& trained = model.data.frequency;
  const Frequency& now = frame.frequency;
  if (trained.unit == now.unit && trained.step == now.step) return;
  throw ModelError(fmt::format("the data is {} but the model was trained on {} data", now.name(), trained.name()),
                   path, "give data at the model's frequency, or train a model on this data");
}

void check_model_data(const Frame& frame, const TrainedModel& model, const std::string& path) {
  check_model_frequency(frame, model, path);
  for (const DataFinding& finding : check_against_training(model, frame)) {
    if (finding.kind == DataFinding::Kind::warning) {
      print_warning(finding.text);
    } else {
      print_note(finding.text);
    }
  }
}

void check_method_files(const DataArgs& data, const MethodArgs& method) {
  check_plot_path(method.plot, "--plot");
  check_file_uses({{"--data", data.path, false},
                   {"--config", data.config, false},
                   {"--model", method.model, false},
                   {"--out", method.out, true},
                   {"--explain", method.explain, true},
                   {"--plot", method.plot, true}});
}

std::optional<Output> open_plot(const MethodArgs& method) {
  if (method.plot.empty()) return std::nullopt;
  return std::optional<Output>(std::in_place, method.plot);
}

std::unique_ptr<ChosenForecaster> chosen_forecaster(const Method& method, const Frame& frame,
                                                    const Forecaster& network, ChosenUse use) {
  if (!method.model || !method.model->selection.chooses_other_than(network.name())) return nullptr;
  const TrainedModel& model = *method.model;
  auto chosen = std::make_unique<ChosenForecaster>(network, model.selection, model.config.season,
                                                   model.config.nonnegative);
  std::map<std::string, std::size_t> counts;
  std::size_t total = 0;
  for (const Series& series : frame.series) {
    const std::string& by = chosen->method_of(series.id);
    if (by != network.name()) ++counts[by], ++total;
  }
  if (total == 0) return chosen;
  std::vector<std::string> parts;
  for (const auto& [name, count] : counts) parts.push_back(fmt::format("{} {}", name, count));
  const bool forecasting = use == ChosenUse::forecast;
  if (frame.id_column.empty()) {
    const std::string& id = frame.series.front().id;
    const std::string& by = chosen->method_of(id);
    const auto choice = std::find_if(model.selection.series.begin(), model.selection.series.end(),
                                     [&](const SeriesChoice& c) { return c.id == id; });
    const bool tie = choice != model.selection.series.end() && choice->method_mae > choice->network_mae;
    print_note(fmt::format("{} {}, chosen on the validation part in training ({}){}",
                           forecasting ? "forecast by" : "scored with", by,
                           tie ? "the network did not beat it there by more than one standard error"
                               : "it did better than the network there",
                           forecasting ? "" : ", as forecast forecasts it (row 'chosen')"));
  } else {
    print_note(fmt::format("{} of {} series are {} another method than the network, chosen on their validation "
                           "part in training ({}){}",
                           total, frame.series.size(), forecasting ? "forecast by" : "scored with", join(parts, ", "),
                           forecasting ? "; the output's method column says which"
                                       : ", as forecast forecasts them (row 'chosen'); train with --fallback none to "
                                         "score the network alone"));
  }
  return chosen;
}

void note_unseen(const Frame& frame, const std::vector<std::string>& ids, const std::string& scaled_by) {
  if (ids.empty()) return;
  if (frame.id_column.empty()) {  // the file's one series
    print_note(fmt::format("the series was not in the model's training data: scaled by its own {}", scaled_by));
    return;
  }
  const std::size_t n = ids.size();
  std::string examples = n > 2 ? "e.g. " : "";
  for (std::size_t i = 0; i < std::min<std::size_t>(n, 2); ++i) examples += (i > 0 ? ", " : "") + quoted(ids[i]);
  print_note(fmt::format("{} series {} not in the model's training data ({}): scaled by {} own {}", n,
                         n == 1 ? "was" : "were", examples, n == 1 ? "its" : "their", scaled_by));
}

}  // namespace grucast::cli
