// Attention weights as CSV: the model's explanation of which past steps each forecast used.
#pragma once

#include <armadillo>
#include <cstddef>
#include <span>
#include <string>

#include "grucast/data/frame.hpp"

namespace grucast {

/// "timestamp,lag,weight", after the id column (named as in the input: csv_header) with one.
std::string attention_csv_header(const Frame& frame);

/// The rows of one forecast: its origin (rows seen; past the series' end for a recursive
/// roll-out) gives the timestamp, that of the last row the window saw; lag ℓ = T + 1 − t is
/// the weight of step t, so lag 1 is that last row.
std::string attention_csv_rows(const Frame& frame, const Series& series, std::size_t origin,
                               std::span<const double> weights);

/// Sums the weights of many forecasts by lag, for their mean.
class AttentionByLag {
 public:
  void add(std::span<const double> weights);
  std::size_t count() const { return count_; }
  /// "lag,weight", the mean weight of each lag 1..T over the forecasts added.
  std::string csv() const;

 private:
  arma::vec sum_;  ///< by lag − 1
  std::size_t count_ = 0;
};

}  // namespace grucast
