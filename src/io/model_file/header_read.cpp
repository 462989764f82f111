// The model file's JSON header, read: every field is validated, with a message that names it
// ("model header field config.hidden is 0, not in [1, 4096]"), and checked against the
// binary frame (docs/model-format.md). header_write.cpp writes the header; header_field.hpp is
// the typed field reader, and header_optional.cpp reads the optional sections.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/model_file/header.hpp"
#include "io/model_file/header_field.hpp"
#include "io/model_file/header_optional.hpp"
#include "nn/network.hpp"
#include "util/json_depth.hpp"
#include "util/text.hpp"

namespace grucast::model_format {

namespace {

using Json = nlohmann::ordered_json;

Json parse_header(std::string_view text, const Context& c) {
  try {
    return parse_json_bounded(text);
  } catch (const JsonTooDeep& e) {
    c.fail(fmt::format("the model header is {}", e.what()), kEdited);
  } catch (const Json::parse_error& e) {
    const std::string reason = json_error_reason(e.what());
    // e.byte counts from 1, and the header starts at file offset 20.
    c.fail(fmt::format("the model header is not valid JSON (at byte {} of the header, file offset {}: {})", e.byte,
                       19 + e.byte, reason),
           kEdited);
  } catch (const Json::out_of_range& e) {  // a number past double's range: "number overflow parsing '1e400'"
    const std::string reason = e.what();
    c.fail(fmt::format("the model header is not valid JSON ({})", shortened(reason.substr(reason.find(']') + 2), 80)),
           kEdited);
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

// config.<field> in its range.
double setting(const Field& config, const SettingRange& range) { return config[range.field].in(range); }
std::size_t count(const Field& config, const SettingRange& range) {
  return static_cast<std::size_t>(setting(config, range));
}

// How the model was trained: not used to forecast, but in the ranges of train's options
// (SettingRange, model_config.hpp), like every setting: so neither an edited header nor an
// import holds what train could not have written.
void read_training_options(const Field& f, TrainOptions& t) {
  constexpr std::array kLosses{LossKind::mse, LossKind::mae, LossKind::huber, LossKind::quantile};
  t.loss = f["loss"].choice(kLosses, loss_name);
  constexpr std::array kOptimizers{OptimizerKind::adam, OptimizerKind::adamw, OptimizerKind::sgd};
  t.optimizer.kind = f["optimizer"].choice(kOptimizers, optimizer_name);
  t.optimizer.lr = setting(f, settings::lr);
  t.optimizer.weight_decay = setting(f, settings::weight_decay);
  t.optimizer.momentum = setting(f, settings::momentum);
  t.optimizer.beta1 = setting(f, settings::beta1);
  t.optimizer.beta2 = setting(f, settings::beta2);
  t.optimizer.epsilon = setting(f, settings::epsilon);
  t.clip = setting(f, settings::clip);
  constexpr std::array kSchedules{ScheduleKind::constant, ScheduleKind::cosine, ScheduleKind::plateau};
  t.schedule = f["schedule"].choice(kSchedules, schedule_name);
  t.batch_size = count(f, settings::batch_size);
  t.epochs = count(f, settings::epochs);
  t.patience = count(f, settings::patience);
  t.seed = f["seed"].whole(0);
  t.threads = count(f, settings::threads);
}

void read_config(const Field& f, ModelConfig& c) {
  c.shape.cell = f["cell"].choice(kCellKinds, cell_name);
  c.shape.inputs = count(f, settings::inputs);
  c.shape.hidden = count(f, settings::hidden);
  c.shape.layers = count(f, settings::layers);
  c.shape.outputs = count(f, settings::horizon);
  c.shape.dropout = setting(f, settings::dropout);
  if (c.shape.dropout > 0.0 && c.shape.layers == 1) {
    f["dropout"].fail(fmt::format("is {}, but dropout acts between stacked layers and config.layers is 1", c.shape.dropout));
  }
  constexpr std::array kAttention{AttentionKind::none, AttentionKind::additive, AttentionKind::dot};
  if (f.has("attention")) c.shape.attention = f["attention"].choice(kAttention, attention_name);  // none before it was written
  c.lookback = count(f, settings::lookback);
  c.season = c.prep.season = count(f, settings::season);
  c.precision = f["precision"].choice(std::array{Precision::f32, Precision::f64}, precision_name);
  constexpr std::array kTransforms{TransformKind::none, TransformKind::log,      TransformKind::diff,
                                   TransformKind::sdiff, TransformKind::log_diff, TransformKind::log_sdiff};
  c.prep.transform = f["transform"].choice(kTransforms, transform_name);
  constexpr std::array kScalers{ScalerKind::zscore, ScalerKind::minmax, ScalerKind::none};
  c.prep.scaler = f["scaler"].choice(kScalers, scaler_name);
  c.prep.normalize = f["normalize"].choice(std::array{NormalizeKind::none, NormalizeKind::window}, normalize_name);
  if (f.has("calendar")) c.prep.calendar = read_calendar(f["calendar"]);
  if (f.has("nonnegative")) c.nonnegative = f["nonnegative"].flag();  // files before it: no
  read_training_options(f, c.train);
  c.split = read_split(f["split"]);
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

// Returns the ids of the series whose entry says "log": true (--transform auto), sorted.
std::vector<std::string> read_scalers(const Field& f, const TrainedModel& model, std::vector<SeriesScaler>& out) {
  const std::size_t n = f.size(), columns = 1 + model.data.features.size();  // the target and the features
  if (n == 0) f.fail("is empty, but every series needs its scaler");
  if (model.data.id_column.empty() && n != 1) {
    f.fail(fmt::format("has {} entries, but without an id column there is one series", n));
  }
  std::set<std::string> ids;
  std::vector<std::string> logged;
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
    if (!s.has("log") || !s["log"].flag()) continue;  // files before --transform auto: no
    if (takes_log(model.config.prep.transform)) {
      s["log"].fail(fmt::format("is true, but config.transform {} takes logarithms of every series already",
                                grucast::quoted(transform_name(model.config.prep.transform))));
    }
    logged.push_back(series.id);
  }
  std::sort(logged.begin(), logged.end());
  return logged;
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
                                         StopReason::diverged, StopReason::time},
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

// ensemble: 2 to kMaxEnsemble members, the first the model's own network (its lookback and seed).
void read_ensemble(const Field& f, TrainedModel& model) {
  const Field members = f["members"];
  const std::size_t n = members.size();
  if (n < 2 || n > kMaxEnsemble) members.fail(fmt::format("has {} entries, not 2 to {}", n, kMaxEnsemble));
  model.members.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    EnsembleMember& m = model.members[i];
    m.lookback = count(members[i], settings::lookback);
    m.seed = members[i]["seed"].whole(0);
    read_training(members[i]["training"], m.summary);
  }
  const EnsembleMember& first = model.members.front();
  if (first.lookback != model.config.lookback || first.seed != model.config.train.seed) {
    members[std::size_t{0}].fail(fmt::format("has lookback {} and seed {}, but config has {} and {}", first.lookback, first.seed,
                                model.config.lookback, model.config.train.seed));
  }
  if (model.config.train.loss == LossKind::quantile) f.fail("is there, but a quantile model is never an ensemble");
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
  model.config.prep.logged = read_scalers(root["scalers"], model, model.scalers);
  const ParamLayout layout = network_layout(model.config.shape);
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
  if (root.has("ensemble")) read_ensemble(root["ensemble"], model);
  const std::size_t networks = std::max<std::size_t>(1, model.members.size());
  if (count != layout.size() || frame.count != networks * layout.size()) {
    const std::string per = networks == 1 ? "" : " per network";
    c.fail(fmt::format("the file holds {} parameters (header: {}{}{}), but the configuration implies {}{}", frame.count,
                       count, per, networks == 1 ? "" : fmt::format(", {} networks", networks), layout.size(), per),
           c.hint);
  }
  const std::uint64_t element = model.with_params([]<class E>(const arma::Col<E>&) { return sizeof(E); });
  if (frame.element != element) {
    c.fail(fmt::format("the parameters are {}-byte numbers, but the precision is {}", frame.element,
                       precision_name(precision)),
           c.hint);
  }
  read_training(root["training"], model.summary);
  read_test(root["test"], model.test);
  if (root.has("calibration")) read_calibration(root["calibration"], model, model.calibration);
  if (root.has("final")) model.final_fit = read_final(root["final"]);
  model.calibration.nonnegative = model.config.nonnegative;
  if (root.has("profile")) read_profile(root["profile"], model.profile);
  if (root.has("selection")) read_selection(root["selection"], model, model.selection);
  return model;
}

}  // namespace grucast::model_format
