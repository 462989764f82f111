#include "data/window.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace grucast {

void WindowIndex::add(std::size_t series, std::size_t first_origin, std::size_t last_origin) {
  if (first_origin < lookback_ || series > UINT32_MAX || last_origin > UINT32_MAX) {
    throw std::invalid_argument(fmt::format("window origins {}..{} of series {} do not fit lookback {}",
                                            first_origin, last_origin, series, lookback_));
  }
  if (last_origin < first_origin) return;
  // Exactly what the first call needs (a series' windows in one call cost 8 bytes each), then at
  // least doubling: callers that add one origin at a time stay linear, not quadratic.
  const std::size_t needed = refs_.size() + (last_origin - first_origin + 1);
  if (needed > refs_.capacity()) refs_.reserve(std::max(needed, 2 * refs_.capacity()));
  for (std::size_t t = first_origin; t <= last_origin; ++t) {
    refs_.push_back({static_cast<std::uint32_t>(series), static_cast<std::uint32_t>(t)});
  }
}

const arma::subview<double> window_input(const std::vector<arma::mat>& scaled, const WindowIndex& index,
                                   const WindowRef& window) {
  const arma::mat& data = scaled[window.series];
  return data.cols(window.origin - index.lookback(), window.origin - 1);
}

template <class E>
void gather_batch(const std::vector<arma::mat>& scaled, const WindowIndex& index,
                  std::span<const std::size_t> batch, arma::Cube<E>& x, arma::Mat<E>& y) {
  const std::size_t T = index.lookback(), K = index.horizon(), B = batch.size();
  const std::size_t D = scaled.empty() ? 0 : scaled.front().n_rows;
  if (x.n_rows != D || x.n_cols != B || x.n_slices != T) x.set_size(D, B, T);
  if (y.n_rows != K || y.n_cols != B) y.set_size(K, B);
  for (std::size_t b = 0; b < B; ++b) {
    if (batch[b] >= index.size()) throw std::out_of_range("gather_batch: batch position past the index");
    const WindowRef& w = index[batch[b]];
    const arma::mat& data = scaled.at(w.series);
    if (w.origin + K > data.n_cols || data.n_rows != D) {
      throw std::out_of_range(fmt::format("gather_batch: window at origin {} does not fit series {} ({} x {})",
                                          w.origin, w.series, data.n_rows, data.n_cols));
    }
    for (std::size_t t = 0; t < T; ++t) {
      const double* column = data.colptr(w.origin - T + t);
      E* out = x.memptr() + (t * B + b) * D;  // x(., b, t): slices are contiguous (D, B) blocks
      for (std::size_t d = 0; d < D; ++d) out[d] = static_cast<E>(column[d]);
    }
    for (std::size_t k = 0; k < K; ++k) y(k, b) = static_cast<E>(data(0, w.origin + k));
  }
}

template void gather_batch<float>(const std::vector<arma::mat>&, const WindowIndex&, std::span<const std::size_t>,
                                  arma::Cube<float>&, arma::Mat<float>&);
template void gather_batch<double>(const std::vector<arma::mat>&, const WindowIndex&, std::span<const std::size_t>,
                                   arma::Cube<double>&, arma::Mat<double>&);

}  // namespace grucast
