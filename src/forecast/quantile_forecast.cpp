// A quantile model's forecasts: every quantile at every step, and the intervals they bound.
#include <algorithm>
#include <stdexcept>

#include "grucast/forecast/trained_model.hpp"
#include "grucast/util/error.hpp"
#include "forecast/quantiles.hpp"

namespace grucast {

void NetworkForecaster::forecast_quantiles(const Series& series, std::span<const std::size_t> origins,
                                           std::size_t horizon, arma::cube& out) const {
  const SeriesOrigins group{&series, origins};
  quantiles_of(passes_of(std::span<const SeriesOrigins>(&group, 1)), horizon, out);
}

// Sorting each step's Q values fixes quantile crossing (the rearrangement of Chernozhukov et
// al. 2010): the sorted values are quantile estimates at least as good as the crossed ones.
void NetworkForecaster::quantiles_of(std::span<const Pass> passes, std::size_t horizon, arma::cube& out) const {
  const std::size_t K = model_.config.shape.outputs, Q = model_.config.shape.quantiles;
  if (!quantile() || horizon > K) throw std::logic_error("forecast_quantiles: not a quantile model, or horizon > K");
  arma::mat all;
  direct_all(passes, all);
  out.set_size(horizon, all.n_cols, Q);
  std::vector<double> step(Q);
  for (std::size_t j = 0; j < all.n_cols; ++j) {
    for (std::size_t h = 0; h < horizon; ++h) {
      for (std::size_t q = 0; q < Q; ++q) step[q] = all(q * K + h, j);
      std::sort(step.begin(), step.end());
      for (std::size_t q = 0; q < Q; ++q) out(h, j, q) = step[q];
    }
  }
}

void NetworkForecaster::quantile_bounds(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                                    const std::vector<double>& levels, std::vector<arma::mat>& lower,
                                    std::vector<arma::mat>& upper) const {
  arma::cube all;
  forecast_quantiles(series, origins, horizon, all);
  lower.resize(levels.size());
  upper.resize(levels.size());
  for (std::size_t l = 0; l < levels.size(); ++l) {
    const auto pair = quantile_pair(model_.config.train.quantiles, levels[l]);
    if (!pair) throw std::logic_error("quantile_bounds: a level the model lacks (check_quantile_levels first)");
    lower[l] = all.slice(pair->first);
    upper[l] = all.slice(pair->second);
  }
}

void NetworkForecaster::check_own_levels(const std::vector<double>& levels) const {
  check_quantile_levels(model_.config.train.quantiles, levels);
}

void NetworkForecaster::own_bounds(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                               const std::vector<double>& levels, std::vector<arma::mat>& lower,
                               std::vector<arma::mat>& upper) const {
  quantile_bounds(series, origins, horizon, levels, lower, upper);
}

}  // namespace grucast
