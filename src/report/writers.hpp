// Writers: forecasts as CSV, evaluations as JSON or a table, and the one-line data summary.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/forecast/evaluate.hpp"

namespace grucast {

/// CSV with the columns id (when the frame has an id column: see csv_header), timestamp, step,
/// forecast, lower_L, upper_L for each interval level L (80 for 0.8) of the forecasts, and method
/// when the forecasts name theirs (SeriesForecast::method).
std::string forecasts_csv(const Frame& frame, const std::vector<SeriesForecast>& forecasts);
/// Its header line, and the rows of one series, for writing one series at a time.
std::string forecasts_csv_header(const Frame& frame, const std::vector<double>& levels = {},
                                 bool method_column = false);
std::string forecast_csv_rows(const Frame& frame, const SeriesForecast& forecast);

/// One series' forecasts as one JSON object (forecast --format json): "id" (null without an id
/// column), "timestamps" (as written in CSV), "forecast", "lower_L", "upper_L" per level, and
/// "method" when the forecast names it.
nlohmann::ordered_json forecast_json(const Frame& frame, const SeriesForecast& forecast);

/// What was evaluated, for the reports.
struct EvalContext {
  std::string target;
  std::string split;  ///< e.g. "70% train, 10% validation, 20% test"
};

/// What a report is about: "data", "target", "method", "horizon", "lookback", "season", "frequency".
nlohmann::ordered_json task_json(const Frame& frame, const std::string& target, const std::string& method,
                                 const TaskShape& shape);

/// One JSON object: "metrics" {mae, rmse, mape, smape, mase, ...}, "per_step" [...], "origins",
/// "baselines" {"naive": {..., "per_step"}, "snaive": {...}}, and "per_series" with --id.
nlohmann::ordered_json evaluation_json(const Frame& frame, const Evaluation& evaluation, const EvalContext& context);

/// The same as CSV: method, step ("all" for the overall row, then 1..K), mae, rmse, mape,
/// smape, mase, count; with intervals, coverage_L and width_L per level on the method's rows.
std::string evaluation_csv(const Evaluation& evaluation);

/// The same as a table for people: overall metrics beside the baselines, then per step.
std::string evaluation_table(const Frame& frame, const Evaluation& evaluation, const EvalContext& context);

/// A metric for a table column `width` characters wide: four decimals, or scientific notation
/// with fewer digits until it leaves at least one space; "n/a" for NaN.
std::string table_number(double value, std::size_t width);

/// A number, or null when it is not finite (an undefined metric).
nlohmann::ordered_json number_json(double value);
/// {mae, rmse, mape, smape, mase, count, mape_skipped, mase_skipped, filled_skipped}.
nlohmann::ordered_json metrics_json(const Metrics& metrics);
/// [{...metrics, "step": h}, ...] for h = 1..K.
nlohmann::ordered_json per_step_json(const MethodScores& scores);
/// The overall metrics with "per_step".
nlohmann::ordered_json baseline_json(const MethodScores& scores);
/// [{"level", "coverage", "mean_width", "count", "per_step_coverage"}, ...].
nlohmann::ordered_json intervals_json(const std::vector<IntervalScore>& scores);
/// A table row: label, MAE, RMSE, MAPE%, sMAPE%, MASE (the columns of metrics_table).
std::string metrics_row(const std::string& label, const Metrics& metrics);
/// Coverage and mean width per level under a heading; "" without intervals.
std::string intervals_table(const std::vector<IntervalScore>& scores,
                            const std::string& source = "split conformal, from the validation residuals");

/// Overall metrics of several methods, one row each (the header names the columns).
std::string metrics_table(const std::vector<std::pair<std::string, Metrics>>& methods);

/// "file: 741 rows, 1 series, monthly (column Date), no gaps" and what --missing and --sort did;
/// without a time column, why a column named like a time is not it.
std::string data_summary(const Frame& frame);
/// "column 'series' looks like a series id (...): if the file is long format, pass --id series",
/// or "" (DataReport::id_guess).
std::string id_guess_note(const Frame& frame);

/// A CSV field, quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& text);

/// The header line of a CSV output with `columns`, after the series id's column when the frame
/// has one. That column keeps the input's name (`--id store` writes "store,..."), so the output
/// joins with the input; it is "id" when the input's name is one of `columns` (a header that
/// repeated a name could not be read back).
std::string csv_header(const Frame& frame, const std::vector<std::string>& columns);

}  // namespace grucast
