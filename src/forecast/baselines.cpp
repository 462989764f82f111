#include "grucast/forecast/baselines.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "grucast/forecast/classical.hpp"
#include "grucast/util/error.hpp"
#include "util/name_table.hpp"

namespace grucast {

void Forecaster::forecast_batch(std::span<const SeriesOrigins> groups, std::size_t horizon, arma::mat& out) const {
  std::size_t total = 0;
  for (const SeriesOrigins& group : groups) total += group.origins.size();
  out.set_size(horizon, total);
  arma::mat one;
  std::size_t column = 0;
  for (const SeriesOrigins& group : groups) {
    if (group.origins.empty()) continue;
    forecast(*group.series, group.origins, horizon, one);
    out.cols(column, column + one.n_cols - 1) = one;
    column += one.n_cols;
  }
}

void Forecaster::check_own_levels(const std::vector<double>&) const {
  throw std::logic_error("check_own_levels: the method has no intervals of its own");
}

void Forecaster::own_bounds(const Series&, std::span<const std::size_t>, std::size_t, const std::vector<double>&,
                            std::vector<arma::mat>&, std::vector<arma::mat>&) const {
  throw std::logic_error("own_bounds: the method has no intervals of its own");
}

namespace {

constexpr auto kBaselineNames = std::to_array<Named<BaselineMethod>>({{BaselineMethod::naive, "naive"},
                                                                      {BaselineMethod::snaive, "snaive"},
                                                                      {BaselineMethod::drift, "drift"},
                                                                      {BaselineMethod::mean, "mean"},
                                                                      {BaselineMethod::ses, "ses"},
                                                                      {BaselineMethod::holt, "holt"},
                                                                      {BaselineMethod::damped, "damped"},
                                                                      {BaselineMethod::theta, "theta"},
                                                                      {BaselineMethod::comb, "comb"},
                                                                      {BaselineMethod::ets, "ets"}});

}  // namespace

BaselineMethod parse_baseline(const std::string& text) {
  if (const auto method = value_of(kBaselineNames, text)) return *method;
  throw UsageError(fmt::format("unknown baseline '{}'", text), "--baseline", "choose " + names_text(kBaselineNames));
}

std::string baseline_names() { return names_text(kBaselineNames); }

std::unique_ptr<Forecaster> make_baseline(BaselineMethod method, std::size_t season) {
  switch (method) {
    case BaselineMethod::ses: return std::make_unique<ClassicalForecaster>(ClassicalMethod::ses, season);
    case BaselineMethod::holt: return std::make_unique<ClassicalForecaster>(ClassicalMethod::holt, season);
    case BaselineMethod::damped: return std::make_unique<ClassicalForecaster>(ClassicalMethod::damped, season);
    case BaselineMethod::theta: return std::make_unique<ClassicalForecaster>(ClassicalMethod::theta, season);
    case BaselineMethod::comb: return std::make_unique<ClassicalForecaster>(ClassicalMethod::comb, season);
    case BaselineMethod::ets: return std::make_unique<EtsForecaster>(season);
    default: return std::make_unique<Baseline>(method, season);
  }
}

Baseline::Baseline(BaselineMethod method, std::size_t season) : method_(method), season_(season) {
  if (season == 0) throw UsageError("season 0", "--season", "use a season of 1 or more");
  if (method > BaselineMethod::mean) throw std::logic_error("Baseline: a classical method, use make_baseline");
}

std::string Baseline::name() const { return name_of(kBaselineNames, method_); }

std::size_t Baseline::min_history() const {
  switch (method_) {
    case BaselineMethod::snaive: return season_;
    case BaselineMethod::drift: return 2;
    default: return 1;
  }
}

std::string Baseline::short_history_hint() const {
  return method_ == BaselineMethod::snaive ? "use a longer series, or a shorter --season" : "use a longer series";
}

// With 0-based rows y[0..t) seen, the equations above read: naive y[t−1]; snaive
// y[t − m + ((h − 1) mod m)]; drift y[t−1] + h·(y[t−1] − y[0])/(t − 1); mean Σ y[0..t)/t.
void Baseline::forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                        arma::mat& out) const {
  const arma::mat& values = series.values;  // y[i] is values(0, i): no copy of the target
  const auto y = [&values](std::size_t i) { return values(0, i); };
  out.set_size(horizon, origins.size());
  std::vector<double> prefix;  // prefix[t] = y[0] + ... + y[t−1], summed in order
  if (method_ == BaselineMethod::mean && !origins.empty()) {
    const std::size_t last = *std::max_element(origins.begin(), origins.end());
    prefix.assign(last + 1, 0.0);
    for (std::size_t i = 0; i < last; ++i) prefix[i + 1] = prefix[i] + y(i);
  }
  for (std::size_t j = 0; j < origins.size(); ++j) {
    const std::size_t t = origins[j];
    for (std::size_t h = 1; h <= horizon; ++h) {
      double value = 0.0;
      switch (method_) {
        case BaselineMethod::naive: value = y(t - 1); break;
        case BaselineMethod::snaive: value = y(t - season_ + (h - 1) % season_); break;
        case BaselineMethod::drift:
          value = y(t - 1) + static_cast<double>(h) * (y(t - 1) - y(0)) / static_cast<double>(t - 1);
          break;
        case BaselineMethod::mean: value = prefix[t] / static_cast<double>(t); break;
        default: break;  // refused by the constructor
      }
      out(h - 1, j) = value;
    }
  }
}

}  // namespace grucast
