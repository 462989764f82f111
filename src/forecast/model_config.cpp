#include "grucast/forecast/model_config.hpp"

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

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

bool SettingRange::contains(double value) const {
  if (!std::isfinite(value) || value < low || value > high) return false;
  if (whole && value != std::floor(value)) return false;
  return !(above_low && value == low) && !(below_high && value == high);
}

namespace {

// 1000000, not 1e+06; "inf" for no upper end.
std::string end_text(double end, bool whole) {
  if (std::isinf(end)) return "inf";
  return whole ? fmt::format("{}", static_cast<std::uint64_t>(end)) : fmt::format("{}", end);
}

}  // namespace

std::string SettingRange::interval() const {
  return fmt::format("{}{}, {}{}", above_low ? "(" : "[", end_text(low, whole), end_text(high, whole),
                     below_high ? ")" : "]");
}

std::string SettingRange::advice() const {
  if (!whole) return hint;
  return fmt::format("use a whole number from {} to {}", end_text(low, true), end_text(high, true));
}

std::vector<RangedValue> ranged_values(const ModelConfig& c) {
  const OptimizerOptions& o = c.train.optimizer;
  const auto count = [](std::size_t value) { return static_cast<double>(value); };
  std::vector<RangedValue> out = {
      {&settings::dropout, c.shape.dropout},        {&settings::lr, o.lr},
      {&settings::weight_decay, o.weight_decay},    {&settings::clip, c.train.clip},
      {&settings::momentum, o.momentum},            {&settings::beta1, o.beta1},
      {&settings::beta2, o.beta2},                  {&settings::epsilon, o.epsilon},
      {&settings::lookback, count(c.lookback)},     {&settings::inputs, count(c.shape.inputs)},
      {&settings::hidden, count(c.shape.hidden)},   {&settings::layers, count(c.shape.layers)},
      {&settings::horizon, count(c.shape.outputs)}, {&settings::batch_size, count(c.train.batch_size)},
      {&settings::epochs, count(c.train.epochs)},   {&settings::patience, count(c.train.patience)},
      {&settings::threads, count(c.train.threads)}};
  if (c.season != 0) out.push_back({&settings::season, count(c.season)});
  return out;
}

}  // namespace grucast
