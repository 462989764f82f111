#include "grucast/forecast/model_config.hpp"

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

constexpr auto kPrecisionNames = std::to_array<Named<Precision>>({{Precision::f32, "f32"}, {Precision::f64, "f64"}});

}  // namespace

Precision parse_precision(const std::string& text) {
  if (const auto precision = value_of(kPrecisionNames, to_lower(trim(text)))) return *precision;
  throw UsageError("unknown precision " + quoted(text), "--precision", "use " + names_text(kPrecisionNames));
}

std::string precision_name(Precision precision) { return name_of(kPrecisionNames, precision); }

}  // namespace grucast
