// Training checkpoints, byte by byte (all integers little-endian; e is the element size, P the
// parameter count, V the count of second moments: P, or 0 with sgd; W the training windows):
//   magic "GRUCKPT\x1a" 8 | version u32 | model length m u64 | model file m | state length s u64 |
//   state JSON s | e u32 | P u64 | V u64 | W u64 | weights P·e | first moments P·e |
//   second moments V·e | the windows' order W·u64 | FNV-1a 64 of every byte before it u64
#include "io/checkpoint.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "util/byte_order.hpp"
#include "util/file_read.hpp"
#include "util/hash.hpp"
#include "util/json_depth.hpp"

namespace grucast {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kMagic{"GRUCKPT\x1a", 8};
constexpr std::uint64_t kMaxFile = std::uint64_t{16} << 30;
constexpr std::uint64_t kMaxState = std::uint64_t{1} << 20;
constexpr const char* kDamaged = "the checkpoint is damaged: resume from another one, or train from the start";

template <class E>
Json state_json(const TrainState<E>& s, std::uint64_t fingerprint) {
  const double best = s.schedule.best;
  return {{"format", "grucast-checkpoint"},
          {"epoch", s.epoch},
          {"since_best", s.since_best},
          {"samples", s.samples},
          {"seconds", s.summary.seconds},
          {"optimizer_steps", s.optimizer.steps},
          {"schedule", {{"lr", s.schedule.lr}, {"since_best", s.schedule.since_best},
                        {"best", std::isfinite(best) ? Json(best) : Json(nullptr)}}},
          {"random", s.random},
          {"data_fingerprint", fingerprint}};
}

// `s` is the checkpoint's state.
template <class E>
std::string encode(const Checkpoint& checkpoint, const TrainState<E>& s) {
  TrainedModel model = checkpoint.model;
  model.params_of<E>() = s.best;
  model.summary = s.summary;
  model.test = {};
  const std::string model_file = model_bytes(model);
  const std::string state = state_json(s, checkpoint.data_fingerprint).dump();
  std::string out(kMagic);
  put_le(out, kCheckpointFormatVersion, 4);
  put_le(out, model_file.size(), 8);
  out += model_file;
  put_le(out, state.size(), 8);
  out += state;
  put_le(out, sizeof(E), 4);
  put_le(out, s.params.n_elem, 8);
  put_le(out, s.optimizer.v.n_elem, 8);
  put_le(out, s.order.size(), 8);
  for (const arma::Col<E>* values : {&s.params, &s.optimizer.m, &s.optimizer.v}) put_values(out, *values);
  for (const std::size_t window : s.order) put_le(out, window, 8);
  put_le(out, fnv1a64(out), 8);
  return out;
}

// Reads the fields of the state JSON; a ModelError names the first that is wrong.
class StateReader {
 public:
  StateReader(const Json& json, const std::string& source) : json_(json), source_(source) {
    // Compared as JSON: a "format" that is not a string is simply not equal (value() would throw).
    if (!json.is_object() || !json.contains("format") || json["format"] != "grucast-checkpoint") {
      fail("the state is not a grucast checkpoint's");
    }
  }
  std::uint64_t whole(const Json& j, const char* key) const {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned()) fail(fmt::format("checkpoint field {} is missing or not a whole number", key));
    return it->get<std::uint64_t>();
  }
  double real(const Json& j, const char* key, bool null_is_infinity = false) const {
    const auto it = j.find(key);
    if (null_is_infinity && it != j.end() && it->is_null()) return std::numeric_limits<double>::infinity();
    if (it == j.end() || !it->is_number() || !std::isfinite(it->get<double>())) {
      fail(fmt::format("checkpoint field {} is missing or not a finite number", key));
    }
    return it->get<double>();
  }
  const Json& object(const char* key) const {
    const auto it = json_.find(key);
    if (it == json_.end() || !it->is_object()) fail(fmt::format("checkpoint field {} is missing or not an object", key));
    return *it;
  }
  [[noreturn]] void fail(const std::string& what) const { throw ModelError(what, source_, kDamaged); }

 private:
  const Json& json_;
  const std::string& source_;
};

// Into `s`, the checkpoint's state.
template <class E>
void read_state(const Json& json, const std::string& source, Checkpoint& c, TrainState<E>& s) {
  const StateReader r(json, source);
  s.epoch = r.whole(json, "epoch");
  s.since_best = r.whole(json, "since_best");
  s.samples = r.whole(json, "samples");
  s.optimizer.steps = r.whole(json, "optimizer_steps");
  const Json& schedule = r.object("schedule");
  s.schedule = {r.real(schedule, "lr"), r.whole(schedule, "since_best"), r.real(schedule, "best", true)};
  s.random = r.whole(json, "random");
  c.data_fingerprint = r.whole(json, "data_fingerprint");
  s.summary = c.model.summary;
  s.summary.seconds = r.real(json, "seconds");
  if (s.epoch != s.summary.epochs_run || s.epoch == 0 || s.summary.best_epoch == 0) {
    r.fail(fmt::format("the checkpoint is at epoch {}, but its model has {} epochs run and best epoch {}", s.epoch,
                       s.summary.epochs_run, s.summary.best_epoch));
  }
  s.best = c.model.params_of<E>();
}

// Offsets of the sections after the model file, checked against the file's length.
struct Sections {
  std::uint64_t state = 0, state_length = 0, element = 0, count = 0, second = 0, windows = 0, values = 0;
};

Sections check_frame(std::string_view bytes, const std::string& source, std::uint64_t model_length) {
  const auto fail = [&](const std::string& what) { throw ModelError(what, source, kDamaged); };
  const std::uint64_t size = bytes.size();
  Sections f;
  f.state = 28 + model_length;
  if (size < f.state + 36) fail(fmt::format("the checkpoint is truncated: it has {} bytes", size));
  f.state_length = get_le(bytes, 20 + model_length, 8);
  if (f.state_length > kMaxState || size < f.state + f.state_length + 36) {
    fail(fmt::format("the checkpoint is truncated or damaged: its state length is {} bytes, in a file of {}",
                     f.state_length, size));
  }
  const std::uint64_t at = f.state + f.state_length;
  f.element = get_le(bytes, at, 4);
  f.count = get_le(bytes, at + 4, 8);
  f.second = get_le(bytes, at + 12, 8);
  f.windows = get_le(bytes, at + 20, 8);
  f.values = at + 28;
  // Each count is bounded by the bytes left before it is multiplied, so nothing overflows.
  std::uint64_t left = size >= f.values + 8 ? size - f.values - 8 : 0;
  bool fits = (f.element == 4 || f.element == 8) && size >= f.values + 8;
  for (const auto& [n, unit] : {std::pair{f.count, f.element}, {f.count, f.element}, {f.second, f.element},
                               {f.windows, std::uint64_t{8}}}) {
    fits = fits && n <= left / std::max<std::uint64_t>(unit, 1);
    if (fits) left -= n * unit;
  }
  if (!fits || left != 0) {
    fail(fmt::format("the checkpoint's sizes (element {}, {} weights, {} second moments, {} windows) do not fit its "
                     "{} bytes",
                     f.element, f.count, f.second, f.windows, size));
  }
  return f;
}

// Into `s`, the checkpoint's state.
template <class E>
void read_values(std::string_view bytes, const Sections& f, const std::string& source, const Checkpoint& c,
                 TrainState<E>& s) {
  const std::uint64_t expected_second = c.model.config.train.optimizer.kind == OptimizerKind::sgd ? 0 : f.count;
  if (f.element != sizeof(E) || f.count != s.best.n_elem || f.second != expected_second) {
    throw ModelError(fmt::format("the checkpoint's state ({} weights of {} bytes) does not fit its model ({} of {})",
                                 f.count, f.element, s.best.n_elem, sizeof(E)),
                     source, kDamaged);
  }
  s.params.set_size(f.count);
  s.optimizer.m.set_size(f.count);
  s.optimizer.v.set_size(f.second);
  std::uint64_t offset = f.values;
  for (arma::Col<E>* values : {&s.params, &s.optimizer.m, &s.optimizer.v}) {
    get_values(bytes, offset, *values);
    if (!values->is_finite()) throw ModelError("the checkpoint's state holds values that are not finite", source, kDamaged);
    offset += values->n_elem * sizeof(E);
  }
  if (f.windows != s.summary.train_windows) {
    throw ModelError(fmt::format("the checkpoint orders {} windows, but its model trained on {}", f.windows,
                                 s.summary.train_windows),
                     source, kDamaged);
  }
  s.order.resize(f.windows);
  std::vector<bool> seen(f.windows, false);
  for (std::uint64_t i = 0; i < f.windows; ++i, offset += 8) {
    s.order[i] = get_le(bytes, offset, 8);
    if (s.order[i] >= f.windows || seen[s.order[i]]) {
      throw ModelError("the checkpoint's window order is not a permutation of its windows", source, kDamaged);
    }
    seen[s.order[i]] = true;
  }
}

}  // namespace

std::string checkpoint_bytes(const Checkpoint& checkpoint) {
  return checkpoint.with_state([&](const auto& state) { return encode(checkpoint, state); });
}

Checkpoint parse_checkpoint(std::string_view bytes, const std::string& source) {
  const std::uint64_t size = bytes.size();
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    throw ModelError("the file is not a grucast checkpoint (it does not start with GRUCKPT)", source,
                     "give the checkpoint that --checkpoint-every wrote (by default the --out path with .ckpt added)");
  }
  if (size < 28) throw ModelError(fmt::format("the checkpoint is truncated: it has {} bytes", size), source, kDamaged);
  if (fnv1a64(bytes.substr(0, size - 8)) != get_le(bytes, size - 8, 8)) {
    throw ModelError("checksum mismatch: the checkpoint is damaged", source, kDamaged);
  }
  const std::uint64_t version = get_le(bytes, 8, 4), model_length = get_le(bytes, 12, 8);
  if (version != kCheckpointFormatVersion) {
    throw ModelError(fmt::format("the checkpoint has format version {}; this grucast reads {}", version,
                                 kCheckpointFormatVersion),
                     source, "resume with the grucast that wrote it, or train from the start");
  }
  if (model_length > size - 28) throw ModelError("the checkpoint's model length passes its end", source, kDamaged);
  const Sections frame = check_frame(bytes, source, model_length);
  Checkpoint c;
  c.model = parse_model(bytes.substr(20, model_length), source);
  Json state;
  try {
    state = parse_json_bounded(bytes.substr(frame.state, frame.state_length));
  } catch (const std::exception&) {
    throw ModelError("the checkpoint's state is not valid JSON", source, kDamaged);
  }
  c.with_state([&](auto& s) {
    read_state(state, source, c, s);
    read_values(bytes, frame, source, c, s);
  });
  return c;
}

Checkpoint load_checkpoint(const std::string& path) {
  const FileRole role{"checkpoint", "checkpoint", "check the path given to --resume",
                      "give the checkpoint file that --checkpoint-every wrote"};
  return parse_checkpoint(read_regular_file(path, kMaxFile, role), path);
}

}  // namespace grucast
