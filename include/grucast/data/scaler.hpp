// Per-column scaling fitted on the training part only.
#pragma once

#include <armadillo>
#include <cstddef>
#include <string>

namespace grucast {

enum class ScalerKind { zscore, minmax, none };

/// Parses a --scaler value (zscore, minmax, none).
ScalerKind parse_scaler(const std::string& text);
std::string scaler_name(ScalerKind kind);

/// x' = (x − shift) / scale for every column (row of a (C, N) matrix).
///   zscore: shift = mean, scale = standard deviation (population, 1/n) of the training rows;
///   minmax: shift = min, scale = max − min (training rows map into [0, 1]);
///   none:   shift = 0, scale = 1.
/// A constant column gets scale 1, so it maps to 0 instead of dividing by zero.
struct Scaler {
  ScalerKind kind = ScalerKind::none;
  arma::vec shift;  ///< (C)
  arma::vec scale;  ///< (C)

  /// Fits on the first `n_train` columns (rows of the series) of `values` (C, N).
  static Scaler fit(ScalerKind kind, const arma::mat& values, std::size_t n_train);
  /// (C, N) in original units -> scaled.
  arma::mat transform(const arma::mat& values) const;
  /// transform() over `values` itself, for series too large to copy.
  void transform_in_place(arma::mat& values) const;
  /// (C, N) scaled -> original units.
  arma::mat inverse(const arma::mat& scaled) const;
  /// Scaled values of column `column` (any shape) -> original units.
  arma::mat inverse_column(const arma::mat& scaled, std::size_t column) const;
};

}  // namespace grucast
