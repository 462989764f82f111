// grucast train: fit a GRU or an LSTM on a CSV series and write the model file.

#include <cmath>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "cli/command_output.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/data_args.hpp"
#include "cli/file_paths.hpp"
#include "cli/option_values.hpp"
#include "cli/signals.hpp"
#include "cli/train_options.hpp"
#include "cli/verbose.hpp"
#include "nn/cells.hpp"
#include "util/text.hpp"
#include "report/plots.hpp"
#include "report/writers.hpp"
#include "util/worker_pool.hpp"

namespace grucast::cli {

namespace {

struct TrainArgs {
  DataArgs data;
  SplitArgs split;
  ModelArgs model;
  std::string out;
  std::string checkpoint_every, checkpoint, resume;
  std::string plot_loss;
  std::string format;
  std::string fallback = "auto";
  bool final = false;
};

const std::vector<Format> kFormats = {Format::table, Format::json};

// "2 inputs (the target and the window mean)"
std::string inputs_text(const TrainedModel& model) {
  return fmt::format("{} input{} ({})", model.config.shape.inputs, model.config.shape.inputs == 1 ? "" : "s",
                     inputs_description(model));
}

// "final: trained on every row for 23 epochs, the best of the split run (...)".
std::string final_text(const FinalFit& f, const TrainedModel& model) {
  const bool validated = f.split.has_validation();
  return fmt::format("final: trained on every row for {} epochs, {} of the split run ({}; {} epochs run){}\n",
                     f.epochs, validated ? "the best validation epoch" : "the epochs", f.split.describe(TimeFormat{}),
                     f.epochs_run,
                     model.test.methods.empty() ? "" : "; the test scores below are the split run's, on data the "
                                                       "written model has seen");
}

// "validation: per series, gru did best on 250 of 359, theta on 40, ...: forecast uses each one's best".
std::string selection_text(const TrainedModel& model) {
  const Selection& selection = model.selection;
  if (selection.empty()) return "";
  const std::size_t n = selection.series.size();
  if (selection.policy == FallbackPolicy::none) {
    return fmt::format("validation: a baseline did better than the network on {} of {} series; forecast uses the "
                       "network everywhere (--fallback none)\n",
                       selection.network_beaten(), n);
  }
  if (n == 1) {
    const SeriesChoice& c = selection.series.front();
    return fmt::format("validation: {} did best (MAE {:.4g}; the network {:.4g}, naive {:.4g}); forecast uses it "
                       "(--fallback auto)\n",
                       c.method, c.method_mae, c.network_mae, c.naive_mae);
  }
  std::vector<std::string> parts;
  for (const auto& [method, count] : selection.counts()) parts.push_back(fmt::format("{} {}", method, count));
  return fmt::format("validation: the best per series: {} (of {} series); forecast uses each one's best "
                     "(--fallback auto)\n",
                     join(parts, ", "), n);
}

std::string summary_text(const TrainedModel& model, const std::string& path, bool signalled) {
  const TrainSummary& s = model.summary;
  std::string out = fmt::format(
      "model: {} ({} parameters: {} {} layer{} of {} units{}, {}, {} outputs)\n"
      "trained: {} epochs{} in {:.1f} s on {} windows; best epoch {} with {} loss {:.6f}\n",
      path, model.parameter_count(), cell_words(model.config.shape.cell).title, model.config.shape.layers, model.config.shape.layers == 1 ? "" : "s",
      model.config.shape.hidden,
      model.config.shape.attention == AttentionKind::none
          ? ""
          : fmt::format(" with {} attention", attention_name(model.config.shape.attention)),
      inputs_text(model), model.config.shape.outputs, s.epochs_run, stop_text(s), s.seconds, s.train_windows, s.best_epoch,
      s.validation_windows > 0 ? "validation" : "training", s.best_loss);
  if (model.final_fit) out += final_text(*model.final_fit, model);
  if (model.config.nonnegative) {
    out += "non-negative: yes (every training value >= 0): forecasts and interval bounds below 0 are raised to 0\n";
  }
  out += selection_text(model);
  if (s.stop == StopReason::interrupted) return out + "test: skipped (training was stopped)\n";
  if (model.test.methods.empty() && signalled) return out + "test: skipped (a signal arrived while it was scored)\n";
  if (model.test.methods.empty()) return out + "test: no test part (see --test)\n";
  out += fmt::format("test: {} origins\n", model.test.origins);
  return out + metrics_table(model.test.methods);
}

// The summary as one JSON object; "test" is null when there are no test scores.
nlohmann::ordered_json summary_json(const TrainedModel& model, const std::string& path) {
  const TrainSummary& s = model.summary;
  nlohmann::ordered_json j = {{"model", path},
                              {"parameters", model.parameter_count()},
                              {"epochs_run", s.epochs_run},
                              {"stop", stop_reason_name(s.stop)},
                              {"best_epoch", s.best_epoch},
                              {"best_loss", number_json(s.best_loss)},
                              {"best_loss_on", s.validation_windows > 0 ? "validation" : "training"},
                              {"seconds", s.seconds},
                              {"train_windows", s.train_windows},
                              {"validation_windows", s.validation_windows},
                              {"nonnegative", model.config.nonnegative},
                              {"test", nullptr}};
  const SeriesUse& u = model.use;
  j["series"] = {{"total", u.series}, {"trained", u.trained}, {"validated", u.validated}, {"tested", u.tested}};
  j["final"] = nullptr;
  if (model.final_fit) {
    const FinalFit& f = *model.final_fit;
    j["final"] = {{"epochs", f.epochs}, {"split", f.split.describe(TimeFormat{})}, {"split_epochs_run", f.epochs_run},
                  {"split_best_loss", number_json(f.best_loss)}};
  }
  j["selection"] = nullptr;
  if (!model.selection.empty()) {
    nlohmann::ordered_json chosen = nlohmann::ordered_json::object();
    for (const auto& [method, count] : model.selection.counts()) chosen[method] = count;
    j["selection"] = {{"policy", fallback_name(model.selection.policy)},
                      {"series", model.selection.series.size()},
                      {"chosen", std::move(chosen)},
                      {"network_beaten", model.selection.network_beaten()},
                      {"not_clearly_better", model.selection.not_clearly_better()},
                      {"worse_than_naive", model.selection.worse_than_naive()}};
  }
  if (s.stop == StopReason::interrupted || model.test.methods.empty()) return j;
  nlohmann::ordered_json methods;
  for (const auto& [name, metrics] : model.test.methods) methods[name] = metrics_json(metrics);
  j["test"] = {{"origins", model.test.origins}, {"series", model.use.tested}, {"methods", std::move(methods)}};
  return j;
}

FitControl fit_control(const TrainArgs& args) {
  FitControl control;
  if (!args.checkpoint_every.empty()) {
    control.checkpoint_every = parse_count(args.checkpoint_every, "--checkpoint-every", 1, 1'000'000);
    control.checkpoint_path = args.checkpoint.empty() ? args.out + ".ckpt" : args.checkpoint;
    control.checkpoint_failed = [](std::size_t epoch, const IoError& error) {
      print_warning(fmt::format("the checkpoint of epoch {} was not written: {}; training goes on, and the model is "
                                "written at the end", epoch, error.what()));
    };
  } else if (!args.checkpoint.empty()) {
    throw UsageError("--checkpoint without --checkpoint-every writes no checkpoint", "--checkpoint",
                     "add --checkpoint-every N (epochs)");
  }
  if (args.final && (control.checkpoint_every > 0 || !args.resume.empty())) {
    throw UsageError("a checkpoint resumes one training run, and --final makes two (the split run, then every row)",
                     control.checkpoint_every > 0 ? "--checkpoint-every, --final" : "--resume, --final",
                     "train without --final to use checkpoints");
  }
  if (!args.resume.empty()) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(args.resume, error)) {
      throw IoError("the checkpoint to resume from does not exist or is not a file", args.resume,
                    "give the file that --checkpoint (default: the --out path with .ckpt added) wrote");
    }
  }
  control.resume_path = args.resume;
  control.fallback = parse_fallback(args.fallback);
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
    print_note(fmt::format("{} arrived after training had finished; wrote the complete model to {}{}",
                           signal_name(signal_number), args.out,
                           model.test.methods.empty() ? ", without test scores" : ""));
  } else if (s.stop == StopReason::diverged) {
    print_warning(fmt::format("training diverged in epoch {}{} ({}) and stopped; kept the weights of {}, lower --lr "
                              "(now {}), keep --clip on, or check the data for extreme values",
                              s.stop_epoch, step, s.fault, kept, args.model.lr));
  }
}

// 'a', 'b', 'c': ids as messages quote them.
std::string quoted_list(const std::vector<std::string>& ids) {
  std::vector<std::string> quoted_ids;
  for (const std::string& id : ids) quoted_ids.push_back(quoted(id));
  return join(quoted_ids, ", ");
}

// A warning when the chosen forecast of some series beat naive on validation by less than the
// noise of the difference: it may well do worse than naive on new data.
void report_not_clearly_better(const Selection& selection) {
  const std::size_t count = selection.not_clearly_better();
  if (count == 0) return;
  if (selection.series.size() == 1) {
    const SeriesChoice& c = selection.series.front();
    print_warning(fmt::format("the forecast ({}) was not clearly better than naive on validation (MAE {:.4g} against "
                              "{:.4g}, a difference within one standard error, {:.2g}): on new data it may be worse "
                              "than naive; evaluate --baseline naive gives naive's scores",
                              c.method, c.method_mae, c.naive_mae, c.naive_gap_error));
    return;
  }
  std::vector<std::string> ids;
  for (const SeriesChoice& c : selection.series) {
    if (ids.size() < 3 && c.not_clearly_better_than_naive()) ids.push_back(c.id);
  }
  print_warning(fmt::format("the forecasts of {} of {} series were not clearly better than naive on validation (by "
                            "less than one standard error of the difference; e.g. {}): on new data they may be worse "
                            "than naive",
                            count, selection.series.size(), quoted_list(ids)));
}

// A warning when series of a panel were too short for a training window, a note when for a test origin.
void report_use(const TrainedModel& model, const ModelConfig& config) {
  const SeriesUse& u = model.use;
  const TaskShape shape = task_shape(config);
  if (u.trained < u.series) {
    print_warning(fmt::format("{} of {} series are too short for a training window ({} rows of history and {} targets "
                              "in the training part) and were left out of training ({}); forecast still forecasts "
                              "them, with a baseline when they are shorter than {} rows",
                              u.series - u.trained, u.series, shape.history(), shape.horizon,
                              "e.g. " + quoted_list(u.untrained), shape.history()));
  }
  if (!model.test.methods.empty() && u.tested < u.series) {
    print_note(fmt::format("{} of {} series have a test origin; the test scores are theirs", u.tested, u.series));
  }
  report_not_clearly_better(model.selection);
  if (const std::size_t worse = model.selection.worse_than_naive(); worse > 0) {
    print_warning(fmt::format("the forecast is worse than naive on validation for {} of {} series (--fallback {}); "
                              "--fallback auto forecasts each series with what did best there",
                              worse, model.selection.series.size(), fallback_name(model.selection.policy)));
  }
}

// The files train reads and writes, checked together: the model is a file, not stdout, and
// no output replaces an input or another output. --resume may be the checkpoint it updates.
void check_train_files(const TrainArgs& args, const FitControl& control) {
  if (args.out.empty() || args.out == "-") {
    throw UsageError(args.out.empty() ? "empty output path" : "a model file cannot go to stdout", "--out",
                     "give a file name for the model, e.g. --out model.grc");
  }
  check_plot_path(args.plot_loss, "--plot-loss");
  const FileUse checkpoint{"--checkpoint", control.checkpoint_path, true};
  const FileUse resume{"--resume", args.resume, false};
  const bool resume_is_checkpoint = !resume.path.empty() && !checkpoint.path.empty() && same_file(resume, checkpoint);
  check_file_uses({{"--data", args.data.path, false},
                   {"--config", args.data.config, false},
                   resume_is_checkpoint ? FileUse{} : resume,
                   {"--out", args.out, true},
                   checkpoint,
                   {"--plot-loss", args.plot_loss, true},
                   {"the summary", "-", true}});
}

// The --plot-loss file, opened now (an unwritable path fails before any work), or none.
std::unique_ptr<AtomicFile> open_loss_plot(const TrainArgs& args) {
  if (args.plot_loss.empty()) return nullptr;
  return std::make_unique<AtomicFile>(args.plot_loss);
}

// With --verbose: what train took from the data (season, threads, inputs), and the split of
// every series.
void report_resolved(const ModelConfig& config, const Frame& frame, const TrainArgs& args) {
  if (!verbose()) return;
  print_verbose(fmt::format("season {} ({}), threads {} ({}), inputs D {}", config.season,
                            args.model.season.empty() ? "from the frequency: " + frame.frequency.name() : "--season",
                            config.train.threads, args.model.threads.empty() ? "all cores" : "--threads",
                            config.shape.inputs));
  print_verbose(split_report(frame, config.split));
}

// Trains with progress on stderr; a stop before the first epoch ends is an Interrupted error.
TrainedModel train_model(const Frame& frame, const ModelConfig& config, const DataConfig& data, FitControl& control,
                         const std::string& out, const GracefulStop& graceful, bool final) {
  ProgressPrinter printer(quiet());
  control.stop = graceful.flag();
  try {
    control.final_started = [&printer](std::size_t epochs) {
      printer.finish();
      print_note(fmt::format("--final: training again, on every row, for {} epochs", epochs));
    };
    const auto progress = [&](const EpochReport& r) { printer(r); };
    TrainedModel model = final ? fit_final(frame, config, data, progress, control)
                               : fit_model(frame, config, data, progress, control);
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
  ModelConfig config = model_config(args.model, args.data.features.size());
  check_split_args(args.split);
  const Format format = parse_format(args.format, kFormats);
  FitControl control = fit_control(args);
  check_train_files(args, control);
  AtomicFile output(args.out);  // an unwritable path fails before any work
  if (control.checkpoint_every > 0) AtomicFile check(control.checkpoint_path);  // not after hours of training
  const std::unique_ptr<AtomicFile> loss_plot_file = open_loss_plot(args);
  Timings timings;
  const Frame frame = load_data(data_opts);
  timings.lap("read data");
  complete_config(config, args.model, args.split, frame);
  const DataConfig data = data_config(args.data, frame);
  check_storable_names(frame, data);
  report_resolved(config, frame, args);
  const GracefulStop graceful;
  const TrainedModel model = train_model(frame, config, data, control, args.out, graceful, args.final);
  timings.lap("train (with the test scores)");
  report_use(model, config);
  output.write(model_bytes(model));
  if (loss_plot_file) {  // committed before the model, so that a failure leaves neither file
    loss_plot_file->write(loss_plot(model.summary,
                                    fmt::format("training of {}: {} in {}", args.out, frame.columns.front(), frame.source),
                                    fmt::format("{} loss (scaled)", loss_name(config.train.loss))));
    output.sync();
    loss_plot_file->commit();
  }
  output.commit();
  timings.lap("write");
  fmt::print("{}", format == Format::json ? json_text(summary_json(model, args.out), 2) + "\n"
                                          : summary_text(model, args.out, graceful.signal() != 0));
  report_stop(model, args, graceful.signal());
  timings.total();
  // A signal after training (during the test scores) still tells the caller the run was stopped.
  return graceful.signal() != 0 ? 128 + graceful.signal() : 0;
}

void add_checkpoint_options(CLI::App& c, TrainArgs& a) {
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
  CLI::App* command = app.add_subcommand("train", "Train a GRU (or LSTM) forecaster and write the model file");
  add_data_options(*command, args->data);
  add_split_options(*command, args->split);
  add_model_options(*command, args->model);
  add_training_options(*command, args->model);
  add_checkpoint_options(*command, *args);
  command->add_flag("--final", args->final,
                    "after the run on the split (which picks the epochs and gives the test scores), train again on "
                    "every row for that many epochs and write that model: the one to forecast with")
      ->group("Split");
  command->add_option("--fallback", args->fallback,
                      "auto: forecast each series with what did best on its validation part (the network, a "
                      "baseline, or the mean of the network and comb); none: the network everywhere")
      ->default_str("auto")->group("Split");
  command->add_option("--out", args->out, "model file to write (.grc)")->required();
  command->add_option("--plot-loss", args->plot_loss, "an SVG plot of the training and validation loss per epoch")
      ->type_name("FILE");
  add_format_option(*command, args->format, kFormats);
  command->footer(
      "Progress goes to stderr; the summary and the test metrics beside naive and seasonal naive to stdout.\n"
      "Example:\n"
      "  grucast train --data datasets/co2-concentration.csv --target CO2 --lookback 36 --horizon 12 --season 12 "
      "--out co2.grc --plot-loss co2-loss.svg");
  return {command, [args] { return run_train(*args); }};
}

}  // namespace grucast::cli
