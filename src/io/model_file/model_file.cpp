// The model file's binary framing (docs/model-format.md): magic, version, header length,
// parameters and checksum, and loading and saving. The JSON header between them is written in
// header_write.cpp and read in header_read.cpp.
#include "grucast/io/model_file.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "io/model_file/header.hpp"
#include "nn/network.hpp"
#include "util/byte_order.hpp"
#include "util/file_read.hpp"
#include "util/hash.hpp"
#include "util/output.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

using model_format::Context;

constexpr std::string_view kMagic{"GRUCAST\x1a", 8};
constexpr std::uint64_t kMaxHeader = std::uint64_t{64} << 20;
constexpr std::uint64_t kMaxFile = std::uint64_t{4} << 30;
// magic 8, version 4, header length 8, element size 4, parameter count 8, checksum 8.
constexpr std::uint64_t kFixedBytes = 40;

constexpr const char* kCutOff = "the file was cut off (an interrupted copy or a full disk): copy it again, or re-train";
constexpr const char* kDamaged = "the file is damaged: copy it again, or re-train the model";
constexpr const char* kForeignWeights =
    "grucast never writes non-finite weights (was the file edited?): re-train the model";

// The first parameter that is NaN or infinite, as "gru.weight_hh_l1[3, 7] is nan", or "".
template <class E>
std::string first_non_finite(const arma::Col<E>& values, const ParamLayout& layout) {
  for (std::size_t i = 0; i < values.n_elem; ++i) {
    if (std::isfinite(values[i])) continue;
    const std::size_t network = i / layout.size();  // an ensemble's members follow each other
    return fmt::format("{}{} is {}", network > 0 ? fmt::format("ensemble member {}'s ", network + 1) : "",
                       layout.describe(i % layout.size()), values[i]);
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

// ---- writing --------------------------------------------------------------------------------

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

// `params` are the model's.
template <class E>
std::string encode(const TrainedModel& model, const arma::Col<E>& params, const std::string& where) {
  const ParamLayout layout = network_layout(model.config.shape);
  check_parameters(params, layout, where);
  for (std::size_t i = 1; i < model.members.size(); ++i) {
    check_parameters(model.members[i].params.get<E>(model.config.precision), layout, where);
  }
  model_format::check_names(model, where);
  const std::string header = model_header(model).dump();
  const std::size_t element = sizeof(E), networks = std::max<std::size_t>(1, model.members.size());
  std::string out;
  out.reserve(kFixedBytes + header.size() + networks * layout.size() * element);
  out += kMagic;
  put_le(out, kModelFormatVersion, 4);
  put_le(out, header.size(), 8);
  out += header;
  put_le(out, element, 4);
  put_le(out, networks * layout.size(), 8);
  put_values(out, params);  // an ensemble's members follow the first, in order
  for (std::size_t i = 1; i < networks; ++i) put_values(out, model.members[i].params.get<E>(model.config.precision));
  put_le(out, fnv1a64(out), 8);
  return out;
}

std::string encode(const TrainedModel& model, const std::string& where) {
  return model.with_params([&](const auto& params) { return encode(model, params, where); });
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
    c.fail(fmt::format("the file has {} trailing byte{}: it has {} bytes, but its header and parameter count imply {}",
                       size - expected, size - expected == 1 ? "" : "s", size, expected),
           "the file is damaged or something was appended to it: copy it again, or re-train");
  }
  if (fnv1a64(bytes.substr(0, size - 8)) != get_le(bytes, size - 8, 8)) {
    c.fail("checksum mismatch: the file is damaged", "re-train the model, or copy the file again");
  }
  return frame;
}

template <class E>
void read_values(std::string_view bytes, const Sections& frame, const ParamLayout& layout, const Context& c,
                 arma::Col<E>& values) {
  values.set_size(frame.count);  // count = layout.size() and the bytes are there: both checked
  get_values(bytes, frame.values_offset, values);
  const std::string bad = first_non_finite(values, layout);
  if (!bad.empty()) c.fail(fmt::format("the parameters are not finite ({})", bad), kForeignWeights);
}

TrainedModel decode(std::string_view bytes, const Context& c) {
  const Sections frame = check_frame(bytes, c);
  TrainedModel model = model_format::read_header(frame.header, {frame.element, frame.count}, c);
  const ParamLayout layout = network_layout(model.config.shape);
  model.with_params([&]<class E>(arma::Col<E>& params) {
    read_values(bytes, frame, layout, c, params);
    if (model.members.empty()) return;
    const std::size_t P = layout.size();
    for (std::size_t i = 0; i < model.members.size(); ++i) {
      model.members[i].params.get<E>(model.config.precision) = params.subvec(i * P, i * P + P - 1);
    }
    params = arma::Col<E>(params.head(P));
  });
  return model;
}

}  // namespace

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
  const FileRole role{"model file", "model", "check the path, or train a model first with grucast train",
                      "give the model file that grucast train wrote"};
  return parse_model(read_regular_file(path, kMaxFile, role), path);
}

}  // namespace grucast
