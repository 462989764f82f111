#include "grucast/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "grucast/worker_pool.hpp"

namespace grucast {

namespace {

// One thread's share of a batch: its windows, its pass, its gradient.
template <class E>
struct Shard {
  arma::Cube<E> x;
  arma::Cube<E> normalized;  ///< x window-normalized, with the center as an extra input row
  arma::Mat<E> y;
  arma::Mat<E> dprediction;
  std::vector<double> centers;
  ModelCache<E> cache;
  arma::Col<E> grad;
  double loss = 0.0;
};

template <class E>
class BatchRunner {
 public:
  BatchRunner(const GruModel<E>& model, const TrainingSet& data, const TrainOptions& options)
      : model_(model),
        data_(data),
        options_(options),
        shards_(std::max<std::size_t>(1, options.threads)),
        pool_(shards_.size()) {}

  // Loss sum over the windows `batch` of `index`; with `grad`, also the gradient of the mean
  // over the batch (dropout on), summed over the shards in a fixed order.
  double run(const arma::Col<E>& params, const WindowIndex& index, std::span<const std::size_t> batch,
             arma::Col<E>* grad, std::uint64_t dropout_seed) {
    const std::size_t n = std::min(shards_.size(), batch.size());
    const std::size_t per = (batch.size() + n - 1) / n;
    const double scale = 1.0 / static_cast<double>(batch.size() * index.horizon());
    pool_.run(n, [&](std::size_t s, std::size_t) {
      const std::size_t begin = s * per, end = std::min(batch.size(), begin + per);
      Shard<E>& shard = shards_[s];
      shard.loss = 0.0;
      if (begin >= end) return;
      gather_batch(*data_.prepared, index, batch.subspan(begin, end - begin), shard.x, shard.y);
      const bool window = data_.normalize == NormalizeKind::window;
      if (window) normalize_windows(shard.x, shard.normalized, &shard.y, shard.centers);
      const arma::Cube<E>& input = window ? shard.normalized : shard.x;
      const arma::Mat<E> x(const_cast<E*>(input.memptr()), input.n_rows, input.n_cols * input.n_slices, false, true);
      const std::uint64_t seed = dropout_seed * 1000003 + s;
      const arma::Mat<E>& prediction = model_.forward(params, x, end - begin, shard.cache, grad ? &seed : nullptr);
      shard.loss = loss_sum(options_.loss, prediction, shard.y, grad ? &shard.dprediction : nullptr, scale);
      if (grad == nullptr) return;
      shard.grad.zeros(params.n_elem);
      model_.backward(params, x, shard.cache, shard.dprediction, shard.grad);
    });
    double loss = 0.0;
    if (grad != nullptr) grad->zeros(params.n_elem);
    for (std::size_t s = 0; s < n; ++s) {
      loss += shards_[s].loss;
      if (grad != nullptr && !shards_[s].grad.empty()) *grad += shards_[s].grad;
    }
    return loss;
  }

 private:
  const GruModel<E>& model_;
  const TrainingSet& data_;
  const TrainOptions& options_;
  std::vector<Shard<E>> shards_;
  WorkerPool pool_;
};

// Mean loss over every window of `index`, in batches.
template <class E>
double evaluate_loss(BatchRunner<E>& runner, const arma::Col<E>& params, const WindowIndex& index) {
  if (index.size() == 0) return std::numeric_limits<double>::quiet_NaN();
  std::vector<std::size_t> all(index.size());
  std::iota(all.begin(), all.end(), 0);
  const std::size_t chunk = 256;
  double sum = 0.0;
  for (std::size_t first = 0; first < all.size(); first += chunk) {
    const std::size_t n = std::min(chunk, all.size() - first);
    sum += runner.run(params, index, std::span<const std::size_t>(all).subspan(first, n), nullptr, 0);
  }
  return sum / static_cast<double>(index.size() * index.horizon());
}

// Fisher–Yates with the project's own generator, so the order is the same everywhere.
void shuffle(std::vector<std::size_t>& order, Random& random) {
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random.below(i)]);
}

}  // namespace

template <class E>
double mean_loss(const GruModel<E>& model, const arma::Col<E>& params, const TrainingSet& data,
                 const WindowIndex& index, const TrainOptions& options) {
  BatchRunner<E> runner(model, data, options);
  return evaluate_loss(runner, params, index);
}

template <class E>
TrainSummary train_model(const GruModel<E>& model, arma::Col<E>& params, const TrainingSet& data,
                         const TrainOptions& options, const ProgressCallback& progress,
                         const std::atomic<bool>* stop) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  BatchRunner<E> runner(model, data, options);
  Optimizer<E> optimizer(options.optimizer, params.n_elem);
  Schedule schedule(options.schedule, options.optimizer.lr, options.epochs, std::max<std::size_t>(1, options.patience / 2));
  Random random(options.seed ^ 0x5eedULL);
  const bool validated = data.validation.size() > 0;
  TrainSummary summary{0, 0, std::numeric_limits<double>::infinity(), false, 0.0, data.train.size(),
                       data.validation.size(), {}, {}};
  arma::Col<E> best = params, grad;
  std::vector<std::size_t> order(data.train.size());
  std::iota(order.begin(), order.end(), 0);
  std::size_t since_best = 0, samples = 0;
  for (std::size_t epoch = 0; epoch < options.epochs; ++epoch) {
    shuffle(order, random);
    double train_sum = 0.0;
    for (std::size_t first = 0; first < order.size(); first += options.batch_size) {
      const std::size_t n = std::min(options.batch_size, order.size() - first);
      const auto batch = std::span<const std::size_t>(order).subspan(first, n);
      train_sum += runner.run(params, data.train, batch, &grad, optimizer.steps() + 1 + (options.seed << 20));
      clip_by_norm(grad, options.clip);
      optimizer.step(params, grad, schedule.lr());
    }
    samples += order.size();
    EpochReport report;
    report.epoch = epoch + 1;
    report.epochs = options.epochs;
    report.train_loss = train_sum / static_cast<double>(order.size() * data.train.horizon());
    report.validation_loss = evaluate_loss(runner, params, data.validation);
    report.lr = schedule.lr();
    const double watched = validated ? report.validation_loss : report.train_loss;
    report.improved = watched < summary.best_loss;
    if (report.improved) {
      summary.best_loss = watched;
      summary.best_epoch = epoch + 1;
      best = params;
      since_best = 0;
    } else {
      ++since_best;
    }
    summary.train_losses.push_back(report.train_loss);
    summary.validation_losses.push_back(report.validation_loss);
    summary.epochs_run = epoch + 1;
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    report.samples_per_second = static_cast<double>(samples) / std::max(report.seconds, 1e-9);
    if (progress) progress(report);
    if (!std::isfinite(report.train_loss) || (stop != nullptr && stop->load())) break;
    if (since_best >= options.patience) {
      summary.early_stopped = true;
      break;
    }
    schedule.update(epoch, watched);
  }
  params = best;
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

template TrainSummary train_model<float>(const GruModel<float>&, arma::Col<float>&, const TrainingSet&,
                                         const TrainOptions&, const ProgressCallback&, const std::atomic<bool>*);
template TrainSummary train_model<double>(const GruModel<double>&, arma::Col<double>&, const TrainingSet&,
                                          const TrainOptions&, const ProgressCallback&, const std::atomic<bool>*);
template double mean_loss<float>(const GruModel<float>&, const arma::Col<float>&, const TrainingSet&,
                                 const WindowIndex&, const TrainOptions&);
template double mean_loss<double>(const GruModel<double>&, const arma::Col<double>&, const TrainingSet&,
                                  const WindowIndex&, const TrainOptions&);

}  // namespace grucast
