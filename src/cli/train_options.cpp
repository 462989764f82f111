#include "cli/train_options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>

#include "grucast/forecast/season_detection.hpp"
#include "grucast/forecast/nonnegative.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "cli/console.hpp"
#include "cli/option_values.hpp"
#include "data/calendar_features.hpp"
#include "forecast/quantiles.hpp"
#include "nn/cells.hpp"
#include "util/text.hpp"
#include "util/worker_pool.hpp"

namespace grucast::cli {

namespace {

// --quantiles, which only the quantile loss takes: the head then has Q outputs per step.
void set_quantiles(const ModelArgs& a, ModelConfig& c) {
  const bool given = a.quantiles_option != nullptr && a.quantiles_option->count() > 0;
  if (c.train.loss != LossKind::quantile) {
    if (!given) return;
    throw UsageError(fmt::format("--quantiles sets the outputs of the quantile loss, but the loss is {}",
                                 loss_name(c.train.loss)),
                     "--quantiles", "add --loss quantile, or leave --quantiles out");
  }
  c.train.quantiles = parse_quantiles(a.quantiles);
  c.shape.quantiles = c.train.quantiles.size();
}

}  // namespace

std::size_t data_season(const Frame& frame, std::size_t horizon) {
  const std::size_t suggested = frame.frequency.default_season();
  std::string why = fmt::format("the frequency, {}, gives none", frame.frequency.name());
  if (suggested > 1) {
    const DetectedSeason confirmed = confirm_season(frame, suggested, horizon);
    if (confirmed.season > 1) return suggested;
    why = fmt::format("the frequency, {}, suggests {}, but a seasonal naive of {} beats the naive in-sample "
                      "in {} of {} series only",
                      frame.frequency.name(), suggested, suggested, confirmed.agreeing, confirmed.series);
  }
  const DetectedSeason found = detect_season(frame, horizon);
  if (found.season > 1) {
    print_note(fmt::format("season {} (found by autocorrelation in {} of {} series; {}): --season 1 for none",
                           found.season, found.agreeing, found.series, why));
  } else if (suggested > 1) {
    print_note(fmt::format("season 1 ({}): --season {} to use it", why, suggested));
  }
  return found.season;
}

bool transform_auto(const ModelArgs& args) { return to_lower(trim(args.transform)) == "auto"; }

bool calendar_auto(const ModelArgs& args) {
  return args.calendar_option->count() == 0 || to_lower(args.calendar) == "auto";
}

std::size_t ensemble_size(const std::string& value, const ModelConfig& config,
                          const std::optional<EnsembleObstacle>& obstacle) {
  if (to_lower(value) != "auto") {
    const std::size_t n = parse_count(value, "--ensemble", 1, kMaxEnsemble);
    if (n > 1 && obstacle) throw ensemble_refusal(*obstacle);
    return n;
  }
  std::optional<EnsembleObstacle> why_one = obstacle;
  if (!why_one && config.shape.attention != AttentionKind::none) {
    why_one = EnsembleObstacle{"--attention", "give forecast --explain one network's attention weights"};
  }
  if (!why_one) return kDefaultEnsemble;
  print_verbose(fmt::format("--ensemble auto: one network, as an ensemble cannot {} ({})", why_one->cannot,
                            why_one->option));
  return 1;
}

ModelConfig model_config(const ModelArgs& a, std::size_t features) {
  ModelConfig c;
  c.lookback = a.lookback.empty() ? 1 : parse_count(a.lookback, settings::lookback);
  const TransformKind transform = transform_auto(a) ? TransformKind::sdiff : parse_transform(a.transform);
  c.prep = {transform, parse_scaler(a.scaler), parse_normalize(a.normalize), 1, {}, {}};
  if (!calendar_auto(a) && to_lower(a.calendar) != "none") c.prep.calendar = parse_calendar(a.calendar);
  c.shape = {c.prep.inputs(features), parse_count(a.hidden, settings::hidden), parse_count(a.layers, settings::layers),
             parse_count(a.horizon, settings::horizon), a.dropout, parse_attention(a.attention)};
  c.shape.cell = parse_cell(a.cell);
  c.precision = parse_precision(a.precision);
  TrainOptions& t = c.train;
  t.loss = parse_loss(a.loss);
  set_quantiles(a, c);
  t.optimizer = {parse_optimizer(a.optimizer), a.lr, a.weight_decay, a.momentum};
  t.clip = a.clip;
  t.schedule = parse_schedule(a.schedule);
  t.batch_size = parse_count(a.batch_size, settings::batch_size);
  t.epochs = parse_count(a.epochs, settings::epochs);
  t.patience = parse_count(a.patience, settings::patience);
  t.seed = parse_count(a.seed, "--seed", 0, UINT64_MAX);
  t.threads = a.threads.empty() ? std::min(available_cores(), static_cast<std::size_t>(settings::threads.high))
                                : parse_count(a.threads, settings::threads);
  // 0 until the data is read: the frequency's season (a given season is at least 1)
  c.season = a.season.empty() ? 0 : parse_count(a.season, settings::season);
  parse_nonnegative(a.nonnegative);  // checked now; complete_config decides it on the data
  validate_config(c);
  if (a.lookback.empty()) c.lookback = 0;  // chosen from the data by complete_config
  return c;
}

void complete_config(ModelConfig& config, const ModelArgs& args, const SplitArgs& split, const Frame& frame,
                     bool panel_split) {
  if (args.season.empty()) config.season = data_season(frame, config.shape.outputs);
  config.prep.season = config.season;
  config.split = split_spec(split, frame, panel_split ? config.shape.outputs : 0);
  if (panel_split && !split.given()) {
    const std::string shortened = shorten_panel_split(frame, config);
    if (!shortened.empty()) print_warning(shortened);
  }
  config.nonnegative = resolve_nonnegative(parse_nonnegative(args.nonnegative), frame);
  if (config.lookback > 0) return;
  const DefaultLookback chosen = default_lookback(frame, config);
  config.lookback = chosen.lookback;
  print_note(fmt::format("lookback {} (the default: {})", chosen.lookback, chosen.why));
}

DataConfig data_config(const DataArgs& args, const Frame& frame) {
  return {frame.columns.front(), args.features, frame.time_column, args.time_format, frame.id_column, frame.frequency};
}

void add_model_options(CLI::App& c, ModelArgs& a) {
  c.add_option("--lookback", a.lookback,
               "rows of history a window sees (T; default twice the larger of the horizon and the season, fewer "
               "when the median series is too short for that)")
      ->type_name("INT");
  c.add_option("--horizon", a.horizon, "steps to forecast (K), direct outputs of the network")->required()->type_name("INT");
  c.add_option("--season", a.season, "season length m for sdiff and the MASE scale (default from the frequency)")
      ->type_name("INT");
  c.add_option("--cell", a.cell, names_text(kCellNames) + ": the recurrent cell")->capture_default_str()->group("Model");
  c.add_option("--hidden", a.hidden, "hidden units per layer (H)")->capture_default_str()->group("Model");
  c.add_option("--layers", a.layers, "stacked recurrent layers (L)")->capture_default_str()->group("Model");
  c.add_option("--dropout", a.dropout, "dropout between stacked layers")->capture_default_str()->group("Model");
  c.add_option("--attention", a.attention, "none, additive or dot: attention over the top layer's states, query h_T")
      ->capture_default_str()->group("Model");
  c.add_option("--precision", a.precision, "f32 or f64")->capture_default_str()->group("Model");
  c.add_option("--transform", a.transform, "none, log, diff, sdiff (seasonal difference y_t - y_{t-m}), or log+diff or log+sdiff (the log first: "
                              "a multiplicative season); or auto (train's default: sdiff, and log+sdiff for the "
                              "series whose swing grows with their level when a second network shows it better on "
                              "validation; backtest and compare: sdiff)")
      ->capture_default_str()->group("Model");
  c.add_option("--scaler", a.scaler, "per-series scaler fitted on the training part: zscore, minmax or none")
      ->capture_default_str()->group("Model");
  c.add_option("--normalize", a.normalize, "window: shift each window by its mean and give the network the mean as an input; none")
      ->capture_default_str()->group("Model");
  a.calendar_option = c.add_option("--calendar", a.calendar,
                                   "hour, dow, month, doy (comma-separated): the sine and cosine of where each row's "
                                   "local time falls in its day, week or year, as inputs; none; or auto (train's "
                                   "default: a second network with the items the time step offers, and the one of "
                                   "lower validation loss is kept; backtest and compare: none)")
                          ->type_name("LIST")->group("Model");
  c.add_option("--nonnegative", a.nonnegative,
               "auto, yes or no: keep forecasts and interval bounds at 0 or above (auto: yes when every target "
               "value of the data is >= 0)")
      ->capture_default_str()->group("Model");
}

void add_training_options(CLI::App& c, ModelArgs& a) {
  c.add_option("--loss", a.loss, "mse, mae, huber, or quantile (pinball loss, one output per --quantiles level)")
      ->capture_default_str()->group("Training");
  a.quantiles_option = c.add_option("--quantiles", a.quantiles,
                                    "with --loss quantile: the quantile levels to learn (0.5, the forecast, is "
                                    "always added); --intervals L uses (1-L)/2 and (1+L)/2")
                           ->capture_default_str()->type_name("LIST")->group("Training");
  c.add_option("--optimizer", a.optimizer, "adam, adamw or sgd (momentum)")->capture_default_str()->group("Training");
  c.add_option("--lr", a.lr, "learning rate")->capture_default_str()->group("Training");
  c.add_option("--weight-decay", a.weight_decay, "L2 penalty (decoupled with adamw)")->capture_default_str()->group("Training");
  c.add_option("--momentum", a.momentum, "sgd momentum")->capture_default_str()->group("Training");
  c.add_option("--clip", a.clip, "max global gradient norm, 0 for none")->capture_default_str()->group("Training");
  c.add_option("--schedule", a.schedule, "constant, cosine or plateau")->capture_default_str()->group("Training");
  c.add_option("--batch-size", a.batch_size, "windows per step")->capture_default_str()->group("Training");
  c.add_option("--epochs", a.epochs, "most epochs")->capture_default_str()->group("Training");
  c.add_option("--patience", a.patience, "stop after this many epochs without a better validation loss")
      ->capture_default_str()->group("Training");
  c.add_option("--seed", a.seed, "seed of every random choice")->capture_default_str()->group("Training");
  c.add_option("--threads", a.threads, "worker threads (default: all cores)")->group("Training");
}

ProgressPrinter::ProgressPrinter(bool quiet) : quiet_(quiet), terminal_(stderr_terminal()) {}

void ProgressPrinter::operator()(const EpochReport& r) {
  if (quiet_) return;
  const double eta = r.seconds / static_cast<double>(r.epoch) * static_cast<double>(r.epochs - r.epoch);
  // Without a validation part the loss is NaN: "val -" rather than "val nan".
  const std::string val = std::isnan(r.validation_loss) ? "-" : fmt::format("{:.5f}", r.validation_loss);
  const std::string member = r.members > 0 ? fmt::format("member {}/{}  ", r.member, r.members) : "";
  const std::string line = member + fmt::format("epoch {:>4}/{}  train {:.5f}  val {}{}  lr {:.2g}  {:.0f} samples/s  "
                                       "{:.1f}s (at most {:.0f}s left)",
                                       r.epoch, r.epochs, r.train_loss, val, r.improved ? "*" : " ",
                                       r.lr, r.samples_per_second, r.seconds, eta);
  if (terminal_) {
    const std::size_t width = 30, filled = width * r.epoch / r.epochs;
    write_diagnostic(fmt::format("\r\033[K[{}{}] {}", std::string(filled, '#'), std::string(width - filled, '.'), line));
  } else {
    write_diagnostic(fmt::format("grucast: {}\n", line));
  }
}

void ProgressPrinter::finish() const {
  if (!quiet_ && terminal_) write_diagnostic("\n");
}

}  // namespace grucast::cli
