// Comparing network variants (cell × attention) on one task: the same data, split, training
// budget and seeds for each, scored on the same test origins as the baselines.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "grucast/forecast/metrics.hpp"
#include "grucast/forecast/trained_model.hpp"
#include "grucast/workflow/fit.hpp"

namespace grucast {

/// One network to compare: a cell and an attention.
struct Variant {
  CellKind cell = CellKind::gru;
  AttentionKind attention = AttentionKind::none;
  /// "gru", "lstm+additive": the cell, and the attention when there is one.
  std::string name() const;
  bool operator==(const Variant&) const = default;
};

/// Every cell with every attention, cells outer: --cells and --attention are comma lists.
/// A UsageError naming the option for an empty list or item, an unknown name or a duplicate.
std::vector<Variant> parse_variants(const std::string& cells, const std::string& attention);

/// The seeds first, first + 1, ..., first + count − 1; a UsageError when count is 0 or above
/// 100, or the last seed would pass 2^64 − 1.
std::vector<std::uint64_t> compare_seeds(std::uint64_t first, std::size_t count);

/// A mean over seeds and its spread: the sample standard deviation (n − 1), 0 with one seed.
struct MeanSpread {
  double mean = 0.0;
  double spread = 0.0;
};
MeanSpread mean_spread(const std::vector<double>& values);

/// One variant trained with one seed.
struct CompareRun {
  std::uint64_t seed = 0;
  TrainSummary summary;
  double samples_per_second = 0.0;  ///< training windows per second (the last epoch report's)
  Metrics test;                     ///< the model's, on the test origins
  std::size_t origins = 0;          ///< test origins scored
  std::uint64_t origins_hash = 0;   ///< FNV-1a 64 of the (series id, origin) pairs scored, in order
  Metrics naive;                    ///< naive as scored beside this run's model
};

struct VariantResult {
  Variant variant;
  std::size_t parameters = 0;
  std::vector<CompareRun> runs;  ///< one per seed, in seed order
  MeanSpread seconds, samples_per_second, best_epoch;
  MeanSpread mae, rmse, smape, mase;
  double latency_us = 0.0;  ///< median single-window forecast of the first seed's model
};

struct CompareReport {
  TaskShape shape;
  SplitSpec split;
  std::vector<std::uint64_t> seeds;
  std::size_t origins = 0;         ///< test origins over all series
  std::uint64_t origins_hash = 0;  ///< of the baselines' (series id, origin) pairs
  std::vector<VariantResult> variants;
  Metrics naive, snaive;  ///< deterministic: one evaluation on the test origins
  std::string latency_precision;  ///< "f32" or "f64": the precision the models were trained and timed in
};

struct CompareControl {
  ProgressCallback progress;  ///< the epochs of every run
  /// Called before each run: the variant, the seed, the run (1-based) and the number of runs.
  std::function<void(const Variant& variant, std::uint64_t seed, std::size_t run, std::size_t runs)> run_start;
  const std::atomic<bool>* stop = nullptr;  ///< a stop request ends the comparison (Interrupted)
};

/// Trains every variant of `base` (its cell and attention replaced) once per seed and scores
/// each model on the test part of `base.split`, on the same origins as naive and snaive (a
/// logic_error if they ever differ). A DataError when the split has no test origins; a stop
/// request throws Interrupted.
CompareReport compare_models(const Frame& frame, const ModelConfig& base, const DataConfig& data,
                             const std::vector<Variant>& variants, const std::vector<std::uint64_t>& seeds,
                             const CompareControl& control = {});

/// Median microseconds of `calls` forecasts of one window (the last origin of the first series)
/// with one thread, the way grucast forecast runs a series: prepare the window, run the network
/// in the model's precision, restore the K values.
double forecast_latency_us(const TrainedModel& model, const Frame& frame, std::size_t calls = 200);

}  // namespace grucast
