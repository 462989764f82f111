// grucast inspect: what a model file holds, for people or (--format json) for pipelines.
#include <algorithm>
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "cli/command_output.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "forecast/quantiles.hpp"
#include "nn/network.hpp"
#include "report/writers.hpp"
#include "util/text.hpp"

namespace grucast::cli {

namespace {

constexpr std::size_t kShownSeries = 20;

struct InspectArgs {
  std::string model;
  bool json = false;  ///< --json, the same as --format json
  std::string format;
  const CLI::Option* format_option = nullptr;  ///< to tell a given --format from the default
};

const std::vector<Format> kFormats = {Format::table, Format::json};

std::string row(const std::string& label, const std::string& value) {
  return fmt::format("  {:<22}{}\n", label, value);
}

// A name from the data, on one line whatever it holds.
std::string shown(const std::string& text) { return escape_controls(text); }

// Four decimals, scientific notation for magnitudes that would break the columns, n/a for NaN.
std::string loss_value(double value) { return std::isfinite(value) ? fmt::format("{:.6g}", value) : "n/a"; }

std::string network_report(const TrainedModel& m) {
  const ModelConfig& c = m.config;
  std::string out = "Network\n";
  out += row("cell", cell_name(c.shape.cell));
  out += row("inputs (D)", fmt::format("{} ({})", c.shape.inputs, inputs_description(m)));
  out += row("hidden units (H)", fmt::format("{}", c.shape.hidden));
  out += row("layers (L)", fmt::format("{}", c.shape.layers));
  out += row("horizon (K)", fmt::format("{} steps", c.shape.outputs));
  out += row("lookback (T)", fmt::format("{} rows", c.lookback));
  out += row("season (m)", fmt::format("{}", c.season));
  out += row("dropout", fmt::format("{}", c.shape.dropout));
  out += row("attention", c.shape.attention == AttentionKind::none
                              ? "none"
                              : fmt::format("{} over the top layer's states, query h_T", attention_name(c.shape.attention)));
  out += row("precision", precision_name(c.precision));
  out += row("transform", c.prep.logged.empty() ? transform_name(c.prep.transform)
                                               : fmt::format("{}; {} for {} of {} series (--transform auto)",
                                                             transform_name(c.prep.transform),
                                                             transform_name(with_log(c.prep.transform)),
                                                             c.prep.logged.size(), m.scalers.size()));
  out += row("scaler", scaler_name(c.prep.scaler));
  out += row("normalize", normalize_name(c.prep.normalize));
  out += row("calendar", c.prep.calendar.empty()
                             ? "none"
                             : join(calendar_names(c.prep.calendar), ", ") + " (sine and cosine of the local time)");
  out += row("non-negative", c.nonnegative ? "yes (forecasts and interval bounds below 0 are raised to 0)" : "no");
  return out;
}

std::string options_report(const ModelConfig& c) {
  const TrainOptions& t = c.train;
  const OptimizerOptions& o = t.optimizer;
  std::string optimizer = fmt::format("{} (lr {}, weight decay {}", optimizer_name(o.kind), o.lr, o.weight_decay);
  optimizer += o.kind == OptimizerKind::sgd ? fmt::format(", momentum {})", o.momentum)
                                            : fmt::format(", betas {} {}, epsilon {})", o.beta1, o.beta2, o.epsilon);
  std::string out = "\nTraining options\n";
  out += row("loss", t.loss == LossKind::quantile
                        ? fmt::format("quantile (pinball) at {}; the forecast is 0.5", quantiles_text(t.quantiles))
                        : loss_name(t.loss));
  out += row("optimizer", optimizer);
  out += row("gradient clip", t.clip > 0 ? fmt::format("{} (global norm)", t.clip) : "none");
  out += row("schedule", schedule_name(t.schedule));
  out += row("batch size", fmt::format("{}", t.batch_size));
  out += row("epochs (cap)", fmt::format("{}", t.epochs));
  out += row("patience", fmt::format("{} epochs", t.patience));
  out += row("seed", fmt::format("{}", t.seed));
  out += row("threads", fmt::format("{}", t.threads));
  return out;
}

// How to write --test-from back: the data's own pattern, a date, or a UTC time.
TimeFormat split_time_format(const DataConfig& d) {
  TimeFormat format;
  if (d.time_column.empty()) return format;  // a row index
  const Frequency& f = d.frequency;
  const bool dates = f.unit != FrequencyUnit::seconds || f.step % 86'400 == 0;
  format.style = !d.time_format.empty() ? TimeStyle::pattern : dates ? TimeStyle::iso_date : TimeStyle::iso_datetime;
  format.pattern = d.time_format;
  format.zone = format.style == TimeStyle::iso_datetime ? TimeZoneStyle::utc : TimeZoneStyle::none;
  return format;
}

std::string data_report(const DataConfig& d) {
  std::vector<std::string> features;
  for (const std::string& f : d.features) features.push_back(shown(f));
  const std::string format = d.time_format.empty()
                                 ? "detected: an ISO 8601 date, time or week, a quarter, a year or epoch seconds"
                                 : shown(d.time_format);
  std::string out = "\nColumns\n";
  out += row("target", shown(d.target));
  out += row("features", features.empty() ? "none" : join(features, ", "));
  out += row("time column", d.time_column.empty() ? "none (the row index is the time)"
                                                  : fmt::format("{} (format {})", shown(d.time_column), format));
  out += row("id column", d.id_column.empty() ? "none (one series)" : shown(d.id_column));
  out += row("frequency", d.frequency.name());
  return out;
}

std::string scalers_report(const TrainedModel& m) {
  const std::size_t n = m.scalers.size();
  std::vector<std::string> columns = {m.data.target};
  columns.insert(columns.end(), m.data.features.begin(), m.data.features.end());
  std::string out = fmt::format("\nScalers ({}, {} series, fitted on the transformed training rows)\n",
                                scaler_name(m.config.prep.scaler), n);
  out += fmt::format("  {:<20}{:<20}{:>16}{:>16}\n", "series", "column", "shift", "scale");
  for (std::size_t i = 0; i < std::min(n, kShownSeries); ++i) {
    const SeriesScaler& s = m.scalers[i];
    const std::string id = s.id.empty() && m.data.id_column.empty() ? "(the series)" : shown(s.id);
    for (std::size_t k = 0; k < columns.size(); ++k) {
      out += fmt::format("  {:<20}{:<20}{:>16.6g}{:>16.6g}\n", k == 0 ? id : "", shown(columns[k]), s.scaler.shift[k],
                         s.scaler.scale[k]);
    }
  }
  if (n > kShownSeries) out += fmt::format("  ... and {} more series (--json lists them all)\n", n - kShownSeries);
  return out;
}

// The training data's profile: every series' values and last timestamp (the first kShownSeries).
std::string profile_report(const TrainedModel& m) {
  const DataProfile& p = m.profile;
  if (p.empty()) return "\nTraining data\n  no profile (the model was written before grucast kept one)\n";
  const TimeFormat format = split_time_format(m.data);
  const auto line = [&](const std::string& name, const ValueProfile& v) {
    const std::string last =
        m.data.time_column.empty() ? fmt::format("row {}", v.last + 1) : format_time(v.last, format);
    return fmt::format("  {:<20}{:>10}{:>12.6g}{:>12.6g}{:>12.6g}{:>12.6g}  {}\n", name, v.rows, v.min, v.max, v.mean,
                       v.sd, last);
  };
  std::string out = fmt::format("\nTraining data ({}, {} series; forecast and evaluate warn about data far outside "
                                "it)\n", shown(m.data.target), p.series);
  out += fmt::format("  {:<20}{:>10}{:>12}{:>12}{:>12}{:>12}  {}\n", "series", "values", "min", "max", "mean", "sd",
                     "last");
  out += line("(all series)", p.all);
  for (std::size_t i = 0; i < std::min(p.per_series.size(), kShownSeries); ++i) {
    const ValueProfile& v = p.per_series[i];
    out += line(v.id.empty() && m.data.id_column.empty() ? "(the series)" : shown(v.id), v);
  }
  if (p.series > kShownSeries) {
    out += fmt::format("  ... and {} more series{}\n", p.series - kShownSeries,
                       p.per_series.size() < p.series ? fmt::format(" ({} with their own entry)", p.per_series.size())
                                                      : " (--json lists them all)");
  }
  return out;
}

std::string parameters_report(const TrainedModel& m) {
  const ParamLayout layout = network_layout(m.config.shape);
  std::string out = fmt::format("\nParameters ({})\n", precision_name(m.config.precision));
  out += fmt::format("  {:<22}{:<16}{:>12}\n", "slice", "shape", "count");
  for (const Slice& s : layout.slices()) {
    out += fmt::format("  {:<22}{:<16}{:>12}\n", s.name, fmt::format("{} x {}", s.rows, s.cols), s.size());
  }
  out += fmt::format("  {:<38}{:>12}\n", "total", layout.size());
  return out;
}

std::string training_report(const TrainedModel& m) {
  const TrainSummary& s = m.summary;
  const bool validated = s.validation_windows > 0;
  std::string out = "\nTraining\n";
  out += row("epochs run", fmt::format("{} of {}{}", s.epochs_run, m.config.train.epochs, stop_text(s)));
  out += row("best epoch", s.best_epoch == 0 ? "none (no epoch improved)" : fmt::format("{}", s.best_epoch));
  out += row(validated ? "best validation loss" : "best training loss", loss_value(s.best_loss));
  if (s.epochs_run > 0) {
    out += row("last losses", fmt::format("{} train, {} validation", loss_value(s.train_losses.back()),
                                          loss_value(s.validation_losses.back())));
  }
  out += row("windows", fmt::format("{} train, {} validation", s.train_windows, s.validation_windows));
  return out;
}

// An ensemble's members, one row each; the first is the network the sections above describe.
std::string ensemble_report(const TrainedModel& m) {
  if (m.members.empty()) return "";
  std::string out = fmt::format("\nEnsemble ({} networks; forecasts are their median, step by step)\n", m.members.size());
  for (std::size_t i = 0; i < m.members.size(); ++i) {
    const EnsembleMember& e = m.members[i];
    out += row(fmt::format("member {}", i + 1),
               fmt::format("lookback {}, seed {}: {} epochs{}, best {} with loss {}", e.lookback, e.seed,
                           e.summary.epochs_run, stop_text(e.summary), e.summary.best_epoch,
                           loss_value(e.summary.best_loss)));
  }
  return out;
}

std::string test_report(const TestScores& test) {
  if (test.methods.empty()) return "\nTest\n  not scored\n";
  std::string out = fmt::format("\nTest ({} origins)\n", test.origins);
  out += fmt::format("  {:<10}{:>12}{:>12}{:>10}{:>10}{:>10}{:>12}\n", "method", "MAE", "RMSE", "MAPE%", "sMAPE%",
                     "MASE", "forecasts");
  for (const auto& [method, s] : test.methods) {
    out += fmt::format("  {:<10}{:>12}{:>12}{:>10}{:>10}{:>10}{:>12}\n", shown(method), table_number(s.mae, 12),
                       table_number(s.rmse, 12), table_number(s.mape, 10), table_number(s.smape, 10),
                       table_number(s.mase, 10), s.count);
  }
  return out;
}

std::string report(const TrainedModel& m, const std::string& path) {
  const std::size_t networks = std::max<std::size_t>(1, m.members.size());
  std::string out = fmt::format("{}: grucast model (format {}), {} parameters{}\n\n", shown(path),
                                kModelFormatVersion, networks * m.parameter_count(),
                                networks > 1 ? fmt::format(" ({} networks of {})", networks, m.parameter_count()) : "");
  out += network_report(m);
  out += options_report(m.config);
  out += row("split", m.config.split.has_validation() || m.config.split.has_test()
                         ? m.config.split.describe(split_time_format(m.data))
                         : "none: every row trained on");
  if (m.final_fit) {
    const FinalFit& f = *m.final_fit;
    out += row("final", fmt::format("trained on every row for {} epochs, picked by a run on the split {} ({} epochs "
                                    "run, best loss {}); the test scores are that run's",
                                    f.epochs, f.split.describe(split_time_format(m.data)), f.epochs_run,
                                    loss_value(f.best_loss)));
  }
  if (!m.selection.empty()) {
    std::vector<std::string> parts;
    for (const auto& [method, count] : m.selection.counts()) parts.push_back(fmt::format("{} {}", method, count));
    out += row("forecast by", fmt::format("what was chosen on each series' validation part (--fallback {}): {} (of {} "
                                          "series); the network for any other series",
                                          fallback_name(m.selection.policy), join(parts, ", "),
                                          m.selection.series.size()));
  }
  out += data_report(m.data);
  out += scalers_report(m);
  out += profile_report(m);
  out += parameters_report(m);
  out += training_report(m);
  out += ensemble_report(m);
  out += test_report(m.test);
  return out;
}

int run_inspect(const InspectArgs& args) {
  const Format format = parse_format(args.format, kFormats, args.json, args.format_option);
  Timings timings;
  const TrainedModel model = load_model(args.model);
  timings.lap("read model");
  Output output("-");
  output.write(format == Format::json ? json_text(model_header(model), 2) + "\n" : report(model, args.model));
  output.commit();
  timings.lap("write");
  return 0;
}

}  // namespace

Command add_inspect_command(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* command =
      app.add_subcommand("inspect", "Show what a model file holds: configuration, scalers, slices, scores");
  command->add_option("MODEL", args->model, "model file written by grucast train")->required()->type_name("FILE");
  command->add_flag("--json", args->json, "print the model's JSON header instead of the report (--format json)");
  args->format_option = add_format_option(*command, args->format, kFormats);
  command->footer(
      "The file's layout is described in docs/model-format.md.\n"
      "Examples:\n"
      "  grucast inspect co2.grc\n"
      "  grucast inspect co2.grc --format json | jq .training");
  return {command, [args] { return run_inspect(*args); }};
}

}  // namespace grucast::cli
