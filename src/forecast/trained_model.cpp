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
    : model_(model), source_(std::move(source)), threads_(available_cores()) {
  // A hash index, not scaler_of's scan: a panel of 10,000 series would compare 50M ids.
  trained_.reserve(model.scalers.size());
  for (const SeriesScaler& s : model.scalers) trained_.try_emplace(s.id, &s.scaler);
  for (std::size_t i = 0; i < model.members.size(); ++i) {
    member_models_.push_back(std::make_unique<TrainedModel>(model.member_model(i)));
    members_.push_back(std::make_unique<NetworkForecaster>(*member_models_.back(), source_));
  }
}

std::size_t NetworkForecaster::min_history() const {
  std::size_t lookback = model_.config.lookback;
  for (const EnsembleMember& m : model_.members) lookback = std::min(lookback, m.lookback);
  return lookback + model_.config.prep.lag();
}

std::string NetworkForecaster::short_history_hint() const {
  return fmt::format("the model reads the last {} rows (lookback {} plus {} for --transform {}): give it more history",
                     min_history(), model_.config.lookback, model_.config.prep.lag(),
                     transform_name(model_.config.prep.transform));
}

const Scaler& NetworkForecaster::scaler_for(const Series& series) const {
  if (const auto it = trained_.find(series.id); it != trained_.end()) return *it->second;
  if (const auto it = unseen_.find(series.id); it != unseen_.end()) return it->second;
  throw ModelError(fmt::format("series {} was not in the training data, so the model has no scaler for it",
                               quoted(series.id)),
                   source_, "scale it by its own history first (NetworkForecaster::scale_unseen), or train the "
                   "model on data that includes it");
}

// An unseen series is scaled as if it had been in the training data: a scaler fitted on its own
// training rows. Under a split those are the rows before its validation part (before its test
// part without one), from the causal copy evaluate() forecasts from, so no row that is scored
// sets the scale; for forecasts after the end they are all its rows.
std::vector<std::string> NetworkForecaster::scale_unseen(const Frame& frame, const SplitSpec* split) {
  std::vector<std::string> ids;
  for (const Series& series : frame.series) {
    if (trained_.contains(series.id) || unseen_.contains(series.id)) continue;
    const std::size_t rows = split != nullptr ? split_series(series, *split).n_train : series.size();
    const bool filled = split != nullptr && !series.filled.empty();
    const Series causal = filled ? without_lookahead(series, rows) : Series{};
    const Series& history = filled ? causal : series;
    const arma::mat transformed = transform_values(model_.config.prep, history, source_);
    unseen_.emplace(series.id, fit_series_scaler(model_.config.prep, transformed, rows));
    ids.push_back(series.id);
  }
  for (const auto& member : members_) member->scale_unseen(frame, split);
  return ids;
}

std::vector<NetworkForecaster::Pass> NetworkForecaster::passes_of(std::span<const SeriesOrigins> groups) const {
  std::vector<Pass> passes;
  passes.reserve(groups.size());
  for (const SeriesOrigins& g : groups) passes.push_back({g.series, &scaler_for(*g.series), g.origins, 0});
  return passes;
}

void NetworkForecaster::direct_all(std::span<const Pass> passes, arma::mat& out) const {
  model_.with_params([&](const auto& params) { direct(params, passes, out); });
}

void NetworkForecaster::forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                                 arma::mat& out) const {
  const SeriesOrigins group{&series, origins};
  forecast_batch(std::span<const SeriesOrigins>(&group, 1), horizon, out);
}

void NetworkForecaster::forecast_batch(std::span<const SeriesOrigins> groups, std::size_t horizon,
                                       arma::mat& out) const {
  if (ensemble()) return ensemble_batch(groups, horizon, out);
  const std::vector<Pass> passes = passes_of(groups);
  const std::size_t K = model_.config.shape.outputs;
  if (horizon <= K && quantile()) {  // the median of the sorted quantiles, so it lies inside every interval
    arma::cube all;
    quantiles_of(passes, horizon, all);
    out = all.slice(median_index(model_.config.train.quantiles));
    return;
  }
  if (horizon <= K) {
    direct_all(passes, out);
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
  roll_out(passes, horizon, out);
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
void NetworkForecaster::roll_out(std::span<const Pass> passes, std::size_t horizon, arma::mat& out) const {
  if (!sink_) return roll_out_together(passes, horizon, out);
  std::size_t total = 0;
  for (const Pass& p : passes) total += p.origins.size();
  out.set_size(horizon, total);
  arma::mat one;
  std::size_t column = 0;
  for (const Pass& p : passes) {
    for (std::size_t j = 0; j < p.origins.size(); ++j) {  // the sink's calls origin by origin, pass by pass
      const Pass single{p.series, p.scaler, p.origins.subspan(j, 1), 0};
      roll_out_together(std::span<const Pass>(&single, 1), horizon, one);
      out.col(column++) = one.col(0);
    }
  }
}

// Every origin's window of the last keep rows is copied, and all windows step together.
void NetworkForecaster::roll_out_together(std::span<const Pass> passes, std::size_t horizon, arma::mat& out) const {
  const std::size_t K = model_.config.shape.outputs, keep = min_history();
  const Frequency* frequency = model_.config.prep.calendar.empty() ? nullptr : &model_.data.frequency;
  std::size_t total = 0;
  for (const Pass& p : passes) total += p.origins.size();
  std::vector<Series> windows;
  std::vector<std::size_t> origins;  // in the original series
  std::vector<Pass> steps;
  windows.reserve(total);  // a Series would be copied as the vector grows
  for (const Pass& p : passes) {
    for (const std::size_t t : p.origins) {
      windows.push_back(rows_of(*p.series, t - keep, t));
      origins.push_back(t);
      steps.push_back({nullptr, p.scaler, {}, 0});
    }
  }
  const std::vector<std::size_t> ends(windows.size(), keep);  // each window is forecast from its end
  out.set_size(horizon, windows.size());
  arma::mat step;
  for (std::size_t done = 0; done < horizon; done += K) {
    for (std::size_t j = 0; j < windows.size(); ++j) {
      // the window's row i is the series' row i + shift
      steps[j] = {&windows[j], steps[j].scaler, std::span<const std::size_t>(&ends[j], 1), origins[j] + done - keep};
    }
    direct_all(steps, step);
    const std::size_t n = std::min(K, horizon - done);
    out.rows(done, done + n - 1) = step.rows(0, n - 1);
    if (done + K >= horizon) break;
    for (std::size_t j = 0; j < windows.size(); ++j) append_rows(windows[j], step.col(j), keep, frequency);
  }
}

// One thread's buffers for the forecasts of a task of windows.
template <class E>
struct DirectScratch {
  arma::Cube<E> x, normalized;
  arma::Mat<E> y;
  std::vector<double> centers;
  NetworkCache<E> cache;
};

// The windows of a network pass: per pass, the rows its windows read (and the transform's lag
// before them) transformed, scaled and with their calendar rows, and their target in original
// units (what restoring reads); the windows indexed as (pass, origin − first row).
struct NetworkForecaster::PassWindows {
  std::vector<arma::mat> data;
  std::vector<arma::rowvec> history;
  std::vector<std::size_t> first;  ///< per pass: the series row of column 0
  WindowIndex index;
};

// Only the rows the windows read are prepared, with the lag the transform needs before them;
// the whole series must still be in the transform's domain.
NetworkForecaster::PassWindows NetworkForecaster::prepare_passes(std::span<const Pass> passes) const {
  const ModelConfig& c = model_.config;
  std::vector<std::string> columns = {model_.data.target};
  columns.insert(columns.end(), model_.data.features.begin(), model_.data.features.end());
  const InputLimit limit = input_limit(c.precision == Precision::f64);
  PassWindows w{{}, {}, {}, WindowIndex(c.lookback, 0)};  // targets are not gathered
  w.data.resize(passes.size());
  w.history.resize(passes.size());
  w.first.resize(passes.size());
  for (std::size_t p = 0; p < passes.size(); ++p) {
    const Pass& pass = passes[p];
    if (pass.origins.empty()) continue;
    check_transform_domain(c.prep, *pass.series, source_);
    const auto [low, high] = std::minmax_element(pass.origins.begin(), pass.origins.end());
    const std::size_t first = *low - c.lookback - c.prep.lag();
    const Series part = rows_of(*pass.series, first, *high);
    arma::mat scaled = scale_values(*pass.scaler, transform_values(c.prep, part, source_));
    check_input_range(c.prep, scaled, part, columns, limit, source_);
    w.history[p] = part.values.row(0);
    w.data[p] = with_calendar(c.prep, std::move(scaled), part, 0);
    w.first[p] = first;
    for (const std::size_t t : pass.origins) w.index.add(p, t - first, t - first);
  }
  return w;
}

// The K direct outputs at every origin of every pass, over the threads in tasks of up to
// kInferenceTaskWindows windows. A forward call never mixes series: each pass's windows go
// through the network kInferenceTaskWindows at a time, exactly as they would in a pass of their
// own, because a product's rounding depends on the batch it is computed in (the single-window
// kernel, or BLAS's GEMM at another width). So a forecast depends only on its series and
// origins, never on the other series of the call or on the thread count.
template <class E>
void NetworkForecaster::direct(const arma::Col<E>& params, std::span<const Pass> passes, arma::mat& out) const {
  const ModelConfig& c = model_.config;
  const Network<E> network(c.shape);
  const PassWindows w = prepare_passes(passes);
  const std::size_t chunk = kInferenceTaskWindows;
  out.set_size(c.shape.outputs * c.shape.quantiles, w.index.size());
  std::vector<std::pair<std::size_t, std::size_t>> batches;  // windows [first, first + n) of one pass
  for (std::size_t p = 0, at = 0; p < passes.size(); at += passes[p++].origins.size()) {
    const std::size_t n = passes[p].origins.size();
    for (std::size_t b = 0; b < n; b += chunk) batches.emplace_back(at + b, std::min(chunk, n - b));
  }
  std::vector<std::size_t> tasks = {0};  // task i runs batches [tasks[i], tasks[i + 1])
  for (std::size_t i = 0, load = 0; i < batches.size(); load += batches[i++].second) {
    if (load > 0 && load + batches[i].second > chunk) {
      tasks.push_back(i);
      load = 0;
    }
  }
  tasks.push_back(batches.size());
  if (batches.empty()) return;
  // The attention sink is called in window order, so with one it runs on one thread.
  WorkerPool pool(sink_ ? 1 : std::min(threads_, tasks.size() - 1));
  std::vector<DirectScratch<E>> scratch(pool.threads());
  pool.run(tasks.size() - 1, [&](std::size_t task, std::size_t worker) {
    for (std::size_t i = tasks[task]; i < tasks[task + 1]; ++i) {
      direct_batch(network, params, passes, w, batches[i].first, batches[i].second, scratch[worker], out);
    }
  });
}

// Windows [first, first + n) of one pass through the network, restored into their columns of `out`.
template <class E>
void NetworkForecaster::direct_batch(const Network<E>& network, const arma::Col<E>& params,
                                     std::span<const Pass> passes, const PassWindows& w, std::size_t first,
                                     std::size_t n, DirectScratch<E>& s, arma::mat& out) const {
  const ModelConfig& c = model_.config;
  const std::size_t K = c.shape.outputs, Q = c.shape.quantiles;
  std::vector<std::size_t> batch(n);
  std::iota(batch.begin(), batch.end(), first);
  gather_batch(w.data, w.index, batch, s.x, s.y);
  s.centers.assign(n, 0.0);
  const bool window = c.prep.normalize == NormalizeKind::window;
  if (window) normalize_windows<E>(s.x, s.normalized, nullptr, s.centers);
  const arma::Cube<E>& input = window ? s.normalized : s.x;
  const arma::Mat<E> flat(const_cast<E*>(input.memptr()), input.n_rows, input.n_cols * input.n_slices, false, true);
  const arma::Mat<E>& prediction = network.forward(params, flat, n, s.cache);
  const std::size_t p = w.index[first].series;  // one pass
  const Pass& pass = passes[p];
  if (sink_ && c.shape.attention != AttentionKind::none) {
    std::vector<double> weights(s.cache.attention.weights.n_rows);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t t = 0; t < weights.size(); ++t) weights[t] = static_cast<double>(s.cache.attention.weights(t, i));
      sink_(pass.series->id, w.first[p] + w.index[first + i].origin + pass.shift, weights);
    }
  }
  // Each quantile's K outputs are restored exactly as a point forecast's are. Where restoring
  // sums forecast steps (diff; sdiff past m steps), that sum of quantiles is the quantile of
  // the sum only when the steps move together: an approximation.
  const TransformKind transform = c.prep.transform_of(pass.series->id);
  for (std::size_t i = 0; i < n; ++i) {
    const arma::vec output = arma::conv_to<arma::vec>::from(prediction.col(i));
    for (std::size_t q = 0; q < Q; ++q) {
      const arma::vec block = output.subvec(q * K, q * K + K - 1);
      out.col(first + i).subvec(q * K, q * K + K - 1) = restore_forecast(
          transform, c.prep.lag(), *pass.scaler, s.centers[i], block, w.history[p].memptr(), w.index[first + i].origin);
    }
    // A non-negative model's forecasts, quantiles and roll-out inputs: every value is >= 0.
    if (c.nonnegative) out.col(first + i).transform([](double v) { return at_least_zero(v); });
  }
}

}  // namespace grucast
