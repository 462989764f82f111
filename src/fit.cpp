#include "grucast/fit.hpp"

#include <cmath>

#include <fmt/format.h>

#include "grucast/error.hpp"
#include "grucast/evaluate.hpp"

namespace grucast {

namespace {

// The shape whose rows every series must have: the transform eats lag() rows before the lookback.
TaskShape task_shape(const ModelConfig& config) {
  return {config.lookback, config.shape.outputs, config.season, config.prep.lag()};
}

template <class E>
void train_params(const ModelConfig& config, const PreparedData& data, arma::Col<E>& params, TrainSummary& summary,
                  const ProgressCallback& progress) {
  const GruModel<E> network(config.shape);
  init_params(network.layout(), params, config.train.seed);
  summary = train_model(network, params, data.set, config.train, progress);
}

}  // namespace

void validate_config(const ModelConfig& config) {
  if (!(config.shape.dropout >= 0.0 && config.shape.dropout < 1.0)) {
    throw UsageError(fmt::format("dropout {} is out of range", config.shape.dropout), "--dropout",
                     "use a probability from 0 up to, not including, 1");
  }
  if (config.shape.dropout > 0.0 && config.shape.layers == 1) {
    throw UsageError("--dropout acts between stacked layers, and there is only one", "--dropout",
                     "add --layers 2 or more, or leave --dropout out");
  }
  if (!(config.train.optimizer.lr > 0.0) || config.train.optimizer.lr > 10.0) {
    throw UsageError(fmt::format("learning rate {} is out of range", config.train.optimizer.lr), "--lr",
                     "use a value above 0 and at most 10, e.g. 0.001");
  }
  if (!(config.train.optimizer.weight_decay >= 0.0) || config.train.optimizer.weight_decay > 1.0) {
    throw UsageError(fmt::format("weight decay {} is out of range", config.train.optimizer.weight_decay),
                     "--weight-decay", "use a value from 0 to 1");
  }
  if (!(config.train.clip >= 0.0) || !std::isfinite(config.train.clip)) {
    throw UsageError(fmt::format("clip {} is out of range", config.train.clip), "--clip",
                     "use a positive norm, or 0 for no clipping");
  }
  const double momentum = config.train.optimizer.momentum;
  if (!(momentum >= 0.0 && momentum < 1.0)) {
    throw UsageError(fmt::format("momentum {} is out of range", momentum), "--momentum",
                     "use a value from 0 up to, not including, 1, e.g. 0.9");
  }
}

PreparedData prepare_data(const Frame& frame, const ModelConfig& config) {
  const TaskShape shape = task_shape(config);
  config.split.validate();
  for (const Series& series : frame.series) check_split(frame, series, config.split, shape);
  PreparedData data;
  data.set.train = WindowIndex(config.lookback, config.shape.outputs);
  data.set.validation = WindowIndex(config.lookback, config.shape.outputs);
  data.set.normalize = config.prep.normalize;
  for (std::size_t s = 0; s < frame.series.size(); ++s) {
    const Series& series = frame.series[s];
    const SplitPoints points = split_series(series, config.split);
    arma::mat transformed = transform_values(config.prep, series, frame.source);
    Scaler scaler = fit_series_scaler(config.prep, transformed, points.n_train);
    data.prepared.push_back(scale_values(scaler, std::move(transformed)));
    data.scalers.push_back({series.id, std::move(scaler)});
    data.splits.push_back(points);
    if (const auto train = origin_range(points, Part::train, shape)) data.set.train.add(s, train->first, train->second);
    if (const auto val = origin_range(points, Part::validation, shape)) {
      data.set.validation.add(s, val->first, val->second);
    }
  }
  data.set.prepared = &data.prepared;
  if (data.set.train.size() == 0) {
    throw DataError(fmt::format("no training window fits: each needs {} rows of history and {} targets inside the "
                                "training part", shape.history(), shape.horizon),
                    frame.source, "use a shorter --lookback or --horizon, or more data");
  }
  return data;
}

TrainedModel fit_model(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                       const ProgressCallback& progress) {
  validate_config(config);
  PreparedData prepared = prepare_data(frame, config);
  prepared.set.prepared = &prepared.prepared;  // the moved-from vector's address is stale
  TrainedModel model;
  model.config = config;
  model.data = data;
  model.scalers = prepared.scalers;
  if (config.precision == Precision::f64) {
    train_params(config, prepared, model.params64, model.summary, progress);
  } else {
    train_params(config, prepared, model.params32, model.summary, progress);
  }
  std::vector<arma::mat>().swap(prepared.prepared);  // the test forecasts prepare what they read
  bool tested = true;
  for (const SplitPoints& points : prepared.splits) tested = tested && points.n_test >= config.shape.outputs;
  if (tested) {
    const GruForecaster forecaster(model, frame.source);
    const Evaluation evaluation = evaluate(frame, forecaster, eval_options(task_shape(config), config.split));
    model.test.origins = evaluation.origins;
    for (const MethodScores* m : {&evaluation.model, &evaluation.naive, &evaluation.snaive}) {
      model.test.methods.emplace_back(m->method, m->overall);
    }
  }
  return model;
}

}  // namespace grucast
