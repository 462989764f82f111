// train --ensemble: networks that differ in lookback and seed, trained side by side over the
// threads, forecasting their median.
#include <algorithm>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "workflow/fit_parts.hpp"

namespace grucast {

namespace {

using Clock = std::chrono::steady_clock;
using MemberRuns = std::vector<std::optional<TrainedModel>>;  // by member; empty: not trained

}  // namespace

std::optional<EnsembleObstacle> ensemble_obstacle(const ModelConfig& config, const FitControl& control) {
  if (!control.resume_path.empty()) return EnsembleObstacle{"--resume", "resume one network's checkpoint"};
  if (control.checkpoint_every > 0) return EnsembleObstacle{"--checkpoint-every", "write one checkpoint for its networks"};
  if (control.warm_start != nullptr) return EnsembleObstacle{"--warm-start", "start from one model's weights"};
  if (config.train.loss == LossKind::quantile) return EnsembleObstacle{"--loss quantile", "take the median of quantiles"};
  return std::nullopt;
}

void check_ensemble(std::size_t n, const ModelConfig& config, const FitControl& control) {
  if (n < 2 || n > kMaxEnsemble) {
    throw UsageError(fmt::format("--ensemble {} is out of range", n), "--ensemble",
                     fmt::format("give 2 to {} networks (--ensemble 1 trains one)", kMaxEnsemble));
  }
  if (const auto obstacle = ensemble_obstacle(config, control)) throw ensemble_refusal(*obstacle);
}

UsageError ensemble_refusal(const EnsembleObstacle& obstacle) {
  return UsageError(fmt::format("an ensemble cannot {}", obstacle.cannot), obstacle.option,
                    "give --ensemble 1, or leave out " + obstacle.option);
}

namespace {

// Trains configs[i] for every i, `workers` at a time (a worker takes the next member when one
// ends; each member has its share of the threads in its config). A member that would start past the deadline or after a stop request is not trained,
// nor is one stopped before its first epoch. The first error by member is rethrown at the end.
MemberRuns train_members(const Frame& frame, const std::vector<ModelConfig>& configs, const DataConfig& data,
                         const ProgressCallback& progress, const FitControl& control, std::size_t workers) {
  const std::size_t n = configs.size();
  MemberRuns runs(n);
  std::vector<std::exception_ptr> errors(n);
  std::mutex lock;
  std::size_t next = 0;
  bool failed = false;
  FitControl member = control;
  member.score_test = false;
  member.side_by_side = std::min(workers, n);
  const auto work = [&] {
    for (;;) {
      std::size_t i = 0;
      {
        const std::lock_guard<std::mutex> guard(lock);
        const bool late = control.deadline && Clock::now() >= *control.deadline && next > 0;
        const bool stopped = control.stop != nullptr && control.stop->load() && next > 0;
        if (next == n || failed || late || stopped) return;
        i = next++;
      }
      const ProgressCallback report = [&, i](const EpochReport& r) {
        if (!progress) return;
        EpochReport labelled = r;
        labelled.member = i + 1;
        labelled.members = n;
        const std::lock_guard<std::mutex> guard(lock);
        progress(labelled);
      };
      try {
        runs[i] = train_network(frame, configs[i], data, report, member);
      } catch (const Interrupted&) {
        if (i == 0) errors[i] = std::current_exception();
      } catch (...) {
        errors[i] = std::current_exception();
        const std::lock_guard<std::mutex> guard(lock);
        failed = true;
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return runs;
}

// Each member's configuration: its lookback and seed, and its share of the threads.
std::vector<ModelConfig> member_configs(const Frame& frame, const ModelConfig& config, std::size_t n) {
  const std::vector<std::size_t> lookbacks = ensemble_lookbacks(frame, config, n);
  const std::size_t threads = std::max<std::size_t>(1, config.train.threads);
  std::vector<ModelConfig> configs(n, config);
  for (std::size_t i = 0; i < n; ++i) {
    configs[i].lookback = lookbacks[i];
    configs[i].train.seed = config.train.seed + i;
    configs[i].train.threads = std::max<std::size_t>(1, threads / std::min(n, threads));
  }
  return configs;
}

// The trained members as one model: the first's, with every trained member in `members`
// (none when only one was trained), and the ensemble's thread count.
TrainedModel assemble(MemberRuns& runs, std::size_t threads, std::size_t& skipped) {
  std::vector<TrainedModel*> trained;
  for (auto& run : runs) {
    if (run) trained.push_back(&*run);
  }
  skipped = runs.size() - trained.size();
  TrainedModel model = *trained.front();
  model.config.train.threads = threads;
  if (trained.size() == 1) return model;
  for (const TrainedModel* t : trained) {
    EnsembleMember& m = model.members.emplace_back();
    m.lookback = t->config.lookback;
    m.seed = t->config.train.seed;
    m.summary = t->summary;
    t->with_params([&]<class E>(const arma::Col<E>& params) { m.params.get<E>(model.config.precision) = params; });
  }
  for (const TrainedModel* t : trained) {
    if (t->summary.stop == StopReason::interrupted) model.summary.stop = StopReason::interrupted;
  }
  return model;
}

// The configurations of the run on every row: each trained member's, for its best epoch count.
std::vector<ModelConfig> every_row_configs(const MemberRuns& runs) {
  std::vector<ModelConfig> configs;
  for (const auto& run : runs) {
    if (!run) continue;
    const TrainSummary& s = run->summary;
    configs.push_back(every_row_config(run->config, s.validation_windows > 0 ? s.best_epoch : s.epochs_run));
  }
  return configs;
}

}  // namespace

TrainedModel fit_ensemble(const Frame& frame, const ModelConfig& config, const DataConfig& data, std::size_t n,
                          bool final, const ProgressCallback& progress, const FitControl& control) {
  validate_config(config);
  check_ensemble(n, config, control);
  std::vector<ModelConfig> configs = member_configs(frame, config, n);
  const bool split_run = !final || config.split.has_validation() || config.split.has_test();
  const FitControl first = final && split_run ? budget_share(control, 2) : control;  // half for each run
  if (!split_run) {
    for (ModelConfig& c : configs) c = every_row_config(c, c.train.epochs);
  }
  const std::size_t workers = std::min(n, std::max<std::size_t>(1, config.train.threads));
  MemberRuns runs = train_members(frame, configs, data, progress, first, workers);
  std::size_t skipped = 0;
  TrainedModel model = assemble(runs, config.train.threads, skipped);
  model.members_skipped = skipped;
  if (!split_run) return model;
  finish_model(frame, control, model);
  if (!final || model.summary.stop == StopReason::interrupted) return model;
  std::vector<ModelConfig> all_rows = every_row_configs(runs);
  if (control.final_started) control.final_started(all_rows.front().train.epochs);
  MemberRuns all_runs = train_members(frame, all_rows, data, progress, control, workers);
  for (std::size_t i = 0; i < all_runs.size(); ++i) {
    const std::size_t run = all_runs[i] ? all_runs[i]->summary.epochs_run : 0, wanted = all_rows[i].train.epochs;
    if (run < wanted && (!all_runs[i] || all_runs[i]->summary.stop == StopReason::time)) {
      if (control.final_cut_short) control.final_cut_short(run, wanted);
      return model;  // the split ensemble, as validated
    }
  }
  TrainedModel out = assemble(all_runs, config.train.threads, skipped);
  out.members_skipped = model.members_skipped + skipped;
  out.test = std::move(model.test);
  out.calibration = std::move(model.calibration);
  out.selection = std::move(model.selection);
  out.use.validated = model.use.validated;
  out.use.tested = model.use.tested;
  out.final_fit = FinalFit{all_rows.front().train.epochs, config.split, model.summary.epochs_run,
                           model.summary.best_loss};
  return out;
}

}  // namespace grucast
