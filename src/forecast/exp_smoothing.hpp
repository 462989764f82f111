// Exponential smoothing with additive errors, fitted the way R's forecast::ses and holt fit it
// (ets models ANN, AAN and AAdN with opt.crit = "mse"): the M4 competition's SES, Holt and Damped.
#pragma once

#include <cstddef>
#include <span>

namespace grucast {

enum class Trend { none, additive, damped };

/// Smoothing parameters and the states before the first observation.
struct SmoothingModel {
  Trend trend = Trend::none;
  double alpha = 0.0, beta = 0.0, phi = 1.0;
  double level = 0.0, slope = 0.0;  ///< l_0 and b_0
};

/// The state after some observations.
struct SmoothingState {
  double level = 0.0, slope = 0.0;
};

/// One step of the filter (Hyndman et al., state space form, additive error):
///   ŷ = l + φb,  e = y − ŷ,  l ← ŷ + αe,  b ← φb + βe   (no trend: b = 0; Holt: φ = 1)
SmoothingState smoothing_step(const SmoothingModel& model, SmoothingState state, double y);

/// The state after filtering y from the model's initial states.
SmoothingState smoothing_filter(const SmoothingModel& model, std::span<const double> y);

/// The h-step forecast from a state: l + (φ + φ² + ... + φ^h)·b.
double smoothing_forecast(const SmoothingModel& model, SmoothingState state, std::size_t h);

/// Fits α (β, φ) and l_0 (b_0) by least squares of the one-step errors, with R's bounds
/// (α in [1e-4, 0.9999], β in [1e-4, α], φ in [0.8, 0.98]), start values and Nelder-Mead.
/// A series too short for that (n ≤ parameters + 4, as in R) starts at its first values and
/// fits only the smoothing parameters. y must not be empty.
SmoothingModel fit_smoothing(std::span<const double> y, Trend trend);

}  // namespace grucast
