#include "report/writers.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/text.hpp"

namespace grucast {

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

std::string csv_header(const Frame& frame, const std::vector<std::string>& columns) {
  std::string out;
  if (!frame.id_column.empty()) {
    const bool repeated = std::find(columns.begin(), columns.end(), frame.id_column) != columns.end();
    out = (repeated ? "id" : csv_field(frame.id_column)) + ",";
  }
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(columns[i]);
  }
  return out + "\n";
}

std::string forecasts_csv_header(const Frame& frame, const std::vector<double>& levels, bool method_column) {
  std::vector<std::string> columns = {"timestamp", "step", "forecast"};
  for (const double level : levels) {
    columns.push_back("lower_" + level_name(level));
    columns.push_back("upper_" + level_name(level));
  }
  if (method_column) columns.push_back("method");
  return csv_header(frame, columns);
}

std::string forecast_csv_rows(const Frame& frame, const SeriesForecast& f) {
  const std::string id = frame.id_column.empty() ? "" : csv_field(f.id) + ",";
  std::string out;
  for (std::size_t h = 0; h < f.time.size(); ++h) {
    out += fmt::format("{}{},{},{}", id, csv_field(frame.written_time(f.time[h], f.offset)), h + 1, f.values[h]);
    for (const IntervalBand& band : f.intervals) out += fmt::format(",{},{}", band.lower[h], band.upper[h]);
    if (!f.method.empty()) {
      out += ',';
      out += csv_field(f.method);
    }
    out += '\n';
  }
  return out;
}

nlohmann::ordered_json forecast_json(const Frame& frame, const SeriesForecast& f) {
  nlohmann::ordered_json j;
  j["id"] = frame.id_column.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.id);
  nlohmann::ordered_json times = nlohmann::ordered_json::array();
  for (const TimePoint t : f.time) times.push_back(frame.written_time(t, f.offset));
  j["timestamps"] = std::move(times);
  const auto values = [](const arma::vec& v) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const double x : v) out.push_back(x);
    return out;
  };
  j["forecast"] = values(f.values);
  for (const IntervalBand& band : f.intervals) {
    j["lower_" + level_name(band.level)] = values(band.lower);
    j["upper_" + level_name(band.level)] = values(band.upper);
  }
  if (!f.method.empty()) j["method"] = f.method;
  return j;
}

std::string forecasts_csv(const Frame& frame, const std::vector<SeriesForecast>& forecasts) {
  std::vector<double> levels;
  if (!forecasts.empty()) {
    for (const IntervalBand& band : forecasts.front().intervals) levels.push_back(band.level);
  }
  std::string out = forecasts_csv_header(frame, levels, !forecasts.empty() && !forecasts.front().method.empty());
  for (const SeriesForecast& f : forecasts) out += forecast_csv_rows(frame, f);
  return out;
}

// [{"level": 0.8, "coverage": 0.81, "mean_width": ..., "count": n, "per_step_coverage": [...]}, ...]
nlohmann::ordered_json intervals_json(const std::vector<IntervalScore>& scores) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const IntervalScore& s : scores) {
    nlohmann::ordered_json per_step = nlohmann::ordered_json::array();
    for (std::size_t h = 0; h < s.count.size(); ++h) per_step.push_back(number_json(s.step_coverage(h)));
    out.push_back({{"level", s.level},
                   {"coverage", number_json(s.coverage())},
                   {"mean_width", number_json(s.mean_width())},
                   {"count", std::accumulate(s.count.begin(), s.count.end(), std::size_t{0})},
                   {"per_step_coverage", std::move(per_step)}});
  }
  return out;
}

// "prediction intervals (split conformal, ...)" and one line per level: coverage beside the level.
std::string intervals_table(const std::vector<IntervalScore>& scores, const std::string& source) {
  if (scores.empty()) return "";
  std::string out = fmt::format("\nprediction intervals ({})\n{:<8}{:>10}{:>14}\n", source, "level", "coverage",
                                "mean width");
  for (const IntervalScore& s : scores) {
    out += fmt::format("{:<8}{:>10}{:>14}\n", level_name(s.level) + "%",
                       std::isnan(s.coverage()) ? "n/a" : fmt::format("{:.1f}%", 100.0 * s.coverage()),
                       table_number(s.mean_width(), 14));
  }
  return out;
}

nlohmann::ordered_json task_json(const Frame& frame, const std::string& target, const std::string& method,
                                 const TaskShape& shape) {
  return {{"data", frame.source},        {"target", target},           {"method", method},
          {"horizon", shape.horizon},    {"lookback", shape.lookback}, {"season", shape.season},
          {"frequency", frame.frequency.name()}};
}

nlohmann::ordered_json evaluation_json(const Frame& frame, const Evaluation& e, const EvalContext& context) {
  nlohmann::ordered_json j = task_json(frame, context.target, e.model.method, e.shape);
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
  for (const MethodScores& b : e.more_baselines) {
    if (b.method != e.model.method) j["baselines"][b.method] = baseline_json(b);
  }
  if (!e.intervals.empty()) {
    j["intervals"] = intervals_json(e.intervals);
    j["interval_method"] = e.quantile_intervals ? "quantile" : "conformal";
  }
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

namespace {

std::string csv_number(double value) { return std::isnan(value) ? "" : fmt::format("{}", value); }

std::string metrics_csv_row(const std::string& method, const std::string& step, const Metrics& m) {
  return fmt::format("{},{},{},{},{},{},{},{}", method, step, csv_number(m.mae), csv_number(m.rmse),
                     csv_number(m.mape), csv_number(m.smape), csv_number(m.mase), m.count);
}

// ",coverage,width" per level at step h (h == K: over all steps), or empty fields for a baseline.
std::string interval_fields(const std::vector<IntervalScore>& scores, std::size_t h, bool method) {
  std::string out;
  for (const IntervalScore& s : scores) {
    if (!method) {
      out += ",,";
    } else if (h == s.count.size()) {
      out += fmt::format(",{},{}", csv_number(s.coverage()), csv_number(s.mean_width()));
    } else {
      out += fmt::format(",{},{}", csv_number(s.step_coverage(h)),
                         csv_number(s.width[h] / static_cast<double>(s.count[h])));
    }
  }
  return out;
}

}  // namespace

std::string evaluation_csv(const Evaluation& e) {
  std::string out = "method,step,mae,rmse,mape,smape,mase,count";
  for (const IntervalScore& s : e.intervals) out += fmt::format(",coverage_{0},width_{0}", level_name(s.level));
  out += '\n';
  const std::size_t K = e.model.per_step.size();
  std::vector<const MethodScores*> methods{&e.model, &e.naive, &e.snaive};
  for (const MethodScores& b : e.more_baselines) methods.push_back(&b);
  for (const MethodScores* m : methods) {
    if (m != &e.model && m->method == e.model.method) continue;  // evaluating naive itself
    out += metrics_csv_row(m->method, "all", m->overall) + interval_fields(e.intervals, K, m == &e.model) + "\n";
    for (std::size_t h = 0; h < K; ++h) {
      out += metrics_csv_row(m->method, std::to_string(h + 1), m->per_step[h]) +
             interval_fields(e.intervals, h, m == &e.model) + "\n";
    }
  }
  return out;
}

std::string evaluation_table(const Frame& frame, const Evaluation& e, const EvalContext& context) {
  const Metrics& overall = e.model.overall;
  std::string out = fmt::format(
      "{} forecast of {} in {}: {} series, {}, {} test origins x {} steps, season {} ({})\n\n", e.model.method,
      context.target, frame.source, e.series.size(), frame.frequency.name(), e.origins, e.shape.horizon,
      e.shape.season, context.split);
  out += fmt::format("{:<10}{:>12}{:>12}{:>10}{:>10}{:>10}\n", "method", "MAE", "RMSE", "MAPE%", "sMAPE%", "MASE");
  out += metrics_row(e.model.method, overall);
  std::vector<const MethodScores*> baselines{&e.naive, &e.snaive};
  for (const MethodScores& b : e.more_baselines) baselines.push_back(&b);
  for (const MethodScores* baseline : baselines) {
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
  out += e.quantile_intervals ? intervals_table(e.intervals, "the model's quantiles (1 - L)/2 and (1 + L)/2")
                              : intervals_table(e.intervals);
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
  if (r.target_by_default) out += fmt::format(", target {} (the only value column)", quoted(frame.columns.front()));
  if (!frame.time_column.empty()) {
    out += fmt::format(", {} (column {})", frame.frequency.name(), frame.time_column);
  } else {
    out += ", time is the row index";
    if (!r.skipped_time.empty()) out += fmt::format(" ({})", r.skipped_time);
  }
  const Regularity& g = r.regularity;
  out += g.gaps == 0 ? ", no gaps" : fmt::format(", {} gaps ({} missing steps)", g.gaps, g.missing_steps);
  if (g.irregular > 0) out += fmt::format(", {} irregular intervals", g.irregular);
  if (r.dropped_rows > 0) out += fmt::format(", {} rows with missing values dropped", r.dropped_rows);
  if (r.filled_values > 0) out += fmt::format(", {} missing values filled", r.filled_values);
  if (r.sorted_series > 0) out += fmt::format(", {} series sorted by time", r.sorted_series);
  return out;
}

std::string id_guess_note(const Frame& frame) {
  const std::optional<IdGuess>& guess = frame.report.id_guess;
  if (!guess) return "";
  return fmt::format("column {} looks like a series id ({} values, each in one block of rows): if the file is long "
                     "format, pass --id {}",
                     quoted(guess->column), guess->series, shell_word(guess->column));
}

}  // namespace grucast
