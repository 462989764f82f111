// Prediction intervals by split conformal prediction: the residuals of the forecasts from the
// validation origins, per horizon step, give each step's interval half-width at a level.
#pragma once

#include <armadillo>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/split.hpp"
#include "grucast/forecast/baselines.hpp"

namespace grucast {

/// The sorted scaled residuals of one horizon step h: r = |y_{t+h} − ŷ_{t+h}| / s over every
/// validation origin t of every series, s being the series' scale (below). All `count` of them
/// when there are at most kMaxStored; else the order statistics of ranks ⌈j·count/kMaxStored⌉,
/// j = 1..kMaxStored, which give each quantile at the next stored rank up (a little wider).
struct StepResiduals {
  static constexpr std::size_t kMaxStored = 256;
  std::size_t count = 0;
  std::vector<double> sorted;
};

/// One series' scale s: the MASE scale of its training part (mean |y_i − y_{i−m}|), so that
/// residuals of series in different units pool; 1 when that is 0 (a constant series).
struct SeriesScale {
  std::string id;
  double scale = 1.0;
};

/// What intervals are computed from; empty when there was no validation part.
struct Calibration {
  std::vector<StepResiduals> steps;  ///< (K)
  std::vector<SeriesScale> scales;   ///< one per series, by id
  /// The intervals of a non-negative model (ModelConfig::nonnegative): bounds below 0 are
  /// raised to 0. Not stored with the residuals: the model's configuration sets it.
  bool nonnegative = false;
  bool empty() const { return steps.empty() || steps.front().count == 0; }
  /// The scale of series `id`, or nullptr.
  const SeriesScale* scale_of(const std::string& id) const;
  /// Every series' scale by id: scale_of without its linear search, for many series. Refers to
  /// `scales`, which must outlive it unchanged.
  std::unordered_map<std::string_view, double> scales_by_id() const;
};

/// Forecasts from every validation origin of every series (the split's [n_train, n_train +
/// n_val) part) and collects the scaled residuals per step. Actuals that --missing filled in are
/// skipped, and a series without a validation origin contributes its scale only. At most
/// `max_forecasts` (origins × K) are held at once.
Calibration calibrate(const Frame& frame, const Forecaster& forecaster, const SplitSpec& split,
                      const TaskShape& shape, std::size_t max_forecasts = std::size_t{1} << 22);

/// The same, with the last `fraction` of each series as the validation part (its rows before
/// as the training part): a forecaster without a trained split (a baseline) calibrated on the
/// most recent history before forecasting the future.
Calibration calibrate_tail(const Frame& frame, const Forecaster& forecaster, double fraction,
                           const TaskShape& shape, std::size_t max_forecasts = std::size_t{1} << 22);

/// Split conformal quantile (Lei et al. 2018) at coverage `level` for step h (0-based): the
/// ⌈(n + 1)·level⌉-th smallest of the n residuals. A DataError when n is too small for the
/// level (that rank is past n): the interval would be unbounded; `where` goes in its message.
double conformal_quantile(const StepResiduals& step, double level, std::size_t h, const std::string& where = "");

/// The levels of --intervals: "0.8,0.95" → {0.8, 0.95}, each in (0, 1), ascending, no repeats;
/// a UsageError otherwise.
std::vector<double> parse_levels(const std::string& text);
/// The column suffix of a level: 0.8 → "80", 0.975 → "97.5".
std::string level_name(double level);

/// An interval at one level: lower and upper bounds for each of the K steps.
struct IntervalBand {
  double level = 0.0;
  arma::vec lower;
  arma::vec upper;
};

/// ŷ_h ± q_h · s for each level, h = 1..K (forecast (K)); `scale` is the series' s. With a
/// non-negative calibration, bounds below 0 are 0.
std::vector<IntervalBand> interval_bands(const Calibration& calibration, const arma::vec& forecast, double scale,
                                         const std::vector<double>& levels);

/// A DataError unless the calibration can give every level for `horizon` steps: not empty
/// (else the error has `where` and `empty_hint`), and enough residuals for the highest level;
/// a UsageError when `horizon` is past its steps.
void check_calibration(const Calibration& calibration, std::size_t horizon, const std::vector<double>& levels,
                       const std::string& where, const std::string& empty_hint);

}  // namespace grucast
