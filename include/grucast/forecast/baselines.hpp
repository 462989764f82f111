// The Forecaster interface and the classical baselines every model is measured against.
#pragma once

#include <armadillo>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"

namespace grucast {

struct Calibration;  // grucast/forecast/intervals.hpp

/// Origins of one series to forecast from, for Forecaster::forecast_batch.
struct SeriesOrigins {
  const Series* series = nullptr;
  std::span<const std::size_t> origins;
};

/// Forecasts the K values after an origin t of a series, having seen rows [0, t).
class Forecaster {
 public:
  virtual ~Forecaster() = default;
  /// Name in outputs ("naive", "gru", ...).
  virtual std::string name() const = 0;
  /// The fewest rows an origin must have seen.
  virtual std::size_t min_history() const = 0;
  /// How to fix a series shorter than min_history(), for messages.
  virtual std::string short_history_hint() const { return "use a longer series"; }
  /// out (K, origins.size()): column j forecasts rows origins[j] .. origins[j] + K − 1 of
  /// `series`' target, in original units. Origins are in [min_history(), N].
  virtual void forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                        arma::mat& out) const = 0;
  /// out (horizon, all origins): the forecasts of every group's origins, group after group, the
  /// same values forecast() gives one group at a time (what this default does). A network
  /// overrides it to run the windows of many series through one batched pass.
  virtual void forecast_batch(std::span<const SeriesOrigins> groups, std::size_t horizon, arma::mat& out) const;

  /// Whether the method gives its own prediction intervals (a quantile model: its quantiles);
  /// else they are split conformal, from calibration() or a calibration made on the data.
  virtual bool has_own_intervals() const { return false; }
  /// With own intervals: a UsageError at --intervals unless the method gives every one of `levels`.
  virtual void check_own_levels(const std::vector<double>& levels) const;
  /// With own intervals: lower and upper bounds (horizon, origins) at each of `levels` (checked
  /// by check_own_levels), in original units.
  virtual void own_bounds(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                          const std::vector<double>& levels, std::vector<arma::mat>& lower,
                          std::vector<arma::mat>& upper) const;
  /// The calibration the method carries (a trained model's, from its validation part), or
  /// nullptr: the method is then calibrated on the data (calibrate, calibrate_tail).
  virtual const Calibration* calibration() const { return nullptr; }
};

enum class BaselineMethod { naive, snaive, drift, mean, ses, holt, damped, theta, comb, ets };

/// Parses a --baseline value.
BaselineMethod parse_baseline(const std::string& text);

/// The names of the baselines, for help and messages: "naive, snaive, ... or ets".
std::string baseline_names();

/// The forecaster of a baseline: a Baseline, a ClassicalForecaster or an EtsForecaster
/// (grucast/forecast/classical.hpp).
std::unique_ptr<Forecaster> make_baseline(BaselineMethod method, std::size_t season);

/// The baselines of the protocol (docs/benchmarks.md) at origin t and step h (1-based y_1..y_t seen, season m):
///   naive  ŷ = y_t
///   snaive ŷ = y_{t − m + ((h − 1) mod m) + 1}
///   drift  ŷ = y_t + h·(y_t − y_1)/(t − 1)
///   mean   ŷ = (y_1 + ... + y_t)/t
class Baseline final : public Forecaster {
 public:
  Baseline(BaselineMethod method, std::size_t season);
  std::string name() const override;
  std::size_t min_history() const override;
  std::string short_history_hint() const override;
  void forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                arma::mat& out) const override;

 private:
  BaselineMethod method_;
  std::size_t season_;
};

}  // namespace grucast
