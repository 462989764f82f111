// From a series in original units to what the network sees, and back: transform, scaler, window normalization.
#pragma once

#include <armadillo>
#include <cstddef>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/preprocessing.hpp"
#include "grucast/data/scaler.hpp"
#include "data/calendar_features.hpp"

namespace grucast {

/// A DataError when a value of the series' target is outside its transform's domain (log: not positive).
void check_transform_domain(const Preprocessing& prep, const Series& series, const std::string& source);

/// The (C, N) values with the target row transformed (its first lag() entries 0); the feature
/// rows as they are. A DataError names the first row log cannot take (`source` names the file).
arma::mat transform_values(const Preprocessing& prep, const Series& series, const std::string& source);

/// The largest magnitude the network reads (once transformed and scaled), with its name and
/// what takes larger values, for messages.
struct InputLimit {
  double largest = 0.0;
  std::string shown;    ///< largest as written in messages: "1e30"
  std::string network;  ///< "the f32 network"
  std::string wider;    ///< another way to train that takes larger values, or ""
};

/// The limit of a network that computes in f64 (`f64`) or f32.
InputLimit input_limit(bool f64);

/// Refuses (DataError at the row's line) the first value of `scaled` (C, N), prepared from
/// `series` with `prep`, past ±limit.largest. `columns` names the C value rows.
void check_input_range(const Preprocessing& prep, const arma::mat& scaled, const Series& series,
                       const std::vector<std::string>& columns, const InputLimit& limit, const std::string& source);

/// The scaler of one series, fitted on its transformed training rows [lag, n_train).
Scaler fit_series_scaler(const Preprocessing& prep, const arma::mat& transformed, std::size_t n_train);

/// transformed → scaled (C, N): what windows are cut from. Scales in place (pass an rvalue to
/// avoid a copy of a large series).
arma::mat scale_values(const Scaler& scaler, arma::mat transformed);

/// The scaled (C, n) rows first .. first + n − 1 of `series` with their calendar rows below them:
/// (C + 2·calendar, n), what windows are cut from. Without calendar items, `scaled` as it is.
arma::mat with_calendar(const Preprocessing& prep, arma::mat scaled, const Series& series, std::size_t first);

/// Window normalization (RevIN-style, shift only) of the target row of a window's T scaled values v:
///   center c = mean(v);  v' = v − c on the inputs and on the K targets;  ŷ = ŷ' + c on the way out;
///   and c itself as one more input row (the same at every step), so the network still knows the
///   level it was shifted by (Liu et al. 2022, "Non-stationary Transformers", re-inject it likewise).
/// Without the shift, a series whose (differenced) level drifts out of its training range (CO2's
/// growth rate) is extrapolated badly; without the center input, the network cannot tell a
/// drifting window from a noisy one and forecasts momentum (S&P 500). Dividing by the window's
/// spread was measured worse on every reference task (docs/benchmarks.md), so there is no division.
/// Writes out (D + 1, B, T) from x (D, B, T), shifts y (K, B) when not null, and one center per window.
template <class E>
void normalize_windows(const arma::Cube<E>& x, arma::Cube<E>& out, arma::Mat<E>* y, std::vector<double>& centers);

/// Scaled network outputs ŷ (K values, shifted by the window's center, 0 without window normalization) of the window
/// ending at origin t → the K values y_{t+1}..y_{t+K} in original units, undoing the series'
/// `transform` (Preprocessing::transform_of) of `lag` rows. `history` holds y_1..y_t (at least
/// lag of them), in original units.
arma::vec restore_forecast(TransformKind transform, std::size_t lag, const Scaler& scaler, double center,
                           const arma::vec& output, const double* history, std::size_t t);

}  // namespace grucast
