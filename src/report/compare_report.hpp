// grucast compare's report: a table for people, JSON and CSV for pipelines.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "grucast/data/frame.hpp"
#include "workflow/compare.hpp"

namespace grucast::cli {

/// What the comparison ran on, for the reports.
struct CompareContext {
  std::string target;
  std::string split;  ///< e.g. "70% train, 10% validation, 20% test"
};

/// One row per variant (means, and ± the spread over seeds), then naive and snaive, under a
/// line naming the data, the test origins and the seeds, and above a footer saying what the
/// numbers are.
std::string compare_table(const Frame& frame, const CompareReport& report, const CompareContext& context);
/// The task, "variants" with their per-seed "runs", "mean" and "spread", and "baselines".
nlohmann::ordered_json compare_json(const Frame& frame, const CompareReport& report, const CompareContext& context);
/// One row per variant and seed, then one per baseline (their model columns empty).
std::string compare_csv(const CompareReport& report);

}  // namespace grucast::cli
