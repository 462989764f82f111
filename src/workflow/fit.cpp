#include "grucast/workflow/fit.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/forecast/selection.hpp"
#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "io/checkpoint.hpp"
#include "nn/training_memory.hpp"
#include "util/machine.hpp"
#include "util/output.hpp"
#include "util/text.hpp"
#include "workflow/fit_parts.hpp"
#include "workflow/prepared_data.hpp"

namespace grucast {

namespace {

// The first place where two JSON values differ, as "config.hidden is 32 in the checkpoint, 64
// here", or "" when they are equal.
std::string first_difference(const nlohmann::ordered_json& saved, const nlohmann::ordered_json& now,
                             const std::string& path) {
  if (saved.is_object() && now.is_object()) {
    for (const auto& [key, value] : now.items()) {
      const std::string inner = path.empty() ? key : path + "." + key;
      if (!saved.contains(key)) return fmt::format("{} is missing in the checkpoint", inner);
      std::string found = first_difference(saved[key], value, inner);
      if (!found.empty()) return found;
    }
    return "";
  }
  if (saved == now) return "";
  return fmt::format("{} is {} in the checkpoint, {} here", path, shortened(saved.dump(), 80),
                     shortened(now.dump(), 80));
}

// The checkpoint to resume from, refused when its run differs from this one.
Checkpoint checkpoint_to_resume(const std::string& path, const TrainedModel& model, std::uint64_t fingerprint) {
  Checkpoint checkpoint = load_checkpoint(path);
  const auto saved = model_header(checkpoint.model), now = model_header(model);
  for (const char* part : {"data", "config"}) {
    const std::string difference = first_difference(saved[part], now[part], part);
    if (!difference.empty()) {
      throw UsageError(fmt::format("the checkpoint is from another run: {}", difference), path,
                       "resume with the options of the run that wrote it");
    }
  }
  if (checkpoint.data_fingerprint != fingerprint || !first_difference(saved["scalers"], now["scalers"], "").empty()) {
    throw DataError("the checkpoint is from a run on other data (the prepared series differ)", path,
                    "resume with the data of the run that wrote it");
  }
  return checkpoint;
}

template <class E>
TrainControl<E> train_control(const FitControl& fit, const TrainedModel& model, std::uint64_t fingerprint) {
  TrainControl<E> control;
  control.stop = fit.stop;
  control.checkpoint_every = fit.checkpoint_every;
  control.deadline = fit.deadline;
  if (fit.checkpoint_every == 0) return control;
  control.checkpoint = [&fit, &model, fingerprint](const TrainState<E>& state) {
    Checkpoint checkpoint;
    checkpoint.model = model;
    checkpoint.data_fingerprint = fingerprint;
    checkpoint.state_of<E>() = state;
    try {
      AtomicFile file(fit.checkpoint_path);
      file.write(checkpoint_bytes(checkpoint));
      file.commit();
    } catch (const IoError& error) {
      if (!fit.checkpoint_failed) throw;
      fit.checkpoint_failed(state.epoch, error);
    }
  };
  return control;
}

template <class E>
void train_params(const PreparedData& data, const FitControl& fit, const ProgressCallback& progress,
                  TrainedModel& model, arma::Col<E>& params) {
  const ModelConfig& config = model.config;
  const Network<E> network(config.shape);
  const bool resuming = !fit.resume_path.empty();
  const std::uint64_t fingerprint = fit.checkpoint_every > 0 || resuming ? data_fingerprint(data) : 0;
  TrainControl<E> control = train_control<E>(fit, model, fingerprint);
  Checkpoint checkpoint;
  if (resuming) {
    checkpoint = checkpoint_to_resume(fit.resume_path, model, fingerprint);
    control.resume = &checkpoint.state_of<E>();
    params = control.resume->params;
  } else if (fit.warm_start != nullptr) {
    params = fit.warm_start->params_of<E>();
  } else {
    init_params(network.layout(), params, config.train.seed);
  }
  model.summary = train_model(network, params, data.set, config.train, progress, control);
}

// Refused before any epoch when training (of `networks` such networks at once) would need more
// memory than the machine has at all: with overcommit, an allocation that large need not fail,
// and the process is killed instead.
void check_memory(const ModelConfig& config, const PreparedData& data, std::size_t networks) {
  const std::size_t element = config.precision == Precision::f64 ? 8 : 4;
  const std::size_t batch = std::min(config.train.batch_size, data.set.train.size());
  const std::size_t validation = std::min(kValidationChunk, data.set.validation.size());
  const TrainingMemory need = training_memory(config.shape, element, config.lookback, batch, validation, config.train);
  const std::uint64_t have = physical_memory();
  const double total = need.total() * static_cast<double>(networks);
  if (have == 0 || total <= static_cast<double>(have)) return;
  const std::string what = networks == 1 ? "this network" : fmt::format("{} such networks side by side", networks);
  std::string fix = "make them smaller";
  if (config.precision == Precision::f64) fix += ", or use --precision f32";
  if (networks > 1) fix += ", or train one network at a time (--threads 1) or one network (--ensemble 1)";
  throw UsageError(fmt::format("training {} needs about {}, more than the {} of memory of this machine: {}{} "
                               "parameters in {} copies of {} bytes ({}), and {} of caches for {} windows of {} steps",
                               what, bytes_text(total), bytes_text(static_cast<double>(have)),
                               networks == 1 ? "" : "each ", need.parameters, need.copies, element,
                               bytes_text(need.weight_bytes), bytes_text(need.cache_bytes), batch, config.lookback),
                   "--hidden, --layers, --batch-size, --lookback", fix);
}

}  // namespace

// The transform eats lag() rows before the lookback.
TaskShape task_shape(const ModelConfig& config) {
  return {config.lookback, config.shape.outputs, config.season, config.prep.lag()};
}

namespace {

// The series of median length.
const Series& median_series(const Frame& frame) {
  std::vector<const Series*> by_size;
  for (const Series& series : frame.series) by_size.push_back(&series);
  const auto middle = by_size.begin() + static_cast<std::ptrdiff_t>(by_size.size() / 2);
  std::nth_element(by_size.begin(), middle, by_size.end(),
                   [](const Series* a, const Series* b) { return a->size() < b->size(); });
  return **middle;
}

// Rows of the training part left for the lookback: n_train − lag − K.
std::size_t lookback_room(const Series& series, const SplitSpec& split, const ModelConfig& config) {
  const std::size_t n_train = split_series(series, split).n_train, need = config.prep.lag() + config.shape.outputs;
  return n_train > need ? n_train - need : 0;
}

}  // namespace

std::string shorten_panel_split(const Frame& frame, ModelConfig& config) {
  if (frame.series.empty() || !config.split.by_rows()) return "";
  const Series& median = median_series(frame);
  const Series& longest = *std::max_element(frame.series.begin(), frame.series.end(),
                                            [](const Series& a, const Series& b) { return a.size() < b.size(); });
  if (lookback_room(median, config.split, config) > 0) return "";
  const std::size_t K = config.shape.outputs;
  config.split.val_rows = 0;
  if (lookback_room(longest, config.split, config) > 0) {
    return fmt::format("no validation part: the median series ({} rows) is too short for a training window beside "
                       "{} rows of validation and {} of test, so training runs every epoch with no early stopping",
                       median.size(), K, K);
  }
  config.split.test_rows = 0;
  if (lookback_room(longest, config.split, config) == 0) return "";  // no window at all: check_split explains
  return fmt::format("no validation or test part: even the longest series ({} rows) is too short for a training "
                     "window beside {} rows of test, so every row is trained on and nothing is scored",
                     longest.size(), K);
}

DefaultLookback default_lookback(const Frame& frame, const ModelConfig& config) {
  const std::size_t K = config.shape.outputs, m = config.season;
  DefaultLookback chosen{2 * std::max(K, m), K >= m ? fmt::format("twice the horizon {}", K)
                                                    : fmt::format("twice the season {}", m)};
  if (frame.series.empty()) return chosen;
  const Series& median = median_series(frame);
  const std::size_t n_train = split_series(median, config.split).n_train;
  const std::size_t room = lookback_room(median, config.split, config);
  if (room >= chosen.lookback) return chosen;
  const std::string whose = frame.series.size() == 1 ? "the series" : "the median series";
  chosen.lookback = std::max<std::size_t>(room, 1);
  chosen.why = fmt::format("{}, so that {}, of {} rows with {} in the training part, has a training window",
                           chosen.why, whose, median.size(), n_train);
  chosen.why.insert(0, "fewer than ");
  return chosen;
}

std::vector<std::size_t> ensemble_lookbacks(const Frame& frame, const ModelConfig& config, std::size_t n) {
  const std::size_t T = config.lookback;
  const std::size_t room = frame.series.empty() ? T : lookback_room(median_series(frame), config.split, config);
  const std::size_t most = std::max(T, std::min(room, static_cast<std::size_t>(settings::lookback.high)));
  std::vector<std::size_t> lookbacks;
  for (std::size_t i = 0; i < n; ++i) {
    const double stretch = n == 1 ? 1.0 : 1.0 + 2.5 * static_cast<double>(i) / static_cast<double>(n - 1);
    lookbacks.push_back(std::min(most, static_cast<std::size_t>(std::lround(stretch * static_cast<double>(T)))));
  }
  return lookbacks;
}

// The ranges are the SettingRange table's (model_config.hpp), which import and the model file
// reader check too.
void validate_config(const ModelConfig& config) {
  for (const RangedValue& v : ranged_values(config)) {
    const SettingRange& r = *v.range;
    if (!r.contains(v.value)) {
      const std::string value = r.whole && v.value >= 0 && v.value < 0x1p64
                                    ? fmt::format("{}", static_cast<std::uint64_t>(v.value))
                                    : fmt::format("{}", v.value);
      throw UsageError(fmt::format("{} {} is out of range", r.name, value), r.option, r.advice());
    }
    if (&r == &settings::dropout && config.shape.dropout > 0.0 && config.shape.layers == 1) {
      throw UsageError("--dropout acts between stacked layers, and there is only one", "--dropout",
                       "add --layers 2 or more, or leave --dropout out");
    }
  }
}

namespace {

// The test scores of the network and the baselines, and of the chosen forecasters when some
// series are not forecast by the network (row "chosen", after the network's).
void score_test(const Frame& frame, const NetworkForecaster& network, const FitControl& control,
                TrainedModel& model) {
  EvalOptions options = eval_options(task_shape(model.config), model.config.split);
  options.stop = control.stop;
  try {
    const Evaluation evaluation = evaluate(frame, network, options);
    model.test.origins = evaluation.origins;
    model.test.methods.emplace_back(evaluation.model.method, evaluation.model.overall);
    if (model.selection.chooses_other_than(network.name())) {
      const ChosenForecaster chosen(network, model.selection, model.config.season, model.config.nonnegative);
      model.test.methods.emplace_back("chosen", evaluate(frame, chosen, options).model.overall);
    }
    for (const MethodScores* m : {&evaluation.naive, &evaluation.snaive}) {
      model.test.methods.emplace_back(m->method, m->overall);
    }
  } catch (const Interrupted&) {  // a stop request after training: the model, without its test scores
    model.test = TestScores{};
  }
}

}  // namespace

TrainedModel train_network(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                           const ProgressCallback& progress, const FitControl& control) {
  validate_config(config);
  PreparedData prepared = prepare_data(frame, config);
  check_memory(config, prepared, std::max<std::size_t>(1, control.side_by_side));
  TrainedModel model;
  model.config = config;
  model.data = data;
  model.scalers = prepared.scalers;
  model.use = prepared.use;
  model.profile = profile_data(frame);
  model.with_params([&](auto& params) { train_params(prepared, control, progress, model, params); });
  return model;
}

void finish_model(const Frame& frame, const FitControl& control, TrainedModel& model) {
  const ModelConfig& config = model.config;
  const bool stopped = model.summary.stop == StopReason::interrupted;  // a stop request wants out now
  NetworkForecaster forecaster(model, frame.source);
  forecaster.set_threads(config.train.threads);  // the test scores keep to --threads, as in backtest
  if (!stopped && config.split.has_validation()) {
    model.calibration = calibrate(frame, forecaster, config.split, task_shape(config));
    model.calibration.nonnegative = config.nonnegative;
    if (!forecaster.has_own_intervals()) {
      model.selection = select_by_validation(frame, forecaster, config.split, task_shape(config), control.fallback,
                                             config.nonnegative, config.train.threads);
    }
  }
  if (stopped || !control.score_test || model.use.tested == 0) return;
  score_test(frame, forecaster, control, model);
}

TrainedModel fit_model(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                       const ProgressCallback& progress, const FitControl& control) {
  TrainedModel model = train_network(frame, config, data, progress, control);
  finish_model(frame, control, model);
  return model;
}

ModelConfig every_row_config(ModelConfig config, std::size_t epochs) {
  config.split = SplitSpec{};
  config.split.val = config.split.test = 0.0;
  config.train.epochs = config.train.patience = epochs;  // no early stop: the epochs are chosen
  return config;
}

TrainedModel fit_final(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                       const ProgressCallback& progress, const FitControl& control) {
  if (!control.resume_path.empty()) {
    throw UsageError("--resume continues one training run, and --final makes two", "--resume, --final",
                     "resume without --final, or start again");
  }
  if (!config.split.has_validation() && !config.split.has_test()) {
    if (control.final_started) control.final_started(config.train.epochs);
    FitControl all_control = control;
    all_control.score_test = false;
    return fit_model(frame, every_row_config(config, config.train.epochs), data, progress, all_control);
  }
  TrainedModel split_run = fit_model(frame, config, data, progress, budget_share(control, 2));
  if (split_run.summary.stop == StopReason::interrupted) return split_run;
  return refit_on_every_row(frame, data, progress, control, std::move(split_run));
}

FitControl budget_share(const FitControl& control, int parts) {
  FitControl share = control;
  if (control.deadline) {
    const auto now = std::chrono::steady_clock::now();
    share.deadline = now + (*control.deadline - now) / parts;
  }
  return share;
}

TrainedModel refit_on_every_row(const Frame& frame, const DataConfig& data, const ProgressCallback& progress,
                                const FitControl& control, TrainedModel split_run) {
  const TrainSummary& s = split_run.summary;
  const ModelConfig every_row =
      every_row_config(split_run.config, s.validation_windows > 0 ? s.best_epoch : s.epochs_run);
  if (control.final_started) control.final_started(every_row.train.epochs);
  FitControl all_control = control;
  all_control.score_test = false;
  TrainedModel model = fit_model(frame, every_row, data, progress, all_control);
  if (model.summary.stop == StopReason::time && model.summary.epochs_run < every_row.train.epochs) {
    if (control.final_cut_short) control.final_cut_short(model.summary.epochs_run, every_row.train.epochs);
    return split_run;
  }
  model.test = split_run.test;
  model.calibration = split_run.calibration;
  model.selection = split_run.selection;  // chosen with the split run's network, on its validation part
  model.use.validated = split_run.use.validated;  // the parts of the split run; trained: of this run
  model.use.tested = split_run.use.tested;
  model.final_fit = FinalFit{every_row.train.epochs, split_run.config.split, s.epochs_run, s.best_loss};
  return model;
}

}  // namespace grucast
