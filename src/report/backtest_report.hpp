// Backtest reports (a table, JSON, CSV) and the per-origin forecasts as CSV.
#pragma once

#include <armadillo>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/workflow/backtest.hpp"

namespace grucast {

/// What was backtested, for the reports.
struct BacktestContext {
  std::string target;
  std::string folds;  ///< where the folds lie, e.g. "5 folds over the test part (70% train, 10% validation, 20% test)"
};

/// Per fold: origins, training rows, epochs and MASE beside the baselines; then the metrics
/// pooled over every fold beside naive and snaive, and the intervals' coverage.
std::string backtest_table(const Frame& frame, const Backtest& backtest, const BacktestContext& context);

/// One JSON object: the settings, "folds" [{fold, first_origin, last_origin, origins, train_rows,
/// trained, epochs, best_epoch, seconds, metrics, baselines, intervals}], and the pooled
/// "metrics", "per_step", "baselines" and "intervals".
nlohmann::ordered_json backtest_json(const Frame& frame, const Backtest& backtest, const BacktestContext& context);

/// fold (1.. and "all"), method, mae, rmse, mape, smape, mase, count; with intervals,
/// coverage_L and width_L per level on the model's rows.
std::string backtest_csv(const Backtest& backtest);

/// The header of --forecasts: the id column (named as in the input: csv_header), fold, origin,
/// timestamp, step, forecast, actual, and lower_L, upper_L per interval level.
std::string backtest_forecasts_header(const Frame& frame, const std::vector<double>& levels);

/// The rows of one chunk of forecasts (K, origins) of `fold`: the origin is the last row seen,
/// the timestamp the row forecast; an actual that --missing filled in is left empty. With
/// `calibration`, the bounds at each of `levels`.
std::string backtest_forecast_rows(const Frame& frame, std::size_t fold, const Series& series,
                                   std::span<const std::size_t> origins, const arma::mat& forecasts,
                                   const Calibration* calibration, const std::vector<double>& levels);

}  // namespace grucast
