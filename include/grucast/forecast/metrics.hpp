// Point-forecast error metrics of the accuracy protocol (docs/benchmarks.md), in original units.
#pragma once

#include <armadillo>
#include <cstddef>

namespace grucast {

/// Metrics over a set of (forecast f, actual y) pairs. NaN marks a metric that is undefined:
/// MAPE when every actual is zero, MASE when no series has a usable scale.
struct Metrics {
  std::size_t count = 0;         ///< pairs
  double mae = 0.0;              ///< mean |f − y|
  double rmse = 0.0;             ///< sqrt(mean (f − y)²)
  double mape = 0.0;             ///< mean 100·|f − y|/|y| over the pairs with y ≠ 0
  double smape = 0.0;            ///< mean 200·|f − y|/(|f| + |y|); a term with |f| + |y| = 0 counts 0
  double mase = 0.0;             ///< mean |f − y|/s, each pair with its own series' scale s
  std::size_t mape_skipped = 0;  ///< pairs left out of MAPE because y = 0
  std::size_t mase_skipped = 0;  ///< pairs left out of MASE because their series has no scale
  std::size_t filled_skipped = 0;  ///< pairs not scored at all because --missing filled in the actual
};

/// Running sums from which Metrics are computed; merge() pools sums of other series or steps.
class ErrorSums {
 public:
  /// Adds one pair; `scale` is the series' MASE scale s (NaN or 0: left out of MASE).
  void add(double forecast, double actual, double scale);
  /// Counts a pair that is not scored because its actual value was filled in, not observed.
  void skip_filled() { ++filled_; }
  void merge(const ErrorSums& other);
  Metrics metrics() const;

 private:
  std::size_t n_ = 0, ape_n_ = 0, zeros_ = 0, scaled_n_ = 0, filled_ = 0;
  double abs_ = 0.0, ape_ = 0.0, smape_ = 0.0, scaled_ = 0.0;
  long double squared_ = 0.0L;  // squares of errors past 1.3e154 stay finite (x87 range on x86-64)
};

/// MASE scale s = mean |y_i − y_{i−m}| over i = m+1..n_train (1-based): the in-sample one-step
/// seasonal-naive error on the training part. NaN when n_train <= m, or when it overflows a double.
double mase_scale(const arma::rowvec& y, std::size_t n_train, std::size_t season);

}  // namespace grucast
