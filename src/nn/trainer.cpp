#include "nn/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"
#include "util/worker_pool.hpp"

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
  NetworkCache<E> cache;
  arma::Col<E> grad;
  double loss = 0.0;
};

template <class E>
class BatchRunner {
 public:
  BatchRunner(const Network<E>& model, const TrainingSet& data, const TrainOptions& options)
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
      gather_batch(data_.prepared, index, batch.subspan(begin, end - begin), shard.x, shard.y);
      const bool window = data_.normalize == NormalizeKind::window;
      if (window) normalize_windows(shard.x, shard.normalized, &shard.y, shard.centers);
      const arma::Cube<E>& input = window ? shard.normalized : shard.x;
      const arma::Mat<E> x(const_cast<E*>(input.memptr()), input.n_rows, input.n_cols * input.n_slices, false, true);
      const std::uint64_t seed = dropout_seed * 1000003 + s;
      const arma::Mat<E>& prediction = model_.forward(params, x, end - begin, shard.cache, grad ? &seed : nullptr);
      shard.loss = training_loss_sum(options_.loss, options_.quantiles, prediction, shard.y,
                                     grad ? &shard.dprediction : nullptr, scale);
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
  const Network<E>& model_;
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
  const std::size_t chunk = kValidationChunk;
  double sum = 0.0;
  for (std::size_t first = 0; first < all.size(); first += chunk) {
    const std::size_t n = std::min(chunk, all.size() - first);
    sum += runner.run(params, index, std::span<const std::size_t>(all).subspan(first, n), nullptr, 0);
  }
  return sum / static_cast<double>(index.size() * index.horizon());
}

bool is_permutation_of_indices(const std::vector<std::size_t>& order, std::size_t n) {
  if (order.size() != n) return false;
  std::vector<bool> seen(n, false);
  for (const std::size_t i : order) {
    if (i >= n || seen[i]) return false;
    seen[i] = true;
  }
  return true;
}

// Fisher–Yates with the project's own generator, so the order is the same everywhere.
void shuffle(std::vector<std::size_t>& order, Random& random) {
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random.below(i)]);
}

// One training run: the epoch loop of train_model, with its state in one place so that a
// checkpoint can save it and a resumed run can restore it.
template <class E>
class TrainingRun {
 public:
  TrainingRun(const Network<E>& model, arma::Col<E>& params, const TrainingSet& data, const TrainOptions& options,
              const ProgressCallback& progress, const TrainControl<E>& control)
      : params_(params),
        data_(data),
        options_(options),
        progress_(progress),
        control_(control),
        runner_(model, data, options),
        optimizer_(options.optimizer, params.n_elem),
        schedule_(options.schedule, options.optimizer.lr, options.epochs, std::max<std::size_t>(1, options.patience / 2)),
        random_(options.seed ^ 0x5eedULL),
        best_(params),
        order_(data.train.size()) {
    std::iota(order_.begin(), order_.end(), 0);
    summary_.best_loss = std::numeric_limits<double>::infinity();
    summary_.train_windows = data.train.size();
    summary_.validation_windows = data.validation.size();
    if (control.resume != nullptr) restore(*control.resume);
  }

  TrainSummary run() {
    for (; epoch_ < options_.epochs; ++epoch_) {
      shuffle(order_, random_);
      if (!run_epoch()) break;
      const bool go_on = finish_epoch();
      // A stop request at an epoch's end also saves it: the state is whole there.
      const bool whole = go_on || summary_.stop == StopReason::interrupted;
      const bool due = !go_on || (epoch_ + 1) % std::max<std::size_t>(control_.checkpoint_every, 1) == 0;
      if (control_.checkpoint && control_.checkpoint_every > 0 && whole && due && epoch_ + 1 < options_.epochs) {
        control_.checkpoint(state(epoch_ + 1));
      }
      if (!go_on) break;
    }
    summary_.seconds = seconds();
    if (summary_.best_epoch == 0) no_epoch_finished();
    params_ = best_;
    return summary_;
  }

 private:
  // The epoch's steps; false when a stop request or a fault ended it early.
  bool run_epoch() {
    train_sum_ = 0.0;
    std::size_t step = 0;
    for (std::size_t first = 0; first < order_.size(); first += options_.batch_size) {
      ++step;
      const std::size_t n = std::min(options_.batch_size, order_.size() - first);
      const auto batch = std::span<const std::size_t>(order_).subspan(first, n);
      const double loss = runner_.run(params_, data_.train, batch, &grad_, optimizer_.steps() + 1 + (options_.seed << 20));
      if (!std::isfinite(loss)) return stop(StopReason::diverged, step, fmt::format("the training loss is {}", loss));
      const double norm = clip_by_norm(grad_, options_.clip);
      if (!std::isfinite(norm)) return stop(StopReason::diverged, step, fmt::format("the gradient norm is {}", norm));
      optimizer_.step(params_, grad_, schedule_.lr());
      train_sum_ += loss;
      // After the last step finish_epoch sees the request, and the finished epoch counts.
      const bool last = first + n == order_.size();
      if (!last && control_.stop != nullptr && control_.stop->load()) return stop(StopReason::interrupted, step, "");
    }
    samples_ += order_.size();
    return true;
  }

  // Validation, the best weights, progress, early stopping and the schedule; false to stop.
  bool finish_epoch() {
    // With --val 0 the epoch is judged on losses taken before each step, so the last step's
    // weights are checked themselves.
    if (!params_.is_finite()) return stop(StopReason::diverged, 0, "the weights are not finite");
    EpochReport report;
    report.epoch = epoch_ + 1;
    report.epochs = options_.epochs;
    report.train_loss = train_sum_ / static_cast<double>(order_.size() * data_.train.horizon());
    report.validation_loss = evaluate_loss(runner_, params_, data_.validation);
    report.lr = schedule_.lr();
    const bool validated = data_.validation.size() > 0;
    const double watched = validated ? report.validation_loss : report.train_loss;
    if (!std::isfinite(watched)) return stop(StopReason::diverged, 0, fmt::format("the validation loss is {}", watched));
    report.improved = watched < summary_.best_loss;
    if (report.improved) {
      summary_.best_loss = watched;
      summary_.best_epoch = epoch_ + 1;
      best_ = params_;
      since_best_ = 0;
    } else {
      ++since_best_;
    }
    summary_.train_losses.push_back(report.train_loss);
    summary_.validation_losses.push_back(report.validation_loss);
    summary_.epochs_run = epoch_ + 1;
    report.seconds = seconds();
    report.samples_per_second =
        static_cast<double>(samples_ - samples_before_) / std::max(report.seconds - seconds_before_, 1e-9);
    if (progress_) progress_(report);
    if (since_best_ >= options_.patience) {
      summary_.early_stopped = true;
      summary_.stop = StopReason::early;
      return false;
    }
    schedule_.update(epoch_, watched);
    if (control_.stop != nullptr && control_.stop->load()) return stop(StopReason::interrupted, 0, "");
    const bool more = epoch_ + 1 < options_.epochs;  // the last epoch ends at the cap, budget or not
    if (more && control_.deadline && std::chrono::steady_clock::now() >= *control_.deadline) {
      summary_.stop = StopReason::time;
      return false;
    }
    return true;
  }

  bool stop(StopReason reason, std::size_t step, const std::string& fault) {
    summary_.stop = reason;
    summary_.stop_epoch = epoch_ + 1;
    summary_.stop_step = step;
    summary_.fault = fault;
    return false;
  }

  [[noreturn]] void no_epoch_finished() const {
    const std::string where = fmt::format("training, epoch {}{}", summary_.stop_epoch,
                                          summary_.stop_step > 0 ? fmt::format(", step {}", summary_.stop_step) : "");
    if (summary_.stop == StopReason::interrupted) {
      throw Interrupted("training was interrupted before any epoch finished", where,
                        "no model was written; let the first epoch finish, or use less data per epoch");
    }
    throw DataError(fmt::format("training diverged ({}) before any epoch finished with a finite loss, so there are "
                                "no good weights to keep",
                                summary_.fault),
                    where, "lower --lr, keep --clip on, use --scaler zscore, or check the data for extreme values");
  }

  TrainState<E> state(std::size_t epochs_done) const {
    TrainState<E> s;
    s.epoch = epochs_done;
    s.since_best = since_best_;
    s.samples = samples_;
    s.params = params_;
    s.best = best_;
    s.optimizer = optimizer_.state();
    s.schedule = schedule_.state();
    s.random = random_.state();
    s.order = order_;
    s.summary = summary_;
    s.summary.seconds = seconds();
    s.summary.stop = StopReason::epochs;  // training goes on from here, whatever stops this run
    s.summary.stop_epoch = s.summary.stop_step = 0;
    return s;
  }

  void restore(const TrainState<E>& s) {
    epoch_ = s.epoch;
    since_best_ = s.since_best;
    samples_ = s.samples;
    params_ = s.params;
    best_ = s.best;
    optimizer_.restore(s.optimizer);
    schedule_.restore(s.schedule);
    random_.restore(s.random);
    if (!is_permutation_of_indices(s.order, order_.size())) {
      throw std::invalid_argument("TrainingRun: the resumed window order is not a permutation of the windows");
    }
    order_ = s.order;
    summary_ = s.summary;
    seconds_before_ = s.summary.seconds;
    samples_before_ = s.samples;
  }

  // Training time, including the time before a resumption.
  double seconds() const {
    return seconds_before_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  arma::Col<E>& params_;
  const TrainingSet& data_;
  const TrainOptions& options_;
  const ProgressCallback& progress_;
  const TrainControl<E>& control_;
  BatchRunner<E> runner_;
  Optimizer<E> optimizer_;
  Schedule schedule_;
  Random random_;
  arma::Col<E> best_, grad_;
  std::vector<std::size_t> order_;
  TrainSummary summary_;
  std::size_t epoch_ = 0, since_best_ = 0, samples_ = 0, samples_before_ = 0;
  double train_sum_ = 0.0, seconds_before_ = 0.0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

template <class E>
double mean_loss(const Network<E>& model, const arma::Col<E>& params, const TrainingSet& data,
                 const WindowIndex& index, const TrainOptions& options) {
  BatchRunner<E> runner(model, data, options);
  return evaluate_loss(runner, params, index);
}

namespace {

constexpr auto kStopReasonNames = std::to_array<Named<StopReason>>({{StopReason::epochs, "epochs"},
                                                                    {StopReason::early, "early"},
                                                                    {StopReason::interrupted, "interrupted"},
                                                                    {StopReason::diverged, "diverged"},
                                                                    {StopReason::time, "time"}});

}  // namespace

std::string stop_reason_name(StopReason reason) { return name_of(kStopReasonNames, reason); }

std::string stop_text(const TrainSummary& s) {
  switch (s.stop) {
    case StopReason::early: return " (stopped early)";
    case StopReason::interrupted: return " (stopped by a signal)";
    case StopReason::diverged: return " (diverged: " + s.fault + ")";
    case StopReason::time: return " (stopped at the time budget, --max-time)";
    case StopReason::epochs: break;
  }
  return "";
}

StopReason parse_stop_reason(const std::string& text) {
  if (const auto reason = value_of(kStopReasonNames, text)) return *reason;
  throw std::invalid_argument("unknown stop reason " + text);
}

template <class E>
TrainSummary train_model(const Network<E>& model, arma::Col<E>& params, const TrainingSet& data,
                         const TrainOptions& options, const ProgressCallback& progress,
                         const TrainControl<E>& control) {
  return TrainingRun<E>(model, params, data, options, progress, control).run();
}

template TrainSummary train_model<float>(const Network<float>&, arma::Col<float>&, const TrainingSet&,
                                         const TrainOptions&, const ProgressCallback&, const TrainControl<float>&);
template TrainSummary train_model<double>(const Network<double>&, arma::Col<double>&, const TrainingSet&,
                                          const TrainOptions&, const ProgressCallback&, const TrainControl<double>&);
template double mean_loss<float>(const Network<float>&, const arma::Col<float>&, const TrainingSet&,
                                 const WindowIndex&, const TrainOptions&);
template double mean_loss<double>(const Network<double>&, const arma::Col<double>&, const TrainingSet&,
                                  const WindowIndex&, const TrainOptions&);

}  // namespace grucast
