// Rolling-origin evaluation on the test part (docs/benchmarks.md, "The protocol"), beside naive and snaive.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "grucast/data/split.hpp"
#include "grucast/forecast/baselines.hpp"
#include "grucast/forecast/intervals.hpp"
#include "grucast/forecast/metrics.hpp"

namespace grucast {

/// Receives forecasts as evaluate() makes them: the series (with its actuals), the origins t of a
/// chunk, and the evaluated method's forecasts (K, origins) in original units, column j from
/// origins[j] (row origins[j] + h − 1 of the series at step h). Called once per chunk, series by
/// series and origins in increasing order; the matrix is reused after the call returns.
using ForecastSink =
    std::function<void(const Series& series, std::span<const std::size_t> origins, const arma::mat& forecasts)>;

/// A method's own interval bounds (a quantile model's): for the origins of `series`, lower and
/// upper (horizon, origins) at each of the options' levels, in original units.
using BoundsSource = std::function<void(const Series& series, std::span<const std::size_t> origins,
                                        std::size_t horizon, std::vector<arma::mat>& lower,
                                        std::vector<arma::mat>& upper)>;

struct EvalOptions {
  TaskShape shape;  ///< lookback T, horizon K, season m (m also sets the MASE scale)
  SplitSpec split;
  std::size_t max_forecasts = std::size_t{1} << 22;  ///< forecasts held at once (origins × K): bounds memory
  std::string too_short_hint;  ///< advice for a series too short for the split; empty: check_split's
  const Calibration* calibration = nullptr;  ///< with levels: score the method's prediction intervals
  std::vector<double> levels;                ///< interval levels, checked against the calibration
  BoundsSource bounds;  ///< with levels, instead of a calibration: score the method's own intervals
  ForecastSink forecast_sink;  ///< empty: the forecasts are only scored
  /// Baselines scored beside naive and snaive (Evaluation::more_baselines), e.g. the classical ones.
  std::vector<BaselineMethod> more_baselines;
  const std::atomic<bool>* stop = nullptr;  ///< a stop request ends evaluate() with Interrupted
};

/// The options for a task and split, every other field at its default.
inline EvalOptions eval_options(const TaskShape& shape, const SplitSpec& split) {
  EvalOptions options;
  options.shape = shape;
  options.split = split;
  return options;
}

/// One method's metrics over all test origins and steps, and per step h = 1..K.
struct MethodScores {
  std::string method;
  Metrics overall;
  std::vector<Metrics> per_step;  ///< (K)
  std::vector<ErrorSums> step_sums;  ///< (K) the sums behind per_step, to pool with other evaluations
};

/// A method's scores from its error sums per step h = 1..K.
MethodScores method_scores(std::string method, const std::vector<ErrorSums>& step_sums);

/// One series' part of the evaluation.
struct SeriesScores {
  std::string id;
  SplitPoints split;
  std::size_t origins = 0;
  double scale = 0.0;  ///< MASE scale s (NaN when undefined)
  Metrics metrics;     ///< of the evaluated method
};

/// How the method's prediction intervals at one level did on the test part.
struct IntervalScore {
  double level = 0.0;
  std::vector<std::size_t> count;    ///< (K) actuals scored per step
  std::vector<std::size_t> covered;  ///< (K) of them inside [lower, upper]
  std::vector<double> width;         ///< (K) sums of upper − lower
  double coverage() const;           ///< covered / count over all steps (NaN when nothing was scored)
  double mean_width() const;         ///< mean upper − lower over all steps
  double step_coverage(std::size_t h) const;
  /// Adds another score of the same level and K (another fold's).
  void merge(const IntervalScore& other);
};

struct Evaluation {
  TaskShape shape;
  std::size_t origins = 0;  ///< test origins over all series
  std::size_t unscored = 0;  ///< series of a panel too short for a test origin, left out
  MethodScores model;       ///< the forecaster evaluated
  MethodScores naive;
  MethodScores snaive;
  /// EvalOptions::more_baselines' scores, in their order; one whose forecasts or metrics are not
  /// finite numbers somewhere (values near a double's limit) is left out rather than refused.
  std::vector<MethodScores> more_baselines;
  std::vector<SeriesScores> series;
  std::vector<IntervalScore> intervals;  ///< one per level of EvalOptions::levels
  bool quantile_intervals = false;       ///< the intervals are the method's own bounds (EvalOptions::bounds)
};

/// Forecasts from every test origin t = n_train + n_val .. N − K of every series and scores
/// all K steps against the actuals, pooling over series. One series is checked first
/// (check_split), so a short one fails before any work; of several, those without a test origin
/// are left out (Evaluation::unscored), and none with one fails. The origins of consecutive series
/// are forecast together (Forecaster::forecast_batch), up to max_forecasts / K at once. A stop
/// request (EvalOptions::stop), looked at before each such batch, ends it with Interrupted.
Evaluation evaluate(const Frame& frame, const Forecaster& forecaster, const EvalOptions& options);

/// The K values after the end of one series, with their future timestamps.
struct SeriesForecast {
  std::string id;
  std::vector<TimePoint> time;  ///< (K) UTC
  int offset = 0;               ///< UTC offset the timestamps are written in (the last row's)
  arma::vec values;             ///< (K) original units
  std::vector<IntervalBand> intervals;  ///< prediction intervals, one per level asked for
  /// The forecaster's name where the output names it (a panel's forecasts by a model, some by a
  /// fallback baseline); "" where it does not.
  std::string method;
};

/// A DataError unless every series can be forecast `horizon` steps: at least the forecaster's
/// min_history() rows, and future timestamps within the year 9999.
void check_forecastable(const Frame& frame, const Forecaster& forecaster, std::size_t horizon);
/// Series forecast_future gives to one forecast_batch: a network's batched pass over their last
/// windows, with memory bounded by the series per pass, not by the number of series.
inline constexpr std::size_t kSeriesPerPass = 4096;

/// The `horizon` values after the last row of one series (checked by check_forecastable).
SeriesForecast forecast_series(const Frame& frame, const Series& series, const Forecaster& forecaster,
                               std::size_t horizon);
/// forecast_series for each of `series` (of `frame`), by one Forecaster::forecast_batch: the
/// same values, in the same order.
std::vector<SeriesForecast> forecast_series_batch(const Frame& frame, std::span<const Series* const> series,
                                                  const Forecaster& forecaster, std::size_t horizon);
/// check_forecastable, then forecast_series for every series, kSeriesPerPass at a time.
std::vector<SeriesForecast> forecast_future(const Frame& frame, const Forecaster& forecaster, std::size_t horizon);

}  // namespace grucast
