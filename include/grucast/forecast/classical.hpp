// The M4 competition's statistical benchmarks as forecasters: SES, Holt, damped trend, Theta
// and Comb, on seasonally adjusted data when a test finds seasonality (docs/benchmarks.md).
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "grucast/forecast/baselines.hpp"

namespace grucast {

enum class ClassicalMethod { ses, holt, damped, theta, comb };

/// At its first origin t_0 the method is fitted on y_1..y_{t_0}:
///   1. if the season m > 1 and y is seasonal at lag m (90% autocorrelation test) and
///      positive, y is divided by its classical multiplicative seasonal indices;
///   2. ses, holt, damped: exponential smoothing (ets ANN, AAN, AAdN, least squares);
///      theta: the mean of the regression line on time (theta line 0) and SES on
///      2·y − line 0 (theta line 2), clamped at 0 for a non-negative history;
///      comb: the mean of ses, holt and damped;
///   3. the forecast is multiplied back by the index of its phase.
/// Later origins keep the parameters and indices and filter on (theta refits its line), as
/// docs/benchmarks.md's protocol does for ETS; `forecast` has a single origin, the end.
class ClassicalForecaster final : public Forecaster {
 public:
  ClassicalForecaster(ClassicalMethod method, std::size_t season);
  std::string name() const override;
  std::size_t min_history() const override { return 1; }
  void forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                arma::mat& out) const override;

 private:
  ClassicalMethod method_;
  std::size_t season_;
};

/// AutoETS: at its first origin t_0, the exponential smoothing state space model with the lowest
/// AICc is fitted on y_1..y_{t_0} (errors A or M, trend N, A or Ad, season N, A or M for
/// 2 ≤ m ≤ 24; parameters by maximum likelihood, as R's forecast::ets chooses by default);
/// later origins filter on with its parameters, as the protocol's ETS does.
class EtsForecaster final : public Forecaster {
 public:
  explicit EtsForecaster(std::size_t season);
  std::string name() const override { return "ets"; }
  std::size_t min_history() const override { return 1; }
  void forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                arma::mat& out) const override;

 private:
  std::size_t season_;
};

}  // namespace grucast
