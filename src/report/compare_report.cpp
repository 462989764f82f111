#include "report/compare_report.hpp"

#include <cmath>

#include <fmt/format.h>

#include "report/writers.hpp"
#include "util/text.hpp"

namespace grucast::cli {

namespace {

constexpr const char* kRowFormat = "{:<15}{:>8}{:>9}{:>11}{:>9}{:>20}{:>20}{:>18}{:>18}{:>12}\n";

std::string seeds_text(const std::vector<std::uint64_t>& seeds) {
  std::vector<std::string> items;
  for (const std::uint64_t seed : seeds) items.push_back(std::to_string(seed));
  return join(items, ", ");
}

// "0.3121 ± 0.0140", or the mean alone with one seed.
std::string metric_cell(const MeanSpread& value, std::size_t seeds, std::size_t width) {
  if (seeds == 1) return table_number(value.mean, width);
  return table_number(value.mean, width / 2) + " ± " + table_number(value.spread, width / 2);
}

std::string variant_row(const VariantResult& v, std::size_t seeds) {
  return fmt::format(kRowFormat, v.variant.name(), v.parameters, fmt::format("{:.2f}", v.seconds.mean),
                     fmt::format("{:.0f}", v.samples_per_second.mean), fmt::format("{:.1f}", v.best_epoch.mean),
                     metric_cell(v.mae, seeds, 20), metric_cell(v.rmse, seeds, 20), metric_cell(v.smape, seeds, 18),
                     metric_cell(v.mase, seeds, 18), fmt::format("{:.1f}", v.latency_us));
}

std::string baseline_row(const std::string& name, const Metrics& m) {
  return fmt::format(kRowFormat, name, "-", "-", "-", "-", table_number(m.mae, 20), table_number(m.rmse, 20),
                     table_number(m.smape, 18), table_number(m.mase, 18), "-");
}

nlohmann::ordered_json stats_json(const VariantResult& v, double MeanSpread::*part) {
  return {{"seconds", v.seconds.*part},         {"samples_per_second", v.samples_per_second.*part},
          {"best_epoch", v.best_epoch.*part},   {"mae", number_json(v.mae.*part)},
          {"rmse", number_json(v.rmse.*part)},  {"smape", number_json(v.smape.*part)},
          {"mase", number_json(v.mase.*part)}};
}

nlohmann::ordered_json run_json(const CompareRun& run) {
  nlohmann::ordered_json j = {{"seed", run.seed},
                              {"seconds", run.summary.seconds},
                              {"samples_per_second", run.samples_per_second},
                              {"epochs_run", run.summary.epochs_run},
                              {"best_epoch", run.summary.best_epoch},
                              {"stop", stop_reason_name(run.summary.stop)}};
  j.update(metrics_json(run.test));
  return j;
}

nlohmann::ordered_json variant_json(const VariantResult& v) {
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  for (const CompareRun& run : v.runs) runs.push_back(run_json(run));
  return {{"name", v.variant.name()},
          {"cell", cell_name(v.variant.cell)},
          {"attention", attention_name(v.variant.attention)},
          {"parameters", v.parameters},
          {"latency_us", v.latency_us},
          {"mean", stats_json(v, &MeanSpread::mean)},
          {"spread", stats_json(v, &MeanSpread::spread)},
          {"runs", std::move(runs)}};
}

std::string csv_number(double value) { return std::isfinite(value) ? nlohmann::json(value).dump() : ""; }

std::string csv_metrics(const Metrics& m) {
  return fmt::format("{},{},{},{},{}", csv_number(m.mae), csv_number(m.rmse), csv_number(m.mape), csv_number(m.smape),
                     csv_number(m.mase));
}

}  // namespace

std::string compare_table(const Frame& frame, const CompareReport& r, const CompareContext& context) {
  std::string out = fmt::format(
      "compare on {} in {}: {} series, {}; lookback {}, horizon {}, season {}; test: {} origins x {} steps ({}); "
      "seeds {}\n\n",
      context.target, frame.source, frame.series.size(), frame.frequency.name(), r.shape.lookback, r.shape.horizon,
      r.shape.season, r.origins, r.shape.horizon, context.split, seeds_text(r.seeds));
  out += fmt::format(kRowFormat, "method", "params", "train s", "samples/s", "best ep", "MAE", "RMSE", "sMAPE%",
                     "MASE", "latency µs");
  for (const VariantResult& v : r.variants) out += variant_row(v, r.seeds.size());
  out += baseline_row("naive", r.naive);
  out += baseline_row("snaive", r.snaive);
  const std::size_t n = r.seeds.size();
  out += fmt::format(
      "\nMAE, RMSE, sMAPE%, MASE: {}; every model on the test origins of naive and snaive.\n"
      "train s, samples/s (training windows per second), best ep (epoch of the kept weights): mean over the seeds.\n"
      "latency: median of 200 single-window forecasts by the seed-{} model ({}, one thread), as grucast forecast "
      "runs one series.\n",
      n == 1 ? "of the one seed (no spread)" : fmt::format("mean ± sample standard deviation over the {} seeds", n),
      r.seeds.front(), r.latency_precision);
  return out;
}

nlohmann::ordered_json compare_json(const Frame& frame, const CompareReport& r, const CompareContext& context) {
  nlohmann::ordered_json j = task_json(frame, context.target, "compare", r.shape);
  j["series"] = frame.series.size();
  j["split"] = context.split;
  j["origins"] = r.origins;
  j["seeds"] = r.seeds;
  j["spread"] = "sample standard deviation over the seeds (0 with one seed)";
  j["latency"] = {{"calls", 200}, {"threads", 1}, {"precision", r.latency_precision},
                  {"model", "the first seed's"}};
  nlohmann::ordered_json variants = nlohmann::ordered_json::array();
  for (const VariantResult& v : r.variants) variants.push_back(variant_json(v));
  j["variants"] = std::move(variants);
  j["baselines"] = {{"naive", metrics_json(r.naive)}, {"snaive", metrics_json(r.snaive)}};
  return j;
}

std::string compare_csv(const CompareReport& r) {
  std::string out = "method,cell,attention,seed,parameters,seconds,samples_per_second,best_epoch,mae,rmse,mape,smape,"
                    "mase,latency_us\n";
  for (const VariantResult& v : r.variants) {
    for (std::size_t i = 0; i < v.runs.size(); ++i) {
      const CompareRun& run = v.runs[i];
      out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", v.variant.name(), cell_name(v.variant.cell),
                         attention_name(v.variant.attention), run.seed, v.parameters, csv_number(run.summary.seconds),
                         csv_number(run.samples_per_second), run.summary.best_epoch, csv_metrics(run.test),
                         i == 0 ? csv_number(v.latency_us) : "");
    }
  }
  out += fmt::format("naive,,,,,,,,{},\n", csv_metrics(r.naive));
  out += fmt::format("snaive,,,,,,,,{},\n", csv_metrics(r.snaive));
  return out;
}

}  // namespace grucast::cli
