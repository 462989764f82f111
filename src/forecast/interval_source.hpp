// Where a method's prediction intervals come from, as the method (its Forecaster) answers: its
// own bounds (a quantile model's quantiles), or split conformal intervals from the calibration
// it carries (a trained model's validation residuals) or from one made now on the data (a
// baseline's).
#pragma once

#include <armadillo>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/forecast/baselines.hpp"
#include "grucast/forecast/evaluate.hpp"
#include "grucast/forecast/intervals.hpp"

namespace grucast {

/// One method's prediction intervals at some levels, chosen and checked when made, before any
/// forecast. A UsageError or DataError when the method cannot give every level.
class IntervalSource {
 public:
  /// For evaluate(): a method without a calibration is calibrated on the validation part of
  /// options.split (a UsageError when there is none), at options' shape. `where` names the
  /// method's own calibration in messages (its model file).
  static IntervalSource for_evaluation(const Frame& frame, const Forecaster& forecaster, const EvalOptions& options,
                                       const std::vector<double>& levels, const std::string& where);
  /// For forecasts after the end of each series, `horizon` steps: a method without a calibration
  /// is calibrated on the last 20% of each series, with season `season`.
  static IntervalSource for_future(const Frame& frame, const Forecaster& forecaster, std::size_t horizon,
                                   std::size_t season, const std::vector<double>& levels, const std::string& where);

  /// Sets options.levels and what gives their intervals (options.calibration or options.bounds),
  /// which refer to this source and its forecaster: both must outlive the evaluation.
  void apply(EvalOptions& options) const;
  /// The intervals of `forecast`, the values after the end of `series`. A series the calibration
  /// lacks (one a model was not trained on) is scaled by its own history: its MASE scale over all
  /// its rows, as the calibration scales the series it holds over their training part; so is
  /// every series with `own_scale` (one too short for the model, forecast by a baseline). A
  /// series shorter than a season has its non-seasonal scale; one of a single row, no bounds (NaN).
  std::vector<IntervalBand> bands(const Series& series, const arma::vec& forecast, bool own_scale = false) const;

 private:
  IntervalSource(const Forecaster& forecaster, const std::vector<double>& levels, std::size_t season);
  /// The calibration the intervals come from, or nullptr for the method's own bounds.
  const Calibration* calibration() const;
  /// Fills scales_ once the calibration is chosen.
  void index_scales();

  const Forecaster* forecaster_;
  std::vector<double> levels_;
  std::size_t season_;  ///< of the MASE scale of a series the calibration lacks
  std::unordered_map<std::string, double> scales_;  ///< calibration()'s, by series id
  std::optional<Calibration> made_;  ///< of a method without a calibration of its own
};

}  // namespace grucast
