// The model header's config.quantiles (docs/model-format.md): read apart from the other
// config fields, as the key is optional (only quantile models have it).
#include <cmath>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "forecast/quantiles.hpp"
#include "io/model_file/header.hpp"

namespace grucast::model_format {

namespace {

[[noreturn]] void fail_field(const Context& c, const std::string& path, const std::string& what) {
  c.fail(fmt::format("{}{} {}", c.field_prefix, path, what), c.hint);
}

}  // namespace

void read_quantiles(const nlohmann::ordered_json& config, ModelConfig& model, const Context& c) {
  const bool quantile = model.train.loss == LossKind::quantile;
  const auto it = config.find("quantiles");
  if (it == config.end()) {
    if (quantile) fail_field(c, "config.quantiles", "is missing, but config.loss is 'quantile'");
    return;
  }
  if (!quantile) {
    const std::string loss = grucast::quoted(loss_name(model.train.loss));
    fail_field(c, "config.quantiles", fmt::format("is given, but config.loss is {}", loss));
  }
  if (!it->is_array() || it->empty() || it->size() > 99) {
    fail_field(c, "config.quantiles", "is not an array of 1 to 99 quantiles");
  }
  std::vector<double> quantiles;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& value = (*it)[i];
    const std::string path = fmt::format("config.quantiles[{}]", i);
    if (!value.is_number()) fail_field(c, path, "is not a number");
    const double tau = value.get<double>();
    if (!(tau > 0.0 && tau < 1.0)) fail_field(c, path, fmt::format("is {}, not in (0, 1)", value.dump()));
    if (!quantiles.empty() && !(tau > quantiles.back())) fail_field(c, path, "is not above the one before");
    quantiles.push_back(tau);
  }
  if (!quantile_pair(quantiles, 0.0)) fail_field(c, "config.quantiles", "does not hold the median 0.5");
  model.train.quantiles = quantiles;
  model.shape.quantiles = quantiles.size();
}

}  // namespace grucast::model_format
