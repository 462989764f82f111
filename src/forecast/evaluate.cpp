#include "grucast/forecast/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <array>
#include <deque>
#include <memory>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "forecast/finite_check.hpp"
#include "grucast/forecast/nonnegative.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

namespace {

using StepSums = std::vector<ErrorSums>;  // (K) error sums of one method, one per step h

// Adds forecasts (K, origins) from origins t, scored against the target's rows t .. t + K − 1,
// to `steps`. An actual that --missing filled in is not scored, only counted.
void add_pairs(const arma::mat& forecasts, std::span<const std::size_t> origins, const Series& series, double scale,
               StepSums& steps) {
  for (std::size_t j = 0; j < origins.size(); ++j) {
    for (std::size_t h = 0; h < steps.size(); ++h) {
      const std::size_t row = origins[j] + h;
      if (series.is_filled(0, row)) {
        steps[h].skip_filled();
      } else {
        steps[h].add(forecasts(h, j), series.values(0, row), scale);
      }
    }
  }
}

ErrorSums all_steps(const StepSums& steps) {
  ErrorSums all;
  for (const ErrorSums& step : steps) all.merge(step);
  return all;
}

// An infinite metric is refused rather than printed. MAE and RMSE overflow when the errors are
// near a double's limit; MAPE and MASE, ratios, when what they divide by is near 0.
void check_metrics(const Frame& frame, const MethodScores& scores) {
  const Metrics& m = scores.overall;
  if (std::isinf(m.mae) || std::isinf(m.rmse)) {
    throw DataError(fmt::format("the {} metrics overflow a double (the values or errors are near 1.8e308)",
                                scores.method),
                    frame.source, "rescale the data, e.g. divide it by a power of ten");
  }
  if (std::isinf(m.mape)) {
    throw DataError(fmt::format("the {} MAPE overflows a double: an error is over 1e306 times its actual value, "
                                "which is that near 0", scores.method),
                    frame.source, "write 0 for actual values that mean zero (MAPE leaves zeros out)");
  }
  if (std::isinf(m.mase)) {
    throw DataError(fmt::format("the {} MASE overflows a double: the mean naive error of the training part, which "
                                "it divides by, is near 0", scores.method),
                    frame.source, "check the training part: its values hardly change");
  }
}

// Half-widths q_h·s of every level and step for a series of scale s: (levels, K).
arma::mat half_widths(const EvalOptions& options, double scale) {
  arma::mat half(options.levels.size(), options.shape.horizon);
  for (std::size_t l = 0; l < options.levels.size(); ++l) {
    for (std::size_t h = 0; h < options.shape.horizon; ++h) {
      half(l, h) = conformal_quantile(options.calibration->steps.at(h), options.levels[l], h) * scale;
    }
  }
  return half;
}

// Whether each scored actual lies in [ŷ − q_h·s, ŷ + q_h·s], and the width 2·q_h·s; with
// `nonnegative`, in those bounds raised to 0 (interval_bands' bounds), and their width.
void add_coverage(const arma::mat& forecasts, std::span<const std::size_t> origins, const Series& series,
                  const arma::mat& half, bool nonnegative, std::vector<IntervalScore>& scores) {
  for (std::size_t l = 0; l < scores.size(); ++l) {
    IntervalScore& score = scores[l];
    for (std::size_t j = 0; j < origins.size(); ++j) {
      for (std::size_t h = 0; h < forecasts.n_rows; ++h) {
        const std::size_t row = origins[j] + h;
        if (series.is_filled(0, row)) continue;
        const double y = series.values(0, row), f = forecasts(h, j);
        score.count[h] += 1;
        if (nonnegative) {
          const double lower = at_least_zero(f - half(l, h)), upper = at_least_zero(f + half(l, h));
          score.covered[h] += lower <= y && y <= upper ? 1 : 0;
          score.width[h] += upper - lower;
          continue;
        }
        score.covered[h] += std::abs(y - f) <= half(l, h) ? 1 : 0;
        score.width[h] += 2.0 * half(l, h);
      }
    }
  }
}

// Whether each scored actual lies in [lower, upper] (a method's own bounds), and the width.
void add_bounds_coverage(const std::vector<arma::mat>& lower, const std::vector<arma::mat>& upper,
                         std::span<const std::size_t> origins, const Series& series,
                         std::vector<IntervalScore>& scores) {
  for (std::size_t l = 0; l < scores.size(); ++l) {
    IntervalScore& score = scores[l];
    for (std::size_t j = 0; j < origins.size(); ++j) {
      for (std::size_t h = 0; h < lower[l].n_rows; ++h) {
        const std::size_t row = origins[j] + h;
        if (series.is_filled(0, row)) continue;
        const double y = series.values(0, row);
        score.count[h] += 1;
        score.covered[h] += lower[l](h, j) <= y && y <= upper[l](h, j) ? 1 : 0;
        score.width[h] += upper[l](h, j) - lower[l](h, j);
      }
    }
  }
}

std::vector<IntervalScore> interval_scores(const EvalOptions& options) {
  std::vector<IntervalScore> scores;
  if (options.calibration == nullptr && !options.bounds) return scores;
  const std::size_t K = options.shape.horizon;
  for (const double level : options.levels) {
    scores.push_back({level, std::vector<std::size_t>(K), std::vector<std::size_t>(K), std::vector<double>(K)});
  }
  return scores;
}

// One series must fit the split; of several, at least one must have a test origin (the
// others are left out of the scores).
void check_scorable(const Frame& frame, const EvalOptions& options) {
  options.split.validate();
  if (!options.split.has_test()) {
    throw UsageError("there is no test part to score (--test 0)", "--test",
                     "give a test part, e.g. --test 0.2 or --test 13 (rows)");
  }
  if (frame.series.size() == 1) check_split(frame, frame.series.front(), options.split, options.shape,
                                            options.too_short_hint);
  for (const Series& series : frame.series) {
    if (origin_range(split_series(series, options.split), Part::test, options.shape)) return;
  }
  check_split(frame, frame.series.front(), options.split, options.shape, options.too_short_hint);
  throw DataError("no series has a test origin", frame.source, "use a larger --test");  // not reached
}

}  // namespace

// A forecast that overflowed (inf or NaN) is refused rather than printed or scored.
void check_finite(const arma::mat& forecasts, const Frame& frame, const Series& series, const Forecaster& method) {
  if (forecasts.is_finite()) return;
  throw DataError(fmt::format("the {} forecast of {} is not a finite number (the values are near the limit of a "
                              "double, 1.8e308)", method.name(), frame.series_name(series)),
                  frame.source, "rescale the data, e.g. divide it by a power of ten");
}

MethodScores method_scores(std::string method, const std::vector<ErrorSums>& step_sums) {
  MethodScores s{std::move(method), all_steps(step_sums).metrics(), {}, step_sums};
  for (const ErrorSums& step : step_sums) s.per_step.push_back(step.metrics());
  return s;
}

void IntervalScore::merge(const IntervalScore& other) {
  for (std::size_t h = 0; h < count.size(); ++h) {
    count[h] += other.count.at(h);
    covered[h] += other.covered.at(h);
    width[h] += other.width.at(h);
  }
}

double IntervalScore::coverage() const {
  const double n = static_cast<double>(std::accumulate(count.begin(), count.end(), std::size_t{0}));
  return static_cast<double>(std::accumulate(covered.begin(), covered.end(), std::size_t{0})) / n;
}

double IntervalScore::mean_width() const {
  const double n = static_cast<double>(std::accumulate(count.begin(), count.end(), std::size_t{0}));
  return std::accumulate(width.begin(), width.end(), 0.0) / n;
}

double IntervalScore::step_coverage(std::size_t h) const {
  return static_cast<double>(covered.at(h)) / static_cast<double>(count.at(h));
}

namespace {

// One series being scored: its split, the history its forecasters see, its scale, the
// half-widths of its intervals and its own error sums (model, naive, snaive).
struct SeriesRun {
  const Series* series = nullptr;
  Series causal;  // without_lookahead(series, n_train) when --missing filled values
  SeriesScores scores;
  std::vector<StepSums> own;
  arma::mat half;
  bool done = false;
  const Series& history() const { return series->filled.empty() ? *series : causal; }
};

// Consecutive test origins of one series: [first, first + count).
struct Piece {
  SeriesRun* run = nullptr;
  std::size_t first = 0, count = 0;
  bool last = false;  // the series' last piece
};

// Scores pieces of many series together: the evaluated method forecasts all their origins in
// one forecast_batch (a network runs them as one batched pass), the baselines piece by piece;
// every sum is then added in the order of the series and origins, as one series at a time would.
class Scorer {
 public:
  Scorer(const Frame& frame, const Forecaster& forecaster, const EvalOptions& options)
      : frame_(frame), options_(options), naive_(BaselineMethod::naive, options.shape.season),
        snaive_(BaselineMethod::snaive, options.shape.season), methods_{&forecaster, &naive_, &snaive_} {
    for (BaselineMethod method : options.more_baselines) {
      more_.push_back(make_baseline(method, options.shape.season));
      methods_.push_back(more_.back().get());
    }
    pooled_.assign(methods_.size(), StepSums(options.shape.horizon));
    finite_.assign(methods_.size(), true);
    result_.shape = options.shape;
    result_.intervals = interval_scores(options);
    result_.quantile_intervals = static_cast<bool>(options.bounds);
    if (options.calibration != nullptr) scales_ = options.calibration->scales_by_id();
  }

  SeriesRun start(const Series& series) const {
    SeriesRun run{&series, {}, {series.id, split_series(series, options_.split), 0, 0.0, {}},
                  std::vector<StepSums>(methods_.size(), StepSums(options_.shape.horizon)), {}, false};
    // Forecasters see values filled from the past only: no interpolation across an origin.
    if (!series.filled.empty()) run.causal = without_lookahead(series, run.scores.split.n_train);
    run.scores.scale = mase_scale(run.history().target(), run.scores.split.n_train, options_.shape.season);
    if (options_.calibration != nullptr) run.half = half_widths(options_, calibration_scale(run));
    return run;
  }

  void score(std::span<const Piece> pieces) {
    if (pieces.empty()) return;
    if (options_.stop != nullptr && options_.stop->load()) {
      throw Interrupted("stopped while the test part was scored", pieces.front().run->series->id,
                        "let the scoring finish");
    }
    std::vector<std::size_t> origins;
    for (const Piece& p : pieces) {
      for (std::size_t i = 0; i < p.count; ++i) origins.push_back(p.first + i);
    }
    std::vector<SeriesOrigins> groups;
    for (std::size_t i = 0, at = 0; i < pieces.size(); at += pieces[i++].count) {
      groups.push_back({&pieces[i].run->history(), std::span<const std::size_t>(origins).subspan(at, pieces[i].count)});
    }
    methods_[0]->forecast_batch(groups, options_.shape.horizon, forecasts_);
    for (std::size_t i = 0, column = 0; i < pieces.size(); column += pieces[i++].count) {
      const arma::mat part(forecasts_.colptr(column), forecasts_.n_rows, pieces[i].count, false, true);
      score_model(*pieces[i].run, groups[i].origins, part);
    }
    for (std::size_t i = 0; i < pieces.size(); ++i) {  // the model's forecasts are no longer needed
      SeriesRun& run = *pieces[i].run;
      for (std::size_t m = 1; m < methods_.size(); ++m) {
        if (!finite_[m]) continue;
        methods_[m]->forecast(run.history(), groups[i].origins, options_.shape.horizon, forecasts_);
        if (m >= kFixedMethods && !forecasts_.is_finite()) {
          finite_[m] = false;
          continue;
        }
        check_finite(forecasts_, frame_, *run.series, *methods_[m]);
        add_pairs(forecasts_, groups[i].origins, *run.series, run.scores.scale, run.own[m]);
      }
      run.scores.origins += pieces[i].count;
      if (pieces[i].last) finish(run);
    }
  }

  void skip() { ++result_.unscored; }

  Evaluation result() {
    result_.model = method_scores(methods_[0]->name(), pooled_[0]);
    result_.naive = method_scores("naive", pooled_[1]);
    result_.snaive = method_scores("snaive", pooled_[2]);
    for (const MethodScores* scores : {&result_.model, &result_.naive, &result_.snaive}) check_metrics(frame_, *scores);
    for (std::size_t m = kFixedMethods; m < methods_.size(); ++m) {
      MethodScores scores = method_scores(methods_[m]->name(), pooled_[m]);
      if (finite_[m] && std::isfinite(scores.overall.mae) && std::isfinite(scores.overall.rmse))
        result_.more_baselines.push_back(std::move(scores));
    }
    return std::move(result_);
  }

 private:
  // A series the calibration lacks (one the model was not trained on) is scaled by its own
  // training part, as the calibration scales the series it holds.
  double calibration_scale(const SeriesRun& run) const {
    if (const auto s = scales_.find(run.series->id); s != scales_.end()) return s->second;
    return std::isfinite(run.scores.scale) && run.scores.scale > 0.0 ? run.scores.scale : 1.0;
  }

  void score_model(SeriesRun& run, std::span<const std::size_t> origins, const arma::mat& forecasts) {
    check_finite(forecasts, frame_, *run.series, *methods_[0]);
    add_pairs(forecasts, origins, *run.series, run.scores.scale, run.own[0]);
    if (options_.bounds) {
      options_.bounds(run.history(), origins, options_.shape.horizon, lower_, upper_);
      add_bounds_coverage(lower_, upper_, origins, *run.series, result_.intervals);
    } else {
      const bool nonnegative = options_.calibration != nullptr && options_.calibration->nonnegative;
      add_coverage(forecasts, origins, *run.series, run.half, nonnegative, result_.intervals);
    }
    if (options_.forecast_sink) options_.forecast_sink(*run.series, origins, forecasts);
  }

  void finish(SeriesRun& run) {
    for (std::size_t i = 0; i < methods_.size(); ++i) {
      for (std::size_t h = 0; h < options_.shape.horizon; ++h) pooled_[i][h].merge(run.own[i][h]);
    }
    run.scores.metrics = all_steps(run.own[0]).metrics();
    result_.origins += run.scores.origins;
    result_.series.push_back(std::move(run.scores));
    run.done = true;
  }

  const Frame& frame_;
  const EvalOptions& options_;
  static constexpr std::size_t kFixedMethods = 3;  // the evaluated method, naive, snaive
  const Baseline naive_, snaive_;
  std::vector<std::unique_ptr<Forecaster>> more_;  // EvalOptions::more_baselines
  std::vector<const Forecaster*> methods_;
  std::vector<StepSums> pooled_;
  std::vector<bool> finite_;  // false: a method gave a forecast that is not finite, and is left out
  std::unordered_map<std::string_view, double> scales_;  // the calibration's, by series id
  Evaluation result_;
  arma::mat forecasts_;
  std::vector<arma::mat> lower_, upper_;  // a method's own bounds, per level
};

}  // namespace

// Origins are forecast in pieces of at most `chunk` per series, and pieces of consecutive
// series are forecast together up to `chunk` origins, as (K, chunk) values: memory stays
// bounded for any K, N and number of series, and a stop request waits for one batch at most.
Evaluation evaluate(const Frame& frame, const Forecaster& forecaster, const EvalOptions& options) {
  const TaskShape& shape = options.shape;
  check_scorable(frame, options);
  constexpr std::size_t kMaxChunkOrigins = std::size_t{1} << 15;
  const std::size_t chunk = std::clamp<std::size_t>(options.max_forecasts / shape.horizon, 1, kMaxChunkOrigins);
  Scorer scorer(frame, forecaster, options);
  std::deque<SeriesRun> runs;  // the series in the batch being gathered, and those still to finish
  std::vector<Piece> pieces;
  std::size_t pending = 0;
  for (const Series& series : frame.series) {
    const auto range = origin_range(split_series(series, options.split), Part::test, shape);
    if (!range) {  // a series of a panel too short for a test origin (check_scorable)
      scorer.skip();
      continue;
    }
    SeriesRun& run = runs.emplace_back(scorer.start(series));
    for (std::size_t first = range->first; first <= range->second; first += chunk) {
      const std::size_t count = std::min(chunk, range->second - first + 1);
      if (pending + count > chunk) {
        scorer.score(pieces);
        pieces.clear();
        pending = 0;
        while (runs.front().done) runs.pop_front();
      }
      pieces.push_back({&run, first, count, first + count > range->second});
      pending += count;
    }
  }
  scorer.score(pieces);
  return scorer.result();
}

}  // namespace grucast
