// The plots of forecast, evaluate and train, built as svg::Charts.
#include "report/plots.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "grucast/forecast/nonnegative.hpp"

namespace grucast {

namespace {

// Okabe-Ito colours: told apart with any colour vision.
constexpr const char* kHistoryColor = "#333333";
constexpr const char* kForecastColor = "#d55e00";
constexpr const char* kMethodColor = "#0072b2";
constexpr const char* kNaiveColor = "#e69f00";
constexpr const char* kSnaiveColor = "#009e73";
constexpr std::size_t kMarkersUpTo = 60;  // points of a line that still get a dot each
constexpr std::size_t kSlices = 2000;     // x slices a line is reduced to (more than any plot's pixels)
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string series_title(const Frame& frame, const Series& series) {
  return frame.id_column.empty() ? frame.columns.front() : fmt::format("{} {}", frame.id_column, series.id);
}

svg::XAxis time_axis(const Frame& frame, const Series& series) {
  if (frame.time_column.empty()) return {svg::AxisKind::integer, "row", 0};
  return {svg::AxisKind::time, frame.time_column, series.offset(series.size() - 1)};
}

std::string not_shown(std::size_t series) {
  if (series <= kMaxPlotPanels) return "";
  return fmt::format("; {} of {} series shown, {} not shown", kMaxPlotPanels, series, series - kMaxPlotPanels);
}

// The band of an interval at `level`, the `index`-th drawn: the first (the widest) lightest.
svg::Band interval_band(double level, std::size_t index, const char* color) {
  return {level_name(level) + "% interval", "interval", color, std::min(0.15 + 0.12 * static_cast<double>(index), 0.6),
          {}, {}, {}};
}

// Bands of the intervals, widest first (drawn under the narrower ones) and lightest.
std::vector<svg::Band> bands_of_intervals(const SeriesForecast& forecast, double low, double high) {
  std::vector<IntervalBand> intervals = forecast.intervals;
  std::sort(intervals.begin(), intervals.end(),
            [](const IntervalBand& a, const IntervalBand& b) { return a.level > b.level; });
  std::vector<svg::Band> bands;
  for (const IntervalBand& interval : intervals) {
    if (interval.lower.n_elem != forecast.values.n_elem || interval.upper.n_elem != forecast.values.n_elem) {
      throw std::invalid_argument(fmt::format("ForecastPlot: the {}% interval has {} and {} bounds for {} steps",
                                              level_name(interval.level), interval.lower.n_elem, interval.upper.n_elem,
                                              forecast.values.n_elem));
    }
    svg::Band band = interval_band(interval.level, bands.size(), kForecastColor);
    svg::BandReducer reducer(low, high, kSlices);
    for (std::size_t h = 0; h < forecast.time.size(); ++h) {
      reducer.add(static_cast<double>(forecast.time[h]), interval.lower(h), interval.upper(h));
    }
    reducer.finish(band.x, band.lower, band.upper);
    bands.push_back(std::move(band));
  }
  return bands;
}

// The levels of the evaluation's intervals, widest first, and the step-1 quantile q_1 of each.
std::vector<std::pair<double, double>> step_one_quantiles(const EvalOptions& options) {
  std::vector<std::pair<double, double>> out;
  if (options.calibration == nullptr) return out;
  for (const double level : options.levels) {
    out.emplace_back(level, conformal_quantile(options.calibration->steps.at(0), level, 0));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return out;
}

}  // namespace

std::size_t history_rows_shown(std::size_t rows, std::size_t horizon) {
  return std::min(rows, std::max<std::size_t>(4 * horizon, 48));
}

ForecastPlot::ForecastPlot(const Frame& frame, std::string method) : frame_(frame), method_(std::move(method)) {}

void ForecastPlot::add(const Series& series, const SeriesForecast& forecast) {
  ++series_added_;
  horizon_ = forecast.time.size();
  if (panels_.size() == kMaxPlotPanels || series.size() == 0 || forecast.time.empty()) return;
  const std::size_t shown = history_rows_shown(series.size(), forecast.time.size());
  history_shown_ = {std::min(history_shown_.first, shown), std::max(history_shown_.second, shown)};
  const std::size_t first = series.size() - shown;
  const auto low = static_cast<double>(series.time[first]), high = static_cast<double>(forecast.time.back());
  svg::Panel panel{series_title(frame_, series), time_axis(frame_, series), {frame_.columns.front(), false}, {}, {}, {}};
  panel.bands = bands_of_intervals(forecast, low, high);
  svg::Line history{"history", "history", kHistoryColor, {}, {}, false, false};
  svg::LineReducer reducer(low, high, kSlices);
  for (std::size_t i = first; i < series.size(); ++i) reducer.add(static_cast<double>(series.time[i]), series.values(0, i));
  reducer.finish(history.x, history.y);
  svg::Line predicted{fmt::format("forecast ({})", method_), "forecast", kForecastColor, {}, {}, false,
                      forecast.time.size() <= kMarkersUpTo};
  for (std::size_t h = 0; h < forecast.time.size(); ++h) {
    reducer.add(static_cast<double>(forecast.time[h]), forecast.values(h));
  }
  reducer.finish(predicted.x, predicted.y);
  panel.lines = {std::move(history), std::move(predicted)};
  panel.rules.push_back({"", "origin", static_cast<double>(series.time.back())});
  panels_.push_back(std::move(panel));
}

std::string ForecastPlot::svg() const {
  svg::Chart chart;
  chart.title = fmt::format("{} forecast of {} in {}", method_, frame_.columns.front(), frame_.source);
  const auto [fewest, most] = history_shown_;
  chart.note = fmt::format("{} step{} ahead after {}the last {} row{} of history (dashed line: the last row){}", horizon_,
                           horizon_ == 1 ? "" : "s", fewest == most ? "" : "up to ", most, most == 1 ? "" : "s",
                           not_shown(series_added_));
  chart.panels = panels_;
  return svg::render(chart);
}

EvaluationPlot::EvaluationPlot(const Frame& frame, const EvalOptions& options)
    : frame_(frame),
      split_(options.split.describe(frame.time_format)),
      nonnegative_(options.calibration != nullptr && options.calibration->nonnegative) {
  const std::vector<std::pair<double, double>> quantiles = step_one_quantiles(options);
  for (const auto& quantile : quantiles) levels_.push_back(quantile.first);
  for (std::size_t i = 0; i < std::min(frame.series.size(), kMaxPlotPanels); ++i) {
    const Series& series = frame.series[i];
    const auto range = series.size() == 0 ? std::nullopt
                                          : origin_range(split_series(series, options.split), Part::test, options.shape);
    double low = 0, high = 1;
    if (range && range->second < series.size()) {
      low = static_cast<double>(series.time[range->first]);
      high = static_cast<double>(series.time[range->second]);
    }
    SeriesLines lines{&series, svg::LineReducer(low, high, kSlices), svg::LineReducer(low, high, kSlices), {}, {}, 0};
    const SeriesScale* scale = quantiles.empty() ? nullptr : options.calibration->scale_of(series.id);
    for (const auto& quantile : quantiles) {
      lines.bands.emplace_back(low, high, kSlices);
      lines.half_widths.push_back(quantile.second * (scale != nullptr ? scale->scale : 1.0));  // as evaluate() scores
    }
    lines_.push_back(std::move(lines));
  }
}

EvaluationPlot::SeriesLines* EvaluationPlot::lines_of(const Series& series) {
  for (SeriesLines& lines : lines_) {
    if (lines.series == &series || lines.series->id == series.id) return &lines;
  }
  return nullptr;
}

void EvaluationPlot::add(const Series& series, std::span<const std::size_t> origins, const arma::mat& forecasts) {
  SeriesLines* lines = lines_of(series);
  if (lines == nullptr) return;  // past the panels shown
  for (std::size_t j = 0; j < origins.size(); ++j) {
    const std::size_t row = origins[j];  // step 1 from origin t forecasts row t
    const auto x = static_cast<double>(series.time[row]);
    lines->actual.add(x, series.is_filled(0, row) ? kNaN : series.values(0, row));  // a filled actual is not scored
    const double forecast = forecasts(0, j);
    lines->forecast.add(x, forecast);
    for (std::size_t l = 0; l < lines->bands.size(); ++l) {
      const double lower = forecast - lines->half_widths[l], upper = forecast + lines->half_widths[l];
      if (nonnegative_) {
        lines->bands[l].add(x, at_least_zero(lower), at_least_zero(upper));  // as interval_bands gives them
      } else {
        lines->bands[l].add(x, lower, upper);
      }
    }
  }
  lines->origins += origins.size();
}

std::string EvaluationPlot::svg(const Evaluation& evaluation) const {
  svg::Chart chart;
  const std::string& method = evaluation.model.method;
  chart.title = fmt::format("{} forecasts of {} in {}: the test part", method, frame_.columns.front(), frame_.source);
  chart.note = fmt::format("{} test origins x {} steps in {} series ({}){}", evaluation.origins,
                           evaluation.shape.horizon, frame_.series.size(), split_, not_shown(frame_.series.size()));
  for (SeriesLines lines : lines_) {  // a copy: finish() empties the reducers
    svg::Panel panel{fmt::format("{}: {} test origins", series_title(frame_, *lines.series), lines.origins),
                     time_axis(frame_, *lines.series), {frame_.columns.front(), false}, {}, {}, {}};
    const bool dots = lines.origins <= kMarkersUpTo;
    svg::Line actual{"actual", "actual", kHistoryColor, {}, {}, false, dots};
    svg::Line forecast{fmt::format("{} 1 step ahead", method), "forecast", kMethodColor, {}, {}, false, dots};
    lines.actual.finish(actual.x, actual.y);
    lines.forecast.finish(forecast.x, forecast.y);
    panel.lines = {std::move(actual), std::move(forecast)};
    for (std::size_t l = 0; l < lines.bands.size(); ++l) {
      svg::Band band = interval_band(levels_[l], l, kMethodColor);
      lines.bands[l].finish(band.x, band.lower, band.upper);
      panel.bands.push_back(std::move(band));
    }
    chart.panels.push_back(std::move(panel));
  }
  svg::Panel steps{"error by forecast step", {svg::AxisKind::integer, "step h", 0},
                   {fmt::format("MAE ({})", frame_.columns.front()), false}, {}, {}, {}};
  const std::size_t horizon = evaluation.shape.horizon;
  const auto add_method = [&](const MethodScores& scores, const char* color, bool dashed) {
    svg::Line line{scores.method, "mae-" + scores.method, color, {}, {}, dashed, horizon <= kMarkersUpTo};
    for (std::size_t h = 0; h < scores.per_step.size(); ++h) {
      line.x.push_back(static_cast<double>(h + 1));
      line.y.push_back(scores.per_step[h].mae);
    }
    steps.lines.push_back(std::move(line));
  };
  add_method(evaluation.model, kMethodColor, false);
  if (method != "naive") add_method(evaluation.naive, kNaiveColor, true);
  if (method != "snaive") add_method(evaluation.snaive, kSnaiveColor, true);
  chart.panels.push_back(std::move(steps));
  return svg::render(chart);
}

std::string loss_plot(const TrainSummary& summary, const std::string& title, const std::string& loss_name) {
  const std::size_t epochs = summary.train_losses.size();
  svg::Panel panel{"loss per epoch", {svg::AxisKind::integer, "epoch", 0}, {loss_name, false}, {}, {}, {}};
  const bool dots = epochs <= kMarkersUpTo;
  svg::Line train{"training", "train-loss", kMethodColor, {}, summary.train_losses, false, dots};
  svg::Line validation{"validation", "validation-loss", kForecastColor, {}, summary.validation_losses, false, dots};
  for (std::size_t e = 1; e <= epochs; ++e) train.x.push_back(static_cast<double>(e));
  validation.x.assign(train.x.begin(), train.x.begin() + std::min(epochs, validation.y.size()));
  validation.y.resize(validation.x.size());
  double lowest = std::numeric_limits<double>::infinity(), highest = 0;
  for (const std::vector<double>* losses : {&train.y, &validation.y}) {
    for (const double loss : *losses) {
      if (!std::isfinite(loss) || loss <= 0) continue;
      lowest = std::min(lowest, loss);
      highest = std::max(highest, loss);
    }
  }
  panel.y.log = highest > lowest * 100;  // more than two decades
  const bool validated = std::any_of(validation.y.begin(), validation.y.end(), [](double v) { return std::isfinite(v); });
  panel.lines.push_back(std::move(train));
  if (validated) panel.lines.push_back(std::move(validation));
  if (summary.best_epoch >= 1 && summary.best_epoch <= epochs) {
    const auto best = static_cast<double>(summary.best_epoch);
    panel.rules.push_back({fmt::format("best epoch {}", summary.best_epoch), "best-epoch", best});
    panel.lines.push_back({"", "best-loss", "#000000", {best}, {summary.best_loss}, false, true});
  }
  svg::Chart chart;
  chart.title = title;
  chart.note = fmt::format("{} epoch{}{}; best epoch {} with {} loss {:.6g}{}", epochs, epochs == 1 ? "" : "s",
                           stop_text(summary), summary.best_epoch, validated ? "validation" : "training",
                           summary.best_loss, validated ? "" : " (no validation part)");
  chart.panels.push_back(std::move(panel));
  return svg::render(chart);
}

}  // namespace grucast
