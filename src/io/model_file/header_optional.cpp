// The model header's optional sections, read (header_optional.hpp).
#include "io/model_file/header_optional.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_set>

#include <fmt/format.h>

#include "util/text.hpp"

namespace grucast::model_format {

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

}  // namespace grucast::model_format
