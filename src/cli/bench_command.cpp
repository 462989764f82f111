// grucast bench: training, batch inference and latency of the network on the benchmark
// sheet's configurations (docs/benchmarks.md, "Speed"), as a table, JSON or CSV.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "grucast/util/error.hpp"
#include "cli/command_output.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/option_values.hpp"
#include "nn/cells.hpp"
#include "report/writers.hpp"
#include "util/worker_pool.hpp"
#include "workflow/bench.hpp"

namespace grucast::cli {

namespace {

struct BenchArgs {
  std::string config = "all", cell = "gru";
  std::string features, lookback, hidden, layers, horizon, batch_size, threads;
  double seconds = 1.0;
  bool json = false;  ///< --json, the same as --format json
  std::string format;
  const CLI::Option* format_option = nullptr;  ///< to tell a given --format from the default
};

const std::vector<Format> kFormats = {Format::table, Format::json, Format::csv};

// The configurations to run: the named ones, or one "custom" built on --config (default small)
// when any dimension is given.
std::vector<BenchConfig> configs_of(const BenchArgs& a) {
  std::vector<BenchConfig> chosen;
  if (a.config == "all") {
    chosen = bench_configs();
  } else if (const auto c = bench_config(a.config)) {
    chosen = {*c};
  } else {
    throw UsageError("unknown configuration " + quoted(a.config), "--config", "use small, medium, large or all");
  }
  const std::pair<const std::string*, std::size_t BenchConfig::*> dims[] = {
      {&a.features, &BenchConfig::features}, {&a.lookback, &BenchConfig::lookback}, {&a.hidden, &BenchConfig::hidden},
      {&a.layers, &BenchConfig::layers},     {&a.horizon, &BenchConfig::horizon},   {&a.batch_size, &BenchConfig::batch}};
  const char* names[] = {"--features", "--lookback", "--hidden", "--layers", "--horizon", "--batch-size"};
  const auto high = [](const SettingRange& r) { return static_cast<std::size_t>(r.high); };
  const std::size_t highs[] = {100'000, 100'000, high(settings::hidden), high(settings::layers), 100'000, 100'000};
  bool custom = false;
  for (std::size_t i = 0; i < 6; ++i) {
    if (dims[i].first->empty()) continue;
    if (!custom) chosen = {a.config == "all" ? bench_configs().front() : chosen.front()};
    custom = true;
    chosen.front().*dims[i].second = parse_count(*dims[i].first, names[i], 1, highs[i]);
  }
  if (custom) chosen.front().name = "custom";
  for (BenchConfig& c : chosen) c.cell = parse_cell(a.cell);
  return chosen;
}

std::string table_row(const BenchResult& r) {
  const BenchConfig& c = r.config;
  return fmt::format("{:<8}{:<5}{:>4}{:>5}{:>5}{:>3}{:>4}{:>5}{:>15.0f}{:>9.1f}{:>15.0f}{:>12.1f}{:>9.0f}\n", c.name,
                     cell_name(c.cell), c.features,
                     c.lookback, c.hidden, c.layers, c.horizon, c.batch, r.train_samples_per_s, r.train_gflops,
                     r.infer_samples_per_s, r.latency_us, r.peak_rss_mb);
}

nlohmann::ordered_json result_json(const BenchResult& r, std::size_t threads) {
  const BenchConfig& c = r.config;
  return {{"config", c.name},          {"cell", cell_name(c.cell)},
          {"features", c.features},
          {"lookback", c.lookback},    {"hidden", c.hidden},
          {"layers", c.layers},        {"horizon", c.horizon},
          {"batch_size", c.batch},     {"threads", threads},
          {"train_samples_per_s", r.train_samples_per_s}, {"infer_samples_per_s", r.infer_samples_per_s},
          {"latency_us", r.latency_us}, {"train_gflops", r.train_gflops},
          {"peak_rss_mb", r.peak_rss_mb}};
}

// A header line with the keys of the first object, then one line per object; numbers as JSON
// writes them (shortest round trip), text quoted when it needs it.
std::string csv_of(const nlohmann::ordered_json& rows) {
  std::string out;
  for (const auto& [key, value] : rows.front().items()) out += (out.empty() ? "" : ",") + key;
  out += "\n";
  for (const nlohmann::ordered_json& row : rows) {
    std::string line;
    for (const auto& [key, value] : row.items()) {
      if (!line.empty()) line += ',';
      line += value.is_string() ? csv_field(value.get<std::string>()) : value.dump();
    }
    out += line + "\n";
  }
  return out;
}

int run_bench_command(const BenchArgs& args) {
  const Format format = parse_format(args.format, kFormats, args.json, args.format_option);
  const std::vector<BenchConfig> configs = configs_of(args);
  const std::size_t threads = args.threads.empty() ? available_cores() : parse_count(args.threads, settings::threads);
  if (!(args.seconds > 0.0 && args.seconds <= 3600.0)) {
    throw UsageError(fmt::format("--seconds {} is out of range", args.seconds), "--seconds", "give more than 0 and at most 3600");
  }
  Output output("-");
  std::string text = fmt::format("{:<8}{:<5}{:>4}{:>5}{:>5}{:>3}{:>4}{:>5}{:>15}{:>9}{:>15}{:>12}{:>9}\n", "config", "cell", "D", "T",
                                 "H", "L", "K", "B", "train samp/s", "GFLOP/s", "infer samp/s", "latency µs", "peak MB");
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  Timings timings;
  for (const BenchConfig& c : configs) {
    const BenchResult r = run_bench(c, threads, args.seconds);
    timings.lap(c.name);
    text += table_row(r);
    all.push_back(result_json(r, threads));
  }
  std::string body = format == Format::json ? all.dump(2) : format == Format::csv ? csv_of(all) : text;
  if (format == Format::json) body += '\n';
  output.write(body);
  output.commit();
  timings.total();
  return 0;
}

}  // namespace

Command add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* c = app.add_subcommand("bench", "Measure training, batch inference and latency on generated data");
  c->add_option("--config", args->config, "small, medium, large or all (docs/benchmarks.md)")->capture_default_str();
  c->add_option("--cell", args->cell, names_text(kCellNames) + ": the recurrent cell of every configuration")->capture_default_str();
  c->add_option("--features", args->features, "inputs D (a custom configuration built on --config)")->type_name("INT");
  c->add_option("--lookback", args->lookback, "lookback T")->type_name("INT");
  c->add_option("--hidden", args->hidden, "hidden units H")->type_name("INT");
  c->add_option("--layers", args->layers, "layers L")->type_name("INT");
  c->add_option("--horizon", args->horizon, "outputs K")->type_name("INT");
  c->add_option("--batch-size", args->batch_size, "training batch B")->type_name("INT");
  c->add_option("--threads", args->threads, "threads for training and batch inference (default: all cores)")->type_name("INT");
  c->add_option("--seconds", args->seconds, "time per measurement")->capture_default_str();
  c->add_flag("--json", args->json, "a JSON array, one object per configuration (--format json)");
  args->format_option = add_format_option(*c, args->format, kFormats);
  c->footer(
      "Training: forward + backward + Adam step (MSE), after a warm-up epoch. Inference: batches of 1024\n"
      "windows, in tasks of 128 over the threads. Latency: one window's forward, median of 200 calls.\n"
      "GFLOP/s: 3 x the forward GEMM FLOPs.\n"
      "Examples:\n"
      "  grucast bench\n"
      "  grucast bench --config large --format json\n"
      "  grucast bench --format csv > speed.csv\n"
      "  grucast bench --config medium --hidden 128 --threads 1");
  return {c, [args] { return run_bench_command(*args); }};
}

}  // namespace grucast::cli
