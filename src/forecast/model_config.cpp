#include "grucast/forecast/model_config.hpp"

#include "grucast/util/error.hpp"
#include "util/text.hpp"

namespace grucast {

Precision parse_precision(const std::string& text) {
  const std::string value = to_lower(trim(text));
  if (value == "f32") return Precision::f32;
  if (value == "f64") return Precision::f64;
  throw UsageError("unknown precision " + quoted(text), "--precision", "use f32 or f64");
}

std::string precision_name(Precision precision) { return precision == Precision::f64 ? "f64" : "f32"; }

}  // namespace grucast
