// train --transform auto (issue 21): logarithms before the seasonal difference for the series
// whose swing grows with their level (an hourly load of 10 at night and 5,000 by day), kept
// when validation says so. Logarithms fail a series with a steady level near zero and help one
// with a multiplicative season, so neither is a safe default for every series.
#include <algorithm>
#include <cmath>
#include <span>
#include <utility>

#include "grucast/forecast/multiplicative.hpp"
#include "grucast/forecast/selection.hpp"
#include "grucast/workflow/fit.hpp"
#include "workflow/fit_parts.hpp"

namespace grucast {

namespace {

// The series whose every value is positive and whose training rows look multiplicative, sorted.
std::vector<std::string> multiplicative_series(const Frame& frame, const ModelConfig& config) {
  std::vector<std::string> ids;
  for (const Series& series : frame.series) {
    const arma::rowvec target = series.values.row(0);
    const std::span<const double> y(target.memptr(), target.n_elem);
    if (!std::all_of(y.begin(), y.end(), [](double v) { return v > 0.0; })) continue;  // forecasts read every row
    const std::size_t n_train = std::min(split_series(series, config.split).n_train, y.size());
    if (looks_multiplicative(y.first(n_train), config.season)) ids.push_back(series.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

double mean_of(std::span<const double> x) {
  double sum = 0.0;
  for (const double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

// The standard error of the mean of x (infinite below 2 values).
double standard_error(std::span<const double> x) {
  if (x.size() < 2) return INFINITY;
  const double mean = mean_of(x);
  double squares = 0.0;
  for (const double v : x) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()));
}

// The validation evidence of `with` against `without`, into choice (compared, log_ratio, error).
void compare_networks(const Frame& frame, const TrainedModel& without, const TrainedModel& with,
                      TransformChoice& choice) {
  const auto errors_of = [&](const TrainedModel& model) {
    NetworkForecaster forecaster(model, frame.source);
    forecaster.set_threads(model.config.train.threads);
    return validation_origin_errors(frame, forecaster, model.config.split, task_shape(model.config));
  };
  const std::vector<std::vector<double>> a = errors_of(without), b = errors_of(with);
  std::vector<double> log_ratios;                 // per series
  double lone_mae = 0.0;
  std::vector<double> lone_diff;  // per origin of the last series compared
  for (std::size_t s = 0; s < a.size(); ++s) {
    std::vector<double> pa, pb, d;  // the origins both networks were scored at
    for (std::size_t j = 0; j < a[s].size(); ++j) {
      if (std::isnan(a[s][j]) || std::isnan(b[s][j])) continue;
      pa.push_back(a[s][j]), pb.push_back(b[s][j]), d.push_back(b[s][j] - a[s][j]);
    }
    if (pa.empty()) continue;
    const double mae_a = mean_of(pa), mae_b = mean_of(pb);
    if (!(mae_a > 0.0) || !(mae_b > 0.0)) continue;
    log_ratios.push_back(std::log(mae_b / mae_a));
    lone_mae = mae_a, lone_diff = std::move(d);
  }
  choice.compared = log_ratios.size();
  if (log_ratios.size() >= 2) {
    choice.log_ratio = mean_of(log_ratios);
    choice.error = standard_error(log_ratios);
  } else if (log_ratios.size() == 1) {  // the paired differences over its origins, relative to its MAE
    choice.log_ratio = log_ratios.front();
    choice.error = standard_error(lone_diff) / lone_mae;
  }
  choice.taken = choice.log_ratio + choice.error < 0.0;  // false for NaN and an infinite error
}

}  // namespace

TransformChoice choose_transform(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                                 const ProgressCallback& progress, const FitControl& control, int budget_parts) {
  TransformChoice choice;
  choice.config = config;
  if (takes_log(config.prep.transform) || !config.split.has_validation()) return choice;
  const std::vector<std::string> candidates = multiplicative_series(frame, config);
  choice.candidates = candidates.size();
  if (candidates.empty()) return choice;
  if (!control.resume_path.empty() || control.warm_start != nullptr) {
    throw UsageError("--transform auto trains two networks and keeps one, so there is no single run to resume or "
                     "start from a model",
                     "--transform", "give the transform (sdiff, or log+sdiff) with --transform");
  }
  TrainedModel without = train_network(frame, config, data, progress, budget_share(control, budget_parts));
  if (without.summary.stop == StopReason::interrupted) {
    finish_model(frame, control, without);
    choice.stopped = std::move(without);
    return choice;
  }
  ModelConfig logged = config;
  logged.prep.logged = candidates;
  if (control.transform_started) control.transform_started(candidates.size());
  const TrainedModel with = train_network(frame, logged, data, progress, budget_share(control, budget_parts));
  if (with.summary.stop == StopReason::interrupted) {  // a stopped run is not compared: fewer epochs
    finish_model(frame, control, without);
    choice.stopped = std::move(without);
    return choice;
  }
  compare_networks(frame, without, with, choice);
  if (choice.taken) choice.config = std::move(logged);
  return choice;
}

}  // namespace grucast
