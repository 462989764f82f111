// Exponential smoothing state space models (ETS, Hyndman, Koehler, Ord & Snyder 2008) and their
// automatic choice by AICc, following R's forecast::ets defaults: errors A or M, trend N, A or
// Ad, season N, A or M (no multiplicative trend), parameters by maximum likelihood.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "forecast/exp_smoothing.hpp"

namespace grucast {

enum class EtsSeason { none, additive, multiplicative };

/// One member of the ETS family: ETS(error, trend, season).
struct EtsSpec {
  bool multiplicative_error = false;
  Trend trend = Trend::none;
  EtsSeason season = EtsSeason::none;
};

/// "ETS(M,Ad,M)" and the like.
std::string ets_name(const EtsSpec& spec);

/// A fitted model: smoothing parameters, the states before the first row, and its AICc.
struct EtsModel {
  EtsSpec spec;
  std::size_t period = 1;  ///< m (1 without a season)
  double alpha = 0.0, beta = 0.0, gamma = 0.0, phi = 1.0;
  double level = 0.0, slope = 0.0;  ///< l_0 and b_0
  std::vector<double> seasons;      ///< the seasonal state of each phase (row i has phase i mod m)
  double aicc = 0.0;
};

/// The states after some rows; `row` counts them (the next row's phase is row mod m).
struct EtsState {
  double level = 0.0, slope = 0.0;
  std::vector<double> seasons;
  std::size_t row = 0;
};

/// The states before the first row.
EtsState ets_start(const EtsModel& model);

/// One step of the filter. With q = l + φb and s the seasonal state of the row's phase:
///   p = y (season N), y − s (A) or y / s (M)
///   l ← q + α(p − q),  b ← φb + β(p − q),  s ← s + γ(y − q − s) (A) or s + γ(y/q − s) (M)
/// (the error form ε = y − ŷ or (y − ŷ)/ŷ changes the likelihood, not the filter).
void ets_step(const EtsModel& model, EtsState& state, double y);

/// The h-step point forecast: q_h = l + (φ + ... + φ^h)·b, then q_h, q_h + s or q_h·s with s
/// the state of the phase of row `state.row + h − 1`.
double ets_forecast(const EtsModel& model, const EtsState& state, std::size_t h);

/// The model `spec` fitted to y (period m, ignored without a season) by Nelder-Mead on R's
/// likelihood criterion, within R's usual bounds (α, β ≤ α, γ ≤ 1 − α in [1e-4, 0.9999], φ in
/// [0.8, 0.98]). aicc is infinite when the model cannot be fitted (too few rows, a
/// multiplicative part on data that are not positive, a season without two full cycles).
EtsModel fit_ets_model(std::span<const double> y, std::size_t period, const EtsSpec& spec);

/// The lowest-AICc model of the family (seasonal ones only for 2 ≤ m ≤ kMaxEtsPeriod, as R);
/// for a series too short for any, SES (ETS(A,N,N) from its first value). y must not be empty.
EtsModel fit_ets(std::span<const double> y, std::size_t period);
inline constexpr std::size_t kMaxEtsPeriod = 24;

}  // namespace grucast
