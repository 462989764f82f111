// train --calendar auto (issue 21): the network with and without the calendar inputs its data
// offers, trained on the same split; validation keeps one. Position in the year helps a daily
// temperature (docs/benchmarks.md, calendar study) and costs a series without that cycle, so
// neither is a safe default alone.
#include <utility>

#include "grucast/workflow/fit.hpp"
#include "workflow/fit_parts.hpp"

namespace grucast {

CalendarChoice fit_choosing_calendar(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                                     const std::vector<CalendarItem>& offered, bool final,
                                     const ProgressCallback& progress, const FitControl& control) {
  CalendarChoice choice;
  choice.offered = offered;
  if (offered.empty() || !config.split.has_validation()) {
    choice.model = final ? fit_final(frame, config, data, progress, control) : fit_model(frame, config, data, progress, control);
    return choice;
  }
  if (!control.resume_path.empty() || control.warm_start != nullptr) {
    throw UsageError("--calendar auto trains two networks and keeps one, so there is no single run to resume or "
                     "start from a model",
                     "--calendar", "give the calendar items (or none) with --calendar");
  }
  const FitControl split_control = budget_share(control, final ? 4 : 2);
  TrainedModel without = train_network(frame, config, data, progress, split_control);
  choice.loss_without = without.summary.best_loss;
  TrainedModel kept;
  if (without.summary.stop == StopReason::interrupted) {
    kept = std::move(without);
  } else {
    ModelConfig dated = config;
    dated.prep.calendar = offered;
    dated.shape.inputs = config.shape.inputs + kCalendarRows * (offered.size() - config.prep.calendar.size());
    if (control.calendar_started) control.calendar_started(offered);
    TrainedModel with = train_network(frame, dated, data, progress, budget_share(control, final ? 3 : 1));
    choice.loss_with = with.summary.best_loss;
    // A stopped second run is not compared: its loss is of fewer epochs.
    const bool take_with = with.summary.stop != StopReason::interrupted && choice.loss_with < choice.loss_without;
    kept = take_with ? std::move(with) : std::move(without);
  }
  finish_model(frame, control, kept);
  const bool refit = final && kept.summary.stop != StopReason::interrupted;
  choice.model = refit ? refit_on_every_row(frame, data, progress, control, std::move(kept)) : std::move(kept);
  return choice;
}

}  // namespace grucast
