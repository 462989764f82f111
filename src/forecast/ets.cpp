#include <algorithm>
#include <numeric>
#include <vector>

#include "forecast/ets_model.hpp"
#include "grucast/forecast/classical.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

EtsForecaster::EtsForecaster(std::size_t season) : season_(season) {
  if (season == 0) throw UsageError("season 0", "--season", "use a season of 1 or more");
}

void EtsForecaster::forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                             arma::mat& out) const {
  out.set_size(horizon, origins.size());
  if (origins.empty()) return;
  std::vector<std::size_t> order(origins.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return origins[a] < origins[b]; });
  const std::size_t first = origins[order.front()], last = origins[order.back()];
  std::vector<double> y(last);
  for (std::size_t i = 0; i < last; ++i) y[i] = series.values(0, i);
  const EtsModel model = fit_ets(std::span<const double>(y).first(first), season_);
  EtsState state = ets_start(model);
  for (std::size_t j : order) {
    while (state.row < origins[j]) ets_step(model, state, y[state.row]);
    for (std::size_t h = 1; h <= horizon; ++h) out(h - 1, j) = ets_forecast(model, state, h);
  }
}

}  // namespace grucast
