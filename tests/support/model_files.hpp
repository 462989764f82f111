// The small model the model file tests save and load, its field-by-field comparison, and edits
// of its bytes (the header replaced, the checksum recomputed) with the messages they give.
#pragma once

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "nn/network.hpp"
#include "util/hash.hpp"

namespace grucast::test {

using Json = nlohmann::ordered_json;

inline const double kNaN = std::numeric_limits<double>::quiet_NaN();

// D = 3 (target, one feature, the window center), H = 3, L = 2, K = 4. Every field is set to a
// value other than its default, so a field the file drops shows up in the round trip.
inline TrainedModel small_model(Precision precision) {
  TrainedModel m;
  m.config.shape = ModelShape{3, 3, 2, 4, 0.25};
  m.config.lookback = 8;
  m.config.season = 7;
  m.config.prep = Preprocessing{TransformKind::log, ScalerKind::minmax, NormalizeKind::window, 7, {}, {}};
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
  m.with_params([&](auto& params) { init_params(network_layout(m.config.shape), params, 7); });
  m.summary = TrainSummary{3, 2, 0.125, true, 1.5, 100, 20, {1.0, 0.5, 0.1}, {0.3, 0.125, kNaN}, StopReason::early,
                           0, 0, ""};
  m.test.origins = 12;
  m.test.methods.push_back({"gru", Metrics{48, 1.1, 1.3, kNaN, 12.5, 0.9, 48, 0, 2}});
  m.test.methods.push_back({"naive", Metrics{48, 2.2, 2.6, 3.5, 14.0, kNaN, 0, 48, 2}});
  return m;
}

// Bit-exact, with every NaN equal to every other.
inline bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

inline bool same(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) { return same(x, y); });
}

// An empty vector's memptr() is null, which memcmp must not get even for 0 bytes (UBSan).
template <class E>
inline bool same(const arma::Col<E>& a, const arma::Col<E>& b) {
  return a.n_elem == b.n_elem && (a.n_elem == 0 || std::memcmp(a.memptr(), b.memptr(), a.n_elem * sizeof(E)) == 0);
}

inline bool same(const Metrics& a, const Metrics& b) {
  return a.count == b.count && same(a.mae, b.mae) && same(a.rmse, b.rmse) && same(a.mape, b.mape) &&
         same(a.smape, b.smape) && same(a.mase, b.mase) && a.mape_skipped == b.mape_skipped &&
         a.mase_skipped == b.mase_skipped && a.filled_skipped == b.filled_skipped;
}

inline void check_same(const TrainedModel& a, const TrainedModel& b) {
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
  CHECK(x.prep.logged == y.prep.logged);
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
  CHECK(x.nonnegative == y.nonnegative);

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
  a.with_params([&]<class E>(const arma::Col<E>& params) { CHECK(same(params, b.params_of<E>())); });

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

  const auto same_profile = [](const ValueProfile& p, const ValueProfile& q) {
    return p.id == q.id && p.rows == q.rows && same(p.min, q.min) && same(p.max, q.max) && same(p.mean, q.mean) &&
           same(p.sd, q.sd) && p.last == q.last;
  };
  CHECK(a.profile.series == b.profile.series);
  CHECK(same_profile(a.profile.all, b.profile.all));
  REQUIRE(a.profile.per_series.size() == b.profile.per_series.size());
  for (std::size_t i = 0; i < a.profile.per_series.size(); ++i) {
    CHECK(same_profile(a.profile.per_series[i], b.profile.per_series[i]));
  }

  CHECK(a.test.origins == b.test.origins);
  REQUIRE(a.test.methods.size() == b.test.methods.size());
  for (std::size_t i = 0; i < a.test.methods.size(); ++i) {
    CHECK(a.test.methods[i].first == b.test.methods[i].first);
    CHECK(same(a.test.methods[i].second, b.test.methods[i].second));
  }
}

// small_model, non-negative and with a profile of its two series' training data (the example
// of docs/model-format.md is small_model itself, without either).
inline TrainedModel profiled_model(Precision precision) {
  TrainedModel m = small_model(precision);
  m.config.nonnegative = true;
  m.profile.series = 2;
  m.profile.all = {"", 200, 0.0, 1e300, 0.1 + 0.2, 2.5, 1'700'000'000};
  m.profile.per_series.push_back({"north", 120, 0.0, 7.25, 3.0, 1.5, 1'600'000'000});
  m.profile.per_series.push_back({"süd, \"2\"", 80, -0.0, 1e300, kNaN, kNaN, 1'700'000'000});
  return m;
}

inline std::uint64_t get_u64(const std::string& bytes, std::size_t offset) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return v;
}

inline void set_u64(std::string& bytes, std::size_t offset, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) bytes[offset + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

inline std::size_t header_length(const std::string& bytes) { return static_cast<std::size_t>(get_u64(bytes, 12)); }

// The checksum recomputed, as an editor of the file would: the checks past it are then reached.
inline std::string rechecksummed(std::string bytes) {
  set_u64(bytes, bytes.size() - 8, fnv1a64(std::string_view(bytes).substr(0, bytes.size() - 8)));
  return bytes;
}

// The file with its header text replaced (and the header length and checksum to match).
inline std::string with_header_text(const std::string& bytes, const std::string& header) {
  const std::size_t n = header_length(bytes);
  std::string out = bytes.substr(0, 12) + std::string(8, '\0') + header + bytes.substr(20 + n);
  set_u64(out, 12, header.size());
  return rechecksummed(out);
}

inline std::string with_header(const std::string& bytes, const std::function<void(Json&)>& edit) {
  Json header = Json::parse(bytes.substr(20, header_length(bytes)));
  edit(header);
  return with_header_text(bytes, header.dump());
}

inline std::string message_of(const std::string& bytes) {
  try {
    parse_model(bytes, "m.grc");
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(no error)";
}

inline const std::string kEdited = ", m.grc, the header is not what grucast train writes (was it edited?): re-train the model";

}  // namespace grucast::test
