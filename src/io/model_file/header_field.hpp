// A typed reader for one value of the model file's JSON header (internal to the library):
// each accessor checks the value's type and range and fails with a message that names the
// field's path ("model header field config.hidden is 0, not in [1, 4096]").
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "grucast/forecast/model_config.hpp"
#include "io/model_file/header.hpp"
#include "util/text.hpp"

namespace grucast::model_format {

// A value of the header and its path ("config.hidden", "scalers[2].scale[0]") for messages.
class Field {
 public:
  using Json = nlohmann::ordered_json;

  Field(const Json& value, std::string path, const Context& context)
      : value_(&value), path_(std::move(path)), context_(&context) {}

  /// The member `key` of an object; fails when this is not an object or `key` is missing.
  Field operator[](const char* key) const;
  /// The element `i` of an array (call size() first: it checks that this is an array).
  Field operator[](std::size_t i) const;

  std::size_t size() const;
  /// A whole number in [low, high].
  std::uint64_t whole(std::uint64_t low, std::uint64_t high = std::numeric_limits<std::uint64_t>::max()) const;
  /// A whole number that fits a 64-bit signed integer.
  std::int64_t integer() const;
  bool null() const { return value_->is_null(); }
  bool has(const char* key) const { return value_->is_object() && value_->contains(key); }
  /// A finite number in [low, high], or [low, high) when `open`.
  double real(double low, double high = HUGE_VAL, bool open = false) const;
  /// A value in the range of a model setting (a whole number for a whole setting).
  double in(const SettingRange& range) const;
  /// A number, or null for NaN (JSON has no NaN or infinity).
  double nullable() const;
  bool flag() const;
  std::string text() const;
  /// The one of `kinds` whose name(kind) is this string.
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
  /// An array of nullable() numbers.
  std::vector<double> nullables() const;
  /// Throws ModelError: "<field name> <problem>".
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  std::string name() const;
  [[noreturn]] void wrong_type(const char* expected) const;

  const Json* value_;
  std::string path_;
  const Context* context_;
};

}  // namespace grucast::model_format
