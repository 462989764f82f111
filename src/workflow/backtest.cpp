#include "grucast/workflow/backtest.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <type_traits>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"

namespace grucast {

namespace {

constexpr auto kRefitNames = std::to_array<Named<Refit>>({{Refit::every, "every"}, {Refit::once, "once"}});

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Fold f of F over origins [begin, end): the f-th of F equal blocks, or the f-th of the last F
// blocks of `stride` origins. Empty (first == end) when there are too few origins.
std::pair<std::size_t, std::size_t> fold_origins(std::size_t begin, std::size_t end, std::size_t f,
                                                 const BacktestSpec& spec) {
  const std::size_t F = spec.folds;
  if (spec.stride == 0) {
    const std::size_t n = end - begin;
    return {begin + f * n / F, begin + (f + 1) * n / F};
  }
  const std::size_t from_end = (F - f) * spec.stride;
  if (from_end > end) return {0, 0};
  return {end - from_end, end - from_end + spec.stride};
}

// The first fold of a series must leave a training window, more than m rows (the MASE scale)
// and K validation rows when there is a validation part.
std::optional<DataError> first_fold_problem(const Frame& frame, const Series& series, const FoldRows& fold,
                                           const SplitSpec& split, const TaskShape& shape, const BacktestSpec& spec) {
  const SplitPoints& p = fold.split;
  if (p.n_train >= shape.history() + shape.horizon && p.n_train > shape.season &&
      (!split.has_validation() || p.n_val >= shape.horizon)) {
    return std::nullopt;
  }
  const std::string lag = shape.lag > 0 ? fmt::format(" + {} for the transform", shape.lag) : "";
  return DataError(
      fmt::format("{} has {} rows; its first fold starts at row {}, which leaves {} training and {} validation rows, "
                  "but training needs at least {} (lookback {}{} + horizon {}, and more than season {}){}",
                  frame.series_name(series), series.size(), fold.first + 1, p.n_train, p.n_val,
                  std::max(shape.history() + shape.horizon, shape.season + 1), shape.lookback, lag, shape.horizon,
                  shape.season, split.has_validation() ? fmt::format(" and {} validation rows", shape.horizon) : ""),
      frame.source,
      spec.stride == 0 ? "use a smaller --test, fewer --folds, or a shorter --lookback or --horizon"
                       : "use a smaller --stride or fewer --folds, or a shorter --lookback or --horizon");
}

// Everything of `frame` but its series.
Frame without_series(const Frame& frame) {
  Frame empty;
  empty.source = frame.source;
  empty.columns = frame.columns;
  empty.time_column = frame.time_column;
  empty.id_column = frame.id_column;
  empty.header_line = frame.header_line;
  empty.time_format = frame.time_format;
  empty.frequency = frame.frequency;
  empty.report = frame.report;
  return empty;
}

// The series' first `rows` rows.
Series cut_series(const Series& series, std::size_t rows) {
  const auto first = [rows](const auto& v, std::size_t per_row = 1) {
    using Vector = std::decay_t<decltype(v)>;
    return v.empty() ? Vector{} : Vector(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(rows * per_row));
  };
  Series cut;
  cut.id = series.id;
  cut.time = first(series.time);
  cut.values = series.values.cols(0, rows - 1);
  cut.lines = first(series.lines);
  cut.offsets = first(series.offsets);
  cut.filled = first(series.filled, series.values.n_rows);
  return cut;
}

// The frame every series of which ends with the fold's last target.
// `causal`: training data, in which no filled value looks past the fold's first origin.
Frame fold_frame(const Frame& frame, const std::vector<FoldRows>& fold, std::size_t horizon, bool causal) {
  Frame cut = without_series(frame);
  for (std::size_t s = 0; s < frame.series.size(); ++s) {
    Series series = cut_series(frame.series[s], fold[s].end + horizon - 1);
    if (causal && !series.filled.empty()) series = without_lookahead(series, fold[s].first);
    cut.series.push_back(std::move(series));
  }
  return cut;
}

SplitSpec fold_split(const Frame& frame, const std::vector<FoldRows>& fold, const SplitSpec& split) {
  SplitSpec spec;
  spec.val = split.val;
  spec.val_rows = split.val_rows;
  for (std::size_t s = 0; s < frame.series.size(); ++s) spec.rows[frame.series[s].id] = fold[s].split;
  return spec;
}

// The earliest and the latest origin of the fold, as the last rows seen, written as in the input.
void describe_origins(const Frame& frame, const std::vector<FoldRows>& fold, FoldScores& scores) {
  std::size_t early = 0, late = 0;
  for (std::size_t s = 0; s < fold.size(); ++s) {
    const auto& time = frame.series[s].time;
    if (time[fold[s].first - 1] < frame.series[early].time[fold[early].first - 1]) early = s;
    if (time[fold[s].end - 2] > frame.series[late].time[fold[late].end - 2]) late = s;
  }
  scores.first_origin = frame.written_time(frame.series[early], fold[early].first - 1);
  scores.last_origin = frame.written_time(frame.series[late], fold[late].end - 2);
}

struct Pooled {
  std::vector<std::vector<ErrorSums>> sums;  // model, naive, snaive: (K) each
  std::vector<IntervalScore> intervals;

  void add(const Evaluation& e) {
    const std::array<const MethodScores*, 3> methods = {&e.model, &e.naive, &e.snaive};
    sums.resize(3, std::vector<ErrorSums>(e.shape.horizon));
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t h = 0; h < e.shape.horizon; ++h) sums[i][h].merge(methods[i]->step_sums[h]);
    }
    if (intervals.empty()) {
      intervals = e.intervals;
    } else {
      for (std::size_t l = 0; l < intervals.size(); ++l) intervals[l].merge(e.intervals[l]);
    }
  }
};

}  // namespace

Refit parse_refit(const std::string& text) {
  if (const auto refit = value_of(kRefitNames, text)) return *refit;
  throw UsageError(fmt::format("unknown refit policy '{}'", text), "--refit",
                   "use every (train a model per fold) or once (train on the first fold's rows and reuse it)");
}

std::string refit_name(Refit refit) { return name_of(kRefitNames, refit); }

std::vector<std::vector<FoldRows>> plan_folds(const Frame& frame, const SplitSpec& split, const TaskShape& shape,
                                              const BacktestSpec& spec) {
  std::vector<std::vector<FoldRows>> folds(spec.folds);
  for (const Series& series : frame.series) {
    const SplitPoints whole = split_series(series, split);
    const std::size_t n = series.size();
    const std::size_t end = n >= shape.horizon ? n - shape.horizon + 1 : 0;  // one past the last origin
    const std::size_t begin = std::min(spec.stride == 0 ? whole.test_begin() : 0, end);
    const std::size_t available = spec.stride == 0 ? end - begin : end / spec.stride;
    if (available < spec.folds) {
      const std::string needed = spec.stride == 0 ? fmt::format("--folds {} (one origin each)", spec.folds)
                                                  : fmt::format("the {} of --folds {} x --stride {}",
                                                                spec.folds * spec.stride, spec.folds, spec.stride);
      throw DataError(fmt::format("{} has {} forecast origins{}, fewer than {}", frame.series_name(series),
                                  spec.stride == 0 ? available : end, spec.stride == 0 ? " in its test part" : "",
                                  needed),
                      frame.source,
                      spec.stride == 0 ? "use fewer --folds or a larger --test" : "use fewer --folds or a smaller --stride");
    }
    for (std::size_t f = 0; f < spec.folds; ++f) {
      FoldRows fold;
      std::tie(fold.first, fold.end) = fold_origins(begin, end, f, spec);
      fold.split.n_val = std::min(whole.n_val, fold.first);
      fold.split.n_train = fold.first - fold.split.n_val;
      fold.split.n_test = fold.end + shape.horizon - 1 - fold.first;
      if (f == 0) {
        if (auto problem = first_fold_problem(frame, series, fold, split, shape, spec)) throw *problem;
      }
      folds[f].push_back(fold);
    }
  }
  return folds;
}

std::vector<std::string> too_short_for_folds(const Frame& frame, const SplitSpec& split, const TaskShape& shape,
                                             const BacktestSpec& spec, Frame& kept) {
  std::vector<std::string> left_out;
  if (frame.series.size() < 2) return left_out;
  std::optional<DataError> longest;  // why the longest series does not fit
  std::size_t longest_rows = 0;
  std::vector<bool> fits(frame.series.size());
  Frame one = without_series(frame);
  for (std::size_t s = 0; s < frame.series.size(); ++s) {
    one.series.assign(1, frame.series[s]);
    try {
      plan_folds(one, split, shape, spec);
      fits[s] = true;
    } catch (const DataError& e) {
      if (!longest || frame.series[s].size() > longest_rows) longest = e, longest_rows = frame.series[s].size();
      left_out.push_back(frame.series[s].id);
    }
  }
  if (left_out.size() == frame.series.size()) throw *longest;
  if (left_out.empty()) return left_out;
  kept = without_series(frame);
  for (std::size_t s = 0; s < frame.series.size(); ++s) {
    if (fits[s]) kept.series.push_back(frame.series[s]);
  }
  return left_out;
}

std::optional<EnsembleObstacle> backtest_ensemble_obstacle(const ModelConfig& config, const BacktestSpec& spec) {
  if (spec.warm_start) return EnsembleObstacle{"--warm-start", "start each fold from the last fold's model"};
  return ensemble_obstacle(config, FitControl{});
}

namespace {

// The fold's model: trained on the rows before the fold, or the one already trained.
void train_fold(const Frame& frame, const std::vector<FoldRows>& fold, const ModelConfig& config,
                const DataConfig& data, const BacktestControl& control, const BacktestSpec& spec,
                std::optional<TrainedModel>& model) {
  const Frame train_frame = fold_frame(frame, fold, config.shape.outputs, true);
  ModelConfig fold_config = config;
  fold_config.split = fold_split(frame, fold, config.split);
  FitControl fit;
  fit.stop = control.stop;
  fit.score_test = false;
  std::optional<TrainedModel> previous;
  if (spec.warm_start && model) {
    previous = std::move(model);
    fit.warm_start = &*previous;
  }
  model = spec.ensemble > 1 ? fit_ensemble(train_frame, fold_config, data, spec.ensemble, false, control.progress, fit)
                            : fit_model(train_frame, fold_config, data, control.progress, fit);
}

}  // namespace

Backtest backtest(const Frame& whole_frame, const ModelConfig& config, const DataConfig& data,
                  const BacktestSpec& spec, const BacktestControl& control) {
  validate_config(config);
  if (config.train.loss == LossKind::quantile && !spec.levels.empty()) {
    throw UsageError("backtest --intervals scores conformal intervals, and a model trained with --loss quantile has "
                     "its own", "--intervals",
                     "leave --intervals out (forecast and evaluate give a quantile model's intervals), or use another "
                     "--loss");
  }
  if (spec.ensemble > 1) {
    if (const auto obstacle = backtest_ensemble_obstacle(config, spec)) throw ensemble_refusal(*obstacle);
  }
  Backtest result;
  result.spec = spec;
  result.shape = task_shape(config);
  Frame kept;
  result.left_out = too_short_for_folds(whole_frame, config.split, result.shape, spec, kept);
  const Frame& frame = result.left_out.empty() ? whole_frame : kept;
  const std::vector<std::vector<FoldRows>> plan = plan_folds(frame, config.split, result.shape, spec);
  std::optional<TrainedModel> model;
  std::size_t model_rows = 0;  // training rows of the model in use
  Pooled pooled;
  for (std::size_t f = 0; f < plan.size(); ++f) {
    FoldScores scores;
    scores.trained = f == 0 || spec.refit == Refit::every;
    if (control.fold_start) control.fold_start(f + 1, scores.trained);
    auto start = Clock::now();
    if (scores.trained) {
      train_fold(frame, plan[f], config, data, control, spec, model);
      model_rows = 0;
      for (const FoldRows& rows : plan[f]) model_rows += rows.split.n_train;
    }
    result.train_seconds += seconds_since(start);
    if (model->summary.stop == StopReason::interrupted) {
      throw Interrupted(fmt::format("the backtest was stopped while training fold {} of {}", f + 1, plan.size()),
                        frame.source, "let it finish, or use fewer --folds or --refit once");
    }
    start = Clock::now();
    const Frame test_frame = fold_frame(frame, plan[f], config.shape.outputs, false);
    EvalOptions options = eval_options(result.shape, fold_split(frame, plan[f], config.split));
    if (!spec.levels.empty()) {
      check_calibration(model->calibration, result.shape.horizon, spec.levels,
                        fmt::format("{} (fold {})", frame.source, f + 1),
                        "give --val above 0: each fold's model is calibrated on its validation part");
      options.levels = spec.levels;
      options.calibration = &model->calibration;
    }
    if (control.sink) {
      options.forecast_sink = [&](const Series& series, std::span<const std::size_t> origins, const arma::mat& out) {
        control.sink(f + 1, options.calibration, series, origins, out);
      };
    }
    NetworkForecaster forecaster(*model, frame.source);
    forecaster.set_threads(config.train.threads);
    scores.evaluation = evaluate(test_frame, forecaster, options);
    result.evaluate_seconds += seconds_since(start);
    scores.origins = scores.evaluation.origins;
    describe_origins(frame, plan[f], scores);
    scores.train_rows = model_rows;
    scores.summary = model->summary;
    result.origins += scores.origins;
    pooled.add(scores.evaluation);
    result.folds.push_back(std::move(scores));
  }
  result.model = method_scores(result.folds.front().evaluation.model.method, pooled.sums[0]);
  result.naive = method_scores("naive", pooled.sums[1]);
  result.snaive = method_scores("snaive", pooled.sums[2]);
  result.intervals = pooled.intervals;
  return result;
}

}  // namespace grucast
