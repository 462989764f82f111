// grucast train: fit a GRU on a CSV series and write the model file.

#include <cmath>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "common.hpp"
#include "console.hpp"
#include "verbose.hpp"
#include "grucast/error.hpp"
#include "grucast/fit.hpp"
#include "grucast/model_file.hpp"
#include "grucast/plots.hpp"
#include "grucast/worker_pool.hpp"
#include "grucast/writers.hpp"

namespace grucast::cli {

namespace {

struct TrainArgs {
  DataArgs data;
  SplitArgs split;
  std::string lookback, horizon, season, out;
  std::string hidden = "32", layers = "1", batch_size = "64", epochs = "100", patience = "10", seed = "1";
  std::string threads;
  double dropout = 0.0, lr = 1e-3, weight_decay = 0.0, momentum = 0.9, clip = 1.0;
  std::string loss = "huber", optimizer = "adam", schedule = "constant", precision = "f32";
  std::string transform = "sdiff", normalize = "window", scaler = "zscore";
  std::string attention = "none";
  std::string calendar;
  const CLI::Option* calendar_option = nullptr;  ///< to tell --calendar "" from no --calendar
  std::string checkpoint_every, checkpoint, resume;
  std::string plot_loss;
};

ModelConfig model_config(const TrainArgs& a, std::size_t features) {
  ModelConfig c;
  c.lookback = parse_count(a.lookback, "--lookback", 1, 1'000'000);
  c.prep = {parse_transform(a.transform), parse_scaler(a.scaler), parse_normalize(a.normalize), 1, {}};
  if (a.calendar_option->count() > 0) c.prep.calendar = parse_calendar(a.calendar);
  c.shape = {c.prep.inputs(features), parse_count(a.hidden, "--hidden", 1, 65'536), parse_count(a.layers, "--layers", 1, 64),
             parse_count(a.horizon, "--horizon", 1, 1'000'000), a.dropout, parse_attention(a.attention)};
  c.precision = parse_precision(a.precision);
  TrainOptions& t = c.train;
  t.loss = parse_loss(a.loss);
  t.optimizer = {parse_optimizer(a.optimizer), a.lr, a.weight_decay, a.momentum};
  t.clip = a.clip;
  t.schedule = parse_schedule(a.schedule);
  t.batch_size = parse_count(a.batch_size, "--batch-size", 1, 1'000'000);
  t.epochs = parse_count(a.epochs, "--epochs", 1, 1'000'000);
  t.patience = parse_count(a.patience, "--patience", 1, 1'000'000);
  t.seed = parse_count(a.seed, "--seed", 0, UINT64_MAX);
  t.threads = a.threads.empty() ? available_cores() : parse_count(a.threads, "--threads", 1, 1024);
  validate_config(c);
  return c;
}

// Progress on stderr: one line rewritten in place on a terminal, one line per epoch otherwise.
class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool quiet) : quiet_(quiet), terminal_(stderr_terminal()) {}

  void operator()(const EpochReport& r) {
    if (quiet_) return;
    const double eta = r.seconds / static_cast<double>(r.epoch) * static_cast<double>(r.epochs - r.epoch);
    const std::string line = fmt::format("epoch {:>4}/{}  train {:.5f}  val {:.5f}{}  lr {:.2g}  {:.0f} samples/s  "
                                         "{:.1f}s (at most {:.0f}s left)",
                                         r.epoch, r.epochs, r.train_loss, r.validation_loss, r.improved ? "*" : " ",
                                         r.lr, r.samples_per_second, r.seconds, eta);
    if (terminal_) {
      const std::size_t width = 30, filled = width * r.epoch / r.epochs;
      fmt::print(stderr, "\r\033[K[{}{}] {}", std::string(filled, '#'), std::string(width - filled, '.'), line);
    } else {
      fmt::print(stderr, "grucast: {}\n", line);
    }
  }

  void finish() const {
    if (!quiet_ && terminal_) fmt::print(stderr, "\n");
  }

 private:
  bool quiet_, terminal_;
};

// "2 inputs (the target and the window mean)"
std::string inputs_text(const TrainedModel& model) {
  return fmt::format("{} input{} ({})", model.config.shape.inputs, model.config.shape.inputs == 1 ? "" : "s",
                     inputs_description(model));
}

std::string summary_text(const TrainedModel& model, const std::string& path) {
  const TrainSummary& s = model.summary;
  std::string out = fmt::format(
      "model: {} ({} parameters: GRU {} layer{} of {} units{}, {}, {} outputs)\n"
      "trained: {} epochs{} in {:.1f} s on {} windows; best epoch {} with {} loss {:.6f}\n",
      path, model.parameter_count(), model.config.shape.layers, model.config.shape.layers == 1 ? "" : "s",
      model.config.shape.hidden,
      model.config.shape.attention == AttentionKind::none
          ? ""
          : fmt::format(" with {} attention", attention_name(model.config.shape.attention)),
      inputs_text(model), model.config.shape.outputs, s.epochs_run, stop_text(s), s.seconds, s.train_windows, s.best_epoch,
      s.validation_windows > 0 ? "validation" : "training", s.best_loss);
  if (s.stop == StopReason::interrupted) return out + "test: skipped (training was stopped)\n";
  if (model.test.methods.empty()) return out + "test: no test part (see --test)\n";
  out += fmt::format("test: {} origins\n", model.test.origins);
  return out + metrics_table(model.test.methods);
}

// No output may replace the data it is trained on, or another output of the same run.
void check_distinct_files(const std::string& path, const std::string& option, const TrainArgs& args) {
  if (args.data.path != "-" && same_file(path, args.data.path)) {
    throw UsageError(option + " would replace the data file", path, "give " + option + " a file of its own");
  }
  if (option != "--out" && same_file(path, args.out)) {
    throw UsageError(option + " and --out are the same file", path,
                     "give " + option + " a file of its own, e.g. the default, the --out path with .ckpt added");
  }
}

FitControl fit_control(const TrainArgs& args) {
  FitControl control;
  if (!args.checkpoint_every.empty()) {
    control.checkpoint_every = parse_count(args.checkpoint_every, "--checkpoint-every", 1, 1'000'000);
    control.checkpoint_path = args.checkpoint.empty() ? args.out + ".ckpt" : args.checkpoint;
    check_distinct_files(control.checkpoint_path, "--checkpoint", args);
    AtomicFile check(control.checkpoint_path);  // an unwritable path fails now, not after hours
  } else if (!args.checkpoint.empty()) {
    throw UsageError("--checkpoint without --checkpoint-every writes no checkpoint", "--checkpoint",
                     "add --checkpoint-every N (epochs)");
  }
  if (!args.resume.empty()) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(args.resume, error)) {
      throw IoError("the checkpoint to resume from does not exist or is not a file", args.resume,
                    "give the file that --checkpoint (default: the --out path with .ckpt added) wrote");
    }
  }
  control.resume_path = args.resume;
  return control;
}

// What ended training, on stderr, when it was not the epoch cap or early stopping.
void report_stop(const TrainedModel& model, const TrainArgs& args, int signal_number) {
  const TrainSummary& s = model.summary;
  const std::string kept = fmt::format("epoch {}, the best of the {} finished", s.best_epoch, s.epochs_run);
  const std::string step = s.stop_step > 0 ? fmt::format(", step {}", s.stop_step) : "";
  if (s.stop == StopReason::interrupted) {
    print_note(fmt::format("stopped by {} in epoch {}{}; wrote the model of {} to {}", signal_name(signal_number),
                           s.stop_epoch, step, kept, args.out));
  } else if (signal_number != 0) {
    print_note(fmt::format("{} arrived after training had finished; wrote the complete model to {}",
                           signal_name(signal_number), args.out));
  } else if (s.stop == StopReason::diverged) {
    print_warning(fmt::format("training diverged in epoch {}{} ({}) and stopped; kept the weights of {}, lower --lr "
                              "(now {}), keep --clip on, or check the data for extreme values",
                              s.stop_epoch, step, s.fault, kept, args.lr));
  }
}

// The model file's path checked: a file, not stdout, and none of the others.
void check_out_path(const TrainArgs& args) {
  if (args.out.empty() || args.out == "-") {
    throw UsageError(args.out.empty() ? "empty output path" : "a model file cannot go to stdout", "--out",
                     "give a file name for the model, e.g. --out model.grc");
  }
  check_distinct_files(args.out, "--out", args);
}

// The --plot-loss file, opened now (an unwritable path fails before any work), or none.
std::unique_ptr<AtomicFile> open_loss_plot(const TrainArgs& args, const FitControl& control) {
  if (args.plot_loss.empty()) return nullptr;
  check_plot_path(args.plot_loss, "--plot-loss", {{"--out", args.out}, {"--data", args.data.path},
                                                  {"--checkpoint", control.checkpoint_path},
                                                  {"--resume", args.resume}, {"stdout", "-"}});
  return std::make_unique<AtomicFile>(args.plot_loss);
}

// With --verbose: what train took from the data (season, threads, inputs), and the split of
// every series.
void report_resolved(const ModelConfig& config, const Frame& frame, const TrainArgs& args) {
  if (!verbose()) return;
  print_verbose(fmt::format("season {} ({}), threads {} ({}), inputs D {}", config.season,
                            args.season.empty() ? "from the frequency: " + frame.frequency.name() : "--season",
                            config.train.threads, args.threads.empty() ? "all cores" : "--threads",
                            config.shape.inputs));
  print_verbose(split_report(frame, config.split));
}

// Trains with progress on stderr; a stop before the first epoch ends is an Interrupted error.
TrainedModel train_model(const Frame& frame, const ModelConfig& config, const DataConfig& data, FitControl& control,
                         const std::string& out, const GracefulStop& graceful) {
  ProgressPrinter printer(quiet());
  control.stop = graceful.flag();
  try {
    TrainedModel model = fit_model(frame, config, data, [&](const EpochReport& r) { printer(r); }, control);
    printer.finish();
    return model;
  } catch (const Interrupted&) {
    printer.finish();
    throw Interrupted(fmt::format("stopped by {} before the first epoch finished, so there is no model to keep",
                                  signal_name(graceful.signal())),
                      out + " (not written)", "let the first epoch finish (a larger --batch-size shortens it)",
                      128 + graceful.signal());
  }
}

int run_train(const TrainArgs& args) {
  const DataOptions data_opts = data_options(args.data);
  ModelConfig config = model_config(args, args.data.features.size());
  if (args.split.test_from.empty()) SplitSpec{args.split.val, args.split.test, std::nullopt}.validate();
  // 0: not given, take the frequency's season (a given season is at least 1)
  const std::size_t season = args.season.empty() ? 0 : parse_count(args.season, "--season", 1, 1'000'000);
  check_out_path(args);
  AtomicFile output(args.out);  // an unwritable path fails before any work
  FitControl control = fit_control(args);
  const std::unique_ptr<AtomicFile> loss_plot_file = open_loss_plot(args, control);
  Timings timings;
  const Frame frame = load_data(data_opts);
  timings.lap("read data");
  config.season = season != 0 ? season : frame.frequency.default_season();
  config.prep.season = config.season;
  config.split = split_spec(args.split, frame);
  const DataConfig data{frame.columns.front(), args.data.features, frame.time_column, args.data.time_format,
                        frame.id_column, frame.frequency};
  report_resolved(config, frame, args);
  const GracefulStop graceful;
  const TrainedModel model = train_model(frame, config, data, control, args.out, graceful);
  timings.lap("train (with the test scores)");
  output.write(model_bytes(model));
  if (loss_plot_file) {  // committed before the model, so that a failure leaves neither file
    loss_plot_file->write(loss_plot(model.summary,
                                    fmt::format("training of {}: {} in {}", args.out, frame.columns.front(), frame.source),
                                    fmt::format("{} loss (scaled)", loss_name(config.train.loss))));
    loss_plot_file->commit();
  }
  output.commit();
  timings.lap("write");
  fmt::print("{}", summary_text(model, args.out));
  report_stop(model, args, graceful.signal());
  timings.total();
  // A signal after training (during the test scores) still tells the caller the run was stopped.
  return graceful.signal() != 0 ? 128 + graceful.signal() : 0;
}

void add_model_options(CLI::App& c, TrainArgs& a) {
  c.add_option("--lookback", a.lookback, "rows of history a window sees (T)")->required()->type_name("INT");
  c.add_option("--horizon", a.horizon, "steps to forecast (K), direct outputs of the network")->required()->type_name("INT");
  c.add_option("--season", a.season, "season length m for sdiff and the MASE scale (default from the frequency)")
      ->type_name("INT");
  c.add_option("--hidden", a.hidden, "hidden units per layer (H)")->capture_default_str()->group("Model");
  c.add_option("--layers", a.layers, "stacked GRU layers (L)")->capture_default_str()->group("Model");
  c.add_option("--dropout", a.dropout, "dropout between stacked layers")->capture_default_str()->group("Model");
  c.add_option("--attention", a.attention, "none, additive or dot: attention over the top layer's states, query h_T")
      ->capture_default_str()->group("Model");
  c.add_option("--precision", a.precision, "f32 or f64")->capture_default_str()->group("Model");
  c.add_option("--transform", a.transform, "none, log, diff or sdiff (seasonal difference y_t - y_{t-m})")
      ->capture_default_str()->group("Model");
  c.add_option("--scaler", a.scaler, "per-series scaler fitted on the training part: zscore, minmax or none")
      ->capture_default_str()->group("Model");
  c.add_option("--normalize", a.normalize, "window: shift each window by its mean and give the network the mean as an input; none")
      ->capture_default_str()->group("Model");
  a.calendar_option = c.add_option("--calendar", a.calendar,
                                   "hour, dow, month, doy (comma-separated): the sine and cosine of where each row's "
                                   "local time falls in its day, week or year, as inputs")
                          ->type_name("LIST")->group("Model");
}

void add_training_options(CLI::App& c, TrainArgs& a) {
  c.add_option("--loss", a.loss, "mse, mae or huber")->capture_default_str()->group("Training");
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
  c.add_option("--checkpoint-every", a.checkpoint_every, "write a checkpoint every N epochs, to resume from")
      ->type_name("N")->group("Checkpoints");
  c.add_option("--checkpoint", a.checkpoint, "the checkpoint file (default: the --out path with .ckpt added)")
      ->group("Checkpoints");
  c.add_option("--resume", a.resume, "continue the run that wrote this checkpoint (give the same options and data)")
      ->group("Checkpoints");
}

}  // namespace

Command add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* command = app.add_subcommand("train", "Train a GRU forecaster and write the model file");
  add_data_options(*command, args->data);
  add_split_options(*command, args->split);
  add_model_options(*command, *args);
  add_training_options(*command, *args);
  command->add_option("--out", args->out, "model file to write (.grc)")->required();
  command->add_option("--plot-loss", args->plot_loss, "an SVG plot of the training and validation loss per epoch")
      ->type_name("FILE");
  command->footer(
      "Progress goes to stderr; the summary and the test metrics beside naive and seasonal naive to stdout.\n"
      "Example:\n"
      "  grucast train --data datasets/co2-concentration.csv --target CO2 --lookback 36 --horizon 12 --season 12 "
      "--out co2.grc --plot-loss co2-loss.svg");
  return {command, [args] { return run_train(*args); }};
}

}  // namespace grucast::cli
