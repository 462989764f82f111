// The model file's JSON header, read: every field is validated, with a message that names it
// ("model header field config.hidden is 0, not in [1, 65536]"), and checked against the
// binary frame (docs/model-format.md). model_header.cpp writes the header.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "grucast/intervals.hpp"
#include "grucast/text.hpp"
#include "json_depth.hpp"
#include "model_header.hpp"

namespace grucast::model_format {

namespace {

using Json = nlohmann::ordered_json;

// A value of the header and its path ("config.hidden", "scalers[2].scale[0]") for messages.
class Field {
 public:
  Field(const Json& value, std::string path, const Context& context)
      : value_(&value), path_(std::move(path)), context_(&context) {}

  Field operator[](const char* key) const {
    if (!value_->is_object()) wrong_type("an object");
    const std::string path = path_.empty() ? std::string(key) : path_ + "." + key;
    const auto it = value_->find(key);
    if (it == value_->end()) context_->fail(fmt::format("{}{} is missing", context_->field_prefix, path), context_->hint);
    return Field(*it, path, *context_);
  }
  Field operator[](std::size_t i) const { return Field((*value_)[i], fmt::format("{}[{}]", path_, i), *context_); }

  std::size_t size() const {
    if (!value_->is_array()) wrong_type("an array");
    return value_->size();
  }
  std::uint64_t whole(std::uint64_t low, std::uint64_t high = std::numeric_limits<std::uint64_t>::max()) const {
    if (value_->is_number_float()) fail(fmt::format("is {}, not a whole number", value_->dump()));
    if (!value_->is_number()) wrong_type("a whole number");
    const bool negative = !value_->is_number_unsigned() && value_->get<std::int64_t>() < 0;
    const std::uint64_t v = negative ? 0 : value_->get<std::uint64_t>();
    if (negative || v < low || v > high) fail(fmt::format("is {}, {}", value_->dump(), range(low, high)));
    return v;
  }
  std::int64_t integer() const {
    if (value_->is_number_float()) fail(fmt::format("is {}, not a whole number", value_->dump()));
    if (!value_->is_number()) wrong_type("a whole number");
    if (value_->is_number_unsigned() && value_->get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()) {
      fail(fmt::format("is {}, past the range of a 64-bit integer", value_->dump()));
    }
    return value_->get<std::int64_t>();
  }
  bool null() const { return value_->is_null(); }
  bool has(const char* key) const { return value_->is_object() && value_->contains(key); }
  /// A finite number in [low, high], or [low, high) when `open`.
  double real(double low, double high = HUGE_VAL, bool open = false) const {
    if (!value_->is_number()) wrong_type("a number");
    const double v = value_->get<double>();
    if (!std::isfinite(v)) fail("is not a finite number");
    if (v < low || v > high || (open && v == high)) {
      fail(fmt::format("is {}, {}", value_->dump(), std::isinf(high) ? fmt::format("not >= {}", low)
                                                                     : fmt::format("not in [{}, {}{}", low, high,
                                                                                   open ? ")" : "]")));
    }
    return v;
  }
  /// A number, or null for NaN (JSON has no NaN or infinity).
  double nullable() const {
    if (value_->is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!value_->is_number()) wrong_type("a number or null");
    return value_->get<double>();
  }
  bool flag() const {
    if (!value_->is_boolean()) wrong_type("true or false");
    return value_->get<bool>();
  }
  std::string text() const {
    if (!value_->is_string()) wrong_type("a string");
    return value_->get<std::string>();
  }
  template <class Kind, std::size_t N>
  Kind choice(const std::array<Kind, N>& kinds, std::string (*name)(Kind)) const {
    const std::string value = text();
    std::vector<std::string> names;
    for (const Kind kind : kinds) {
      if (name(kind) == value) return kind;
      names.push_back(name(kind));
    }
    fail(fmt::format("is {}, not one of {}", grucast::quoted(value), join(names, ", ")));
  }
  std::vector<double> nullables() const {
    std::vector<double> out(size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = (*this)[i].nullable();
    return out;
  }
  [[noreturn]] void fail(const std::string& problem) const {
    context_->fail(fmt::format("{} {}", name(), problem), context_->hint);
  }

 private:
  std::string name() const { return path_.empty() ? context_->whole : context_->field_prefix + path_; }
  static std::string range(std::uint64_t low, std::uint64_t high) {
    return high == std::numeric_limits<std::uint64_t>::max() ? fmt::format("not >= {}", low)
                                                             : fmt::format("not in [{}, {}]", low, high);
  }
  [[noreturn]] void wrong_type(const char* expected) const {
    static const char* const kTypes[] = {"null", "an object", "an array", "a string", "a boolean",
                                         "a number", "a number", "a number", "binary", "discarded"};
    fail(fmt::format("is {}, not {}", kTypes[static_cast<int>(value_->type())], expected));
  }

  const Json* value_;
  std::string path_;
  const Context* context_;
};

Json parse_header(std::string_view text, const Context& c) {
  try {
    return parse_json_bounded(text);
  } catch (const JsonTooDeep& e) {
    c.fail(fmt::format("the model header is {}", e.what()), kEdited);
  } catch (const Json::parse_error& e) {
    std::string reason = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 5: why"
    const std::size_t colon = reason.find(": ");
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
    if (const std::string escaped = invalid_utf8_shown(reason); !escaped.empty()) reason = escaped;
    // e.byte counts from 1, and the header starts at file offset 20.
    c.fail(fmt::format("the model header is not valid JSON (at byte {} of the header, file offset {}: {})", e.byte,
                       19 + e.byte, reason),
           kEdited);
  } catch (const Json::out_of_range& e) {  // a number past double's range: "number overflow parsing '1e400'"
    const std::string reason = e.what();
    c.fail(fmt::format("the model header is not valid JSON ({})", reason.substr(reason.find(']') + 2)), kEdited);
  }
}

Frequency read_frequency(const Field& f) {
  Frequency out;
  constexpr std::array kUnits{FrequencyUnit::index, FrequencyUnit::seconds, FrequencyUnit::business_days,
                              FrequencyUnit::months};
  out.unit = f["unit"].choice(kUnits, unit_name);
  out.step = static_cast<std::int64_t>(f["step"].whole(1, std::numeric_limits<std::int64_t>::max()));
  out.month_end = f["month_end"].flag();
  out.day = static_cast<unsigned>(f["day"].whole(0, 31));
  f["name"].text();  // written for people; the fields above are what counts
  return out;
}

// config.calendar: known items, each once (files written before calendar features have no key).
std::vector<CalendarItem> read_calendar(const Field& f) {
  constexpr std::array kItems{CalendarItem::hour, CalendarItem::dow, CalendarItem::month, CalendarItem::doy};
  std::vector<CalendarItem> items;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const CalendarItem item = f[i].choice(kItems, calendar_item_name);
    if (std::find(items.begin(), items.end(), item) != items.end()) {
      f[i].fail(fmt::format("repeats {}", grucast::quoted(calendar_item_name(item))));
    }
    items.push_back(item);
  }
  return items;
}

void read_config(const Field& f, ModelConfig& c) {
  if (const std::string cell = f["cell"].text(); cell != "gru") {
    f["cell"].fail(fmt::format("is {}, not \"gru\"", grucast::quoted(cell)));
  }
  c.shape.inputs = f["inputs"].whole(1, 100'000);
  c.shape.hidden = f["hidden"].whole(1, 65'536);
  c.shape.layers = f["layers"].whole(1, 64);
  c.shape.outputs = f["horizon"].whole(1, 1'000'000);
  c.shape.dropout = f["dropout"].real(0.0, 1.0, true);
  constexpr std::array kAttention{AttentionKind::none, AttentionKind::additive, AttentionKind::dot};
  if (f.has("attention")) c.shape.attention = f["attention"].choice(kAttention, attention_name);  // none before it was written
  c.lookback = f["lookback"].whole(1, 1'000'000);
  c.season = c.prep.season = f["season"].whole(1, 1'000'000);
  c.precision = f["precision"].choice(std::array{Precision::f32, Precision::f64}, precision_name);
  constexpr std::array kTransforms{TransformKind::none, TransformKind::log, TransformKind::diff, TransformKind::sdiff};
  c.prep.transform = f["transform"].choice(kTransforms, transform_name);
  constexpr std::array kScalers{ScalerKind::zscore, ScalerKind::minmax, ScalerKind::none};
  c.prep.scaler = f["scaler"].choice(kScalers, scaler_name);
  c.prep.normalize = f["normalize"].choice(std::array{NormalizeKind::none, NormalizeKind::window}, normalize_name);
  if (f.has("calendar")) c.prep.calendar = read_calendar(f["calendar"]);
  TrainOptions& t = c.train;
  constexpr std::array kLosses{LossKind::mse, LossKind::mae, LossKind::huber, LossKind::quantile};
  t.loss = f["loss"].choice(kLosses, loss_name);
  constexpr std::array kOptimizers{OptimizerKind::adam, OptimizerKind::adamw, OptimizerKind::sgd};
  t.optimizer.kind = f["optimizer"].choice(kOptimizers, optimizer_name);
  // How the model was trained: recorded, not used to forecast, so only what cannot be is refused.
  t.optimizer.lr = f["lr"].real(0.0);
  t.optimizer.weight_decay = f["weight_decay"].real(0.0);
  t.optimizer.momentum = f["momentum"].real(-HUGE_VAL);
  t.optimizer.beta1 = f["beta1"].real(-HUGE_VAL);
  t.optimizer.beta2 = f["beta2"].real(-HUGE_VAL);
  t.optimizer.epsilon = f["epsilon"].real(0.0);
  t.clip = f["clip"].real(0.0);
  constexpr std::array kSchedules{ScheduleKind::constant, ScheduleKind::cosine, ScheduleKind::plateau};
  t.schedule = f["schedule"].choice(kSchedules, schedule_name);
  t.batch_size = f["batch_size"].whole(1);
  t.epochs = f["epochs"].whole(0);
  t.patience = f["patience"].whole(0);
  t.seed = f["seed"].whole(0);
  t.threads = f["threads"].whole(0);
  c.split.val = f["split"]["val"].real(0.0, 1.0, true);
  c.split.test = f["split"]["test"].real(0.0, 1.0, true);
  if (!f["split"]["test_from"].null()) c.split.test_from = f["split"]["test_from"].integer();
}

void read_data(const Field& f, const ModelConfig& c, DataConfig& d) {
  d.target = f["target"].text();
  const Field features = f["features"];
  for (std::size_t i = 0; i < features.size(); ++i) d.features.push_back(features[i].text());
  if (c.prep.inputs(d.features.size()) != c.shape.inputs) {
    const std::size_t calendar = kCalendarRows * c.prep.calendar.size();
    features.fail(fmt::format("has {} names, but config.inputs is {} (the target, {} feature{}{}{})", d.features.size(),
                              c.shape.inputs, d.features.size(), d.features.size() == 1 ? "" : "s",
                              calendar > 0 ? fmt::format(", {} calendar inputs", calendar) : "",
                              c.prep.normalize == NormalizeKind::window ? " and the window center" : ""));
  }
  d.time_column = f["time_column"].text();
  d.time_format = f["time_format"].text();
  d.id_column = f["id_column"].text();
  d.frequency = read_frequency(f["frequency"]);
  if (!c.prep.calendar.empty() && (d.time_column.empty() || d.frequency.unit == FrequencyUnit::index)) {
    const Field where = d.time_column.empty() ? f["time_column"] : f["frequency"]["unit"];
    where.fail(fmt::format("is {}, but config.calendar needs timestamps (a time column and its frequency)",
                           d.time_column.empty() ? "\"\"" : "\"index\""));
  }
}

// One finite value per input column; a scale must be positive.
arma::vec read_vector(const Field& f, std::size_t columns, bool scale) {
  if (f.size() != columns) f.fail(fmt::format("has {} values, but the data has {} columns (the target and the features)", f.size(), columns));
  arma::vec out(columns);
  for (std::size_t k = 0; k < columns; ++k) {
    out[k] = f[k].real(-HUGE_VAL);
    if (scale && !(out[k] > 0.0)) f[k].fail(fmt::format("is {}, but a scale must be positive", out[k]));
  }
  return out;
}

void read_scalers(const Field& f, const TrainedModel& model, std::vector<SeriesScaler>& out) {
  const std::size_t n = f.size(), columns = 1 + model.data.features.size();  // the target and the features
  if (n == 0) f.fail("is empty, but every series needs its scaler");
  if (model.data.id_column.empty() && n != 1) {
    f.fail(fmt::format("has {} entries, but without an id column there is one series", n));
  }
  std::set<std::string> ids;
  constexpr std::array kScalers{ScalerKind::zscore, ScalerKind::minmax, ScalerKind::none};
  for (std::size_t i = 0; i < n; ++i) {
    const Field s = f[i];
    SeriesScaler& series = out.emplace_back();
    series.id = s["id"].text();
    if (model.data.id_column.empty() && !series.id.empty()) {
      s["id"].fail(fmt::format("is {}, but without an id column the one series' id is \"\"", grucast::quoted(series.id)));
    }
    if (!ids.insert(series.id).second) {
      s["id"].fail(fmt::format("repeats the series id {}", grucast::quoted(series.id)));
    }
    series.scaler.kind = s["kind"].choice(kScalers, scaler_name);
    if (series.scaler.kind != model.config.prep.scaler) {
      s["kind"].fail(fmt::format("is {}, but config.scaler is {}", grucast::quoted(scaler_name(series.scaler.kind)),
                                 grucast::quoted(scaler_name(model.config.prep.scaler))));
    }
    series.scaler.shift = read_vector(s["shift"], columns, false);
    series.scaler.scale = read_vector(s["scale"], columns, true);
  }
}

void check_slices(const Field& f, const ParamLayout& layout) {
  const std::vector<Slice>& expected = layout.slices();
  if (f.size() != expected.size()) {
    f.fail(fmt::format("has {} slices, but the configuration implies {}", f.size(), expected.size()));
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Slice& e = expected[i];
    const Field s = f[i];
    const std::string name = s["name"].text();
    const std::uint64_t rows = s["rows"].whole(0), cols = s["cols"].whole(0), offset = s["offset"].whole(0);
    if (name != e.name || rows != e.rows || cols != e.cols || offset != e.offset) {
      s.fail(fmt::format("is {} ({} x {} at {}), but the configuration implies {} ({} x {} at {})",
                         grucast::quoted(name), rows, cols, offset, grucast::quoted(e.name), e.rows, e.cols, e.offset));
    }
  }
}

void read_training(const Field& f, TrainSummary& s) {
  s.epochs_run = f["epochs_run"].whole(0);
  s.best_epoch = f["best_epoch"].whole(0, s.epochs_run);
  s.best_loss = f["best_loss"].nullable();
  s.early_stopped = f["early_stopped"].flag();

  s.train_windows = f["train_windows"].whole(0);
  s.validation_windows = f["validation_windows"].whole(0);
  s.train_losses = f["train_losses"].nullables();
  s.validation_losses = f["validation_losses"].nullables();
  if (f.has("stop")) {  // files written before training faults were recorded have neither key
    s.stop = f["stop"].choice(std::array{StopReason::epochs, StopReason::early, StopReason::interrupted,
                                         StopReason::diverged},
                              stop_reason_name);
    s.fault = f["fault"].text();
  } else {
    s.stop = s.early_stopped ? StopReason::early : StopReason::epochs;
  }
  for (const char* key : {"train_losses", "validation_losses"}) {
    if (f[key].size() != s.epochs_run) {
      f[key].fail(fmt::format("has {} entries, but training.epochs_run is {}", f[key].size(), s.epochs_run));
    }
  }
}

void read_test(const Field& f, TestScores& test) {
  test.origins = f["origins"].whole(0);
  const Field methods = f["methods"];
  for (std::size_t i = 0; i < methods.size(); ++i) {
    const Field m = methods[i];
    Metrics metrics;
    metrics.count = m["count"].whole(0);
    metrics.mae = m["mae"].nullable();
    metrics.rmse = m["rmse"].nullable();
    metrics.mape = m["mape"].nullable();
    metrics.smape = m["smape"].nullable();
    metrics.mase = m["mase"].nullable();
    metrics.mape_skipped = m["mape_skipped"].whole(0);
    metrics.mase_skipped = m["mase_skipped"].whole(0);
    metrics.filled_skipped = m["filled_skipped"].whole(0);
    test.methods.emplace_back(m["method"].text(), metrics);
  }
}

// Optional: files written before prediction intervals have no calibration.
void read_calibration(const Field& f, const TrainedModel& model, Calibration& out) {
  const Field scales = f["scales"], steps = f["steps"];
  if (steps.size() != 0 && steps.size() != model.config.shape.outputs) {
    steps.fail(fmt::format("has {} entries, but the model has {} outputs", steps.size(), model.config.shape.outputs));
  }
  for (std::size_t i = 0; i < scales.size(); ++i) {
    const std::string id = scales[i]["id"].text();
    if (model.scaler_of(id) == nullptr || out.scale_of(id) != nullptr) {
      scales[i]["id"].fail(fmt::format("is {}, not one more series of the scalers", grucast::quoted(id)));
    }
    out.scales.push_back({id, scales[i]["scale"].real(0.0)});
    if (!(out.scales.back().scale > 0.0)) scales[i]["scale"].fail("is 0, but a scale must be positive");
  }
  if (steps.size() != 0 && scales.size() != model.scalers.size()) {
    scales.fail(fmt::format("has {} entries, but the model has {} series", scales.size(), model.scalers.size()));
  }
  for (std::size_t h = 0; h < steps.size(); ++h) {
    StepResiduals& step = out.steps.emplace_back();
    step.count = steps[h]["count"].whole(0);
    const Field residuals = steps[h]["residuals"];
    if (residuals.size() != std::min<std::uint64_t>(step.count, StepResiduals::kMaxStored)) {
      residuals.fail(fmt::format("has {} values, but count is {} (all up to {}, else {})", residuals.size(),
                                 step.count, StepResiduals::kMaxStored, StepResiduals::kMaxStored));
    }
    for (std::size_t i = 0; i < residuals.size(); ++i) {
      step.sorted.push_back(residuals[i].real(i == 0 ? 0.0 : step.sorted.back()));  // ascending
    }
  }
}

}  // namespace

TrainedModel read_header(std::string_view text, const ParameterBlock& frame, const Context& c) {
  return read_header_json(parse_header(text, c), frame, c);
}

TrainedModel read_header_json(const Json& header, const ParameterBlock& frame, const Context& c) {
  const Field root(header, "", c);
  if (root["format"].text() != "grucast-model") root["format"].fail("is not \"grucast-model\"");
  root["grucast_version"].text();
  TrainedModel model;
  read_config(root["config"], model.config);
  read_quantiles(header["config"], model.config, c);
  read_data(root["data"], model.config, model.data);
  read_scalers(root["scalers"], model, model.scalers);
  const ParamLayout layout = model.layout();
  check_slices(root["slices"], layout);
  const Field parameters = root["parameters"];
  const std::uint64_t count = parameters["count"].whole(0);
  const Precision precision =
      parameters["precision"].choice(std::array{Precision::f32, Precision::f64}, precision_name);
  if (precision != model.config.precision) {
    parameters["precision"].fail(fmt::format("is {}, but config.precision is {}",
                                             grucast::quoted(precision_name(precision)),
                                             grucast::quoted(precision_name(model.config.precision))));
  }
  if (count != layout.size() || frame.count != layout.size()) {
    c.fail(fmt::format("the file holds {} parameters (header: {}), but the configuration implies {}", frame.count,
                       count, layout.size()),
           c.hint);
  }
  const std::uint64_t element = precision == Precision::f64 ? 8 : 4;
  if (frame.element != element) {
    c.fail(fmt::format("the parameters are {}-byte numbers, but the precision is {}", frame.element,
                       precision_name(precision)),
           c.hint);
  }
  read_training(root["training"], model.summary);
  read_test(root["test"], model.test);
  if (root.has("calibration")) read_calibration(root["calibration"], model, model.calibration);
  return model;
}

}  // namespace grucast::model_format
