#include "forecast/interval_source.hpp"

#include <cmath>
#include <limits>
#include <span>

#include "grucast/forecast/metrics.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

namespace {

constexpr double kBaselineCalibration = 0.2;  // the part of each series a baseline's future intervals come from

// Checks the intervals a method gives without the data, its own bounds or its calibration;
// false when it has neither and must be calibrated on the data.
bool check_method_intervals(const Forecaster& forecaster, std::size_t horizon, const std::vector<double>& levels,
                            const std::string& where) {
  if (forecaster.has_own_intervals()) {
    forecaster.check_own_levels(levels);
    return true;
  }
  const Calibration* own = forecaster.calibration();
  if (own == nullptr) return false;
  check_calibration(*own, horizon, levels, where, "train the model again with a validation part (--val above 0)");
  return true;
}

}  // namespace

IntervalSource::IntervalSource(const Forecaster& forecaster, const std::vector<double>& levels, std::size_t season)
    : forecaster_(&forecaster), levels_(levels), season_(season) {}

IntervalSource IntervalSource::for_evaluation(const Frame& frame, const Forecaster& forecaster,
                                              const EvalOptions& options, const std::vector<double>& levels,
                                              const std::string& where) {
  IntervalSource source(forecaster, levels, options.shape.season);
  if (check_method_intervals(forecaster, options.shape.horizon, levels, where)) {
    source.index_scales();
    return source;
  }
  if (!options.split.has_validation()) {
    throw UsageError("--intervals with a baseline calibrates on the validation part, but --val is 0", "--intervals",
                     "give --val above 0, e.g. 0.1");
  }
  source.made_ = calibrate(frame, forecaster, options.split, options.shape, options.max_forecasts);
  check_calibration(*source.made_, options.shape.horizon, levels, frame.source, "give a larger --val");
  source.index_scales();
  return source;
}

IntervalSource IntervalSource::for_future(const Frame& frame, const Forecaster& forecaster, std::size_t horizon,
                                          std::size_t season, const std::vector<double>& levels,
                                          const std::string& where) {
  IntervalSource source(forecaster, levels, season);
  if (check_method_intervals(forecaster, horizon, levels, where)) {
    source.index_scales();
    return source;
  }
  const TaskShape shape{forecaster.min_history(), horizon, season, 0};
  source.made_ = calibrate_tail(frame, forecaster, kBaselineCalibration, shape);
  check_calibration(*source.made_, horizon, levels, frame.source,
                    "use longer series: the last 20% of each must hold a forecast origin with its horizon");
  source.index_scales();
  return source;
}

const Calibration* IntervalSource::calibration() const {
  if (forecaster_->has_own_intervals()) return nullptr;
  return made_ ? &*made_ : forecaster_->calibration();
}

void IntervalSource::index_scales() {
  if (const Calibration* calibration = this->calibration()) {
    for (const SeriesScale& s : calibration->scales) scales_.emplace(s.id, s.scale);  // the first of an id, as scale_of
  }
}

void IntervalSource::apply(EvalOptions& options) const {
  options.levels = levels_;
  if (const Calibration* calibration = this->calibration()) {
    options.calibration = calibration;
    return;
  }
  options.bounds = [forecaster = forecaster_, levels = levels_](
                       const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                       std::vector<arma::mat>& lower, std::vector<arma::mat>& upper) {
    forecaster->own_bounds(series, origins, horizon, levels, lower, upper);
  };
}

std::vector<IntervalBand> IntervalSource::bands(const Series& series, const arma::vec& forecast,
                                                bool own_scale) const {
  if (const Calibration* calibration = this->calibration()) {
    const auto scale = own_scale ? scales_.end() : scales_.find(series.id);
    if (scale != scales_.end()) return interval_bands(*calibration, forecast, scale->second, levels_);
    // Shorter than a season: the non-seasonal scale. One row has no scale at all, and no bounds.
    double own = mase_scale(series.target(), series.size(), season_);
    if (!std::isfinite(own)) own = mase_scale(series.target(), series.size(), 1);
    if (series.size() < 2) own = std::numeric_limits<double>::quiet_NaN();
    return interval_bands(*calibration, forecast, std::isnan(own) || own > 0.0 ? own : 1.0, levels_);
  }
  const std::size_t end = series.size();
  std::vector<arma::mat> lower, upper;
  forecaster_->own_bounds(series, std::span<const std::size_t>(&end, 1), forecast.n_elem, levels_, lower, upper);
  std::vector<IntervalBand> bands;
  for (std::size_t l = 0; l < levels_.size(); ++l) {
    bands.push_back({levels_[l], arma::vec(lower[l].col(0)), arma::vec(upper[l].col(0))});
  }
  return bands;
}

}  // namespace grucast
