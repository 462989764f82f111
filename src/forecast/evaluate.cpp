#include "grucast/forecast/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <array>
#include <numeric>

#include <fmt/format.h>

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

// A forecast that overflowed (inf or NaN) is refused rather than printed or scored.
void check_finite(const arma::mat& forecasts, const Frame& frame, const Series& series, const Forecaster& method) {
  if (forecasts.is_finite()) return;
  throw DataError(fmt::format("the {} forecast of {} is not a finite number (the values are near the limit of a "
                              "double, 1.8e308)", method.name(), frame.series_name(series)),
                  frame.source, "rescale the data, e.g. divide it by a power of ten");
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

Evaluation evaluate(const Frame& frame, const Forecaster& forecaster, const EvalOptions& options) {
  const TaskShape& shape = options.shape;
  check_scorable(frame, options);
  const Baseline naive(BaselineMethod::naive, shape.season);
  const Baseline snaive(BaselineMethod::snaive, shape.season);
  const std::array<const Forecaster*, 3> methods = {&forecaster, &naive, &snaive};
  std::vector<StepSums> pooled(methods.size(), StepSums(shape.horizon));
  // Origins are forecast in chunks of (K, chunk) values: memory stays bounded for any K and N,
  // and a stop request waits for one chunk at most.
  constexpr std::size_t kMaxChunkOrigins = std::size_t{1} << 15;
  const std::size_t chunk = std::clamp<std::size_t>(options.max_forecasts / shape.horizon, 1, kMaxChunkOrigins);

  Evaluation result;
  result.shape = shape;
  result.intervals = interval_scores(options);
  result.quantile_intervals = static_cast<bool>(options.bounds);
  arma::mat forecasts;
  std::vector<arma::mat> lower, upper;  // a method's own bounds, per level
  for (const Series& series : frame.series) {
    SeriesScores scores{series.id, split_series(series, options.split), 0, 0.0, {}};
    const auto range = origin_range(scores.split, Part::test, shape);
    if (!range) {  // a series of a panel too short for a test origin (check_scorable)
      ++result.unscored;
      continue;
    }
    // Forecasters see values filled from the past only: no interpolation across an origin.
    const Series causal = series.filled.empty() ? Series{} : without_lookahead(series, scores.split.n_train);
    const Series& history = series.filled.empty() ? series : causal;
    scores.scale = mase_scale(history.target(), scores.split.n_train, shape.season);
    std::vector<StepSums> own(methods.size(), StepSums(shape.horizon));  // this series' sums
    arma::mat half;
    if (options.calibration != nullptr) {
      const SeriesScale* s = options.calibration->scale_of(series.id);
      half = half_widths(options, s != nullptr ? s->scale : 1.0);
    }
    for (std::size_t first = range->first; first <= range->second; first += chunk) {
      if (options.stop != nullptr && options.stop->load()) {
        throw Interrupted("stopped while the test part was scored", series.id, "let the scoring finish");
      }
      std::vector<std::size_t> origins(std::min(chunk, range->second - first + 1));
      std::iota(origins.begin(), origins.end(), first);
      for (std::size_t i = 0; i < methods.size(); ++i) {
        methods[i]->forecast(history, origins, shape.horizon, forecasts);
        check_finite(forecasts, frame, series, *methods[i]);
        add_pairs(forecasts, origins, series, scores.scale, own[i]);
        if (i > 0) continue;
        if (options.bounds) {
          options.bounds(history, origins, shape.horizon, lower, upper);
          add_bounds_coverage(lower, upper, origins, series, result.intervals);
        } else {
          const bool nonnegative = options.calibration != nullptr && options.calibration->nonnegative;
          add_coverage(forecasts, origins, series, half, nonnegative, result.intervals);
        }
        if (options.forecast_sink) options.forecast_sink(series, origins, forecasts);
      }
      scores.origins += origins.size();
    }
    for (std::size_t i = 0; i < methods.size(); ++i) {
      for (std::size_t h = 0; h < shape.horizon; ++h) pooled[i][h].merge(own[i][h]);
    }
    scores.metrics = all_steps(own[0]).metrics();
    result.origins += scores.origins;
    result.series.push_back(std::move(scores));
  }
  result.model = method_scores(forecaster.name(), pooled[0]);
  result.naive = method_scores("naive", pooled[1]);
  result.snaive = method_scores("snaive", pooled[2]);
  for (const MethodScores* scores : {&result.model, &result.naive, &result.snaive}) check_metrics(frame, *scores);
  return result;
}

void check_forecastable(const Frame& frame, const Forecaster& forecaster, std::size_t horizon) {
  for (const Series& series : frame.series) {
    if (series.size() < forecaster.min_history()) {
      throw DataError(fmt::format("{} has {} rows, but the {} forecast needs at least {}", frame.series_name(series),
                                  series.size(), forecaster.name(), forecaster.min_history()),
                      frame.source, forecaster.short_history_hint());
    }
    const int offset = series.offset(series.size() - 1);
    advance(series.time.back() + offset, frame.frequency, static_cast<std::int64_t>(horizon));
  }
}

SeriesForecast forecast_series(const Frame& frame, const Series& series, const Forecaster& forecaster,
                               std::size_t horizon) {
  arma::mat out;
  const std::size_t end = series.size();
  forecaster.forecast(series, std::span<const std::size_t>(&end, 1), horizon, out);
  check_finite(out, frame, series, forecaster);
  // Calendar steps are taken in the series' own UTC offset (that of its last row).
  const int offset = series.offset(series.size() - 1);
  SeriesForecast f{series.id, {}, offset, out.col(0), {}};
  for (std::size_t h = 1; h <= horizon; ++h) {
    f.time.push_back(advance(series.time.back() + offset, frame.frequency, static_cast<std::int64_t>(h)) - offset);
  }
  return f;
}

std::vector<SeriesForecast> forecast_future(const Frame& frame, const Forecaster& forecaster, std::size_t horizon) {
  check_forecastable(frame, forecaster, horizon);
  std::vector<SeriesForecast> result;
  for (const Series& series : frame.series) result.push_back(forecast_series(frame, series, forecaster, horizon));
  return result;
}

}  // namespace grucast
