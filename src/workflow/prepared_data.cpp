#include "workflow/prepared_data.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "data/prepare.hpp"
#include "util/byte_order.hpp"
#include "util/hash.hpp"

namespace grucast {

namespace {

constexpr std::size_t kNamedUntrained = 5;  // series named in messages

// Indexes the series' training and validation windows, and counts the parts it took part in.
void count_use(const Series& series, const SplitPoints& points, const TaskShape& shape, PreparedData& data) {
  const std::size_t s = data.use.series++;
  if (const auto train = origin_range(points, Part::train, shape)) {
    data.set.train.add(s, train->first, train->second);
    ++data.use.trained;
  } else if (data.use.untrained.size() < kNamedUntrained) {
    data.use.untrained.push_back(series.id);
  }
  if (const auto val = origin_range(points, Part::validation, shape)) {
    data.set.validation.add(s, val->first, val->second);
    ++data.use.validated;
  }
  if (origin_range(points, Part::test, shape)) ++data.use.tested;
}

const Series& longest_series(const Frame& frame) {
  return *std::max_element(frame.series.begin(), frame.series.end(),
                           [](const Series& a, const Series& b) { return a.size() < b.size(); });
}

}  // namespace

PreparedData prepare_data(const Frame& frame, const ModelConfig& config) {
  const TaskShape shape = task_shape(config);
  check_calendar(config.prep.calendar, frame);
  config.split.validate();
  if (frame.series.size() == 1) check_split(frame, frame.series.front(), config.split, shape);
  PreparedData data;
  data.set.train = WindowIndex(config.lookback, config.shape.outputs);
  data.set.validation = WindowIndex(config.lookback, config.shape.outputs);
  data.set.normalize = config.prep.normalize;
  const InputLimit limit = input_limit(config.precision == Precision::f64);
  for (std::size_t s = 0; s < frame.series.size(); ++s) {
    const Series& series = frame.series[s];
    const SplitPoints points = split_series(series, config.split);
    arma::mat transformed = transform_values(config.prep, series, frame.source);
    Scaler scaler = fit_series_scaler(config.prep, transformed, points.n_train);
    arma::mat scaled = scale_values(scaler, std::move(transformed));
    check_input_range(config.prep, scaled, series, frame.columns, limit, frame.source);  // before any training
    data.set.prepared.push_back(with_calendar(config.prep, std::move(scaled), series, 0));
    data.scalers.push_back({series.id, std::move(scaler)});
    data.splits.push_back(points);
    count_use(series, points, shape, data);
  }
  if (data.set.train.size() == 0) {
    check_split(frame, longest_series(frame), config.split, shape);  // why the longest cannot give a window
    throw DataError(fmt::format("no training window fits: each needs {} rows of history and {} targets inside the "
                                "training part", shape.history(), shape.horizon),
                    frame.source, "use a shorter --lookback or --horizon, or more data");
  }
  return data;
}

std::uint64_t data_fingerprint(const PreparedData& data) {
  std::uint64_t hash = fnv1a64("");
  for (const arma::mat& series : data.set.prepared) {
    std::string shape;
    put_le(shape, series.n_rows, 8);
    put_le(shape, series.n_cols, 8);
    hash = fnv1a64(shape, hash);
    hash = fnv1a64({reinterpret_cast<const char*>(series.memptr()), series.n_elem * sizeof(double)}, hash);
  }
  return hash;
}

}  // namespace grucast
