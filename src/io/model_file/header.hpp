// What the model file's binary framing (model_file.cpp) and its JSON header (header_write.cpp
// writes it, header_read.cpp reads it) share (internal to the library).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "grucast/forecast/trained_model.hpp"
#include "grucast/util/error.hpp"

namespace grucast::model_format {

inline constexpr const char* kEdited =
    "the header is not what grucast train writes (was it edited?): re-train the model";
inline constexpr const char* kSaveBug =
    "grucast cannot read back the model it would write: please report this with the command line";

// Where a message points, and whether the bytes are being checked before a save (then every
// problem is grucast's own, whatever the load-time hint would say).
struct Context {
  std::string source;
  bool saving = false;
  std::string field_prefix = "model header field ";  ///< before a field's path in messages
  std::string whole = "the model header";            ///< the header as a whole in messages
  std::string hint = kEdited;                        ///< how to fix a field that is wrong

  [[noreturn]] void fail(const std::string& what, const std::string& hint) const {
    throw ModelError(what, source, saving ? kSaveBug : hint);
  }
};

// The parameter block as the binary frame describes it; the header must agree with it.
struct ParameterBlock {
  std::uint64_t element = 0;  // bytes per value: 4 or 8
  std::uint64_t count = 0;
};

/// The name a frequency unit has in the header ("business_days").
std::string unit_name(FrequencyUnit unit);

/// `text` with each byte that is not part of well-formed UTF-8 written as \xe9; "" when all are.
std::string invalid_utf8_shown(std::string_view text);

/// The why of a JSON parse error's what() ("[json...] parse error at line 1, column 5: why"),
/// with the token it quotes shortened (it can be a whole string of the file) and the bytes that
/// are not UTF-8 written as \xe9.
std::string json_error_reason(const std::string& what);

/// Refuses (ModelError at `where`) a name a JSON header cannot hold: one that is not UTF-8.
void check_names(const TrainedModel& model, const std::string& where);

/// config.quantiles, which a model trained with the quantile loss has (and no other): τ
/// ascending in (0, 1), with the median 0.5. Sets config.train.quantiles and shape.quantiles (Q).
/// `config` is the header's config object; the loss must have been read.
void read_quantiles(const nlohmann::ordered_json& config, ModelConfig& model, const Context& c);

/// Parses and validates every field of the header and checks it against the frame's
/// parameter block. The model comes back without its parameter values.
TrainedModel read_header(std::string_view text, const ParameterBlock& frame, const Context& c);
/// read_header of a header already parsed.
TrainedModel read_header_json(const nlohmann::ordered_json& header, const ParameterBlock& frame, const Context& c);

}  // namespace grucast::model_format
