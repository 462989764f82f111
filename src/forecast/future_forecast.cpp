// The K values after the end of each series (grucast forecast), with their future timestamps.
#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "forecast/finite_check.hpp"
#include "grucast/forecast/evaluate.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

void check_forecastable(const Frame& frame, const Forecaster& forecaster, std::size_t horizon) {
  for (const Series& series : frame.series) {
    if (series.size() < forecaster.min_history()) {
      throw DataError(fmt::format("{} has {} rows, but the {} forecast needs at least {}", frame.series_name(series),
                                  series.size(), forecaster.name(), forecaster.min_history()),
                      frame.source, forecaster.short_history_hint());
    }
    const int offset = series.offset(series.size() - 1);
    advance(series.time.back() + offset, frame.frequency, static_cast<std::int64_t>(horizon));
  }
}

std::vector<SeriesForecast> forecast_series_batch(const Frame& frame, std::span<const Series* const> series,
                                                  const Forecaster& forecaster, std::size_t horizon) {
  std::vector<std::size_t> ends(series.size());
  std::vector<SeriesOrigins> groups(series.size());
  for (std::size_t i = 0; i < series.size(); ++i) {
    ends[i] = series[i]->size();
    groups[i] = {series[i], std::span<const std::size_t>(&ends[i], 1)};
  }
  arma::mat out;
  forecaster.forecast_batch(groups, horizon, out);
  std::vector<SeriesForecast> result;
  result.reserve(series.size());
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Series& s = *series[i];
    const arma::vec values = out.col(i);
    check_finite(values, frame, s, forecaster);
    // Calendar steps are taken in the series' own UTC offset (that of its last row).
    const int offset = s.offset(s.size() - 1);
    SeriesForecast& f = result.emplace_back(SeriesForecast{s.id, {}, offset, values, {}, {}});
    for (std::size_t h = 1; h <= horizon; ++h) {
      f.time.push_back(advance(s.time.back() + offset, frame.frequency, static_cast<std::int64_t>(h)) - offset);
    }
  }
  return result;
}

SeriesForecast forecast_series(const Frame& frame, const Series& series, const Forecaster& forecaster,
                               std::size_t horizon) {
  const Series* one = &series;
  return std::move(forecast_series_batch(frame, std::span<const Series* const>(&one, 1), forecaster, horizon).front());
}

std::vector<SeriesForecast> forecast_future(const Frame& frame, const Forecaster& forecaster, std::size_t horizon) {
  check_forecastable(frame, forecaster, horizon);
  std::vector<SeriesForecast> result;
  for (std::size_t first = 0; first < frame.series.size(); first += kSeriesPerPass) {
    std::vector<const Series*> chunk;
    for (std::size_t i = first; i < std::min(first + kSeriesPerPass, frame.series.size()); ++i) {
      chunk.push_back(&frame.series[i]);
    }
    for (SeriesForecast& f : forecast_series_batch(frame, chunk, forecaster, horizon)) result.push_back(std::move(f));
  }
  return result;
}

}  // namespace grucast
