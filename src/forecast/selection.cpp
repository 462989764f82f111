#include "grucast/forecast/selection.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/util/error.hpp"
#include "util/worker_pool.hpp"

namespace grucast {

namespace {

// "<network>+<baseline>": the mean of the network's forecast and the baseline's.
std::string combined_name(const std::string& network_name, BaselineMethod partner) {
  return network_name + "+" + make_baseline(partner, 1)->name();
}

// One series' validation origins, with the history its forecasts may read.
struct ValidationPart {
  const Series* series = nullptr;
  Series causal;  // without_lookahead(series, n_train) when --missing filled values
  std::vector<std::size_t> origins;
  const Series& history() const { return series->filled.empty() ? *series : causal; }
};

std::vector<std::size_t> spaced_origins(std::size_t first, std::size_t last) {
  const std::size_t count = last - first + 1;
  const std::size_t stride = (count + kMaxValidationOrigins - 1) / kMaxValidationOrigins;
  std::vector<std::size_t> origins;
  for (std::size_t t = first; t <= last; t += stride) origins.push_back(t);
  return origins;
}

// |forecast − actual| of each origin and step (origin after origin), NaN where the actual was
// filled (--missing) or the error is not finite: the same positions for every candidate.
std::vector<double> absolute_errors(const ValidationPart& part, const arma::mat& forecasts) {
  std::vector<double> errors;
  errors.reserve(forecasts.n_elem);
  for (std::size_t j = 0; j < part.origins.size(); ++j) {
    for (std::size_t h = 0; h < forecasts.n_rows; ++h) {
      const std::size_t row = part.origins[j] + h;
      const double e = part.series->is_filled(0, row) ? NAN : std::fabs(forecasts(h, j) - part.series->values(0, row));
      errors.push_back(std::isfinite(e) ? e : NAN);
    }
  }
  return errors;
}

double mean_of_finite(const std::vector<double>& errors) {
  double sum = 0.0;
  std::size_t count = 0;
  for (double e : errors) {
    if (!std::isnan(e)) sum += e, ++count;
  }
  return count == 0 ? NAN : sum / static_cast<double>(count);
}

// The standard error of the mean of the paired differences a_i − b_i (infinite below 2 pairs).
double paired_standard_error(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!std::isnan(a[i]) && !std::isnan(b[i])) d.push_back(a[i] - b[i]);
  }
  if (d.size() < 2) return INFINITY;
  double mean = 0.0, squares = 0.0;
  for (double x : d) mean += x;
  mean /= static_cast<double>(d.size());
  for (double x : d) squares += (x - mean) * (x - mean);
  return std::sqrt(squares / static_cast<double>(d.size() - 1) / static_cast<double>(d.size()));
}

// The network's forecasts of every part, kSeriesPerPass parts per batched pass.
std::vector<arma::mat> network_forecasts(const Forecaster& network, const std::vector<ValidationPart>& parts,
                                         std::size_t horizon) {
  std::vector<arma::mat> out;
  for (std::size_t first = 0; first < parts.size(); first += kSeriesPerPass) {
    const std::size_t end = std::min(first + kSeriesPerPass, parts.size());
    std::vector<SeriesOrigins> groups;
    for (std::size_t i = first; i < end; ++i) groups.push_back({&parts[i].history(), parts[i].origins});
    arma::mat all;
    network.forecast_batch(groups, horizon, all);
    std::size_t column = 0;
    for (std::size_t i = first; i < end; ++i) {
      out.push_back(all.cols(column, column + parts[i].origins.size() - 1));
      column += parts[i].origins.size();
    }
  }
  return out;
}

// The baselines among the candidates (snaive only for m > 1), and those that are also averaged
// with the network ("<network>+comb", "<network>+ets").
std::vector<BaselineMethod> candidate_baselines(std::size_t season) {
  std::vector<BaselineMethod> methods{BaselineMethod::naive};
  if (season > 1) methods.push_back(BaselineMethod::snaive);
  for (BaselineMethod method : {BaselineMethod::drift, BaselineMethod::theta, BaselineMethod::comb, BaselineMethod::ets})
    methods.push_back(method);
  return methods;
}
constexpr std::array<BaselineMethod, 2> kCombinedWith{BaselineMethod::comb, BaselineMethod::ets};

// The candidates' errors for one part, in candidate_names' order (all NaN where one cannot forecast).
std::vector<std::vector<double>> candidate_errors(const ValidationPart& part, const arma::mat& network,
                                                  std::size_t horizon, std::size_t season, bool nonnegative) {
  std::vector<std::vector<double>> errors{absolute_errors(part, network)};
  std::vector<arma::mat> partners;
  for (BaselineMethod method : candidate_baselines(season)) {
    const std::unique_ptr<Forecaster> baseline = make_baseline(method, season);
    arma::mat forecasts(horizon, part.origins.size(), arma::fill::value(arma::datum::nan));
    if (part.origins.front() >= baseline->min_history()) {
      baseline->forecast(part.history(), part.origins, horizon, forecasts);
      if (nonnegative) forecasts.clamp(0.0, arma::datum::inf);
    }
    errors.push_back(absolute_errors(part, forecasts));
    if (std::find(kCombinedWith.begin(), kCombinedWith.end(), method) != kCombinedWith.end())
      partners.push_back(std::move(forecasts));
  }
  for (const arma::mat& partner : partners) errors.push_back(absolute_errors(part, 0.5 * (network + partner)));
  return errors;
}

// The standard error of the mean of a − b over origins, each origin's K steps averaged first:
// its steps' errors move together, so an origin is one unit of evidence. Infinite below 2.
double origin_standard_error(const std::vector<double>& a, const std::vector<double>& b, std::size_t horizon) {
  std::vector<double> per_origin;
  for (std::size_t first = 0; first < a.size(); first += horizon) {
    double sum = 0.0;
    std::size_t count = 0;
    for (std::size_t i = first; i < first + horizon; ++i) {
      if (!std::isnan(a[i]) && !std::isnan(b[i])) sum += a[i] - b[i], ++count;
    }
    if (count > 0) per_origin.push_back(sum / static_cast<double>(count));
  }
  return paired_standard_error(per_origin, std::vector<double>(per_origin.size(), 0.0));
}

// What a series' own validation origins say: its MAE per candidate, the paired standard errors of
// naive's and of the network's errors against each (over origins, as the choice; over steps for
// one origin), and the candidate validation chooses there, if it can tell.
struct PartVerdict {
  std::vector<double> maes, naive_gap, network_gap;
  std::size_t choice = 0;       // the network if it clearly beat every baseline or nothing beat it clearly
  bool decided = false;         // false: fewer than 2 origins (and a network that forecasts)
  std::size_t step_choice = 0;  // undecided: the same judged step by step (a lone series' fallback)
};

// The number of plain baselines among `candidates` candidates (after the network, before the averages).
std::size_t baseline_count(std::size_t candidates) { return candidates - 1 - kCombinedWith.size(); }

// The plain baseline of the lowest finite MAE (0 when none forecasts).
std::size_t best_baseline(const std::vector<double>& maes) {
  std::size_t best = 0;
  for (std::size_t c = 1; c <= baseline_count(maes.size()); ++c) {
    if (!std::isnan(maes[c]) && (best == 0 || maes[c] < maes[best])) best = c;
  }
  return best;
}

// Of the candidates whose MAE is below the network's by more than one origin_standard_error, the
// lowest; else the network if its MAE is below the best plain baseline's by more than one standard
// error, else that baseline. With few origins and many candidates, the lowest MAE alone is often a
// lucky one; and validation chose the network's epochs (and calendar, transform), so its MAE there
// flatters it: it has to beat the baselines clearly. A network that cannot forecast the part (NaN)
// gives way to the lowest finite MAE.
PartVerdict judge_part(const std::vector<std::vector<double>>& errors, std::size_t horizon) {
  PartVerdict v;
  for (const std::vector<double>& e : errors) v.maes.push_back(mean_of_finite(e));
  const bool network_fails = std::isnan(v.maes[0]);
  v.decided = network_fails || errors[0].size() >= 2 * horizon;
  // Standard errors over origins where there are several, as the choice; else over steps.
  const auto gap_error = [&](const std::vector<double>& a, const std::vector<double>& b) {
    return v.decided ? origin_standard_error(a, b, horizon) : paired_standard_error(a, b);
  };
  for (const std::vector<double>& e : errors) {
    v.naive_gap.push_back(gap_error(errors[1], e));
    v.network_gap.push_back(gap_error(errors[0], e));
  }
  for (std::size_t c = 1; c < v.maes.size(); ++c) {
    if (std::isnan(v.maes[c])) continue;
    const double gap = v.maes[0] - v.maes[c];
    if ((network_fails || gap > origin_standard_error(errors[0], errors[c], horizon)) &&
        (v.choice == 0 || v.maes[c] < v.maes[v.choice]))
      v.choice = c;
    if (gap > paired_standard_error(errors[0], errors[c]) && (v.step_choice == 0 || v.maes[c] < v.maes[v.step_choice]))
      v.step_choice = c;
  }
  const std::size_t baseline = best_baseline(v.maes);
  if (baseline == 0) return v;
  if (v.choice == 0 && !(v.maes[baseline] - v.maes[0] > origin_standard_error(errors[0], errors[baseline], horizon)))
    v.choice = baseline;
  if (v.step_choice == 0 && !(v.maes[baseline] - v.maes[0] > paired_standard_error(errors[0], errors[baseline])))
    v.step_choice = baseline;
  return v;
}

// Candidate c's mean log(MAE of the network / MAE of c) over the series with one validation
// origin each (the geometric mean of relative MAEs, which one series of a tiny MAE cannot
// dominate) and its standard error over them; empty when fewer than 2 such series can tell.
struct PanelGain {
  double mean = 0.0, error = 0.0;
};
std::optional<PanelGain> panel_gain(const std::vector<PartVerdict>& verdicts, std::size_t c) {
  std::vector<double> gains;
  for (const PartVerdict& v : verdicts) {
    if (v.decided || !(v.maes[1] > 0.0)) continue;
    const double tiny = 1e-9 * v.maes[1];  // an exact forecast's MAE of 0 stays finite in the log
    const double gain = std::log((v.maes[0] + tiny) / (v.maes[c] + tiny));
    if (std::isfinite(gain)) gains.push_back(gain);
  }
  if (gains.size() < 2) return std::nullopt;
  double mean = 0.0;
  for (double g : gains) mean += g;
  mean /= static_cast<double>(gains.size());
  return PanelGain{mean, paired_standard_error(gains, std::vector<double>(gains.size(), 0.0))};
}

// For the series with one validation origin each (a panel held out the M4 way), one candidate for
// all, as judge_part chooses for one series with gains in place of MAEs: the candidate of the
// largest panel_gain if above its standard error; else the network if it beat the plain baseline
// of the largest gain by more than one standard error; else that baseline. Empty when fewer than
// 2 such series can tell.
std::optional<std::size_t> panel_choice(const std::vector<PartVerdict>& verdicts) {
  if (verdicts.empty()) return std::nullopt;
  std::optional<std::size_t> chosen;
  double best_gain = 0.0;
  std::size_t baseline = 0;  // the plain baseline of the largest gain
  PanelGain baseline_gain;
  const std::size_t candidates = verdicts.front().maes.size();
  for (std::size_t c = 1; c < candidates; ++c) {
    const auto gain = panel_gain(verdicts, c);
    if (!gain) continue;
    if (!chosen) chosen = 0;
    if (gain->mean > gain->error && gain->mean > best_gain) chosen = c, best_gain = gain->mean;
    if (c <= baseline_count(candidates) && (baseline == 0 || gain->mean > baseline_gain.mean))
      baseline = c, baseline_gain = *gain;
  }
  // The network's gain over that baseline is minus the baseline's, with the same standard error.
  if (chosen == 0u && baseline != 0 && !(-baseline_gain.mean > baseline_gain.error)) chosen = baseline;
  return chosen;
}

}  // namespace

FallbackPolicy parse_fallback(const std::string& text) {
  if (text == "auto") return FallbackPolicy::automatic;
  if (text == "none") return FallbackPolicy::none;
  throw UsageError(fmt::format("unknown fallback policy '{}'", text), "--fallback", "choose auto or none");
}

std::string fallback_name(FallbackPolicy policy) { return policy == FallbackPolicy::none ? "none" : "auto"; }

std::size_t Selection::worse_than_naive() const {
  return static_cast<std::size_t>(
      std::count_if(series.begin(), series.end(), [](const SeriesChoice& c) { return c.method_mae > c.naive_mae; }));
}

bool SeriesChoice::not_clearly_better_than_naive() const {
  return method != "naive" && !std::isnan(naive_gap_error) && !(naive_mae - method_mae > kWarningStandardErrors * naive_gap_error);
}

std::size_t Selection::not_clearly_better() const {
  return static_cast<std::size_t>(std::count_if(
      series.begin(), series.end(), [](const SeriesChoice& c) { return c.not_clearly_better_than_naive(); }));
}

std::vector<std::pair<std::string, std::size_t>> Selection::counts() const {
  std::unordered_map<std::string, std::size_t> by_method;
  for (const SeriesChoice& c : series) ++by_method[c.method];
  std::vector<std::pair<std::string, std::size_t>> out(by_method.begin(), by_method.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

std::size_t Selection::network_beaten() const {
  return static_cast<std::size_t>(std::count_if(series.begin(), series.end(), [](const SeriesChoice& c) {
    return c.best_mae < c.network_mae;
  }));
}

bool Selection::chooses_other_than(const std::string& network_name) const {
  return std::any_of(series.begin(), series.end(), [&](const SeriesChoice& c) { return c.method != network_name; });
}

std::vector<std::string> candidate_names(const std::string& network_name, std::size_t season) {
  std::vector<std::string> names{network_name};
  for (BaselineMethod method : candidate_baselines(season)) names.push_back(make_baseline(method, season)->name());
  for (BaselineMethod partner : kCombinedWith) names.push_back(combined_name(network_name, partner));
  return names;
}

namespace {

// The series of `frame` with validation origins, each with its origins and history.
std::vector<ValidationPart> validation_parts(const Frame& frame, const SplitSpec& split, const TaskShape& shape) {
  std::vector<ValidationPart> parts;
  for (const Series& series : frame.series) {
    const SplitPoints points = split_series(series, split);
    const auto range = origin_range(points, Part::validation, shape);
    if (!range) continue;
    parts.push_back({&series, series.filled.empty() ? Series{} : without_lookahead(series, points.n_train),
                     spaced_origins(range->first, range->second)});
  }
  return parts;
}

}  // namespace

std::vector<std::vector<double>> validation_origin_errors(const Frame& frame, const Forecaster& network,
                                                          const SplitSpec& split, const TaskShape& shape) {
  const std::vector<ValidationPart> parts = validation_parts(frame, split, shape);
  const std::vector<arma::mat> forecasts = network_forecasts(network, parts, shape.horizon);
  std::vector<std::vector<double>> out(frame.series.size());
  for (std::size_t i = 0, s = 0; i < parts.size(); ++i) {
    while (&frame.series[s] != parts[i].series) ++s;
    const std::vector<double> errors = absolute_errors(parts[i], forecasts[i]);
    for (std::size_t j = 0; j < parts[i].origins.size(); ++j) {
      const auto first = errors.begin() + static_cast<std::ptrdiff_t>(j * shape.horizon);
      out[s].push_back(mean_of_finite(std::vector<double>(first, first + static_cast<std::ptrdiff_t>(shape.horizon))));
    }
  }
  return out;
}

Selection select_by_validation(const Frame& frame, const Forecaster& network, const SplitSpec& split,
                               const TaskShape& shape, FallbackPolicy policy, bool nonnegative, std::size_t threads) {
  Selection selection;
  selection.policy = policy;
  const std::vector<ValidationPart> parts = validation_parts(frame, split, shape);
  const std::vector<arma::mat> from_network = network_forecasts(network, parts, shape.horizon);
  const std::vector<std::string> names = candidate_names(network.name(), shape.season);
  // The baselines' fits (ETS's above all) are the work here: series side by side.
  std::vector<PartVerdict> verdicts(parts.size());
  WorkerPool pool(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(parts.size(), 1)));
  pool.run(parts.size(), [&](std::size_t i, std::size_t) {
    verdicts[i] =
        judge_part(candidate_errors(parts[i], from_network[i], shape.horizon, shape.season, nonnegative), shape.horizon);
  });
  const std::optional<std::size_t> for_the_panel = panel_choice(verdicts);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const PartVerdict& v = verdicts[i];
    std::size_t best = 0;
    for (std::size_t c = 1; c < v.maes.size(); ++c) {
      if (v.maes[c] < v.maes[best] || (std::isnan(v.maes[best]) && !std::isnan(v.maes[c]))) best = c;
    }
    std::size_t chosen = v.decided ? v.choice : !for_the_panel ? v.step_choice : *for_the_panel;
    if (std::isnan(v.maes[chosen])) chosen = 0;
    if (policy == FallbackPolicy::none) chosen = 0;
    selection.series.push_back(
        {parts[i].series->id, names[chosen], v.maes[chosen], v.maes[0], v.maes[1], v.maes[best], v.naive_gap[chosen],
         v.network_gap[chosen]});
  }
  return selection;
}

ChosenForecaster::ChosenForecaster(const Forecaster& network, const Selection& selection, std::size_t season,
                                   bool nonnegative)
    : network_(network), network_name_(network.name()), nonnegative_(nonnegative) {
  for (const SeriesChoice& choice : selection.series) {
    method_by_id_.emplace(choice.id, choice.method);
    if (choice.method == network_name_) continue;
    const std::string baseline = partner_of(choice.method).value_or(choice.method);
    if (!baselines_.contains(baseline)) baselines_.emplace(baseline, make_baseline(parse_baseline(baseline), season));
  }
}

std::optional<std::string> ChosenForecaster::partner_of(const std::string& method) const {
  const std::string prefix = network_name_ + "+";
  if (!method.starts_with(prefix)) return std::nullopt;
  return method.substr(prefix.size());
}

const std::string& ChosenForecaster::method_of(const std::string& id) const {
  const auto found = method_by_id_.find(id);
  return found == method_by_id_.end() ? network_name_ : found->second;
}

void ChosenForecaster::forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                                arma::mat& out) const {
  const SeriesOrigins group{&series, origins};
  forecast_batch(std::span<const SeriesOrigins>(&group, 1), horizon, out);
}

// Every series through the network in one batched pass (so that its checks of the data and
// --explain's weights are those of the network alone), then the columns of the series chosen
// otherwise replaced by their baseline, or averaged with comb.
void ChosenForecaster::forecast_batch(std::span<const SeriesOrigins> groups, std::size_t horizon,
                                      arma::mat& out) const {
  network_.forecast_batch(groups, horizon, out);
  std::size_t column = 0;
  arma::mat baseline;
  for (const SeriesOrigins& group : groups) {
    if (group.origins.empty()) continue;
    const std::size_t count = group.origins.size();
    const std::string& method = method_of(group.series->id);
    if (method != network_name_) {
      const std::optional<std::string> partner = partner_of(method);
      baselines_.at(partner.value_or(method))->forecast(*group.series, group.origins, horizon, baseline);
      if (partner) {
        out.cols(column, column + count - 1) = 0.5 * (out.cols(column, column + count - 1) + baseline);
      } else {
        out.cols(column, column + count - 1) = baseline;
      }
    }
    column += count;
  }
  if (nonnegative_) out.clamp(0.0, arma::datum::inf);
}

}  // namespace grucast
