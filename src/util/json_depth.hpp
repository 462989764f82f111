// JSON parsing with a bound on nesting (internal to the library): nlohmann::json copies,
// dumps and compares recursively, so a hostile file nested 100,000 deep would overflow the
// stack long after parsing succeeded.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

namespace grucast {

/// Nesting deeper than any file grucast writes (a model header or torch-json file is at most 5).
inline constexpr int kMaxJsonDepth = 32;

struct JsonTooDeep : std::runtime_error {
  JsonTooDeep() : std::runtime_error("nested deeper than 32 levels") {}
};

/// Json::parse, throwing JsonTooDeep as soon as an object or array opens past kMaxJsonDepth.
inline nlohmann::ordered_json parse_json_bounded(std::string_view text) {
  return nlohmann::ordered_json::parse(
      text, [](int depth, nlohmann::ordered_json::parse_event_t event, nlohmann::ordered_json&) {
        const bool opens = event == nlohmann::ordered_json::parse_event_t::object_start ||
                           event == nlohmann::ordered_json::parse_event_t::array_start;
        if (opens && depth >= kMaxJsonDepth) throw JsonTooDeep();
        return true;
      });
}

}  // namespace grucast
