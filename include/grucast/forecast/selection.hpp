// Never silently worse than a baseline: each series' forecaster chosen on its validation part
// (the network, a baseline, or the mean of the network and comb or ets), never on the test part.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/split.hpp"
#include "grucast/forecast/baselines.hpp"

namespace grucast {

/// --fallback: auto forecasts each series with the candidate validation says is clearly best
/// (select_by_validation); none keeps the network everywhere (and still says where a baseline did better).
enum class FallbackPolicy { automatic, none };

/// Parses a --fallback value.
FallbackPolicy parse_fallback(const std::string& text);
/// "auto" or "none".
std::string fallback_name(FallbackPolicy policy);

/// How many standard errors the chosen forecast must beat naive by on validation for train not
/// to warn that it may be worse than naive on new data: twice what the choice asks, because the
/// chosen one is the best of several there (its lead is flattered), and on random walks, where
/// nothing beats naive but by luck, one standard error let 4 of 6 losses pass without a warning
/// (docs/benchmarks.md).
inline constexpr double kWarningStandardErrors = 2.0;

/// One series' validation scores (MAE over its validation origins and steps, original units).
struct SeriesChoice {
  std::string id;
  std::string method;       ///< the chosen forecaster's name (the network's, a baseline's, "<network>+comb" or "<network>+ets")
  double method_mae = 0.0;  ///< of the chosen method
  double network_mae = 0.0;
  double naive_mae = 0.0;
  double best_mae = 0.0;    ///< the lowest of all candidates (not in the model file: NaN there)
  /// The standard error of the mean of naive's minus the chosen method's errors, counted over
  /// origins (an origin's K steps averaged first) where the series has several, else over steps
  /// (not in the model file: NaN there).
  double naive_gap_error = 0.0;
  /// The same for the network's minus the chosen method's errors (not in the model file: NaN there).
  double network_gap_error = 0.0;
  /// Whether the chosen method (not naive) beat naive on validation by no more than
  /// kWarningStandardErrors naive_gap_errors: on new data it may well be worse than naive. False
  /// when not known.
  bool not_clearly_better_than_naive() const;
};

/// The choices of the series that have a validation origin, in the frame's order.
struct Selection {
  FallbackPolicy policy = FallbackPolicy::automatic;
  std::vector<SeriesChoice> series;
  /// Series whose chosen method is worse than naive on validation (with none: the network).
  std::size_t worse_than_naive() const;
  bool empty() const { return series.empty(); }
  /// Series whose chosen method (not naive) is not better than naive on validation by more than
  /// kWarningStandardErrors standard errors of the difference: on new data it may well be worse than naive.
  std::size_t not_clearly_better() const;
  /// How many series each method was chosen for, most first (ties by name).
  std::vector<std::pair<std::string, std::size_t>> counts() const;
  /// Series on which some baseline or the combination beat the network on validation.
  std::size_t network_beaten() const;
  /// Whether some series is forecast by another method than the network `network_name`.
  bool chooses_other_than(const std::string& network_name) const;
};

/// The candidates of a series with season m: the network, naive, snaive (m > 1), drift, theta,
/// comb, ets, and the means of the network and comb and of the network and ets, in that order
/// (the first of equal MAEs wins).
std::vector<std::string> candidate_names(const std::string& network_name, std::size_t season);

/// Scores every candidate on the validation origins of every series of `frame` under `split`
/// (at most kMaxValidationOrigins per series, evenly spaced; forecasts see only the past). With
/// FallbackPolicy::automatic a series takes the lowest of the candidates that beat the network's
/// MAE by more than one standard error; if none did, the network if it beat the best plain
/// baseline (not an average with the network) by more than one standard error, else that
/// baseline: validation chose the network's epochs, so its MAE there flatters it. The standard
/// error:
///   - a series with 2 or more origins: over its origins (each origin's steps averaged first,
///     one unit of evidence);
///   - the series with one origin each (a panel held out the M4 way), when 2 or more: one
///     candidate for all of them, chosen the same way on the mean log(network's MAE / its MAE)
///     over them and its standard error over the series;
///   - a lone series with one origin: over its steps.
/// With none, the network. A non-negative model's baselines are raised to 0 as its forecasts are.
/// The series' baselines run on `threads` threads; the choice does not depend on it.
Selection select_by_validation(const Frame& frame, const Forecaster& network, const SplitSpec& split,
                               const TaskShape& shape, FallbackPolicy policy, bool nonnegative,
                               std::size_t threads = 1);
inline constexpr std::size_t kMaxValidationOrigins = 256;

/// The network's error at each validation origin of each series of `frame`, at the origins
/// select_by_validation scores: the mean |forecast − actual| over the origin's K steps (NaN
/// where none is scored). Series in frame order; empty for a series without validation origins.
std::vector<std::vector<double>> validation_origin_errors(const Frame& frame, const Forecaster& network,
                                                          const SplitSpec& split, const TaskShape& shape);

/// Forecasts each series with the method chosen for it; a series with no choice (none, or not
/// in the training data) with the network. Intervals are the network's. A non-negative model's
/// forecasts are raised to 0.
class ChosenForecaster final : public Forecaster {
 public:
  /// `network` must outlive this forecaster.
  ChosenForecaster(const Forecaster& network, const Selection& selection, std::size_t season, bool nonnegative);
  /// "chosen": its forecasts are the network's and the baselines' (method_of says whose).
  std::string name() const override { return "chosen"; }
  std::size_t min_history() const override { return network_.min_history(); }
  std::string short_history_hint() const override { return network_.short_history_hint(); }
  void forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                arma::mat& out) const override;
  void forecast_batch(std::span<const SeriesOrigins> groups, std::size_t horizon, arma::mat& out) const override;
  const Calibration* calibration() const override { return network_.calibration(); }
  /// The method that forecasts series `id`.
  const std::string& method_of(const std::string& id) const;

 private:
  const Forecaster& network_;
  std::unordered_map<std::string, std::string> method_by_id_;
  /// "comb" for "<network>+comb": the baseline averaged with the network, or none.
  std::optional<std::string> partner_of(const std::string& method) const;
  std::unordered_map<std::string, std::unique_ptr<Forecaster>> baselines_;  ///< by name
  std::string network_name_;
  bool nonnegative_ = false;
};

}  // namespace grucast
