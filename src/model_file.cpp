#include "grucast/model_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "grucast/error.hpp"
#include "grucast/output.hpp"
#include "grucast/text.hpp"

namespace grucast {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kMagic{"GRUCAST\x1a", 8};
constexpr std::uint64_t kMaxHeader = std::uint64_t{64} << 20;
constexpr std::uint64_t kMaxFile = std::uint64_t{4} << 30;
// magic 8, version 4, header length 8, element size 4, parameter count 8, checksum 8.
constexpr std::uint64_t kFixedBytes = 40;

constexpr const char* kCutOff = "the file was cut off (an interrupted copy or a full disk): copy it again, or re-train";
constexpr const char* kDamaged = "the file is damaged: copy it again, or re-train the model";
constexpr const char* kEdited = "the header is not what grucast train writes (was it edited?): re-train the model";
constexpr const char* kSaveBug =
    "grucast cannot read back the model it would write: please report this with the command line";

// Where a message points, and whether the bytes are being checked before a save (then every
// problem is grucast's own, whatever the load-time hint would say).
struct Context {
  std::string source;
  bool saving = false;

  [[noreturn]] void fail(const std::string& what, const std::string& hint) const {
    throw ModelError(what, source, saving ? kSaveBug : hint);
  }
};

// ---- bytes ----------------------------------------------------------------------------------

void put_le(std::string& out, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

std::uint64_t get_le(std::string_view bytes, std::uint64_t offset, int width) {
  std::uint64_t value = 0;
  for (int i = width - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return value;
}

template <class E>
void put_values(std::string& out, const arma::Col<E>& values) {
  using Bits = std::conditional_t<sizeof(E) == 4, std::uint32_t, std::uint64_t>;
  if constexpr (std::endian::native == std::endian::little) {
    out.append(reinterpret_cast<const char*>(values.memptr()), values.n_elem * sizeof(E));
  } else {
    for (const E v : values) put_le(out, std::bit_cast<Bits>(v), sizeof(E));
  }
}

template <class E>
void get_values(std::string_view bytes, std::uint64_t offset, arma::Col<E>& values) {
  using Bits = std::conditional_t<sizeof(E) == 4, std::uint32_t, std::uint64_t>;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(values.memptr(), bytes.data() + offset, values.n_elem * sizeof(E));
  } else {
    for (std::size_t i = 0; i < values.n_elem; ++i) {
      values[i] = std::bit_cast<E>(static_cast<Bits>(get_le(bytes, offset + i * sizeof(E), sizeof(E))));
    }
  }
}

// The first parameter that is NaN or infinite, as "gru.weight_hh_l1[3, 7] is nan", or "".
template <class E>
std::string first_non_finite(const arma::Col<E>& values, const ParamLayout& layout) {
  for (std::size_t i = 0; i < values.n_elem; ++i) {
    if (!std::isfinite(values[i])) return fmt::format("{} is {}", layout.describe(i), values[i]);
  }
  return "";
}

// What a file that does not start with the magic bytes may be, for the hint.
std::string what_it_may_be(std::string_view bytes) {
  const std::string wanted = "give the model file that grucast train wrote";
  if (bytes.substr(0, 2) == "\x1f\x8b") {
    return "it is gzip-compressed: decompress it first (gunzip)";
  }
  const std::string_view start = trim(bytes.substr(0, 64));
  if (!start.empty() && (start.front() == '{' || start.front() == '[')) {
    return "it looks like JSON (inspect --json prints the header only): " + wanted;
  }
  const bool text = std::all_of(start.begin(), start.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || c == '\n' || c == '\r' || c == '\t';
  });
  return text ? "it looks like text, perhaps a data file: " + wanted : wanted;
}

// ---- JSON writing ---------------------------------------------------------------------------

Json number_json(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

template <class Values>
Json numbers_json(const Values& values) {
  Json out = Json::array();
  for (const double v : values) out.push_back(number_json(v));
  return out;
}

std::string unit_name(FrequencyUnit unit) {
  switch (unit) {
    case FrequencyUnit::index: return "index";
    case FrequencyUnit::seconds: return "seconds";
    case FrequencyUnit::business_days: return "business_days";
    case FrequencyUnit::months: return "months";
  }
  return "index";
}

Json config_json(const ModelConfig& c) {
  const TrainOptions& t = c.train;
  const OptimizerOptions& o = t.optimizer;
  return {{"cell", "gru"},
          {"inputs", c.shape.inputs},
          {"hidden", c.shape.hidden},
          {"layers", c.shape.layers},
          {"horizon", c.shape.outputs},
          {"dropout", number_json(c.shape.dropout)},
          {"lookback", c.lookback},
          {"season", c.season},
          {"precision", precision_name(c.precision)},
          {"transform", transform_name(c.prep.transform)},
          {"scaler", scaler_name(c.prep.scaler)},
          {"normalize", normalize_name(c.prep.normalize)},
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
          {"split",
           {{"val", number_json(c.split.val)},
            {"test", number_json(c.split.test)},
            {"test_from", c.split.test_from ? Json(*c.split.test_from) : Json(nullptr)}}}};
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
          {"validation_losses", numbers_json(s.validation_losses)}};
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

// The length of the well-formed UTF-8 sequence at text[i], or 0 (overlongs, surrogates and code
// points past U+10FFFF are not well-formed).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  std::uint32_t cp = n == 1 ? c : c & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(text[i + k]);
    if ((d & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  constexpr std::array<std::uint32_t, 5> kLeast{0, 0, 0x80, 0x800, 0x10000};
  return cp < kLeast[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0 : n;
}

// `text` with each byte that is not part of well-formed UTF-8 written as \xe9; "" when all are.
std::string invalid_utf8_shown(std::string_view text) {
  std::string out;
  bool invalid = false;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_length(text, i);
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

// JSON holds UTF-8 only: a Latin-1 column name would be changed or refused on the way back.
void check_names(const TrainedModel& model, const std::string& where) {
  const DataConfig& d = model.data;
  std::vector<std::pair<std::string, const std::string*>> names = {
      {"target column", &d.target}, {"time column", &d.time_column}, {"time format", &d.time_format},
      {"id column", &d.id_column}};
  for (const std::string& f : d.features) names.emplace_back("feature column", &f);
  for (const SeriesScaler& s : model.scalers) names.emplace_back("series id", &s.id);
  for (const auto& method : model.test.methods) names.emplace_back("test method", &method.first);
  for (const auto& [what, name] : names) {
    const std::string shown = invalid_utf8_shown(*name);
    if (shown.empty()) continue;
    throw ModelError(fmt::format("the {} {} is not valid UTF-8, which a model file cannot hold", what,
                                 grucast::quoted(shown)),
                     where, "convert the data to UTF-8 (e.g. iconv -f latin1 -t utf-8) and train again");
  }
}

template <class E>
void check_parameters(const arma::Col<E>& values, const ParamLayout& layout, const std::string& where) {
  if (values.n_elem != layout.size()) {
    throw ModelError(fmt::format("the model has {} parameters, but its shape implies {}", values.n_elem, layout.size()),
                     where, "this is a grucast bug: please report it with the command line");
  }
  const std::string bad = first_non_finite(values, layout);
  if (!bad.empty()) {
    throw ModelError(fmt::format("the parameters are not finite ({})", bad), where,
                     "training diverged: train again with a lower --lr");
  }
}

std::string encode(const TrainedModel& model, const std::string& where) {
  const ParamLayout layout = model.layout();
  const bool f64 = model.config.precision == Precision::f64;
  if (f64) {
    check_parameters(model.params64, layout, where);
  } else {
    check_parameters(model.params32, layout, where);
  }
  check_names(model, where);
  const std::string header = model_header(model).dump();
  const std::size_t element = f64 ? 8 : 4;
  std::string out;
  out.reserve(kFixedBytes + header.size() + layout.size() * element);
  out += kMagic;
  put_le(out, kModelFormatVersion, 4);
  put_le(out, header.size(), 8);
  out += header;
  put_le(out, element, 4);
  put_le(out, layout.size(), 8);
  if (f64) {
    put_values(out, model.params64);
  } else {
    put_values(out, model.params32);
  }
  put_le(out, fnv1a64(out), 8);
  return out;
}

// ---- the binary frame -----------------------------------------------------------------------

struct Sections {
  std::string_view header;
  std::uint64_t element = 0;
  std::uint64_t count = 0;
  std::uint64_t values_offset = 0;
};

[[noreturn]] void truncated(const Context& c, std::uint64_t size, const std::string& needs) {
  c.fail(fmt::format("the file is truncated: it has {} bytes, but {}", size, needs), kCutOff);
}

void check_start(std::string_view bytes, const Context& c) {
  const std::uint64_t size = bytes.size();
  if (size == 0) c.fail("the file is empty, not a grucast model", kCutOff);
  const std::string_view start = bytes.substr(0, kMagic.size());
  if (start != kMagic.substr(0, start.size())) {
    c.fail("the file is not a grucast model file (it does not start with GRUCAST)", what_it_may_be(bytes));
  }
  if (size < 12) truncated(c, size, fmt::format("a model file has at least {}", kFixedBytes));
  const std::uint64_t version = get_le(bytes, 8, 4);
  if (version > kModelFormatVersion) {
    c.fail(fmt::format("the model was written by a newer grucast (model format {}; this grucast reads {})", version,
                       kModelFormatVersion),
           "upgrade grucast to read it, or re-train the model with this version");
  }
  if (version != kModelFormatVersion) {
    c.fail(fmt::format("the file has model format version {}, which no grucast writes", version), kDamaged);
  }
}

Sections check_frame(std::string_view bytes, const Context& c) {
  check_start(bytes, c);
  const std::uint64_t size = bytes.size();
  if (size < 20) truncated(c, size, fmt::format("a model file has at least {}", kFixedBytes));
  const std::uint64_t n = get_le(bytes, 12, 8);
  if (n > kMaxHeader) {
    c.fail(fmt::format("the model header length is {} bytes, over the limit of {} (64 MiB)", n, kMaxHeader), kDamaged);
  }
  if (size < kFixedBytes + n) {
    truncated(c, size, fmt::format("its header length ({} bytes) implies at least {}", n, kFixedBytes + n));
  }
  Sections frame{bytes.substr(20, n), get_le(bytes, 20 + n, 4), get_le(bytes, 24 + n, 8), 32 + n};
  if (frame.element != 4 && frame.element != 8) {
    c.fail(fmt::format("the parameter element size is {}, not 4 (f32) or 8 (f64)", frame.element), kDamaged);
  }
  const std::uint64_t fixed = kFixedBytes + n;
  if (frame.count > (std::numeric_limits<std::uint64_t>::max() - fixed) / frame.element) {
    truncated(c, size, fmt::format("its parameter count ({}) implies more than 2^64", frame.count));
  }
  const std::uint64_t expected = fixed + frame.count * frame.element;
  if (size < expected) {
    truncated(c, size, fmt::format("its header and parameter count ({} x {} bytes) imply {}", frame.count,
                                   frame.element, expected));
  }
  if (size > expected) {
    c.fail(fmt::format("the file has {} trailing bytes: it has {} bytes, but its header and parameter count imply {}",
                       size - expected, size, expected),
           "the file is damaged or something was appended to it: copy it again, or re-train");
  }
  if (fnv1a64(bytes.substr(0, size - 8)) != get_le(bytes, size - 8, 8)) {
    c.fail("checksum mismatch: the file is damaged", "re-train the model, or copy the file again");
  }
  return frame;
}

// ---- JSON reading ---------------------------------------------------------------------------

// A value of the header and its path ("config.hidden", "scalers[2].scale[0]") for messages.
class Field {
 public:
  Field(const Json& value, std::string path, const Context& context)
      : value_(&value), path_(std::move(path)), context_(&context) {}

  Field operator[](const char* key) const {
    if (!value_->is_object()) wrong_type("an object");
    const std::string path = path_.empty() ? std::string(key) : path_ + "." + key;
    const auto it = value_->find(key);
    if (it == value_->end()) context_->fail(fmt::format("model header field {} is missing", path), kEdited);
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
    context_->fail(fmt::format("{} {}", name(), problem), kEdited);
  }

 private:
  std::string name() const { return path_.empty() ? "the model header" : "model header field " + path_; }
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
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    std::string reason = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 5: why"
    const std::size_t colon = reason.find(": ");
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
    if (const std::string escaped = invalid_utf8_shown(reason); !escaped.empty()) reason = escaped;
    c.fail(fmt::format("the model header is not valid JSON (at byte {} of the header, file offset {}: {})", e.byte,
                       19 + e.byte, reason),
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

void read_config(const Field& f, ModelConfig& c) {
  if (const std::string cell = f["cell"].text(); cell != "gru") {
    f["cell"].fail(fmt::format("is {}, not \"gru\"", grucast::quoted(cell)));
  }
  c.shape.inputs = f["inputs"].whole(1, 100'000);
  c.shape.hidden = f["hidden"].whole(1, 65'536);
  c.shape.layers = f["layers"].whole(1, 64);
  c.shape.outputs = f["horizon"].whole(1, 1'000'000);
  c.shape.dropout = f["dropout"].real(0.0, 1.0, true);
  c.lookback = f["lookback"].whole(1, 1'000'000);
  c.season = c.prep.season = f["season"].whole(1, 1'000'000);
  c.precision = f["precision"].choice(std::array{Precision::f32, Precision::f64}, precision_name);
  constexpr std::array kTransforms{TransformKind::none, TransformKind::log, TransformKind::diff, TransformKind::sdiff};
  c.prep.transform = f["transform"].choice(kTransforms, transform_name);
  constexpr std::array kScalers{ScalerKind::zscore, ScalerKind::minmax, ScalerKind::none};
  c.prep.scaler = f["scaler"].choice(kScalers, scaler_name);
  c.prep.normalize = f["normalize"].choice(std::array{NormalizeKind::none, NormalizeKind::window}, normalize_name);
  TrainOptions& t = c.train;
  t.loss = f["loss"].choice(std::array{LossKind::mse, LossKind::mae, LossKind::huber}, loss_name);
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
    features.fail(fmt::format("has {} names, but config.inputs is {} (the target, {} feature{}{})", d.features.size(),
                              c.shape.inputs, d.features.size(), d.features.size() == 1 ? "" : "s",
                              c.prep.normalize == NormalizeKind::window ? " and the window center" : ""));
  }
  d.time_column = f["time_column"].text();
  d.time_format = f["time_format"].text();
  d.id_column = f["id_column"].text();
  d.frequency = read_frequency(f["frequency"]);
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

template <class E>
void read_values(std::string_view bytes, const Sections& frame, const ParamLayout& layout, const Context& c,
                 arma::Col<E>& values) {
  values.set_size(frame.count);  // count = layout.size() and the bytes are there: both checked
  get_values(bytes, frame.values_offset, values);
  const std::string bad = first_non_finite(values, layout);
  if (!bad.empty()) c.fail(fmt::format("the parameters are not finite ({})", bad), kEdited);
}

TrainedModel decode(std::string_view bytes, const Context& c) {
  const Sections frame = check_frame(bytes, c);
  const Json header = parse_header(frame.header, c);
  const Field root(header, "", c);
  if (root["format"].text() != "grucast-model") root["format"].fail("is not \"grucast-model\"");
  root["grucast_version"].text();
  TrainedModel model;
  read_config(root["config"], model.config);
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
           kEdited);
  }
  const std::uint64_t element = precision == Precision::f64 ? 8 : 4;
  if (frame.element != element) {
    c.fail(fmt::format("the parameters are {}-byte numbers, but the precision is {}", frame.element,
                       precision_name(precision)),
           kEdited);
  }
  read_training(root["training"], model.summary);
  read_test(root["test"], model.test);
  if (precision == Precision::f64) {
    read_values(bytes, frame, layout, c, model.params64);
  } else {
    read_values(bytes, frame, layout, c, model.params32);
  }
  return model;
}

}  // namespace

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char byte : bytes) {
    hash ^= static_cast<unsigned char>(byte);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

Json model_header(const TrainedModel& model) {
  Json scalers = Json::array();
  for (const SeriesScaler& s : model.scalers) {
    scalers.push_back({{"id", s.id},
                       {"kind", scaler_name(s.scaler.kind)},
                       {"shift", numbers_json(s.scaler.shift)},
                       {"scale", numbers_json(s.scaler.scale)}});
  }
  Json slices = Json::array();
  const ParamLayout layout = model.layout();
  for (const Slice& s : layout.slices()) {
    slices.push_back({{"name", s.name}, {"rows", s.rows}, {"cols", s.cols}, {"offset", s.offset}});
  }
  return {{"format", "grucast-model"},
          {"grucast_version", GRUCAST_VERSION},
          {"config", config_json(model.config)},
          {"data", data_json(model.data)},
          {"scalers", std::move(scalers)},
          {"slices", std::move(slices)},
          {"parameters", {{"count", layout.size()}, {"precision", precision_name(model.config.precision)}}},
          {"training", training_json(model.summary)},
          {"test", test_json(model.test)}};
}

std::string model_bytes(const TrainedModel& model) {
  const std::string where = "the model being saved";
  std::string bytes = encode(model, where);
  decode(bytes, Context{where, true});  // what is written can be read back
  return bytes;
}

void save_model(const TrainedModel& model, const std::string& path) {
  const std::string bytes = encode(model, path);
  decode(bytes, Context{path, true});
  AtomicFile file(path);
  file.write(bytes);
  file.commit();
}

TrainedModel parse_model(std::string_view bytes, const std::string& source) { return decode(bytes, Context{source}); }

TrainedModel load_model(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    throw IoError(fmt::format("cannot open the model file ({})", std::strerror(error)), path,
                  error == ENOENT ? "check the path, or train a model first with grucast train"
                                  : "check the path and its permissions");
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    throw IoError(S_ISDIR(info.st_mode) ? "the model path is a directory" : "the model path is not a regular file",
                  path, "give the model file that grucast train wrote");
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > kMaxFile) {
    throw ModelError(fmt::format("the file is {} bytes, more than any grucast model (4 GiB)", size), path,
                     "check the path: this is not a model file");
  }
  std::string bytes(size, '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw IoError(fmt::format("cannot read the model file ({})", std::strerror(errno)), path,
                    "check the file and the device it is on");
    }
    if (n == 0) break;  // it shrank while being read: the checks below say what is missing
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return parse_model(bytes, path);
}

}  // namespace grucast
