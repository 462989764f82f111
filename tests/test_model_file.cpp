#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>

#include <fmt/format.h>

#include "grucast/error.hpp"
#include "grucast/model_file.hpp"
#include "support/files.hpp"

using namespace grucast;
using grucast::test::read_text;
using grucast::test::TempDir;
using grucast::test::write_text;
using Json = nlohmann::ordered_json;

namespace grucast::cli {
int run(int argc, const char* const* argv);  // src/cli/common.hpp
}

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// D = 3 (target, one feature, the window center), H = 3, L = 2, K = 4. Every field is set to a
// value other than its default, so a field the file drops shows up in the round trip.
TrainedModel small_model(Precision precision) {
  TrainedModel m;
  m.config.shape = ModelShape{3, 3, 2, 4, 0.25};
  m.config.lookback = 8;
  m.config.season = 7;
  m.config.prep = Preprocessing{TransformKind::log, ScalerKind::minmax, NormalizeKind::window, 7, {}};
  m.config.precision = precision;
  TrainOptions& t = m.config.train;
  t.loss = LossKind::huber;
  t.optimizer = OptimizerOptions{OptimizerKind::adamw, 3e-3, 1e-4, 0.8, 0.85, 0.995, 1e-7};
  t.clip = 0.5;
  t.schedule = ScheduleKind::cosine;
  t.batch_size = 16;
  t.epochs = 30;
  t.patience = 5;
  t.seed = std::numeric_limits<std::uint64_t>::max();
  t.threads = 2;
  m.config.split = SplitSpec{0.15, 0.25, std::nullopt, {}};
  if (precision == Precision::f64) m.config.split.test_from = -86'400;  // 1969-12-31
  m.data = DataConfig{"load", {"temp"}, "date", "%Y-%m-%d", "site", Frequency{FrequencyUnit::months, 3, true, 31}};
  m.scalers.push_back({"north", Scaler{ScalerKind::minmax, {10.5, -2.25}, {3.0, 0.1}}});
  m.scalers.push_back({"süd, \"2\"", Scaler{ScalerKind::minmax, {-0.0, 1e300}, {1e-300, 7.0 / 3.0}}});
  if (precision == Precision::f64) {
    init_params(m.layout(), m.params64, 7);
  } else {
    init_params(m.layout(), m.params32, 7);
  }
  m.summary = TrainSummary{3, 2, 0.125, true, 1.5, 100, 20, {1.0, 0.5, 0.1}, {0.3, 0.125, kNaN}, StopReason::early,
                           0, 0, ""};
  m.test.origins = 12;
  m.test.methods.push_back({"gru", Metrics{48, 1.1, 1.3, kNaN, 12.5, 0.9, 48, 0, 2}});
  m.test.methods.push_back({"naive", Metrics{48, 2.2, 2.6, 3.5, 14.0, kNaN, 0, 48, 2}});
  return m;
}

// Bit-exact, with every NaN equal to every other.
bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) { return same(x, y); });
}

// An empty vector's memptr() is null, which memcmp must not get even for 0 bytes (UBSan).
template <class E>
bool same(const arma::Col<E>& a, const arma::Col<E>& b) {
  return a.n_elem == b.n_elem && (a.n_elem == 0 || std::memcmp(a.memptr(), b.memptr(), a.n_elem * sizeof(E)) == 0);
}

bool same(const Metrics& a, const Metrics& b) {
  return a.count == b.count && same(a.mae, b.mae) && same(a.rmse, b.rmse) && same(a.mape, b.mape) &&
         same(a.smape, b.smape) && same(a.mase, b.mase) && a.mape_skipped == b.mape_skipped &&
         a.mase_skipped == b.mase_skipped && a.filled_skipped == b.filled_skipped;
}

void check_same(const TrainedModel& a, const TrainedModel& b) {
  const ModelConfig &x = a.config, &y = b.config;
  CHECK(x.shape.inputs == y.shape.inputs);
  CHECK(x.shape.hidden == y.shape.hidden);
  CHECK(x.shape.layers == y.shape.layers);
  CHECK(x.shape.outputs == y.shape.outputs);
  CHECK(same(x.shape.dropout, y.shape.dropout));
  CHECK(x.lookback == y.lookback);
  CHECK(x.season == y.season);
  CHECK(x.prep.transform == y.prep.transform);
  CHECK(x.prep.scaler == y.prep.scaler);
  CHECK(x.prep.normalize == y.prep.normalize);
  CHECK(x.prep.season == y.prep.season);
  CHECK(x.prep.calendar == y.prep.calendar);
  CHECK(x.precision == y.precision);
  const TrainOptions &s = x.train, &t = y.train;
  CHECK(s.loss == t.loss);
  CHECK(s.optimizer.kind == t.optimizer.kind);
  for (const auto field : {&OptimizerOptions::lr, &OptimizerOptions::weight_decay, &OptimizerOptions::momentum,
                           &OptimizerOptions::beta1, &OptimizerOptions::beta2, &OptimizerOptions::epsilon}) {
    CHECK(same(s.optimizer.*field, t.optimizer.*field));
  }
  CHECK(same(s.clip, t.clip));
  CHECK(s.schedule == t.schedule);
  CHECK(s.batch_size == t.batch_size);
  CHECK(s.epochs == t.epochs);
  CHECK(s.patience == t.patience);
  CHECK(s.seed == t.seed);
  CHECK(s.threads == t.threads);
  CHECK(same(x.split.val, y.split.val));
  CHECK(same(x.split.test, y.split.test));
  CHECK(x.split.test_from == y.split.test_from);

  CHECK(a.data.target == b.data.target);
  CHECK(a.data.features == b.data.features);
  CHECK(a.data.time_column == b.data.time_column);
  CHECK(a.data.time_format == b.data.time_format);
  CHECK(a.data.id_column == b.data.id_column);
  CHECK(a.data.frequency.unit == b.data.frequency.unit);
  CHECK(a.data.frequency.step == b.data.frequency.step);
  CHECK(a.data.frequency.month_end == b.data.frequency.month_end);
  CHECK(a.data.frequency.day == b.data.frequency.day);

  REQUIRE(a.scalers.size() == b.scalers.size());
  for (std::size_t i = 0; i < a.scalers.size(); ++i) {
    CHECK(a.scalers[i].id == b.scalers[i].id);
    CHECK(a.scalers[i].scaler.kind == b.scalers[i].scaler.kind);
    CHECK(same(a.scalers[i].scaler.shift, b.scalers[i].scaler.shift));
    CHECK(same(a.scalers[i].scaler.scale, b.scalers[i].scaler.scale));
  }
  CHECK(same(a.params32, b.params32));
  CHECK(same(a.params64, b.params64));

  const TrainSummary &p = a.summary, &q = b.summary;
  CHECK(p.epochs_run == q.epochs_run);
  CHECK(p.best_epoch == q.best_epoch);
  CHECK(same(p.best_loss, q.best_loss));
  CHECK(p.early_stopped == q.early_stopped);
  CHECK(p.stop == q.stop);
  CHECK(p.fault == q.fault);
  CHECK(q.seconds == 0.0);  // not stored: the same training gives the same bytes
  CHECK(p.train_windows == q.train_windows);
  CHECK(p.validation_windows == q.validation_windows);
  CHECK(same(p.train_losses, q.train_losses));
  CHECK(same(p.validation_losses, q.validation_losses));

  CHECK(a.test.origins == b.test.origins);
  REQUIRE(a.test.methods.size() == b.test.methods.size());
  for (std::size_t i = 0; i < a.test.methods.size(); ++i) {
    CHECK(a.test.methods[i].first == b.test.methods[i].first);
    CHECK(same(a.test.methods[i].second, b.test.methods[i].second));
  }
}

std::uint64_t get_u64(const std::string& bytes, std::size_t offset) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return v;
}

void set_u64(std::string& bytes, std::size_t offset, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) bytes[offset + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

std::size_t header_length(const std::string& bytes) { return static_cast<std::size_t>(get_u64(bytes, 12)); }

// The checksum recomputed, as an editor of the file would: the checks past it are then reached.
std::string rechecksummed(std::string bytes) {
  set_u64(bytes, bytes.size() - 8, fnv1a64(std::string_view(bytes).substr(0, bytes.size() - 8)));
  return bytes;
}

// The file with its header text replaced (and the header length and checksum to match).
std::string with_header_text(const std::string& bytes, const std::string& header) {
  const std::size_t n = header_length(bytes);
  std::string out = bytes.substr(0, 12) + std::string(8, '\0') + header + bytes.substr(20 + n);
  set_u64(out, 12, header.size());
  return rechecksummed(out);
}

std::string with_header(const std::string& bytes, const std::function<void(Json&)>& edit) {
  Json header = Json::parse(bytes.substr(20, header_length(bytes)));
  edit(header);
  return with_header_text(bytes, header.dump());
}

std::string message_of(const std::string& bytes) {
  try {
    parse_model(bytes, "m.grc");
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(no error)";
}

// Runs the command line in this process with stdout and stderr sent to files; returns the status.
int run_cli(const std::vector<std::string>& args, const TempDir& dir, std::string& out, std::string& err) {
  std::vector<const char*> argv = {"grucast"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::fflush(stdout);
  std::fflush(stderr);
  const int saved_out = ::dup(1), saved_err = ::dup(2);
  const int out_fd = ::open((dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = ::open((dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  const int status = grucast::cli::run(static_cast<int>(argv.size()), argv.data());
  std::fflush(stdout);
  std::fflush(stderr);
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  for (const int fd : {saved_out, saved_err, out_fd, err_fd}) ::close(fd);
  out = read_text(dir / "stdout");
  err = read_text(dir / "stderr");
  return status;
}

const std::string kEdited = ", m.grc, the header is not what grucast train writes (was it edited?): re-train the model";

}  // namespace

TEST_SUITE("model_file") {
  TEST_CASE("save and load round-trip every field bit-exactly, in f32 and f64") {
    TempDir dir;
    for (const Precision precision : {Precision::f32, Precision::f64}) {
      CAPTURE(precision_name(precision));
      const TrainedModel model = small_model(precision);
      const std::string path = (dir / "m.grc").string();
      save_model(model, path);
      const TrainedModel loaded = load_model(path);
      check_same(model, loaded);
      CHECK(read_text(path) == model_bytes(model));
      // The example of docs/model-format.md: GRUCAST_TEST_KEEP_MODEL=small.grc grucast_tests -tc='save and load*'
      const char* keep = std::getenv("GRUCAST_TEST_KEEP_MODEL");
      if (keep != nullptr && precision == Precision::f32) write_text(keep, read_text(path));
      CHECK(model_bytes(loaded) == model_bytes(model));
      const std::size_t element = precision == Precision::f64 ? 8 : 4;
      CHECK(read_text(path).size() == 40 + header_length(model_bytes(model)) + 160 * element);
    }
  }

  TEST_CASE("model_bytes is deterministic and lays out magic, version, header, values and checksum") {
    const TrainedModel model = small_model(Precision::f32);
    const std::string bytes = model_bytes(model);
    CHECK(model_bytes(small_model(Precision::f32)) == bytes);
    CHECK(bytes.substr(0, 8) == std::string("GRUCAST\x1a", 8));
    CHECK(bytes.substr(8, 4) == std::string("\x01\x00\x00\x00", 4));
    const std::size_t n = header_length(bytes);
    const Json header = Json::parse(bytes.substr(20, n));
    CHECK(header == model_header(model));
    CHECK(header["format"] == "grucast-model");
    CHECK(header["config"]["hidden"] == 3);
    CHECK(header["training"]["validation_losses"][2].is_null());
    CHECK(header["test"]["methods"][0]["mape"].is_null());
    CHECK(header["slices"][0] == Json{{"name", "gru.weight_ih_l0"}, {"rows", 9}, {"cols", 3}, {"offset", 0}});
    CHECK(header["parameters"] == Json{{"count", 160}, {"precision", "f32"}});
    CHECK(bytes.substr(20 + n, 4) == std::string("\x04\x00\x00\x00", 4));
    CHECK(get_u64(bytes, 24 + n) == 160);
    float first = 0;
    std::memcpy(&first, bytes.data() + 32 + n, 4);
    CHECK(first == model.params32[0]);
    CHECK(get_u64(bytes, bytes.size() - 8) == fnv1a64(std::string_view(bytes).substr(0, bytes.size() - 8)));
    CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
    CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);  // the published FNV-1a 64 test vector
  }

  TEST_CASE("an infinite loss is stored as null and reads back as NaN") {
    TrainedModel model = small_model(Precision::f32);
    model.summary.best_loss = std::numeric_limits<double>::infinity();
    model.summary.train_losses[0] = -std::numeric_limits<double>::infinity();
    const TrainedModel loaded = parse_model(model_bytes(model), "m.grc");
    CHECK(std::isnan(loaded.summary.best_loss));
    CHECK(std::isnan(loaded.summary.train_losses[0]));
  }

  TEST_CASE("a file cut off at any byte is refused, saying how long it is and should be") {
    const std::string bytes = model_bytes(small_model(Precision::f32));
    std::size_t refused = 0;
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      const std::string message = message_of(bytes.substr(0, size));
      const bool ok = size == 0 ? message.find("the file is empty") != std::string::npos
                                : message.find(fmt::format("the file is truncated: it has {} bytes, but ", size)) == 0;
      if (!ok) {
        INFO("size ", size, ": ", message);
        CHECK(ok);
        break;
      }
      ++refused;
    }
    CHECK(refused == bytes.size());
    const std::size_t n = header_length(bytes);
    CHECK(message_of(bytes.substr(0, 10)) ==
          "the file is truncated: it has 10 bytes, but a model file has at least 40, m.grc, the file was cut off (an "
          "interrupted copy or a full disk): copy it again, or re-train");
    CHECK(message_of(bytes.substr(0, 100)) ==
          fmt::format("the file is truncated: it has 100 bytes, but its header length ({} bytes) implies at least {}, "
                      "m.grc, the file was cut off (an interrupted copy or a full disk): copy it again, or re-train",
                      n, n + 40));
    CHECK(message_of(bytes.substr(0, bytes.size() - 1)).find(fmt::format(
              "it has {} bytes, but its header and parameter count (160 x 4 bytes) imply {}", bytes.size() - 1,
              bytes.size())) != std::string::npos);
  }

  TEST_CASE("flipping any byte is caught: by the checksum, or by the field it lands in") {
    const std::string bytes = model_bytes(small_model(Precision::f32));
    const std::size_t n = header_length(bytes);
    std::size_t caught = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      std::string damaged = bytes;
      damaged[i] = static_cast<char>(damaged[i] ^ 0xff);
      const std::string message = message_of(damaged);
      std::vector<std::string> expected;
      if (i < 8) {
        expected = {"does not start with GRUCAST"};
      } else if (i < 12) {
        expected = {"was written by a newer grucast"};
      } else if (i < 20) {  // the header length: too long, or the sections after it move
        expected = {"over the limit", "truncated", "trailing bytes", "element size"};
      } else if (i >= 20 + n && i < 24 + n) {
        expected = {"element size is"};
      } else if (i >= 24 + n && i < 32 + n) {
        expected = {"truncated", "trailing bytes"};
      } else {
        expected = {"checksum mismatch: the file is damaged, m.grc, re-train the model, or copy the file again"};
      }
      const bool ok = std::any_of(expected.begin(), expected.end(),
                                  [&](const std::string& e) { return message.find(e) != std::string::npos; });
      if (!ok) {
        INFO("byte ", i, ": ", message);
        CHECK(ok);
        break;
      }
      ++caught;
    }
    CHECK(caught == bytes.size());
  }

  TEST_CASE("what is not a model says so, and what it might be") {
    CHECK(message_of("date,value\n2020-01-01,3\n") ==
          "the file is not a grucast model file (it does not start with GRUCAST), m.grc, it looks like text, perhaps a "
          "data file: give the model file that grucast train wrote");
    CHECK(message_of("{\"format\": \"grucast-model\"}").find("it looks like JSON") != std::string::npos);
    CHECK(message_of(std::string("\x1f\x8b\x08\x00", 4)).find("it is gzip-compressed") != std::string::npos);
    CHECK(message_of("GRU") == "the file is truncated: it has 3 bytes, but a model file has at least 40, m.grc, the "
                               "file was cut off (an interrupted copy or a full disk): copy it again, or re-train");
    CHECK(message_of("").find("the file is empty, not a grucast model, m.grc") == 0);
  }

  TEST_CASE("a newer format version asks for a newer grucast; version 0 is damage") {
    std::string bytes = model_bytes(small_model(Precision::f32));
    bytes[8] = 2;
    CHECK(message_of(bytes) ==
          "the model was written by a newer grucast (model format 2; this grucast reads 1), m.grc, upgrade grucast to "
          "read it, or re-train the model with this version");
    bytes[8] = 0;
    CHECK(message_of(bytes).find("the file has model format version 0, which no grucast writes") == 0);
  }

  TEST_CASE("sizes are checked before anything is allocated") {
    const std::string bytes = model_bytes(small_model(Precision::f32));
    const std::size_t n = header_length(bytes);
    std::string huge_header = bytes;
    set_u64(huge_header, 12, (std::uint64_t{64} << 20) + 1);
    CHECK(message_of(huge_header).find("the model header length is 67108865 bytes, over the limit of 67108864") == 0);
    std::string huge_count = bytes;
    set_u64(huge_count, 24 + n, std::uint64_t{1} << 61);
    CHECK(message_of(huge_count).find("its header and parameter count (2305843009213693952 x 4 bytes) imply") !=
          std::string::npos);
    set_u64(huge_count, 24 + n, std::numeric_limits<std::uint64_t>::max());
    CHECK(message_of(huge_count).find("implies more than 2^64") != std::string::npos);
    std::string element = bytes;
    element[20 + n] = 5;
    CHECK(message_of(element).find("the parameter element size is 5, not 4 (f32) or 8 (f64)") == 0);
    CHECK(message_of(bytes + "xyz") ==
          fmt::format("the file has 3 trailing bytes: it has {} bytes, but its header and parameter count imply {}, "
                      "m.grc, the file is damaged or something was appended to it: copy it again, or re-train",
                      bytes.size() + 3, bytes.size()));
  }

  TEST_CASE("header fields are checked one by one, each named by its path") {
    const std::string bytes = model_bytes(small_model(Precision::f32));
    CHECK(message_of(with_header(bytes, [](Json&) {})) == "(no error)");  // the editing itself is sound
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"].erase("hidden"); })) ==
          "model header field config.hidden is missing" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["hidden"] = "3"; })) ==
          "model header field config.hidden is a string, not a whole number" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["hidden"] = 0; })) ==
          "model header field config.hidden is 0, not in [1, 65536]" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["layers"] = -1; })) ==
          "model header field config.layers is -1, not in [1, 64]" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["lookback"] = 2.5; })) ==
          "model header field config.lookback is 2.5, not a whole number" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["dropout"] = 1.0; })) ==
          "model header field config.dropout is 1.0, not in [0, 1)" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["loss"] = "l2"; })) ==
          "model header field config.loss is 'l2', not one of mse, mae, huber, quantile" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["split"] = nullptr; })) ==
          "model header field config.split is null, not an object" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["data"]["frequency"]["unit"] = "weeks"; })) ==
          "model header field data.frequency.unit is 'weeks', not one of index, seconds, business_days, months" +
              kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["data"]["features"].push_back("rain"); })) ==
          "model header field data.features has 2 names, but config.inputs is 3 (the target, 2 features and the window center)" +
              kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["scalers"][1]["scale"][1] = 0; })) ==
          "model header field scalers[1].scale[1] is 0, but a scale must be positive" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["scalers"][0]["shift"].erase(1); })) ==
          "model header field scalers[0].shift has 1 values, but the data has 2 columns (the target and the features)" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["scalers"][1]["id"] = "north"; })) ==
          "model header field scalers[1].id repeats the series id 'north'" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["training"]["train_losses"].push_back(1.0); })) ==
          "model header field training.train_losses has 4 entries, but training.epochs_run is 3" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["test"]["methods"][0]["mae"] = "1.1"; })) ==
          "model header field test.methods[0].mae is a string, not a number or null" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h.erase("format"); })) ==
          "model header field format is missing" + kEdited);
    CHECK(message_of(with_header_text(bytes, "[1, 2]")) == "the model header is an array, not an object" + kEdited);
    CHECK(message_of(with_header_text(bytes, "{\"format\": grucast}")).find(
              "the model header is not valid JSON (at byte 12 of the header, file offset 31: syntax error while "
              "parsing value - invalid literal; last read: '\"format\": g')") == 0);
    CHECK(message_of(with_header_text(bytes, "{\"format\": 1e400}")) ==
          "the model header is not valid JSON (number overflow parsing '1e400')" + kEdited);
    CHECK(message_of(with_header_text(bytes, "{\"format\": \"gru\xe9\"}"))  // the raw byte is shown escaped
              .find("ill-formed UTF-8 byte; last read: '\"gru\\xe9\"'") != std::string::npos);
  }

  TEST_CASE("the slice table, parameter count and precision must agree with the configuration") {
    const std::string bytes = model_bytes(small_model(Precision::f32));
    CHECK(message_of(with_header(bytes, [](Json& h) { h["slices"][1]["rows"] = 10; })) ==
          "model header field slices[1] is 'gru.weight_hh_l0' (10 x 3 at 27), but the configuration implies "
          "'gru.weight_hh_l0' (9 x 3 at 27)" +
              kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["hidden"] = 4; })) ==
          "model header field slices[0] is 'gru.weight_ih_l0' (9 x 3 at 0), but the configuration implies "
          "'gru.weight_ih_l0' (12 x 3 at 0)" +
              kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["slices"].erase(9); })) ==
          "model header field slices has 9 slices, but the configuration implies 10" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["parameters"]["count"] = 150; })) ==
          "the file holds 160 parameters (header: 150), but the configuration implies 160" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["parameters"]["precision"] = "f64"; })) ==
          "model header field parameters.precision is 'f64', but config.precision is 'f32'" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) {
            h["parameters"]["precision"] = "f64";
            h["config"]["precision"] = "f64";
          })) == "the parameters are 4-byte numbers, but the precision is f64" + kEdited);
  }

  TEST_CASE("a parameter that is not finite is refused on load and on save") {
    const TrainedModel model = small_model(Precision::f32);
    std::string bytes = model_bytes(model);
    const std::size_t values = 32 + header_length(bytes);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(bytes.data() + values + 4 * 29, &nan, 4);  // gru.weight_ih_l0 is 9 x 3: 29 is in weight_hh_l0
    CHECK(message_of(rechecksummed(bytes)) ==
          "the parameters are not finite (gru.weight_hh_l0[2, 0] is nan), m.grc, grucast never writes non-finite "
          "weights (was the file edited?): re-train the model");
    TempDir dir;
    write_text(dir / "m.grc", "old");
    TrainedModel bad = model;
    bad.params32[159] = std::numeric_limits<float>::infinity();
    CHECK_THROWS_WITH_AS(save_model(bad, (dir / "m.grc").string()),
                         ("the parameters are not finite (head.bias[3, 0] is inf), " + (dir / "m.grc").string() +
                          ", training diverged: train again with a lower --lr")
                             .c_str(),
                         ModelError);
    CHECK(read_text(dir / "m.grc") == "old");
    CHECK_THROWS_WITH_AS(model_bytes(bad), doctest::Contains("is inf), the model being saved"), ModelError);
  }

  TEST_CASE("save refuses what could not be read back") {
    TempDir dir;
    const std::string path = (dir / "m.grc").string();
    TrainedModel latin1 = small_model(Precision::f32);
    latin1.data.features[0] = "temp\xe9rature";
    CHECK_THROWS_WITH_AS(save_model(latin1, path),
                         doctest::Contains("the feature column 'temp\\xe9rature' is not valid UTF-8"), ModelError);
    TrainedModel wrong_size = small_model(Precision::f32);
    wrong_size.params32.resize(150);
    CHECK_THROWS_WITH_AS(model_bytes(wrong_size),
                         doctest::Contains("the model has 150 parameters, but its shape implies 160"), ModelError);
    TrainedModel bad_lr = small_model(Precision::f32);
    bad_lr.config.train.optimizer.lr = -1.0;
    CHECK_THROWS_WITH_AS(save_model(bad_lr, path),
                         ("model header field config.lr is -1.0, not >= 0, " + path +
                          ", grucast cannot read back the model it would write: please report this with the command "
                          "line")
                             .c_str(),
                         ModelError);
    CHECK_THROWS_WITH_AS(model_bytes(bad_lr), doctest::Contains("config.lr is -1.0, not >= 0, the model being saved"),
                         ModelError);
    CHECK_FALSE(std::filesystem::exists(path));
  }

  TEST_CASE("load_model reports files it cannot read") {
    TempDir dir;
    const std::string missing = (dir / "none.grc").string();
    CHECK_THROWS_WITH_AS(load_model(missing),
                         ("cannot open the model file (No such file or directory), " + missing +
                          ", check the path, or train a model first with grucast train")
                             .c_str(),
                         IoError);
    CHECK_THROWS_WITH_AS(load_model(dir.path().string()), doctest::Contains("the model path is a directory"), IoError);
    CHECK_THROWS_WITH_AS(load_model("/dev/null"), doctest::Contains("the model path is not a regular file"), IoError);
    const std::string big = (dir / "big.grc").string();
    write_text(big, "GRUCAST");
    std::filesystem::resize_file(big, (std::uint64_t{4} << 30) + 1);  // sparse: nothing is written
    CHECK_THROWS_WITH_AS(load_model(big),
                         doctest::Contains("the file is 4294967297 bytes, more than any grucast model (4 GiB)"),
                         ModelError);
  }

  TEST_CASE("inspect prints the report, --json the header, and a damaged file fails with status 1") {
    TempDir dir;
    const std::string path = (dir / "m.grc").string();
    TrainedModel model = small_model(Precision::f32);
    for (int i = 0; i < 23; ++i) {
      model.scalers.push_back({fmt::format("extra{}", i), Scaler{ScalerKind::minmax, {0.0, 0.0}, {1.0, 1.0}}});
    }
    save_model(model, path);
    std::string out, err;
    REQUIRE(run_cli({"inspect", path}, dir, out, err) == 0);
    CHECK(err.empty());
    CHECK(out.find("grucast model (format 1), 160 parameters") != std::string::npos);
    CHECK(out.find("  hidden units (H)      3\n") != std::string::npos);
    CHECK(out.find("  split                 60% train, 15% validation, 25% test\n") != std::string::npos);
    CHECK(out.find("  time column           date (format %Y-%m-%d)\n") != std::string::npos);
    CHECK(out.find("  frequency             quarterly (month end)\n") != std::string::npos);
    CHECK(out.find("  gru.weight_hh_l1      9 x 3                     27\n") != std::string::npos);
    CHECK(out.find("  total                                          160\n") != std::string::npos);
    CHECK(out.find("extra17") != std::string::npos);
    CHECK(out.find("extra18") == std::string::npos);  // 20 series shown
    CHECK(out.find("  ... and 5 more series (--json lists them all)\n") != std::string::npos);
    CHECK(out.find("  best validation loss  0.125\n") != std::string::npos);
    CHECK(out.find("  gru             1.1000      1.3000       n/a   12.5000    0.9000          48\n") !=
          std::string::npos);
    REQUIRE(run_cli({"inspect", path, "--json"}, dir, out, err) == 0);
    CHECK(Json::parse(out) == model_header(model));
    CHECK(out.rfind("{\n  \"format\": \"grucast-model\",\n", 0) == 0);
    write_text(dir / "m.grc", model_bytes(model) + "x");
    CHECK(run_cli({"inspect", path}, dir, out, err) == 1);
    CHECK(out.empty());
    CHECK(err.find("grucast: error: the file has 1 trailing byte: ") == 0);
    CHECK(run_cli({"inspect"}, dir, out, err) == 2);
  }
}
