// The speed benchmark (docs/benchmarks.md, "Speed"): training, batch inference and single-window
// latency of the network on the configurations of the benchmark sheet, on generated data.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "nn/recurrent.hpp"

namespace grucast {

/// A network and batch size to measure: the cell, D inputs, T lookback, H hidden, L layers, K outputs, B batch.
struct BenchConfig {
  std::string name;
  std::size_t features = 1;
  std::size_t lookback = 48;
  std::size_t hidden = 32;
  std::size_t layers = 1;
  std::size_t horizon = 12;
  std::size_t batch = 32;
  CellKind cell = CellKind::gru;
};

/// small, medium and large, as the benchmark sheet defines them.
const std::vector<BenchConfig>& bench_configs();
/// The configuration named `name`, or nullopt.
std::optional<BenchConfig> bench_config(const std::string& name);

struct BenchResult {
  BenchConfig config;
  double train_samples_per_s = 0.0;  ///< forward + backward + Adam step, MSE, after a warm-up
  double infer_samples_per_s = 0.0;  ///< forward over batches of 1024 windows
  double latency_us = 0.0;           ///< one window's forward, median of 200 calls
  double train_gflops = 0.0;         ///< 3 × the forward GEMM FLOPs per sample × samples/s
  double peak_rss_mb = 0.0;          ///< the process's peak resident memory so far
};

/// Forward GEMM FLOPs of one window: 2·G·H·(D_l + H)·T per layer (G = 3 gate blocks for the GRU,
/// 4 for the LSTM; D_l = D, then H) plus 2·K·H.
double forward_flops(const BenchConfig& config);

/// Measures `config` in f32 with `threads` threads for training and batch inference (the latency
/// is one window's pass, as grucast forecast runs it), for about `seconds` per measurement.
BenchResult run_bench(const BenchConfig& config, std::size_t threads, double seconds = 1.0);

}  // namespace grucast
