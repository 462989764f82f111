// An ensemble's forecasts (train --ensemble): the median, step by step, of its members'.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "grucast/forecast/trained_model.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

TrainedModel TrainedModel::member_model(std::size_t i) const {
  const EnsembleMember& member = members.at(i);
  TrainedModel one;
  one.config = config;
  one.config.lookback = member.lookback;
  one.config.train.seed = member.seed;
  one.data = data;
  one.scalers = scalers;
  one.summary = member.summary;
  one.profile = profile;
  one.with_params([&]<class E>(arma::Col<E>& params) { params = member.params.get<E>(config.precision); });
  return one;
}

void NetworkForecaster::explain(AttentionSink sink) {
  if (ensemble()) {
    throw UsageError(fmt::format("the model is an ensemble of {} networks, each attending in its own way, so there "
                                 "are no single attention weights to explain", members_.size()),
                     "--explain", "explain a model trained with --ensemble 1");
  }
  sink_ = std::move(sink);
}

void NetworkForecaster::set_threads(std::size_t threads) {
  threads_ = std::max<std::size_t>(1, threads);
  for (const auto& member : members_) member->set_threads(threads_);
}

namespace {

// The median of values[0, n): the middle one, or the mean of the two middle ones.
double median_of(double* values, std::size_t n) {
  std::sort(values, values + n);
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

// Each member forecasts the origins its window fits in (origin >= its min_history), every
// origin has at least the shortest member's; out(h, j) is the median over those that forecast it.
void NetworkForecaster::ensemble_batch(std::span<const SeriesOrigins> groups, std::size_t horizon,
                                       arma::mat& out) const {
  std::size_t total = 0;
  for (const SeriesOrigins& g : groups) total += g.origins.size();
  const std::size_t M = members_.size();
  arma::cube all(horizon, total, M);
  all.fill(std::numeric_limits<double>::quiet_NaN());
  for (std::size_t m = 0; m < M; ++m) {
    const std::size_t need = members_[m]->min_history();
    std::vector<std::vector<std::size_t>> kept(groups.size());
    std::vector<SeriesOrigins> fits;
    std::vector<std::size_t> columns;  // of `all`, for each forecast of this member
    for (std::size_t g = 0, at = 0; g < groups.size(); at += groups[g++].origins.size()) {
      for (std::size_t j = 0; j < groups[g].origins.size(); ++j) {
        if (groups[g].origins[j] < need) continue;
        kept[g].push_back(groups[g].origins[j]);
        columns.push_back(at + j);
      }
      if (!kept[g].empty()) fits.push_back({groups[g].series, kept[g]});
    }
    if (fits.empty()) continue;
    arma::mat forecasts;
    members_[m]->forecast_batch(fits, horizon, forecasts);
    for (std::size_t c = 0; c < columns.size(); ++c) all.slice(m).col(columns[c]) = forecasts.col(c);
  }
  out.set_size(horizon, total);
  std::vector<double> values(M);
  for (std::size_t j = 0; j < total; ++j) {
    for (std::size_t h = 0; h < horizon; ++h) {
      std::size_t n = 0;
      for (std::size_t m = 0; m < M; ++m) {
        if (!std::isnan(all(h, j, m))) values[n++] = all(h, j, m);
      }
      if (n == 0) throw std::logic_error("an ensemble was asked for an origin before its shortest member's window");
      out(h, j) = median_of(values.data(), n);
    }
  }
}

}  // namespace grucast
