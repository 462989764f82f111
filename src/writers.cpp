#include "grucast/writers.hpp"

#include <cmath>

#include <fmt/format.h>

namespace grucast {

namespace {

// An undefined metric (NaN) is null.
nlohmann::ordered_json number_json(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json metrics_json(const Metrics& m) {
  return {{"mae", number_json(m.mae)},     {"rmse", number_json(m.rmse)}, {"mape", number_json(m.mape)},
          {"smape", number_json(m.smape)}, {"mase", number_json(m.mase)}, {"count", m.count},
          {"mape_skipped", m.mape_skipped},  {"mase_skipped", m.mase_skipped},
          {"filled_skipped", m.filled_skipped}};
}

nlohmann::ordered_json per_step_json(const MethodScores& scores) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (std::size_t h = 0; h < scores.per_step.size(); ++h) {
    nlohmann::ordered_json step = metrics_json(scores.per_step[h]);
    step["step"] = h + 1;
    steps.push_back(std::move(step));
  }
  return steps;
}

nlohmann::ordered_json baseline_json(const MethodScores& scores) {
  nlohmann::ordered_json j = metrics_json(scores.overall);
  j["per_step"] = per_step_json(scores);
  return j;
}

std::string metrics_row(const std::string& label, const Metrics& m) {
  return fmt::format("{:<10}{:>12}{:>12}{:>10}{:>10}{:>10}\n", label, table_number(m.mae, 12), table_number(m.rmse, 12),
                     table_number(m.mape, 10), table_number(m.smape, 10), table_number(m.mase, 10));
}

}  // namespace

std::string table_number(double value, std::size_t width) {
  if (!std::isfinite(value)) return "n/a";
  const bool tiny = value != 0.0 && std::abs(value) < 5e-5;  // would read 0.0000
  std::string text = tiny ? fmt::format("{:.4e}", value) : fmt::format("{:.4f}", value);
  for (int digits = 4; text.size() >= width && digits >= 0; --digits) text = fmt::format("{:.{}e}", value, digits);
  return text;
}

std::string metrics_table(const std::vector<std::pair<std::string, Metrics>>& methods) {
  std::string out = fmt::format("{:<10}{:>12}{:>12}{:>10}{:>10}{:>10}\n", "method", "MAE", "RMSE", "MAPE%", "sMAPE%", "MASE");
  for (const auto& [name, metrics] : methods) out += metrics_row(name, metrics);
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",;\t\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string forecasts_csv_header(const Frame& frame) {
  return frame.id_column.empty() ? "timestamp,step,forecast\n" : "id,timestamp,step,forecast\n";
}

std::string forecast_csv_rows(const Frame& frame, const SeriesForecast& f) {
  const std::string id = frame.id_column.empty() ? "" : csv_field(f.id) + ",";
  std::string out;
  for (std::size_t h = 0; h < f.time.size(); ++h) {
    out += fmt::format("{}{},{},{}\n", id, csv_field(frame.written_time(f.time[h], f.offset)), h + 1, f.values[h]);
  }
  return out;
}

std::string forecasts_csv(const Frame& frame, const std::vector<SeriesForecast>& forecasts) {
  std::string out = forecasts_csv_header(frame);
  for (const SeriesForecast& f : forecasts) out += forecast_csv_rows(frame, f);
  return out;
}

nlohmann::ordered_json evaluation_json(const Frame& frame, const Evaluation& e, const EvalContext& context) {
  nlohmann::ordered_json j;
  j["data"] = frame.source;
  j["target"] = context.target;
  j["method"] = e.model.method;
  j["horizon"] = e.shape.horizon;
  j["lookback"] = e.shape.lookback;
  j["season"] = e.shape.season;
  j["frequency"] = frame.frequency.name();
  const DataReport& r = frame.report;
  j["data_report"] = {{"rows", r.rows},
                      {"gaps", r.regularity.gaps},
                      {"missing_steps", r.regularity.missing_steps},
                      {"irregular_intervals", r.regularity.irregular},
                      {"dropped_rows", r.dropped_rows},
                      {"filled_values", r.filled_values},
                      {"sorted_series", r.sorted_series}};
  j["split"] = context.split;
  j["series"] = e.series.size();
  j["origins"] = e.origins;
  j["metrics"] = metrics_json(e.model.overall);
  j["per_step"] = per_step_json(e.model);
  j["baselines"] = {{"naive", baseline_json(e.naive)}, {"snaive", baseline_json(e.snaive)}};
  if (!frame.id_column.empty()) {
    nlohmann::ordered_json per_series = nlohmann::ordered_json::array();
    for (const SeriesScores& s : e.series) {
      per_series.push_back({{"id", s.id},
                            {"train", s.split.n_train},
                            {"validation", s.split.n_val},
                            {"test", s.split.n_test},
                            {"origins", s.origins},
                            {"mase_scale", number_json(s.scale)},
                            {"metrics", metrics_json(s.metrics)}});
    }
    j["per_series"] = std::move(per_series);
  }
  return j;
}

std::string evaluation_table(const Frame& frame, const Evaluation& e, const EvalContext& context) {
  const Metrics& overall = e.model.overall;
  std::string out = fmt::format(
      "{} forecast of {} in {}: {} series, {}, {} test origins x {} steps, season {} ({})\n\n", e.model.method,
      context.target, frame.source, e.series.size(), frame.frequency.name(), e.origins, e.shape.horizon,
      e.shape.season, context.split);
  out += fmt::format("{:<10}{:>12}{:>12}{:>10}{:>10}{:>10}\n", "method", "MAE", "RMSE", "MAPE%", "sMAPE%", "MASE");
  out += metrics_row(e.model.method, overall);
  for (const MethodScores* baseline : {&e.naive, &e.snaive}) {
    if (baseline->method != e.model.method) out += metrics_row(baseline->method, baseline->overall);
  }
  if (overall.mape_skipped > 0) {
    out += fmt::format("MAPE leaves out {} forecasts whose actual value is 0.\n", overall.mape_skipped);
  }
  if (overall.filled_skipped > 0) {
    out += fmt::format("{} forecasts are not scored: their actual value was filled in by --missing.\n",
                       overall.filled_skipped);
  }
  if (overall.mase_skipped > 0) {
    out += fmt::format("MASE leaves out {} forecasts of series whose training part has no seasonal change.\n",
                       overall.mase_skipped);
  }
  out += fmt::format("\nper step ({})\n{:<6}{:>12}{:>12}{:>10}{:>10}{:>10}{:>12}{:>12}\n", e.model.method, "step", "MAE",
                     "RMSE", "MAPE%", "sMAPE%", "MASE", "naive MASE", "snaive MASE");
  for (std::size_t h = 0; h < e.model.per_step.size(); ++h) {
    const Metrics& m = e.model.per_step[h];
    out += fmt::format("{:<6}{:>12}{:>12}{:>10}{:>10}{:>10}{:>12}{:>12}\n", h + 1, table_number(m.mae, 12),
                       table_number(m.rmse, 12), table_number(m.mape, 10), table_number(m.smape, 10),
                       table_number(m.mase, 10), table_number(e.naive.per_step[h].mase, 12),
                       table_number(e.snaive.per_step[h].mase, 12));
  }
  return out;
}

std::string data_summary(const Frame& frame) {
  const DataReport& r = frame.report;
  std::string out = fmt::format("{}: {} rows, {} series", frame.source, r.rows, frame.series.size());
  out += frame.time_column.empty() ? ", time is the row index"
                                   : fmt::format(", {} (column {})", frame.frequency.name(), frame.time_column);
  const Regularity& g = r.regularity;
  out += g.gaps == 0 ? ", no gaps" : fmt::format(", {} gaps ({} missing steps)", g.gaps, g.missing_steps);
  if (g.irregular > 0) out += fmt::format(", {} irregular intervals", g.irregular);
  if (r.dropped_rows > 0) out += fmt::format(", {} rows with missing values dropped", r.dropped_rows);
  if (r.filled_values > 0) out += fmt::format(", {} missing values filled", r.filled_values);
  if (r.sorted_series > 0) out += fmt::format(", {} series sorted by time", r.sorted_series);
  return out;
}

}  // namespace grucast
