#include "workflow/compare.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "nn/cells.hpp"
#include "util/byte_order.hpp"
#include "util/hash.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

// The items of a comma list, each refused when empty or repeated; `parse` turns one into a value.
template <class T, class Parse>
std::vector<T> parse_list(const std::string& text, const std::string& option, const std::string& names, Parse parse) {
  const std::string fix = "give a comma-separated list of " + names + ", each once";
  if (trim(text).empty()) throw UsageError(fmt::format("{} is empty", option), option, fix);
  std::vector<T> values;
  std::vector<std::string> seen;
  for (std::size_t begin = 0, end = 0; begin <= text.size(); begin = end + 1) {
    end = std::min(text.find(',', begin), text.size());
    const std::string item(trim(std::string_view(text).substr(begin, end - begin)));
    if (item.empty()) throw UsageError(fmt::format("{} {} has an empty item", option, quoted(text)), option, fix);
    if (std::find(seen.begin(), seen.end(), item) != seen.end()) {
      throw UsageError(fmt::format("{} names {} twice", option, quoted(item)), option, fix);
    }
    seen.push_back(item);
    try {
      values.push_back(parse(item));
    } catch (const UsageError&) {
      throw UsageError(fmt::format("unknown name {} in {}", quoted(item), option), option, fix);
    }
  }
  return values;
}

// Test origins as evaluate() scores them, and the fingerprint of their (series id, origin) pairs.
struct OriginLog {
  std::uint64_t hash = fnv1a64("");
  void add(const Series& series, std::span<const std::size_t> origins) {
    for (const std::size_t t : origins) {
      std::string pair = series.id;
      put_le(pair, t, 8);
      hash = fnv1a64(pair, hash);
    }
  }
};

// Scores `forecaster` on the test origins, logging the origins scored.
Evaluation score(const Frame& frame, const Forecaster& forecaster, const ModelConfig& config, OriginLog& log) {
  EvalOptions options = eval_options(task_shape(config), config.split);
  options.forecast_sink = [&log](const Series& series, std::span<const std::size_t> origins, const arma::mat&) {
    log.add(series, origins);
  };
  return evaluate(frame, forecaster, options);
}

// Trains one variant with one seed and scores it on the test origins.
CompareRun run_once(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                    const CompareControl& control, TrainedModel& model) {
  CompareRun run;
  run.seed = config.train.seed;
  FitControl fit;
  fit.stop = control.stop;
  fit.score_test = false;  // scored below, with the origins logged
  model = fit_model(frame, config, data, [&](const EpochReport& r) {
    run.samples_per_second = r.samples_per_second;
    if (control.progress) control.progress(r);
  }, fit);
  run.summary = model.summary;
  if (model.summary.stop == StopReason::interrupted) return run;
  NetworkForecaster forecaster(model, frame.source);
  forecaster.set_threads(config.train.threads);
  OriginLog log;
  const Evaluation evaluation = score(frame, forecaster, config, log);
  run.test = evaluation.model.overall;
  run.naive = evaluation.naive.overall;
  run.origins = evaluation.origins;
  run.origins_hash = log.hash;
  return run;
}

// The means and spreads over the runs of one variant.
void summarize(VariantResult& result) {
  const auto over_runs = [&result](auto field) {
    std::vector<double> values;
    for (const CompareRun& run : result.runs) values.push_back(field(run));
    return mean_spread(values);
  };
  result.seconds = over_runs([](const CompareRun& r) { return r.summary.seconds; });
  result.samples_per_second = over_runs([](const CompareRun& r) { return r.samples_per_second; });
  result.best_epoch = over_runs([](const CompareRun& r) { return static_cast<double>(r.summary.best_epoch); });
  result.mae = over_runs([](const CompareRun& r) { return r.test.mae; });
  result.rmse = over_runs([](const CompareRun& r) { return r.test.rmse; });
  result.smape = over_runs([](const CompareRun& r) { return r.test.smape; });
  result.mase = over_runs([](const CompareRun& r) { return r.test.mase; });
}

// The baselines on the test origins of `config`: the report's task, origins and baseline rows.
CompareReport baseline_report(const Frame& frame, const ModelConfig& config, const std::vector<std::uint64_t>& seeds) {
  CompareReport report;
  report.shape = task_shape(config);
  report.split = config.split;
  report.seeds = seeds;
  report.latency_precision = precision_name(config.precision);
  OriginLog log;
  const Evaluation evaluation = score(frame, Baseline(BaselineMethod::naive, config.season), config, log);
  report.origins = evaluation.origins;
  report.origins_hash = log.hash;
  report.naive = evaluation.naive.overall;
  report.snaive = evaluation.snaive.overall;
  return report;
}

}  // namespace

std::string Variant::name() const {
  return attention == AttentionKind::none ? cell_name(cell) : cell_name(cell) + "+" + attention_name(attention);
}

std::vector<Variant> parse_variants(const std::string& cells, const std::string& attention) {
  const auto cell_kinds = parse_list<CellKind>(cells, "--cells", names_text(kCellNames, " and "), parse_cell);
  const auto attention_kinds =
      parse_list<AttentionKind>(attention, "--attention", "none, additive and dot", parse_attention);
  std::vector<Variant> variants;
  for (const CellKind cell : cell_kinds) {
    for (const AttentionKind kind : attention_kinds) variants.push_back({cell, kind});
  }
  return variants;
}

std::vector<std::uint64_t> compare_seeds(std::uint64_t first, std::size_t count) {
  if (count == 0 || count > 100) {
    throw UsageError(fmt::format("seeds {} is out of range", count), "--seeds", "use a whole number from 1 to 100");
  }
  if (first > std::numeric_limits<std::uint64_t>::max() - (count - 1)) {
    throw UsageError(fmt::format("--seed {} with --seeds {} passes the largest seed, 18446744073709551615", first,
                                 count),
                     "--seed", "use a smaller --seed");
  }
  std::vector<std::uint64_t> seeds(count);
  for (std::size_t i = 0; i < count; ++i) seeds[i] = first + i;
  return seeds;
}

MeanSpread mean_spread(const std::vector<double>& values) {
  MeanSpread result;
  if (values.empty()) return result;
  const double n = static_cast<double>(values.size());
  for (const double v : values) result.mean += v / n;
  if (values.size() == 1) return result;
  double squares = 0.0;
  for (const double v : values) squares += (v - result.mean) * (v - result.mean);
  result.spread = std::sqrt(squares / (n - 1.0));
  return result;
}

CompareReport compare_models(const Frame& frame, const ModelConfig& base, const DataConfig& data,
                             const std::vector<Variant>& variants, const std::vector<std::uint64_t>& seeds,
                             const CompareControl& control) {
  if (variants.empty() || seeds.empty()) throw std::invalid_argument("compare_models needs a variant and a seed");
  validate_config(base);
  base.split.validate();
  CompareReport report = baseline_report(frame, base, seeds);  // fails on a short series before any training
  const std::size_t runs = variants.size() * seeds.size();
  std::size_t done = 0;
  for (const Variant& variant : variants) {
    VariantResult result;
    result.variant = variant;
    for (const std::uint64_t seed : seeds) {
      ModelConfig config = base;
      config.shape.cell = variant.cell;
      config.shape.attention = variant.attention;
      config.train.seed = seed;
      if (control.run_start) control.run_start(variant, seed, ++done, runs);
      TrainedModel model;
      result.runs.push_back(run_once(frame, config, data, control, model));
      const CompareRun& run = result.runs.back();
      if (run.summary.stop == StopReason::interrupted || (control.stop != nullptr && control.stop->load())) {
        throw Interrupted(fmt::format("the comparison was stopped while training {} with seed {} (run {} of {})",
                                      variant.name(), seed, done, runs),
                          frame.source, "let it finish, or use fewer --seeds, --cells or --epochs");
      }
      if (run.origins != report.origins || run.origins_hash != report.origins_hash) {
        throw std::logic_error(fmt::format("{} seed {} was scored on other test origins than the baselines",
                                           variant.name(), seed));
      }
      if (result.runs.size() == 1) {
        result.parameters = model.parameter_count();
        result.latency_us = forecast_latency_us(model, frame);
      }
    }
    summarize(result);
    report.variants.push_back(std::move(result));
  }
  return report;
}

double forecast_latency_us(const TrainedModel& model, const Frame& frame, std::size_t calls) {
  using Clock = std::chrono::steady_clock;
  NetworkForecaster forecaster(model, frame.source);
  forecaster.set_threads(1);
  const Series& series = frame.series.front();
  const std::size_t origin = series.values.n_cols;
  arma::mat out;
  const auto once = [&] {
    forecaster.forecast(series, std::span<const std::size_t>(&origin, 1), model.config.shape.outputs, out);
  };
  for (int i = 0; i < 20; ++i) once();  // warm-up: buffers, caches
  std::vector<double> times(std::max<std::size_t>(calls, 1));
  for (double& t : times) {
    const auto start = Clock::now();
    once();
    t = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  }
  std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2), times.end());
  return times[times.size() / 2];
}

}  // namespace grucast
