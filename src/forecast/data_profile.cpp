#include "grucast/forecast/data_profile.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "grucast/forecast/trained_model.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

namespace {

// The finite target values of a series.
std::vector<double> finite_targets(const Series& series) {
  std::vector<double> values;
  values.reserve(series.values.n_cols);
  const std::size_t rows = series.values.n_rows;
  for (std::size_t i = 0; i < series.values.n_cols && rows > 0; ++i) {
    const double v = series.values.memptr()[i * rows];
    if (std::isfinite(v)) values.push_back(v);
  }
  return values;
}

// Sums that give a ValueProfile: mean and sd from the sum and the sum of squared deviations
// about a reference (the first value), which keeps the sd exact for values far from 0.
struct ValueSums {
  std::size_t n = 0;
  double min = HUGE_VAL, max = -HUGE_VAL, reference = 0.0, sum = 0.0, squares = 0.0;
  TimePoint last = 0;

  void add(double v) {
    if (n == 0) reference = v;
    ++n;
    min = std::min(min, v);
    max = std::max(max, v);
    const double d = v - reference;
    sum += d;
    squares += d * d;
  }
  ValueProfile profile(std::string id) const {
    ValueProfile p;
    p.id = std::move(id);
    p.rows = n;
    p.last = last;
    if (n == 0) return p;
    const double count = static_cast<double>(n), shift = sum / count;
    p.min = min;
    p.max = max;
    p.mean = reference + shift;
    p.sd = std::sqrt(std::max(0.0, squares / count - shift * shift));
    return p;
  }
};

// The median of the values and the span of their middle 90% (the 5th to the 95th
// percentile, so that a few outliers do not make a series far), by partial sorts.
struct Bulk {
  double median = 0.0, spread = 0.0;
};

Bulk bulk_of(std::vector<double> values) {
  const double last = static_cast<double>(values.size() - 1);
  const auto at = [&](double q) { return values.begin() + static_cast<std::ptrdiff_t>(q * last); };
  const auto middle = at(0.5), low = at(0.05), high = at(0.95);
  std::nth_element(values.begin(), middle, values.end());
  const double median = *middle;
  std::nth_element(values.begin(), low, middle);
  std::nth_element(middle, high, values.end());
  return {median, *high - *low};
}

std::string number(double v) { return fmt::format("{:.4g}", v); }

// Whether values with this bulk lie far outside the training values `trained`.
bool far_outside(const ValueProfile& trained, const Bulk& bulk) {
  if (trained.rows == 0) return false;
  const double w = std::max(trained.max - trained.min, 1e-3 * std::max(std::abs(trained.min), std::abs(trained.max)));
  return bulk.median < trained.min - 3.0 * w || bulk.median > trained.max + 3.0 * w || bulk.spread > 10.0 * w;
}

// The series' warning: "series 'a' lies far outside ... (series 'a'); forecasts may be poor".
std::string far_text(const Frame& frame, const Series& series, double low, double high, const ValueProfile& trained,
                     const std::string& whose) {
  return fmt::format("{} lies far outside the training data: its values are {} to {}, the model was trained on {} "
                     "to {}{}; forecasts may be poor",
                     frame.series_name(series), number(low), number(high), number(trained.min), number(trained.max),
                     whose);
}

}  // namespace

DataProfile profile_data(const Frame& frame) {
  DataProfile profile;
  profile.series = frame.series.size();
  ValueSums all;
  for (const Series& series : frame.series) {
    ValueSums sums;
    for (const double v : finite_targets(series)) {
      sums.add(v);
      all.add(v);
    }
    sums.last = series.time.empty() ? 0 : series.time.back();
    all.last = std::max(all.last, sums.last);
    if (profile.per_series.size() < DataProfile::kMaxSeries) profile.per_series.push_back(sums.profile(series.id));
  }
  profile.all = all.profile("");
  return profile;
}

std::vector<DataFinding> check_against_training(const TrainedModel& model, const Frame& frame) {
  const DataProfile& profile = model.profile;
  std::vector<DataFinding> findings;
  if (profile.empty()) return findings;
  std::unordered_set<std::string> trained_ids;
  for (const SeriesScaler& s : model.scalers) trained_ids.insert(s.id);
  std::unordered_map<std::string, const ValueProfile*> entries;
  for (const ValueProfile& p : profile.per_series) entries.emplace(p.id, &p);
  std::size_t far = 0;
  for (const Series& series : frame.series) {
    const bool seen = trained_ids.count(series.id) > 0;  // an unseen series: the forecast's note names it
    const std::vector<double> values = finite_targets(series);
    if (values.empty()) continue;
    const auto entry = seen ? entries.find(series.id) : entries.end();
    const ValueProfile& trained = entry != entries.end() ? *entry->second : profile.all;
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    if (!far_outside(trained, bulk_of(values))) continue;
    if (++far > kMaxFarListed) continue;
    const std::string whose = &trained == &profile.all ? fmt::format(" (all {} of its series)", profile.series)
                              : frame.id_column.empty() ? ""
                                                        : fmt::format(" ({})", frame.series_name(series));
    findings.push_back({DataFinding::Kind::warning, far_text(frame, series, *low, *high, trained, whose)});
  }
  if (far > kMaxFarListed) {
    findings.push_back({DataFinding::Kind::warning,
                        fmt::format("{} more of the {} series lie far outside the training data; forecasts may be poor",
                                    far - kMaxFarListed, frame.series.size())});
  }
  return findings;
}

}  // namespace grucast
