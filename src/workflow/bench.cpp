// grucast bench: the network's training, batch inference and single-window latency on
// generated data, timed with a steady clock (bench.hpp).
#include "workflow/bench.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "nn/network.hpp"
#include "nn/trainer.hpp"
#include "util/worker_pool.hpp"

namespace grucast {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

ModelShape shape_of(const BenchConfig& c) {
  ModelShape shape{c.features, c.hidden, c.layers, c.horizon, 0.0};
  shape.cell = c.cell;
  return shape;
}

// Samples/s of train_model (MSE, Adam, no clipping) on random data: 16 batches an epoch, the
// first epoch a warm-up, epochs until `seconds` have passed.
double train_speed(const BenchConfig& c, std::size_t threads, double seconds) {
  const std::size_t windows = 16 * c.batch;
  TrainingSet set;
  set.prepared = {arma::randn<arma::mat>(c.features, c.lookback + c.horizon + windows)};
  set.train = WindowIndex(c.lookback, c.horizon);
  set.train.add(0, c.lookback, c.lookback + windows - 1);
  set.validation = WindowIndex(c.lookback, c.horizon);
  TrainOptions options;
  options.loss = LossKind::mse;
  options.clip = 0.0;
  options.batch_size = c.batch;
  options.epochs = 1'000'000;
  options.patience = 1'000'000;
  options.threads = threads;
  const Network<float> model(shape_of(c));
  arma::fvec params;
  init_params(model.layout(), params, 1);
  std::atomic<bool> stop{false};
  Clock::time_point warm;
  std::size_t epochs = 0;
  TrainControl<float> control;
  control.stop = &stop;
  train_model<float>(
      model, params, set, options,
      [&](const EpochReport& r) {
        if (r.epoch == 1) warm = Clock::now();
        epochs = r.epoch - 1;
        if (r.epoch > 1 && seconds_since(warm) >= seconds) stop = true;
      },
      control);
  return static_cast<double>(epochs * windows) / seconds_since(warm);
}

// Calls fn() until `seconds` have passed (at least `least` times); returns the calls made.
template <class F>
std::size_t repeat_for(double seconds, std::size_t least, F&& fn) {
  const auto start = Clock::now();
  std::size_t calls = 0;
  while (calls < least || seconds_since(start) < seconds) {
    fn();
    ++calls;
  }
  return calls;
}

// Batches of 1024 windows, forecast as NetworkForecaster does: tasks of kInferenceTaskWindows
// windows over the threads.
double inference_speed(const Network<float>& model, const arma::fvec& params, const BenchConfig& c,
                       std::size_t threads, double seconds) {
  const std::size_t tasks = 1024 / kInferenceTaskWindows, n = kInferenceTaskWindows;
  std::vector<arma::fmat> xs(tasks);
  for (arma::fmat& x : xs) x = arma::randn<arma::fmat>(c.features, n * c.lookback);
  WorkerPool pool(threads);
  std::vector<NetworkCache<float>> caches(pool.threads());
  const auto batch = [&] {
    pool.run(tasks, [&](std::size_t task, std::size_t worker) { model.forward(params, xs[task], n, caches[worker]); });
  };
  batch();  // warm-up: the caches' buffers
  const auto start = Clock::now();
  const std::size_t calls = repeat_for(seconds, 3, batch);
  return static_cast<double>(calls * tasks * n) / seconds_since(start);
}

double latency_us(const Network<float>& model, const arma::fvec& params, const BenchConfig& c) {
  const arma::fmat x = arma::randn<arma::fmat>(c.features, c.lookback);
  NetworkCache<float> cache;
  for (int i = 0; i < 20; ++i) model.forward(params, x, 1, cache);
  std::vector<double> times(200);
  for (double& t : times) {
    const auto start = Clock::now();
    model.forward(params, x, 1, cache);
    t = seconds_since(start) * 1e6;
  }
  std::nth_element(times.begin(), times.begin() + 100, times.end());
  return times[100];
}

}  // namespace

const std::vector<BenchConfig>& bench_configs() {
  static const std::vector<BenchConfig> configs = {
      {"small", 1, 48, 32, 1, 12, 32}, {"medium", 8, 96, 64, 2, 24, 64}, {"large", 16, 168, 256, 1, 24, 128}};
  return configs;
}

std::optional<BenchConfig> bench_config(const std::string& name) {
  for (const BenchConfig& c : bench_configs()) {
    if (c.name == name) return c;
  }
  return std::nullopt;
}

double forward_flops(const BenchConfig& c) {
  double flops = 2.0 * static_cast<double>(c.horizon * c.hidden);
  for (std::size_t l = 0; l < c.layers; ++l) {
    const double input = static_cast<double>(l == 0 ? c.features : c.hidden);
    flops += 2.0 * static_cast<double>(gate_blocks(c.cell) * c.hidden) * (input + static_cast<double>(c.hidden)) *
             static_cast<double>(c.lookback);
  }
  return flops;
}

BenchResult run_bench(const BenchConfig& config, std::size_t threads, double seconds) {
  arma::arma_rng::set_seed(7);
  BenchResult result;
  result.config = config;
  result.train_samples_per_s = train_speed(config, threads, seconds);
  result.train_gflops = 3.0 * forward_flops(config) * result.train_samples_per_s / 1e9;
  const Network<float> model(shape_of(config));
  arma::fvec params;
  init_params(model.layout(), params, 1);
  result.infer_samples_per_s = inference_speed(model, params, config, threads, seconds);
  result.latency_us = latency_us(model, params, config);
  result.peak_rss_mb = peak_rss_mb();
  return result;
}

}  // namespace grucast
