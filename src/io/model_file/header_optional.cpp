// The model header's optional sections, read (header_optional.hpp).
#include "io/model_file/header_optional.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <set>
#include <string>
#include <unordered_set>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/text.hpp"

namespace grucast::model_format {

namespace {

std::string listed_names(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

std::vector<CalendarItem> read_calendar(const Field& f) {
  constexpr std::array kItems{CalendarItem::hour, CalendarItem::dow, CalendarItem::month, CalendarItem::doy};
  std::vector<CalendarItem> items;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const CalendarItem item = f[i].choice(kItems, calendar_item_name);
    if (std::find(items.begin(), items.end(), item) != items.end()) {
      f[i].fail(fmt::format("repeats {}", grucast::quoted(calendar_item_name(item))));
    }
    items.push_back(item);
  }
  return items;
}

void read_calibration(const Field& f, const TrainedModel& model, Calibration& out) {
  const Field scales = f["scales"], steps = f["steps"];
  if (steps.size() != 0 && steps.size() != model.config.shape.outputs) {
    steps.fail(fmt::format("has {} entries, but the model has {} outputs", steps.size(), model.config.shape.outputs));
  }
  std::unordered_set<std::string> series, seen;  // hashed: a model of 10,000 series would compare 10^8 ids
  for (const SeriesScaler& s : model.scalers) series.insert(s.id);
  for (std::size_t i = 0; i < scales.size(); ++i) {
    const std::string id = scales[i]["id"].text();
    if (!series.contains(id) || !seen.insert(id).second) {
      scales[i]["id"].fail(fmt::format("is {}, not one more series of the scalers", grucast::quoted(id)));
    }
    out.scales.push_back({id, scales[i]["scale"].real(0.0)});
    if (!(out.scales.back().scale > 0.0)) scales[i]["scale"].fail("is 0, but a scale must be positive");
  }
  if (steps.size() != 0 && scales.size() != model.scalers.size()) {
    scales.fail(fmt::format("has {} entries, but the model has {} series", scales.size(), model.scalers.size()));
  }
  for (std::size_t h = 0; h < steps.size(); ++h) {
    StepResiduals& step = out.steps.emplace_back();
    step.count = steps[h]["count"].whole(0);
    const Field residuals = steps[h]["residuals"];
    if (residuals.size() != std::min<std::uint64_t>(step.count, StepResiduals::kMaxStored)) {
      residuals.fail(fmt::format("has {} values, but count is {} (all up to {}, else {})", residuals.size(),
                                 step.count, StepResiduals::kMaxStored, StepResiduals::kMaxStored));
    }
    for (std::size_t i = 0; i < residuals.size(); ++i) {
      step.sorted.push_back(residuals[i].real(i == 0 ? 0.0 : step.sorted.back()));  // ascending
    }
  }
}

SplitSpec read_split(const Field& f) {
  SplitSpec split;
  split.val = f["val"].real(0.0, 1.0, true);
  split.test = f["test"].real(0.0, 1.0, true);
  if (!f["test_from"].null()) split.test_from = f["test_from"].integer();
  if (f.has("val_rows")) split.val_rows = f["val_rows"].whole(1, 1'000'000'000);
  if (f.has("test_rows")) split.test_rows = f["test_rows"].whole(1, 1'000'000'000);
  try {
    split.validate();
  } catch (const UsageError& e) {
    f.fail(fmt::format("is not a split train takes ({})", e.what()));
  }
  return split;
}

FinalFit read_final(const Field& f) {
  FinalFit final_fit;
  final_fit.epochs = static_cast<std::size_t>(f["epochs"].in(settings::epochs));
  final_fit.split = read_split(f["split"]);
  final_fit.epochs_run = f["epochs_run"].whole(0, 1'000'000);
  final_fit.best_loss = f["best_loss"].nullable();
  return final_fit;
}

namespace {

ValueProfile read_value_profile(const Field& f) {
  ValueProfile p;
  p.id = f["id"].text();
  p.rows = f["rows"].whole(0);
  p.min = f["min"].nullable();
  p.max = f["max"].nullable();
  p.mean = f["mean"].nullable();
  p.sd = f["sd"].nullable();
  p.last = f["last"].integer();
  if (p.min > p.max) f["min"].fail(fmt::format("is {}, above max ({})", p.min, p.max));
  if (p.sd < 0.0) f["sd"].fail(fmt::format("is {}, but a standard deviation is not negative", p.sd));
  return p;
}

}  // namespace

void read_profile(const Field& f, DataProfile& out) {
  out.series = f["series"].whole(1);
  out.all = read_value_profile(f["all"]);
  const Field per_series = f["per_series"];
  const std::size_t most = std::min<std::size_t>(out.series, DataProfile::kMaxSeries);
  if (per_series.size() > most) {
    per_series.fail(fmt::format("has {} entries, but at most {} (of {} series) are kept", per_series.size(), most,
                                out.series));
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < per_series.size(); ++i) {
    out.per_series.push_back(read_value_profile(per_series[i]));
    if (!ids.insert(out.per_series.back().id).second) {
      per_series[i]["id"].fail(fmt::format("repeats the series id {}", grucast::quoted(out.per_series.back().id)));
    }
  }
}

void read_selection(const Field& f, const TrainedModel& model, Selection& out) {
  out.policy = f["policy"].choice(std::array{FallbackPolicy::automatic, FallbackPolicy::none}, fallback_name);
  const std::vector<std::string> names = candidate_names(cell_name(model.config.shape.cell), model.config.season);
  std::unordered_set<std::string> series, seen;
  for (const SeriesScaler& s : model.scalers) series.insert(s.id);
  const Field chosen = f["series"];
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    SeriesChoice c;
    c.id = chosen[i]["id"].text();
    if (!series.contains(c.id) || !seen.insert(c.id).second) {
      chosen[i]["id"].fail(fmt::format("is {}, not one more series of the scalers", grucast::quoted(c.id)));
    }
    c.method = chosen[i]["method"].text();
    if (std::find(names.begin(), names.end(), c.method) == names.end()) {
      chosen[i]["method"].fail(fmt::format("is {}, not one of {}", grucast::quoted(c.method), listed_names(names)));
    }
    c.method_mae = chosen[i]["mae"].nullable();
    c.network_mae = chosen[i]["network_mae"].nullable();
    c.naive_mae = chosen[i]["naive_mae"].nullable();
    c.best_mae = c.naive_gap_error = c.network_gap_error = std::numeric_limits<double>::quiet_NaN();
    out.series.push_back(std::move(c));
  }
}

}  // namespace grucast::model_format
