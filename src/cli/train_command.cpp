// grucast train: fit a GRU or an LSTM on a CSV series and write the model file.

#include <chrono>
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
#include "cli/train_summary.hpp"
#include "cli/verbose.hpp"
#include "data/calendar_features.hpp"
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
  std::string ensemble = "auto", max_time;
  bool final = false;
};

const std::vector<Format> kFormats = {Format::table, Format::json};


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
  if (!args.max_time.empty()) {
    const auto budget = std::chrono::duration<double>(parse_duration(args.max_time, "--max-time"));
    control.deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::nanoseconds>(budget);
  }
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

// A warning when the chosen forecast of some series beat naive on validation by less than
// kWarningStandardErrors (two) standard errors of the difference: it may well do worse than naive on new data.
void report_not_clearly_better(const Selection& selection) {
  const std::size_t count = selection.not_clearly_better();
  if (count == 0) return;
  if (selection.series.size() == 1) {
    const SeriesChoice& c = selection.series.front();
    print_warning(fmt::format("the forecast ({}) was not clearly better than naive on validation (MAE {:.4g} against "
                              "{:.4g}, less than two standard errors of {:.2g} apart): on new data it may be worse than "
                              "naive; evaluate --baseline naive gives naive's scores",
                              c.method, c.method_mae, c.naive_mae, c.naive_gap_error));
    return;
  }
  std::vector<std::string> ids;
  for (const SeriesChoice& c : selection.series) {
    if (ids.size() < 3 && c.not_clearly_better_than_naive()) ids.push_back(c.id);
  }
  print_warning(fmt::format("the forecasts of {} of {} series were not clearly better than naive on validation (by "
                            "less than two standard errors of the difference; e.g. {}): on new data they may be worse "
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
    const bool automatic = model.selection.policy == FallbackPolicy::automatic;
    print_warning(fmt::format("the forecast is worse than naive on validation for {} of {} series (--fallback {}); {}",
                              worse, model.selection.series.size(), fallback_name(model.selection.policy),
                              automatic ? "one validation origin cannot tell clearly, so the series with one each take "
                                          "the one choice that did best over all of them"
                                        : "--fallback auto forecasts each series with what did clearly better there"));
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

// The calendar items --calendar auto tries: none when the items are given, and for a
// checkpointed run (one run, whose inputs must be known before it starts).
std::vector<CalendarItem> calendar_offered(const TrainArgs& args, const Frame& frame, const FitControl& control) {
  if (!calendar_auto(args.model) || control.checkpoint_every > 0 || !args.resume.empty()) return {};
  return calendar_candidates(frame);
}

// What --calendar auto kept, and how to choose otherwise.
void report_calendar(const CalendarChoice& choice) {
  if (std::isnan(choice.loss_with)) return;
  const std::string items = join(calendar_names(choice.offered), ",");
  const bool with = !choice.model.config.prep.calendar.empty();
  print_note(with ? fmt::format("calendar {} (validation loss {:.6g} against {:.6g} without): --calendar none for none",
                                items, choice.loss_with, choice.loss_without)
                  : fmt::format("calendar none (validation loss {:.6g} against {:.6g} with {}): --calendar {} to use "
                                "them", choice.loss_without, choice.loss_with, items, items));
}

// What --transform auto decided, and how to choose otherwise.
void report_transform(const TransformChoice& choice, std::size_t series) {
  if (std::isnan(choice.log_ratio)) return;
  const std::string base = transform_name(choice.config.prep.transform);
  const std::string logged = transform_name(with_log(choice.config.prep.transform));
  const std::string which = choice.candidates == series
                                ? series == 1 ? "the series, which looks" : fmt::format("all {} series, which look", series)
                                : fmt::format("the {} of {} series that look", choice.candidates, series);
  const double change = 100.0 * std::expm1(choice.log_ratio);
  const std::string evidence = fmt::format("validation MAE {:.1f}% {}; log ratio {:.3f}, standard error {:.3f}{}",
                                           std::abs(change), change < 0.0 ? "lower" : "higher", choice.log_ratio,
                                           choice.error,
                                           choice.compared > 1 ? fmt::format(" over {} series", choice.compared) : "");
  const std::string others = choice.candidates == series ? "" : fmt::format(", {} for the others", base);
  print_note(choice.taken ? fmt::format("transform {} for {} multiplicative{} (logarithms first: {}): "
                                        "--transform {} for none", logged, which, others, evidence, base)
                          : fmt::format("transform {}: logarithms first were not clearly better for {} multiplicative "
                                        "({}): --transform {} takes logarithms of every series",
                                        base, which, evidence, logged));
}

// --transform auto's choice (when offered), then --calendar auto's and the model of `config`.
CalendarChoice fit_choosing(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                            const FitControl& control, const TrainArgs& args, std::size_t ensemble,
                            const std::vector<CalendarItem>& offered, const ProgressCallback& progress,
                            ProgressPrinter& printer) {
  const bool offer_logs = transform_auto(args.model) && control.checkpoint_every == 0 && args.resume.empty();
  if (!offer_logs) return fit_choosing_calendar(frame, config, data, offered, args.final, progress, control, ensemble);
  TransformChoice transform = choose_transform(frame, config, data, progress, control, ensemble > 1 ? 8 : 4);
  printer.finish();
  if (transform.stopped) return {std::move(*transform.stopped), {}, NAN, NAN};
  report_transform(transform, frame.series.size());
  return fit_choosing_calendar(frame, transform.config, data, offered, args.final, progress, control, ensemble);
}

// Trains with progress on stderr; a stop before the first epoch ends is an Interrupted error.
TrainedModel train_model(const Frame& frame, const ModelConfig& config, const DataConfig& data, FitControl& control,
                         const TrainArgs& args, const GracefulStop& graceful, std::size_t ensemble,
                         const std::vector<CalendarItem>& offered) {
  ProgressPrinter printer(quiet());
  control.stop = graceful.flag();
  try {
    control.final_started = [&printer](std::size_t epochs) {
      printer.finish();
      print_note(fmt::format("--final: training again, on every row, for {} epochs", epochs));
    };
    control.final_cut_short = [&printer](std::size_t run, std::size_t wanted) {
      printer.finish();
      print_warning(fmt::format("--max-time stopped the run on every row after {} of its {} epochs: wrote the split "
                                "run's model instead (validated, but not trained on the validation and test rows)",
                                run, wanted));
    };
    control.calendar_started = [&printer](const std::vector<CalendarItem>& items) {
      printer.finish();
      print_note(fmt::format("--calendar auto: training again with the calendar inputs {}, to keep the better on "
                             "validation", join(calendar_names(items), ",")));
    };
    control.transform_started = [&printer](std::size_t logged) {
      printer.finish();
      print_note(fmt::format("--transform auto: training again with logarithms first for {}, to keep the better on "
                             "validation", logged == 1 ? "the series that looks multiplicative"
                                                       : fmt::format("the {} series that look multiplicative", logged)));
    };
    const auto progress = [&](const EpochReport& r) { printer(r); };
    CalendarChoice choice = fit_choosing(frame, config, data, control, args, ensemble, offered, progress, printer);
    printer.finish();
    report_calendar(choice);
    return std::move(choice.model);
  } catch (const Interrupted&) {
    printer.finish();
    throw Interrupted(fmt::format("stopped by {} before the first epoch finished, so there is no model to keep",
                                  signal_name(graceful.signal())),
                      args.out + " (not written)", "let the first epoch finish (a larger --batch-size shortens it)",
                      128 + graceful.signal());
  }
}

int run_train(const TrainArgs& args) {
  const DataOptions data_opts = data_options(args.data);
  ModelConfig config = model_config(args.model, args.data.features.size());
  check_split_args(args.split);
  const Format format = parse_format(args.format, kFormats);
  FitControl control = fit_control(args);
  const std::size_t ensemble = ensemble_size(args.ensemble, config, ensemble_obstacle(config, control));
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
  const std::vector<CalendarItem> offered = calendar_offered(args, frame, control);
  const TrainedModel model = train_model(frame, config, data, control, args, graceful, ensemble, offered);
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
                      "auto: forecast each series with what did clearly better than the network on its validation "
                      "part (a baseline, or the network averaged with comb or ets), else the network where it did "
                      "clearly better than the best baseline, else that baseline; none: the network everywhere")
      ->default_str("auto")->group("Split");
  command->add_option("--ensemble", args->ensemble,
                      "train N networks that differ in seed and lookback (from --lookback to 3.5 times it) and "
                      "forecast their median; they train side by side over the --threads. auto: 5, or 1 with "
                      "--attention, --resume, --checkpoint-every or --loss quantile; 1: one network, several times "
                      "faster to train")
      ->type_name("N")->default_str("auto")->group("Training");
  command->add_option("--max-time", args->max_time,
                      "a time budget for the whole run (90, 15m, 1.5h): training ends after the epoch that passes "
                      "it, with the best weights so far, and no ensemble member starts past it")
      ->type_name("DURATION")->group("Training");
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
