// The model file (.grc, docs/model-format.md): magic, version, JSON header, raw parameters, checksum.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "grucast/forecast/trained_model.hpp"

namespace grucast {

/// The format version this grucast writes and reads.
inline constexpr std::uint32_t kModelFormatVersion = 1;

/// The file's bytes. A ModelError when the model cannot be stored as it is: parameters that
/// are not finite or do not fit the shape, or names that are not valid UTF-8.
std::string model_bytes(const TrainedModel& model);

/// Refuses, before any training, names of `frame` that a model file cannot hold because they
/// are not valid UTF-8: a column name or a series id (a DataError naming the file and line), or
/// the --time-format pattern (a UsageError).
void check_storable_names(const Frame& frame, const DataConfig& data);

/// Writes atomically: the target is the whole new model or its old content. The bytes are
/// parsed back before anything is written, so a file that is saved can be loaded.
void save_model(const TrainedModel& model, const std::string& path);

/// Parses and validates; `source` names the file in messages. Every size is checked against
/// the bytes given before anything sized by them is allocated; a ModelError says what is wrong.
TrainedModel parse_model(std::string_view bytes, const std::string& source);

/// Reads the file and parse_model. IoError when it cannot be opened or read, or is not a
/// regular file; ModelError when it is over 4 GiB or is not a valid model.
TrainedModel load_model(const std::string& path);

/// The JSON header (what `inspect --json` prints).
nlohmann::ordered_json model_header(const TrainedModel& model);

}  // namespace grucast
