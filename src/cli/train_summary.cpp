// What train prints when it is done: the summary as text or JSON.
#include "cli/train_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "cli/command_output.hpp"
#include "nn/cells.hpp"
#include "report/writers.hpp"
#include "util/text.hpp"

namespace grucast::cli {

namespace {

// "2 inputs (the target and the window mean)"
std::string inputs_text(const TrainedModel& model) {
  return fmt::format("{} input{} ({})", model.config.shape.inputs, model.config.shape.inputs == 1 ? "" : "s",
                     inputs_description(model));
}

// "final: trained on every row for 23 epochs, the best of the split run (...)".
std::string final_text(const FinalFit& f, const TrainedModel& model) {
  const bool validated = f.split.has_validation();
  return fmt::format("final: trained on every row for {} epochs, {} of the split run ({}; {} epochs run){}\n",
                     f.epochs, validated ? "the best validation epoch" : "the epochs", f.split.describe(TimeFormat{}),
                     f.epochs_run,
                     model.test.methods.empty() ? "" : "; the test scores below are the split run's, on data the "
                                                       "written model has seen");
}

// "validation: chosen per series: gru 250, theta 40, ... (of 359 series; ...)", or for one series
// what was chosen and why.
std::string selection_text(const TrainedModel& model) {
  const Selection& selection = model.selection;
  if (selection.empty()) return "";
  const std::size_t n = selection.series.size();
  if (selection.policy == FallbackPolicy::none) {
    return fmt::format("validation: a baseline did better than the network on {} of {} series; forecast uses the "
                       "network everywhere (--fallback none)\n",
                       selection.network_beaten(), n);
  }
  if (n == 1) {
    const SeriesChoice& c = selection.series.front();
    if (c.method_mae > c.network_mae) {  // the network's lead within the noise: the simpler forecast
      return fmt::format("validation: {} chosen (MAE {:.4g}; the network's {:.4g} is not lower by more than one "
                         "standard error, {:.2g}, and the network has to beat the baselines clearly; naive {:.4g}); "
                         "forecast uses it (--fallback auto)\n",
                         c.method, c.method_mae, c.network_mae, c.network_gap_error, c.naive_mae);
    }
    if (c.method_mae <= c.best_mae || std::isnan(c.best_mae)) {
      return fmt::format("validation: {} did best (MAE {:.4g}; the network {:.4g}, naive {:.4g}); forecast uses it "
                         "(--fallback auto)\n",
                         c.method, c.method_mae, c.network_mae, c.naive_mae);
    }
    return fmt::format("validation: {} kept (MAE {:.4g}; the lowest, {:.4g}, is not lower by more than one standard "
                       "error; naive {:.4g}); forecast uses it (--fallback auto)\n",
                       c.method, c.method_mae, c.best_mae, c.naive_mae);
  }
  std::vector<std::string> parts;
  for (const auto& [method, count] : selection.counts()) parts.push_back(fmt::format("{} {}", method, count));
  return fmt::format("validation: chosen per series: {} (of {} series; the network where it beat the best baseline "
                     "by more than one standard error and nothing beat it by as much); forecast uses each one's "
                     "choice (--fallback auto)\n",
                     join(parts, ", "), n);
}

// "ensemble: the median of 5 gru networks, lookbacks 26 to 91 and seeds 1 to 5, trained for 12
// to 31 epochs".
std::string ensemble_text(const TrainedModel& model) {
  if (model.members.empty() && model.members_skipped == 0) return "";
  const char* cut = model.summary.stop == StopReason::interrupted ? "the signal" : "--max-time";
  if (model.members.empty()) {
    return fmt::format("ensemble: 1 network: {} left the other {} untrained\n", cut, model.members_skipped);
  }
  std::size_t fewest = SIZE_MAX, most = 0;
  for (const EnsembleMember& m : model.members) {
    fewest = std::min(fewest, m.summary.epochs_run);
    most = std::max(most, m.summary.epochs_run);
  }
  const EnsembleMember &first = model.members.front(), &last = model.members.back();
  return fmt::format("ensemble: the median of {} {} networks, lookbacks {} to {} and seeds {} to {}, trained for {} to "
                     "{} epochs{}\n",
                     model.members.size(), cell_name(model.config.shape.cell), first.lookback, last.lookback,
                     first.seed, last.seed, fewest, most,
                     model.members_skipped > 0
                         ? fmt::format(" ({} left {} more untrained)", cut, model.members_skipped)
                         : "");
}

}  // namespace

std::string summary_text(const TrainedModel& model, const std::string& path, bool signalled) {
  const TrainSummary& s = model.summary;
  const bool ensemble = !model.members.empty();  // then the two lines are the first member's
  std::string out = fmt::format(
      "model: {} ({}{} parameters: {} {} layer{} of {} units{}, {}, {} outputs)\n"
      "trained{}: {} epochs{} in {:.1f} s on {} windows; best epoch {} with {} loss {:.6f}\n",
      path, ensemble ? fmt::format("{} networks of ", model.members.size()) : "", model.parameter_count(),
      cell_words(model.config.shape.cell).title, model.config.shape.layers, model.config.shape.layers == 1 ? "" : "s",
      model.config.shape.hidden,
      model.config.shape.attention == AttentionKind::none
          ? ""
          : fmt::format(" with {} attention", attention_name(model.config.shape.attention)),
      inputs_text(model), model.config.shape.outputs, ensemble ? " (member 1)" : "", s.epochs_run, stop_text(s),
      s.seconds, s.train_windows, s.best_epoch, s.validation_windows > 0 ? "validation" : "training", s.best_loss);
  out += ensemble_text(model);
  if (model.final_fit) out += final_text(*model.final_fit, model);
  if (model.config.nonnegative) {
    out += "non-negative: yes (every training value >= 0): forecasts and interval bounds below 0 are raised to 0\n";
  }
  out += selection_text(model);
  if (s.stop == StopReason::interrupted) return out + "test: skipped (training was stopped)\n";
  if (model.test.methods.empty() && signalled) return out + "test: skipped (a signal arrived while it was scored)\n";
  if (model.test.methods.empty()) return out + "test: no test part (see --test)\n";
  out += fmt::format("test: {} origins\n", model.test.origins);
  return out + metrics_table(model.test.methods);
}

// The summary as one JSON object; "test" is null when there are no test scores.
nlohmann::ordered_json summary_json(const TrainedModel& model, const std::string& path) {
  const TrainSummary& s = model.summary;
  nlohmann::ordered_json j = {{"model", path},
                              {"parameters", model.parameter_count()},
                              {"epochs_run", s.epochs_run},
                              {"stop", stop_reason_name(s.stop)},
                              {"best_epoch", s.best_epoch},
                              {"best_loss", number_json(s.best_loss)},
                              {"best_loss_on", s.validation_windows > 0 ? "validation" : "training"},
                              {"seconds", s.seconds},
                              {"train_windows", s.train_windows},
                              {"validation_windows", s.validation_windows},
                              {"nonnegative", model.config.nonnegative},
                              {"test", nullptr}};
  const SeriesUse& u = model.use;
  j["series"] = {{"total", u.series}, {"trained", u.trained}, {"validated", u.validated}, {"tested", u.tested}};
  j["final"] = nullptr;
  if (model.final_fit) {
    const FinalFit& f = *model.final_fit;
    j["final"] = {{"epochs", f.epochs}, {"split", f.split.describe(TimeFormat{})}, {"split_epochs_run", f.epochs_run},
                  {"split_best_loss", number_json(f.best_loss)}};
  }
  j["ensemble"] = nullptr;
  if (!model.members.empty()) {
    nlohmann::ordered_json members = nlohmann::ordered_json::array();
    for (const EnsembleMember& m : model.members) {
      members.push_back({{"lookback", m.lookback}, {"seed", m.seed}, {"epochs_run", m.summary.epochs_run},
                         {"best_epoch", m.summary.best_epoch}, {"best_loss", number_json(m.summary.best_loss)},
                         {"stop", stop_reason_name(m.summary.stop)}});
    }
    j["ensemble"] = {{"members", std::move(members)}, {"skipped", model.members_skipped}};
  }
  j["selection"] = nullptr;
  if (!model.selection.empty()) {
    nlohmann::ordered_json chosen = nlohmann::ordered_json::object();
    for (const auto& [method, count] : model.selection.counts()) chosen[method] = count;
    j["selection"] = {{"policy", fallback_name(model.selection.policy)},
                      {"series", model.selection.series.size()},
                      {"chosen", std::move(chosen)},
                      {"network_beaten", model.selection.network_beaten()},
                      {"not_clearly_better", model.selection.not_clearly_better()},
                      {"worse_than_naive", model.selection.worse_than_naive()}};
  }
  if (s.stop == StopReason::interrupted || model.test.methods.empty()) return j;
  nlohmann::ordered_json methods;
  for (const auto& [name, metrics] : model.test.methods) methods[name] = metrics_json(metrics);
  j["test"] = {{"origins", model.test.origins}, {"series", model.use.tested}, {"methods", std::move(methods)}};
  return j;
}
}  // namespace grucast::cli
