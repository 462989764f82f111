#include "grucast/forecast/intervals.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "grucast/forecast/metrics.hpp"
#include "grucast/forecast/nonnegative.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

namespace {

// The scale s of a series: its training part's MASE scale, or 1 where that is 0 or undefined.
double series_scale(const Series& history, std::size_t n_train, std::size_t season) {
  const double s = mase_scale(history.target(), n_train, season);
  return std::isfinite(s) && s > 0.0 ? s : 1.0;
}

using PointsOf = std::function<SplitPoints(const Series&)>;

// Every `stride`-th validation origin of every series, so that at most `budget` residuals are
// kept however long the validation parts are.
std::size_t origin_stride(const Frame& frame, const PointsOf& points_of, const TaskShape& shape, std::size_t budget) {
  std::size_t origins = 0;
  for (const Series& series : frame.series) {
    const auto range = origin_range(points_of(series), Part::validation, shape);
    if (range) origins += range->second - range->first + 1;
  }
  const std::size_t pairs = origins * shape.horizon;
  return std::max<std::size_t>(1, (pairs + budget - 1) / std::max<std::size_t>(budget, 1));
}

// The residuals sorted, thinned to the order statistics of ranks ⌈j·n/M⌉, j = 1..M.
StepResiduals thinned(std::vector<double> residuals) {
  std::sort(residuals.begin(), residuals.end());
  StepResiduals step;
  step.count = residuals.size();
  const std::size_t n = step.count, m = StepResiduals::kMaxStored;
  if (n <= m) {
    step.sorted = std::move(residuals);
    return step;
  }
  for (std::size_t j = 1; j <= m; ++j) step.sorted.push_back(residuals[(j * n + m - 1) / m - 1]);
  return step;
}

// The 1-based rank of stored value i (0-based) among all `count` residuals.
std::size_t stored_rank(const StepResiduals& step, std::size_t i) {
  const std::size_t n = step.count, m = StepResiduals::kMaxStored;
  return n <= m ? i + 1 : ((i + 1) * n + m - 1) / m;
}

// "0.8, 0.95" → {"0.8", "0.95"} (spaces around items dropped; empty items kept, to be refused).
std::vector<std::string> comma_items(const std::string& text) {
  std::vector<std::string> items;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    std::string item = text.substr(begin, end - begin);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    items.push_back(std::move(item));
    if (end == text.size()) return items;
    begin = end + 1;
  }
}

// The fewest residuals for which rank ⌈(n + 1)·level⌉ is at most n: n ≥ level / (1 − level).
std::size_t residuals_needed(double level) { return static_cast<std::size_t>(std::ceil(level / (1.0 - level) - 1e-9)); }

}  // namespace

const SeriesScale* Calibration::scale_of(const std::string& id) const {
  for (const SeriesScale& s : scales) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::unordered_map<std::string_view, double> Calibration::scales_by_id() const {
  std::unordered_map<std::string_view, double> by_id;
  by_id.reserve(scales.size());
  for (const SeriesScale& s : scales) by_id.emplace(s.id, s.scale);  // the first of a repeated id, as scale_of
  return by_id;
}

namespace {

// Validation origins of one series, with the history its forecasts read and its scale s.
struct CalibrationPart {
  const Series* series = nullptr;
  Series causal;  // without_lookahead(series, n_train) when --missing filled values
  double scale = 1.0;
  std::vector<std::size_t> origins;
  const Series& history() const { return series->filled.empty() ? *series : causal; }
};

// The scaled residuals of a batch of parts, forecast together by one forecast_batch, added in
// the order of the parts and origins.
void add_residuals(const Forecaster& forecaster, std::size_t K, const std::vector<CalibrationPart>& batch,
                   std::vector<std::vector<double>>& residuals) {
  if (batch.empty()) return;
  std::vector<SeriesOrigins> groups;
  for (const CalibrationPart& part : batch) groups.push_back({&part.history(), part.origins});
  arma::mat forecasts;
  forecaster.forecast_batch(groups, K, forecasts);
  std::size_t column = 0;
  for (const CalibrationPart& part : batch) {
    for (const std::size_t origin : part.origins) {
      for (std::size_t h = 0; h < K; ++h) {
        const std::size_t row = origin + h;
        if (part.series->is_filled(0, row)) continue;
        const double r = std::abs(forecasts(h, column) - part.series->values(0, row)) / part.scale;
        if (std::isfinite(r)) residuals[h].push_back(r);
      }
      ++column;
    }
  }
}

// The scaled residuals of the forecasts from the validation origins of each series' split, in
// pieces of at most `chunk` origins per series; the pieces of consecutive series are forecast
// together up to `chunk` origins (a network's batched pass, as evaluate's).
Calibration calibrate_parts(const Frame& frame, const Forecaster& forecaster, const TaskShape& shape,
                            std::size_t max_forecasts, const PointsOf& points_of) {
  const std::size_t K = shape.horizon;
  const std::size_t chunk = std::max<std::size_t>(1, max_forecasts / K);
  const std::size_t stride = origin_stride(frame, points_of, shape, max_forecasts);
  std::vector<std::vector<double>> residuals(K);
  Calibration result;
  std::vector<CalibrationPart> batch;
  std::size_t pending = 0;
  for (const Series& series : frame.series) {
    const SplitPoints points = points_of(series);
    // As in evaluate: forecasters see values filled from the past only.
    CalibrationPart part{&series, series.filled.empty() ? Series{} : without_lookahead(series, points.n_train), 1.0, {}};
    part.scale = series_scale(part.history(), points.n_train, shape.season);
    result.scales.push_back({series.id, part.scale});
    const auto range = origin_range(points, Part::validation, shape);
    if (!range) continue;
    std::vector<std::size_t> origins;
    for (std::size_t t = range->first; t <= range->second; t += stride) origins.push_back(t);
    for (std::size_t first = 0; first < origins.size(); first += chunk) {
      const std::size_t count = std::min(chunk, origins.size() - first);
      if (pending + count > chunk) {
        add_residuals(forecaster, K, batch, residuals);
        batch.clear();
        pending = 0;
      }
      batch.push_back(part);
      batch.back().origins.assign(origins.begin() + static_cast<std::ptrdiff_t>(first),
                                  origins.begin() + static_cast<std::ptrdiff_t>(first + count));
      pending += count;
    }
  }
  add_residuals(forecaster, K, batch, residuals);
  for (std::vector<double>& step : residuals) result.steps.push_back(thinned(std::move(step)));
  return result;
}

}  // namespace

Calibration calibrate(const Frame& frame, const Forecaster& forecaster, const SplitSpec& split,
                      const TaskShape& shape, std::size_t max_forecasts) {
  split.validate();
  return calibrate_parts(frame, forecaster, shape, max_forecasts,
                         [&](const Series& series) { return split_series(series, split); });
}

Calibration calibrate_tail(const Frame& frame, const Forecaster& forecaster, double fraction,
                           const TaskShape& shape, std::size_t max_forecasts) {
  return calibrate_parts(frame, forecaster, shape, max_forecasts, [&](const Series& series) {
    const auto n = series.size();
    const auto n_val = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(n)));
    return SplitPoints{n - n_val, n_val, 0};
  });
}

double conformal_quantile(const StepResiduals& step, double level, std::size_t h, const std::string& where) {
  const std::size_t n = step.count;
  // Rank ⌈(n + 1)·level⌉; the small tolerance keeps 0.8·100 = 80.00000000000001 at rank 80.
  const auto rank = static_cast<std::size_t>(std::ceil(static_cast<double>(n + 1) * level - 1e-9));
  if (n == 0 || rank > n) {
    throw DataError(fmt::format("the {}% interval of step {} needs at least {} validation residuals, but the "
                                "calibration has {}",
                                level_name(level), h + 1, residuals_needed(level), n),
                    where, "ask for a lower level, or calibrate on a longer validation part (--val)");
  }
  for (std::size_t i = 0; i < step.sorted.size(); ++i) {
    if (stored_rank(step, i) >= rank) return step.sorted[i];
  }
  return step.sorted.back();
}

std::vector<double> parse_levels(const std::string& text) {
  std::vector<double> levels;
  for (const std::string& item : comma_items(text)) {
    double level = 0.0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), level);
    if (item.empty() || error != std::errc() || end != item.data() + item.size() || !(level > 0.0 && level < 1.0)) {
      const bool percent = error == std::errc() && end == item.data() + item.size() && level >= 1.0 && level < 100.0;
      throw UsageError(fmt::format("interval level {} is not a fraction between 0 and 1", quoted(item)),
                       "--intervals",
                       percent ? fmt::format("write it as a fraction, e.g. {}", level / 100.0)
                               : "give coverage levels such as 0.8,0.95");
    }
    levels.push_back(level);
  }
  if (levels.empty()) throw UsageError("no interval levels", "--intervals", "give coverage levels such as 0.8,0.95");
  std::sort(levels.begin(), levels.end());
  if (std::adjacent_find(levels.begin(), levels.end()) != levels.end()) {
    throw UsageError("an interval level is given twice", "--intervals", "give each level once");
  }
  return levels;
}

std::string level_name(double level) { return fmt::format("{:g}", level * 100.0); }

std::vector<IntervalBand> interval_bands(const Calibration& calibration, const arma::vec& forecast, double scale,
                                         const std::vector<double>& levels) {
  std::vector<IntervalBand> bands;
  for (const double level : levels) {
    IntervalBand band{level, arma::vec(forecast.n_elem), arma::vec(forecast.n_elem)};
    for (std::size_t h = 0; h < forecast.n_elem; ++h) {
      const double half = conformal_quantile(calibration.steps.at(h), level, h) * scale;
      band.lower[h] = forecast[h] - half;
      band.upper[h] = forecast[h] + half;
      if (calibration.nonnegative) {
        band.lower[h] = at_least_zero(band.lower[h]);
        band.upper[h] = at_least_zero(band.upper[h]);
      }
    }
    bands.push_back(std::move(band));
  }
  return bands;
}

void check_calibration(const Calibration& calibration, std::size_t horizon, const std::vector<double>& levels,
                       const std::string& where, const std::string& empty_hint) {
  if (calibration.empty()) throw DataError("there are no validation residuals to give prediction intervals from", where, empty_hint);
  if (horizon > calibration.steps.size()) {
    throw UsageError(fmt::format("prediction intervals cover the model's {} steps, but --horizon is {}",
                                 calibration.steps.size(), horizon),
                     "--intervals", "forecast at most the model's steps with --intervals");
  }
  for (std::size_t h = 0; h < horizon; ++h) {
    for (const double level : levels) (void)conformal_quantile(calibration.steps[h], level, h, where);
  }
}

}  // namespace grucast
