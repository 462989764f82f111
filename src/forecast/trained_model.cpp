#include "grucast/forecast/trained_model.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "grucast/forecast/nonnegative.hpp"
#include "grucast/util/error.hpp"
#include "data/prepare.hpp"
#include "data/window.hpp"
#include "forecast/quantiles.hpp"
#include "nn/network.hpp"
#include "util/text.hpp"
#include "util/worker_pool.hpp"

namespace grucast {

std::size_t TrainedModel::parameter_count() const { return network_layout(config.shape).size(); }

const Scaler* TrainedModel::scaler_of(const std::string& id) const {
  for (const SeriesScaler& s : scalers) {
    if (s.id == id) return &s.scaler;
  }
  return nullptr;
}

std::string inputs_description(const TrainedModel& model) {
  const std::size_t features = model.data.features.size(), calendar = model.config.prep.calendar.size();
  std::vector<std::string> parts = {"the target"};
  if (features > 0) parts.push_back(fmt::format("{} feature{}", features, features == 1 ? "" : "s"));
  if (calendar > 0) {
    parts.push_back(fmt::format("{} calendar inputs ({})", kCalendarRows * calendar,
                                join(calendar_names(model.config.prep.calendar), ", ")));
  }
  if (model.config.prep.normalize == NormalizeKind::window) parts.push_back("the window mean");
  std::string list = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) list += (i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return list;
}

NetworkForecaster::NetworkForecaster(const TrainedModel& model, std::string source)
    : model_(model), source_(std::move(source)), threads_(available_cores()) {}

std::size_t NetworkForecaster::min_history() const { return model_.config.lookback + model_.config.prep.lag(); }

std::string NetworkForecaster::short_history_hint() const {
  return fmt::format("the model reads the last {} rows (lookback {} plus {} for --transform {}): give it more history",
                     min_history(), model_.config.lookback, model_.config.prep.lag(),
                     transform_name(model_.config.prep.transform));
}

const Scaler& NetworkForecaster::scaler_for(const Series& series) const {
  const Scaler* scaler = model_.scaler_of(series.id);
  if (scaler == nullptr) {
    throw ModelError(fmt::format("series {} was not in the training data, so the model has no scaler for it",
                                 quoted(series.id)),
                     source_, "train the model on data that includes this series");
  }
  return *scaler;
}

void NetworkForecaster::direct_all(const Series& series, const Scaler& scaler, std::span<const std::size_t> origins,
                               arma::mat& out) const {
  model_.with_params([&](const auto& params) { direct(params, series, scaler, origins, out); });
}

void NetworkForecaster::forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                             arma::mat& out) const {
  const Scaler& scaler = scaler_for(series);
  const std::size_t K = model_.config.shape.outputs;
  if (horizon <= K && quantile()) {  // the median of the sorted quantiles, so it lies inside every interval
    arma::cube all;
    forecast_quantiles(series, origins, horizon, all);
    out = all.slice(median_index(model_.config.train.quantiles));
    return;
  }
  if (horizon <= K) {
    direct_all(series, scaler, origins, out);
    out.resize(horizon, out.n_cols);
    return;
  }
  if (quantile()) {
    throw UsageError(fmt::format("a horizon of {} is beyond the model's {} steps, and a quantile model does not roll "
                                 "out recursively (its quantiles are not those of a rolled-out path)", horizon, K),
                     "--horizon", fmt::format("use --horizon {} or less, or train with --horizon {}", K, horizon));
  }
  if (!model_.data.features.empty()) {
    throw UsageError(fmt::format("a horizon of {} is beyond the model's {} steps, and a model with --features cannot "
                                 "roll out recursively (the future feature values are unknown)", horizon, K),
                     "--horizon", fmt::format("use --horizon {} or less, or train with --horizon {}", K, horizon));
  }
  out.set_size(horizon, origins.size());
  for (std::size_t j = 0; j < origins.size(); ++j) out.col(j) = roll_out(series, scaler, origins[j], horizon);
}

namespace {

// Rows [first, end) of a series: what transform_values and the calendar features read (values,
// id, lines, times and their offsets).
Series rows_of(const Series& series, std::size_t first, std::size_t end) {
  Series part;
  part.id = series.id;
  part.values = series.values.cols(first, end - 1);
  if (series.lines.size() >= end) part.lines.assign(series.lines.begin() + first, series.lines.begin() + end);
  if (series.time.size() < end) return part;
  part.time.assign(series.time.begin() + first, series.time.begin() + end);
  for (std::size_t i = first; i < end; ++i) part.offsets.push_back(series.offset(i));
  return part;
}

// Appends `values` (K) to the window as its next rows and keeps its last `keep` rows. With
// `frequency`, the new rows get the timestamps that follow the window's last one, in its UTC
// offset (as forecast_series writes them), for their calendar features.
void append_rows(Series& window, const arma::vec& values, std::size_t keep, const Frequency* frequency) {
  const std::size_t added = values.n_elem, drop = window.values.n_cols + added - keep;
  window.values = arma::join_rows(window.values, values.t()).eval().tail_cols(keep);
  window.lines.clear();  // forecasts have no source line
  if (frequency == nullptr) return;
  const int offset = window.offsets.back();
  const TimePoint last = window.time.back() + offset;
  for (std::size_t h = 1; h <= added; ++h) {
    window.time.push_back(advance(last, *frequency, static_cast<std::int64_t>(h)) - offset);
    window.offsets.push_back(offset);
  }
  window.time.erase(window.time.begin(), window.time.begin() + static_cast<std::ptrdiff_t>(drop));
  window.offsets.erase(window.offsets.begin(), window.offsets.begin() + static_cast<std::ptrdiff_t>(drop));
}

}  // namespace

// Recursive roll-out: forecast K, append them to the history, forecast from the new end. The
// rows appended are future rows: their calendar features come from their future timestamps.
arma::vec NetworkForecaster::roll_out(const Series& series, const Scaler& scaler, std::size_t origin,
                                  std::size_t horizon) const {
  const std::size_t K = model_.config.shape.outputs, keep = min_history();
  const bool calendar = !model_.config.prep.calendar.empty();
  Series window = rows_of(series, origin - keep, origin);
  arma::vec result(horizon);
  arma::mat step;
  for (std::size_t done = 0; done < horizon; done += K) {
    const std::size_t end = window.values.n_cols;
    const std::size_t shift = origin + done - keep;  // the window's row i is the series' row i + shift
    model_.with_params([&](const auto& params) {
      direct(params, window, scaler, std::span<const std::size_t>(&end, 1), step, shift);
    });
    const std::size_t n = std::min(K, horizon - done);
    result.subvec(done, done + n - 1) = step.col(0).head(n);
    if (done + K < horizon) append_rows(window, step.col(0), keep, calendar ? &model_.data.frequency : nullptr);
  }
  return result;
}

namespace {

// One thread's buffers for the forecasts of a task of windows.
template <class E>
struct DirectScratch {
  arma::Cube<E> x, normalized;
  arma::Mat<E> y;
  std::vector<double> centers;
  NetworkCache<E> cache;
};

}  // namespace

// The K direct outputs at every origin, in tasks of kInferenceTaskWindows windows over the
// threads. A task's forecasts depend only on its windows, never on the thread count.
template <class E>
void NetworkForecaster::direct(const arma::Col<E>& params, const Series& series, const Scaler& scaler,
                           std::span<const std::size_t> origins, arma::mat& out, std::size_t shift) const {
  const ModelConfig& c = model_.config;
  const Network<E> network(c.shape);
  const std::size_t chunk = kInferenceTaskWindows, tasks = (origins.size() + chunk - 1) / chunk;
  const std::size_t K = c.shape.outputs, Q = c.shape.quantiles;
  out.set_size(K * Q, origins.size());
  if (origins.empty()) return;
  // Only the rows the windows read are prepared, with the lag the transform needs before them;
  // the whole series must still be in the transform's domain.
  check_transform_domain(c.prep, series, source_);
  const auto [low, high] = std::minmax_element(origins.begin(), origins.end());
  const std::size_t first = *low - c.lookback - c.prep.lag();
  const Series part = rows_of(series, first, *high);
  arma::mat scaled = scale_values(scaler, transform_values(c.prep, part, source_));
  std::vector<std::string> columns = {model_.data.target};
  columns.insert(columns.end(), model_.data.features.begin(), model_.data.features.end());
  check_input_range(c.prep, scaled, part, columns, input_limit(c.precision == Precision::f64), source_);
  const std::vector<arma::mat> data = {with_calendar(c.prep, std::move(scaled), part, 0)};
  WindowIndex index(c.lookback, 0);  // targets are not gathered
  for (const std::size_t t : origins) index.add(0, t - first, t - first);
  const arma::rowvec history = series.values.row(0);
  // The attention sink is called in origin order, so with one it runs on one thread.
  WorkerPool pool(sink_ ? 1 : std::min(threads_, tasks));
  std::vector<DirectScratch<E>> scratch(pool.threads());
  pool.run(tasks, [&](std::size_t task, std::size_t worker) {
    DirectScratch<E>& s = scratch[worker];
    const std::size_t first = task * chunk, n = std::min(chunk, origins.size() - first);
    std::vector<std::size_t> batch(n);
    std::iota(batch.begin(), batch.end(), first);
    gather_batch(data, index, batch, s.x, s.y);
    s.centers.assign(n, 0.0);
    const bool window = c.prep.normalize == NormalizeKind::window;
    if (window) normalize_windows<E>(s.x, s.normalized, nullptr, s.centers);
    const arma::Cube<E>& input = window ? s.normalized : s.x;
    const arma::Mat<E> flat(const_cast<E*>(input.memptr()), input.n_rows, input.n_cols * input.n_slices, false, true);
    const arma::Mat<E>& prediction = network.forward(params, flat, n, s.cache);
    if (sink_ && c.shape.attention != AttentionKind::none) report_attention(series.id, s.cache, origins.subspan(first, n), shift);
    // Each quantile's K outputs are restored exactly as a point forecast's are. Where restoring
    // sums forecast steps (diff; sdiff past m steps), that sum of quantiles is the quantile of
    // the sum only when the steps move together: an approximation.
    for (std::size_t i = 0; i < n; ++i) {
      const arma::vec output = arma::conv_to<arma::vec>::from(prediction.col(i));
      for (std::size_t q = 0; q < Q; ++q) {
        const arma::vec block = output.subvec(q * K, q * K + K - 1);
        out.col(first + i).subvec(q * K, q * K + K - 1) =
            restore_forecast(c.prep, scaler, s.centers[i], block, history.memptr(), origins[first + i]);
      }
      // A non-negative model's forecasts, quantiles and roll-out inputs: every value is >= 0.
      if (c.nonnegative) out.col(first + i).transform([](double v) { return at_least_zero(v); });
    }
  });
}

template <class E>
void NetworkForecaster::report_attention(const std::string& id, const NetworkCache<E>& cache,
                                     std::span<const std::size_t> origins, std::size_t shift) const {
  std::vector<double> weights(cache.attention.weights.n_rows);
  for (std::size_t i = 0; i < origins.size(); ++i) {
    for (std::size_t t = 0; t < weights.size(); ++t) weights[t] = static_cast<double>(cache.attention.weights(t, i));
    sink_(id, origins[i] + shift, weights);
  }
}

}  // namespace grucast
