#include "grucast/evaluate.hpp"

#include <numeric>

#include <fmt/format.h>

#include "grucast/error.hpp"

namespace grucast {

namespace {

// Per-step sums of one method, pooled over series.
struct MethodSums {
  std::vector<ErrorSums> per_step;

  explicit MethodSums(std::size_t horizon) : per_step(horizon) {}

  // Scores forecasts (K, origins) from origins t against y[t .. t + K).
  ErrorSums add(const arma::mat& forecasts, std::span<const std::size_t> origins, const arma::rowvec& y,
                double scale) {
    ErrorSums series_sums;
    for (std::size_t j = 0; j < origins.size(); ++j) {
      for (std::size_t h = 0; h < per_step.size(); ++h) {
        per_step[h].add(forecasts(h, j), y[origins[j] + h], scale);
        series_sums.add(forecasts(h, j), y[origins[j] + h], scale);
      }
    }
    return series_sums;
  }

  MethodScores scores(std::string method) const {
    MethodScores s{std::move(method), {}, {}};
    ErrorSums all;
    for (const ErrorSums& step : per_step) {
      all.merge(step);
      s.per_step.push_back(step.metrics());
    }
    s.overall = all.metrics();
    return s;
  }
};

}  // namespace

Evaluation evaluate(const Frame& frame, const Forecaster& forecaster, const EvalOptions& options) {
  const TaskShape& shape = options.shape;
  options.split.validate();
  for (const Series& series : frame.series) check_split(frame, series, options.split, shape);
  const Baseline naive(BaselineMethod::naive, shape.season);
  const Baseline snaive(BaselineMethod::snaive, shape.season);
  const std::array<const Forecaster*, 3> methods = {&forecaster, &naive, &snaive};
  std::vector<MethodSums> sums(methods.size(), MethodSums(shape.horizon));

  Evaluation result;
  result.shape = shape;
  arma::mat forecasts;
  for (const Series& series : frame.series) {
    SeriesScores scores{series.id, split_series(series, options.split), 0, 0.0, {}};
    const auto range = origin_range(scores.split, Part::test, shape);  // not empty after check_split
    std::vector<std::size_t> origins(range->second - range->first + 1);
    std::iota(origins.begin(), origins.end(), range->first);
    const arma::rowvec y = series.target();
    scores.scale = mase_scale(y, scores.split.n_train, shape.season);
    for (std::size_t i = 0; i < methods.size(); ++i) {
      methods[i]->forecast(series, origins, shape.horizon, forecasts);
      const ErrorSums series_sums = sums[i].add(forecasts, origins, y, scores.scale);
      if (i == 0) scores.metrics = series_sums.metrics();
    }
    scores.origins = origins.size();
    result.origins += origins.size();
    result.series.push_back(std::move(scores));
  }
  result.model = sums[0].scores(forecaster.name());
  result.naive = sums[1].scores("naive");
  result.snaive = sums[2].scores("snaive");
  return result;
}

std::vector<SeriesForecast> forecast_future(const Frame& frame, const Forecaster& forecaster, std::size_t horizon) {
  for (const Series& series : frame.series) {
    if (series.size() < forecaster.min_history()) {
      throw DataError(fmt::format("{} has {} rows, but the {} forecast needs at least {}", frame.series_name(series),
                                  series.size(), forecaster.name(), forecaster.min_history()),
                      frame.source, "use a longer series, or a shorter --season");
    }
  }
  std::vector<SeriesForecast> result;
  arma::mat out;
  for (const Series& series : frame.series) {
    const std::size_t end = series.size();
    forecaster.forecast(series, std::span<const std::size_t>(&end, 1), horizon, out);
    // Calendar steps are taken in the series' own UTC offset (that of its last row).
    const int offset = series.offset(series.size() - 1);
    SeriesForecast f{series.id, {}, offset, out.col(0)};
    for (std::size_t h = 1; h <= horizon; ++h) {
      f.time.push_back(advance(series.time.back() + offset, frame.frequency, static_cast<std::int64_t>(h)) - offset);
    }
    result.push_back(std::move(f));
  }
  return result;
}

}  // namespace grucast
