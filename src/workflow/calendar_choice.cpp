// train --calendar auto (issue 21): the network with and without the calendar inputs its data
// offers, trained on the same split; validation keeps one. Position in the year helps a daily
// temperature (docs/benchmarks.md, calendar study) and costs a series without that cycle, so
// neither is a safe default alone.
#include <utility>

#include "grucast/workflow/fit.hpp"
#include "workflow/fit_parts.hpp"

namespace grucast {

namespace {

// Both networks of the choice trained on the split (not finished), and which one is kept.
struct TrainedPair {
  TrainedModel without, with;
  bool take_with = false;
};

// `first` and `second` are the budgets of the two runs; a stop request in the first ends the pair.
TrainedPair train_pair(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                       const std::vector<CalendarItem>& offered, const ProgressCallback& progress,
                       const FitControl& control, int first, int second, CalendarChoice& choice) {
  TrainedPair pair;
  pair.without = train_network(frame, config, data, progress, budget_share(control, first));
  choice.loss_without = pair.without.summary.best_loss;
  if (pair.without.summary.stop == StopReason::interrupted) return pair;
  ModelConfig dated = config;
  dated.prep.calendar = offered;
  dated.shape.inputs = config.shape.inputs + kCalendarRows * (offered.size() - config.prep.calendar.size());
  if (control.calendar_started) control.calendar_started(offered);
  pair.with = train_network(frame, dated, data, progress, budget_share(control, second));
  choice.loss_with = pair.with.summary.best_loss;
  // A stopped second run is not compared: its loss is of fewer epochs.
  pair.take_with = pair.with.summary.stop != StopReason::interrupted && choice.loss_with < choice.loss_without;
  return pair;
}

}  // namespace

CalendarChoice fit_choosing_calendar(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                                     const std::vector<CalendarItem>& offered, bool final,
                                     const ProgressCallback& progress, const FitControl& control,
                                     std::size_t ensemble) {
  CalendarChoice choice;
  choice.offered = offered;
  if (offered.empty() || !config.split.has_validation()) {
    choice.model = ensemble > 1 ? fit_ensemble(frame, config, data, ensemble, final, progress, control)
                   : final      ? fit_final(frame, config, data, progress, control)
                                : fit_model(frame, config, data, progress, control);
    return choice;
  }
  if (!control.resume_path.empty() || control.warm_start != nullptr) {
    throw UsageError("--calendar auto trains two networks and keeps one, so there is no single run to resume or "
                     "start from a model",
                     "--calendar", "give the calendar items (or none) with --calendar");
  }
  if (ensemble > 1) {  // one network of each kind decides; the ensemble is then trained with the kept inputs
    check_ensemble(ensemble, config, control);
    TrainedPair pair = train_pair(frame, config, data, offered, progress, control, 8, 7, choice);
    if (pair.without.summary.stop == StopReason::interrupted) {
      finish_model(frame, control, pair.without);
      choice.model = std::move(pair.without);
      return choice;
    }
    choice.model = fit_ensemble(frame, pair.take_with ? pair.with.config : config, data, ensemble, final, progress,
                                control);
    return choice;
  }
  TrainedPair pair = train_pair(frame, config, data, offered, progress, control, final ? 4 : 2, final ? 3 : 1, choice);
  TrainedModel kept = pair.take_with ? std::move(pair.with) : std::move(pair.without);
  finish_model(frame, control, kept);
  const bool refit = final && kept.summary.stop != StopReason::interrupted;
  choice.model = refit ? refit_on_every_row(frame, data, progress, control, std::move(kept)) : std::move(kept);
  return choice;
}

}  // namespace grucast
