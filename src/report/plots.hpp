// The plots the commands write (SVG, drawn by svg.hpp): forecast --plot, evaluate --plot and
// train --plot-loss.
#pragma once

#include <armadillo>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/forecast/evaluate.hpp"
#include "nn/trainer.hpp"
#include "report/svg/svg.hpp"

namespace grucast {

/// Series panels a plot shows at most; its note says how many more series there are.
inline constexpr std::size_t kMaxPlotPanels = 12;

/// The rows of history shown before a forecast of `horizon` steps: the last max(4·horizon, 48),
/// or all `rows` of a shorter series.
std::size_t history_rows_shown(std::size_t rows, std::size_t horizon);

/// forecast --plot: one panel per series (up to kMaxPlotPanels) with its recent history, the
/// forecast, and the forecast's prediction intervals (SeriesForecast::intervals, any number of
/// levels) as bands, wider levels lighter. Memory per panel is bounded whatever the horizon:
/// lines are reduced to what a pixel column shows.
class ForecastPlot {
 public:
  /// `method` names the forecaster in the title ("gru", "snaive").
  ForecastPlot(const Frame& frame, std::string method);
  /// Adds the panel of one series of the frame; past kMaxPlotPanels a series is only counted.
  /// Every interval needs K lower and K upper bounds (std::invalid_argument otherwise).
  void add(const Series& series, const SeriesForecast& forecast);
  /// The chart of the series added so far.
  std::string svg() const;

 private:
  const Frame& frame_;
  std::string method_;
  std::size_t horizon_ = 0;
  std::size_t series_added_ = 0;
  std::pair<std::size_t, std::size_t> history_shown_{SIZE_MAX, 0};  // fewest and most rows of history shown
  std::vector<svg::Panel> panels_;
};

/// evaluate --plot: per series (up to kMaxPlotPanels) the actuals of the test part beside the
/// 1-step-ahead forecasts from every test origin, and a panel of the MAE by step h = 1..K of the
/// method, naive and snaive. With EvalOptions::calibration and levels, each forecast's step-1
/// prediction intervals ŷ ± q_1·s (q_1 the conformal quantile of step 1 at the level, s the
/// series' scale) as bands, wider levels lighter, as forecast --plot draws them. Give add() to
/// evaluate() as EvalOptions::forecast_sink; memory stays bounded (each line and band keeps a few
/// points per pixel column).
class EvaluationPlot {
 public:
  /// The frame and options evaluate() is given (the test origins, and the calibration and levels
  /// of the bands, are taken from them). Throws conformal_quantile's DataError when the
  /// calibration is too small for a level.
  EvaluationPlot(const Frame& frame, const EvalOptions& options);
  /// Takes the step-1 forecasts of a chunk (the forecast sink).
  void add(const Series& series, std::span<const std::size_t> origins, const arma::mat& forecasts);
  /// The chart, once evaluate() has returned `evaluation`.
  std::string svg(const Evaluation& evaluation) const;

 private:
  struct SeriesLines {
    const Series* series;
    svg::LineReducer actual, forecast;
    std::vector<svg::BandReducer> bands;  // one per level of levels_
    std::vector<double> half_widths;      // q_1·s of each level, in the series' units
    std::size_t origins = 0;
  };
  SeriesLines* lines_of(const Series& series);

  const Frame& frame_;
  std::string split_;
  std::vector<double> levels_;  // of the bands, widest first; empty without intervals
  bool nonnegative_ = false;    // the bands of a non-negative model's calibration: raised to 0
  std::vector<SeriesLines> lines_;
};

/// train --plot-loss: the training and validation loss of every epoch (`loss_name`, e.g. "huber
/// loss (scaled)"), the best epoch marked; a log scale when the losses span more than two decades.
std::string loss_plot(const TrainSummary& summary, const std::string& title, const std::string& loss_name);

}  // namespace grucast
