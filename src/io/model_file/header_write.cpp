// The model file's JSON header, written (docs/model-format.md): model_header(), and the check
// that every name in it is UTF-8. header_read.cpp reads it back.
#include "io/model_file/header.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "grucast/io/model_file.hpp"
#include "nn/network.hpp"
#include "util/text.hpp"

namespace grucast {

namespace model_format {

std::string unit_name(FrequencyUnit unit) {
  switch (unit) {
    case FrequencyUnit::index: return "index";
    case FrequencyUnit::seconds: return "seconds";
    case FrequencyUnit::business_days: return "business_days";
    case FrequencyUnit::months: return "months";
  }
  return "index";
}

// `text` with each byte that is not part of well-formed UTF-8 written as \xe9; "" when all are.
std::string invalid_utf8_shown(std::string_view text) {
  std::string out;
  bool invalid = false;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i++]));
      invalid = true;
    } else {
      out += text.substr(i, n);
      i += n;
    }
  }
  return invalid ? out : "";
}

std::string json_error_reason(const std::string& what) {
  std::string reason = what;
  if (const std::size_t colon = reason.find(": "); colon != std::string::npos) reason = reason.substr(colon + 2);
  constexpr std::string_view kLastRead = "last read: '";
  if (const std::size_t start = reason.find(kLastRead); start != std::string::npos) {
    const std::size_t begin = start + kLastRead.size();
    std::size_t end = reason.find("'; ", begin);
    if (end == std::string::npos) end = reason.size() - (reason.ends_with('\'') ? 1 : 0);
    const std::string token = shortened(std::string_view(reason).substr(begin, end - begin));
    reason = reason.substr(0, begin) + token + reason.substr(end);
  }
  if (const std::string escaped = invalid_utf8_shown(reason); !escaped.empty()) reason = escaped;
  return reason;
}

// JSON holds UTF-8 only: a Latin-1 column name would be changed or refused on the way back.
void check_names(const TrainedModel& model, const std::string& where) {
  const DataConfig& d = model.data;
  std::vector<std::pair<std::string, const std::string*>> names = {
      {"target column", &d.target}, {"time column", &d.time_column}, {"time format", &d.time_format},
      {"id column", &d.id_column}};
  for (const std::string& f : d.features) names.emplace_back("feature column", &f);
  for (const SeriesScaler& s : model.scalers) names.emplace_back("series id", &s.id);
  for (const ValueProfile& p : model.profile.per_series) names.emplace_back("series id", &p.id);
  for (const SeriesChoice& c : model.selection.series) names.emplace_back("series id", &c.id);
  for (const auto& method : model.test.methods) names.emplace_back("test method", &method.first);
  for (const auto& [what, name] : names) {
    const std::string shown = invalid_utf8_shown(*name);
    if (shown.empty()) continue;
    throw ModelError(fmt::format("the {} {} is not valid UTF-8, which a model file cannot hold", what,
                                 grucast::quoted(shown)),
                     where, "convert the data to UTF-8 (e.g. iconv -f latin1 -t utf-8) and train again");
  }
}

}  // namespace model_format

// Names checked when the data is read, not when the model is saved after every epoch: refused
// rather than stored escaped, so that the name in the model stays the one a forecast looks up.
void check_storable_names(const Frame& frame, const DataConfig& data) {
  constexpr const char* kFix = "convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)";
  if (!model_format::invalid_utf8_shown(data.time_format).empty()) {
    throw UsageError(fmt::format("the pattern {} is not valid UTF-8, which a model file cannot hold",
                                 quoted(data.time_format)),
                     "--time-format", "write the pattern in UTF-8");
  }
  std::vector<std::pair<std::string, const std::string*>> names = {
      {"target column", &data.target}, {"time column", &data.time_column}, {"id column", &data.id_column}};
  for (const std::string& f : data.features) names.emplace_back("feature column", &f);
  for (const auto& [what, name] : names) {
    if (model_format::invalid_utf8_shown(*name).empty()) continue;
    throw DataError(fmt::format("the {} {} is not valid UTF-8, which a model file cannot hold", what, quoted(*name)),
                    location(frame.source, frame.header_line), kFix);
  }
  for (const Series& series : frame.series) {
    if (model_format::invalid_utf8_shown(series.id).empty()) continue;
    throw DataError(fmt::format("the series id {} (column {}) is not valid UTF-8, which a model file cannot hold",
                                quoted(series.id), quoted(frame.id_column)),
                    location(frame.source, series.lines.empty() ? 0 : series.lines.front()), kFix);
  }
}

namespace {

using Json = nlohmann::ordered_json;
using model_format::unit_name;

Json number_json(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

template <class Values>
Json numbers_json(const Values& values) {
  Json out = Json::array();
  for (const double v : values) out.push_back(number_json(v));
  return out;
}

// The split's rows only when given, so that other models' headers are as before.
Json split_json(const SplitSpec& split) {
  Json j = {{"val", number_json(split.val)},
            {"test", number_json(split.test)},
            {"test_from", split.test_from ? Json(*split.test_from) : Json(nullptr)}};
  if (split.val_rows > 0) j["val_rows"] = split.val_rows;
  if (split.test_rows > 0) j["test_rows"] = split.test_rows;
  return j;
}

Json config_fields(const ModelConfig& c) {
  const TrainOptions& t = c.train;
  const OptimizerOptions& o = t.optimizer;
  return {{"cell", cell_name(c.shape.cell)},
          {"inputs", c.shape.inputs},
          {"hidden", c.shape.hidden},
          {"layers", c.shape.layers},
          {"horizon", c.shape.outputs},
          {"dropout", number_json(c.shape.dropout)},
          {"attention", attention_name(c.shape.attention)},
          {"lookback", c.lookback},
          {"season", c.season},
          {"precision", precision_name(c.precision)},
          {"transform", transform_name(c.prep.transform)},
          {"scaler", scaler_name(c.prep.scaler)},
          {"normalize", normalize_name(c.prep.normalize)},
          {"calendar", calendar_names(c.prep.calendar)},
          {"loss", loss_name(t.loss)},
          {"optimizer", optimizer_name(o.kind)},
          {"lr", number_json(o.lr)},
          {"weight_decay", number_json(o.weight_decay)},
          {"momentum", number_json(o.momentum)},
          {"beta1", number_json(o.beta1)},
          {"beta2", number_json(o.beta2)},
          {"epsilon", number_json(o.epsilon)},
          {"clip", number_json(t.clip)},
          {"schedule", schedule_name(t.schedule)},
          {"batch_size", t.batch_size},
          {"epochs", t.epochs},
          {"patience", t.patience},
          {"seed", t.seed},
          {"threads", t.threads},
          {"split", split_json(c.split)}};
}

// config.quantiles only with the quantile loss, and config.nonnegative only when true, so that
// other models' headers are as before.
Json config_json(const ModelConfig& c) {
  Json config = config_fields(c);
  if (c.train.loss == LossKind::quantile) config["quantiles"] = c.train.quantiles;
  if (c.nonnegative) config["nonnegative"] = true;
  return config;
}

Json data_json(const DataConfig& d) {
  const Frequency& f = d.frequency;
  return {{"target", d.target},
          {"features", d.features},
          {"time_column", d.time_column},
          {"time_format", d.time_format},
          {"id_column", d.id_column},
          {"frequency",
           {{"unit", unit_name(f.unit)},
            {"step", f.step},
            {"month_end", f.month_end},
            {"day", f.day},
            {"name", f.name()}}}};
}

Json training_json(const TrainSummary& s) {
  return {{"epochs_run", s.epochs_run},
          {"best_epoch", s.best_epoch},
          {"best_loss", number_json(s.best_loss)},
          {"early_stopped", s.early_stopped},
          {"train_windows", s.train_windows},
          {"validation_windows", s.validation_windows},
          {"train_losses", numbers_json(s.train_losses)},
          {"validation_losses", numbers_json(s.validation_losses)},
          {"stop", stop_reason_name(s.stop)},
          {"fault", s.fault}};
}

Json test_json(const TestScores& test) {
  Json methods = Json::array();
  for (const auto& [method, m] : test.methods) {
    methods.push_back({{"method", method},
                       {"count", m.count},
                       {"mae", number_json(m.mae)},
                       {"rmse", number_json(m.rmse)},
                       {"mape", number_json(m.mape)},
                       {"smape", number_json(m.smape)},
                       {"mase", number_json(m.mase)},
                       {"mape_skipped", m.mape_skipped},
                       {"mase_skipped", m.mase_skipped},
                       {"filled_skipped", m.filled_skipped}});
  }
  return {{"origins", test.origins}, {"methods", std::move(methods)}};
}

// A residual rounded up to 6 significant digits: a short header, and an interval never narrower.
// The ceiling to 6 digits keeps the residuals sorted.
double rounded_up(double r) {
  const double nearest = std::stod(fmt::format("{:.6g}", r));
  if (nearest >= r) return nearest;
  const double unit = std::pow(10.0, std::floor(std::log10(nearest)) - 5);  // of the 6th digit
  return std::stod(fmt::format("{:.6g}", nearest + unit));
}

Json calibration_json(const Calibration& calibration) {
  Json scales = Json::array(), steps = Json::array();
  for (const SeriesScale& s : calibration.scales) scales.push_back({{"id", s.id}, {"scale", s.scale}});
  for (const StepResiduals& step : calibration.steps) {
    Json residuals = Json::array();
    for (const double r : step.sorted) residuals.push_back(rounded_up(r));
    steps.push_back({{"count", step.count}, {"residuals", std::move(residuals)}});
  }
  return {{"scales", std::move(scales)}, {"steps", std::move(steps)}};
}

Json value_profile_json(const ValueProfile& p) {
  return {{"id", p.id},     {"rows", p.rows},           {"min", number_json(p.min)}, {"max", number_json(p.max)},
          {"mean", number_json(p.mean)}, {"sd", number_json(p.sd)}, {"last", p.last}};
}

Json profile_json(const DataProfile& profile) {
  Json per_series = Json::array();
  for (const ValueProfile& p : profile.per_series) per_series.push_back(value_profile_json(p));
  return {{"series", profile.series}, {"all", value_profile_json(profile.all)}, {"per_series", std::move(per_series)}};
}

Json selection_json(const Selection& selection) {
  Json series = Json::array();
  for (const SeriesChoice& c : selection.series) {
    series.push_back({{"id", c.id},
                      {"method", c.method},
                      {"mae", number_json(c.method_mae)},
                      {"network_mae", number_json(c.network_mae)},
                      {"naive_mae", number_json(c.naive_mae)}});
  }
  return {{"policy", fallback_name(selection.policy)}, {"series", std::move(series)}};
}

// Member 0 is the model's own network; its lookback, seed and summary are repeated here.
Json ensemble_json(const std::vector<EnsembleMember>& members) {
  Json list = Json::array();
  for (const EnsembleMember& m : members) {
    list.push_back({{"lookback", m.lookback}, {"seed", m.seed}, {"training", training_json(m.summary)}});
  }
  return {{"members", std::move(list)}};
}

}  // namespace

Json model_header(const TrainedModel& model) {
  Json scalers = Json::array();
  for (const SeriesScaler& s : model.scalers) {
    Json entry = {{"id", s.id},
                  {"kind", scaler_name(s.scaler.kind)},
                  {"shift", numbers_json(s.scaler.shift)},
                  {"scale", numbers_json(s.scaler.scale)}};
    // Only for the series --transform auto took logarithms of, so that other models' headers are as before.
    if (model.config.prep.transform_of(s.id) != model.config.prep.transform) entry["log"] = true;
    scalers.push_back(std::move(entry));
  }
  Json slices = Json::array();
  const ParamLayout layout = network_layout(model.config.shape);
  for (const Slice& s : layout.slices()) {
    slices.push_back({{"name", s.name}, {"rows", s.rows}, {"cols", s.cols}, {"offset", s.offset}});
  }
  Json header = {{"format", "grucast-model"},
          {"grucast_version", GRUCAST_VERSION},
          {"config", config_json(model.config)},
          {"data", data_json(model.data)},
          {"scalers", std::move(scalers)},
          {"slices", std::move(slices)},
          {"parameters", {{"count", layout.size()}, {"precision", precision_name(model.config.precision)}}},
          {"training", training_json(model.summary)},
          {"test", test_json(model.test)}};
  if (!model.calibration.empty()) header["calibration"] = calibration_json(model.calibration);
  if (model.final_fit) {
    const FinalFit& f = *model.final_fit;
    header["final"] = {{"epochs", f.epochs},
                       {"split", split_json(f.split)},
                       {"epochs_run", f.epochs_run},
                       {"best_loss", number_json(f.best_loss)}};
  }
  if (!model.profile.empty()) header["profile"] = profile_json(model.profile);
  if (!model.selection.empty()) header["selection"] = selection_json(model.selection);
  if (!model.members.empty()) header["ensemble"] = ensemble_json(model.members);
  return header;
}

}  // namespace grucast
