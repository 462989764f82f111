#include "report/backtest_report.hpp"

#include <fmt/format.h>

#include "report/writers.hpp"

namespace grucast {

namespace {

std::string coverage_text(double coverage) {
  return std::isnan(coverage) ? "n/a" : fmt::format("{:.1f}%", 100.0 * coverage);
}

// fold, first and last origin, origins, train rows, epochs, then the three MASEs (and coverage per level).
std::string fold_rows(const Backtest& b) {
  std::string out = fmt::format("{:<6}{:<22}{:<22}{:>9}{:>12}{:>8}{:>11}{:>13}{:>13}", "fold", "first origin",
                                "last origin", "origins", "train rows", "epochs", b.model.method + " MASE",
                                "naive MASE", "snaive MASE");
  for (const double level : b.spec.levels) out += fmt::format("{:>10}", "cover " + level_name(level));
  out += '\n';
  for (std::size_t f = 0; f < b.folds.size(); ++f) {
    const FoldScores& s = b.folds[f];
    const Evaluation& e = s.evaluation;
    const std::string epochs = s.trained ? std::to_string(s.summary.epochs_run) : "-";
    out += fmt::format("{:<6}{:<22}{:<22}{:>9}{:>12}{:>8}{:>11}{:>13}{:>13}", f + 1, s.first_origin, s.last_origin,
                       s.origins, s.train_rows, epochs, table_number(e.model.overall.mase, 11),
                       table_number(e.naive.overall.mase, 13), table_number(e.snaive.overall.mase, 13));
    for (const IntervalScore& i : e.intervals) out += fmt::format("{:>10}", coverage_text(i.coverage()));
    out += '\n';
  }
  return out;
}

nlohmann::ordered_json fold_json(const FoldScores& s, std::size_t fold) {
  const Evaluation& e = s.evaluation;
  nlohmann::ordered_json j = {{"fold", fold},
                              {"first_origin", s.first_origin},
                              {"last_origin", s.last_origin},
                              {"origins", s.origins},
                              {"train_rows", s.train_rows},
                              {"trained", s.trained},
                              {"epochs", s.summary.epochs_run},
                              {"best_epoch", s.summary.best_epoch},
                              {"train_seconds", s.trained ? nlohmann::ordered_json(s.summary.seconds) : nullptr},
                              {"metrics", metrics_json(e.model.overall)},
                              {"baselines", {{"naive", metrics_json(e.naive.overall)},
                                             {"snaive", metrics_json(e.snaive.overall)}}}};
  if (!e.intervals.empty()) j["intervals"] = intervals_json(e.intervals);
  return j;
}

std::string csv_number(double value) { return std::isfinite(value) ? fmt::format("{}", value) : ""; }

std::string csv_rows(const std::string& fold, const MethodScores* const (&methods)[3],
                     const std::vector<IntervalScore>& intervals) {
  std::string out;
  for (const MethodScores* m : methods) {
    const Metrics& x = m->overall;
    out += fmt::format("{},{},{},{},{},{},{},{}", fold, m->method, csv_number(x.mae), csv_number(x.rmse),
                       csv_number(x.mape), csv_number(x.smape), csv_number(x.mase), x.count);
    for (const IntervalScore& i : intervals) {
      out += m == methods[0] ? fmt::format(",{},{}", csv_number(i.coverage()), csv_number(i.mean_width())) : ",,";
    }
    out += '\n';
  }
  return out;
}

}  // namespace

std::string backtest_table(const Frame& frame, const Backtest& b, const BacktestContext& context) {
  std::string out = fmt::format(
      "{} backtest of {} in {}: {} series, {}, {}, refit {}; {} origins x {} steps, season {}\n\n", b.model.method,
      context.target, frame.source, frame.series.size(), frame.frequency.name(), context.folds,
      b.spec.refit == Refit::every ? "every fold" : "once (the first fold's model)", b.origins, b.shape.horizon,
      b.shape.season);
  out += fold_rows(b);
  out += fmt::format("\nall folds\n{:<10}{:>12}{:>12}{:>10}{:>10}{:>10}\n", "method", "MAE", "RMSE", "MAPE%", "sMAPE%",
                     "MASE");
  for (const MethodScores* m : {&b.model, &b.naive, &b.snaive}) out += metrics_row(m->method, m->overall);
  out += intervals_table(b.intervals);
  const std::size_t models = b.spec.refit == Refit::every ? b.folds.size() : 1;
  out += fmt::format("\ntime: {} model{} trained in {:.1f} s, forecasts and scores in {:.1f} s\n", models,
                     models == 1 ? "" : "s", b.train_seconds, b.evaluate_seconds);
  return out;
}

nlohmann::ordered_json backtest_json(const Frame& frame, const Backtest& b, const BacktestContext& context) {
  nlohmann::ordered_json j = task_json(frame, context.target, b.model.method, b.shape);
  j["series"] = frame.series.size();
  j["folds_where"] = context.folds;
  j["refit"] = refit_name(b.spec.refit);
  j["stride"] = b.spec.stride == 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(b.spec.stride);
  j["origins"] = b.origins;
  nlohmann::ordered_json folds = nlohmann::ordered_json::array();
  for (std::size_t f = 0; f < b.folds.size(); ++f) folds.push_back(fold_json(b.folds[f], f + 1));
  j["folds"] = std::move(folds);
  j["metrics"] = metrics_json(b.model.overall);
  j["per_step"] = per_step_json(b.model);
  j["baselines"] = {{"naive", baseline_json(b.naive)}, {"snaive", baseline_json(b.snaive)}};
  if (!b.intervals.empty()) j["intervals"] = intervals_json(b.intervals);
  j["train_seconds"] = b.train_seconds;
  j["evaluate_seconds"] = b.evaluate_seconds;
  return j;
}

std::string backtest_csv(const Backtest& b) {
  std::string out = "fold,method,mae,rmse,mape,smape,mase,count";
  for (const double level : b.spec.levels) out += fmt::format(",coverage_{0},width_{0}", level_name(level));
  out += '\n';
  for (std::size_t f = 0; f < b.folds.size(); ++f) {
    const Evaluation& e = b.folds[f].evaluation;
    out += csv_rows(std::to_string(f + 1), {&e.model, &e.naive, &e.snaive}, e.intervals);
  }
  return out + csv_rows("all", {&b.model, &b.naive, &b.snaive}, b.intervals);
}

std::string backtest_forecasts_header(const Frame& frame, const std::vector<double>& levels) {
  std::vector<std::string> columns = {"fold", "origin", "timestamp", "step", "forecast", "actual"};
  for (const double level : levels) {
    columns.push_back("lower_" + level_name(level));
    columns.push_back("upper_" + level_name(level));
  }
  return csv_header(frame, columns);
}

std::string backtest_forecast_rows(const Frame& frame, std::size_t fold, const Series& series,
                                   std::span<const std::size_t> origins, const arma::mat& forecasts,
                                   const Calibration* calibration, const std::vector<double>& levels) {
  const std::string id = frame.id_column.empty() ? "" : csv_field(series.id) + ",";
  const SeriesScale* scale = calibration != nullptr ? calibration->scale_of(series.id) : nullptr;
  std::string out;
  for (std::size_t j = 0; j < origins.size(); ++j) {
    const std::string origin = csv_field(frame.written_time(series, origins[j] - 1));
    std::vector<IntervalBand> bands;
    if (calibration != nullptr) {
      bands = interval_bands(*calibration, forecasts.col(j), scale != nullptr ? scale->scale : 1.0, levels);
    }
    for (std::size_t h = 0; h < forecasts.n_rows; ++h) {
      const std::size_t row = origins[j] + h;
      const std::string actual = series.is_filled(0, row) ? "" : fmt::format("{}", series.values(0, row));
      out += fmt::format("{}{},{},{},{},{},{}", id, fold, origin, csv_field(frame.written_time(series, row)), h + 1,
                         forecasts(h, j), actual);
      for (const IntervalBand& band : bands) out += fmt::format(",{},{}", band.lower[h], band.upper[h]);
      out += '\n';
    }
  }
  return out;
}

}  // namespace grucast
