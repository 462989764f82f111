// Windows over the scaled data: an index of (series, origin) pairs, never the windows themselves.
#pragma once

#include <armadillo>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace grucast {

/// Window with origin t in series s: rows [t − T, t) are its input, rows [t, t + K) its target.
struct WindowRef {
  std::uint32_t series = 0;
  std::uint32_t origin = 0;
};

/// The windows a trainer or evaluator may draw. Holds 8 bytes per window whatever the
/// lookback: a 1M-row series with T = 168 costs 8 MB here, not 168 times the data.
class WindowIndex {
 public:
  WindowIndex(std::size_t lookback, std::size_t horizon) : lookback_(lookback), horizon_(horizon) {}

  /// Adds the windows of series `series` with origins first..last (inclusive).
  void add(std::size_t series, std::size_t first_origin, std::size_t last_origin);

  std::size_t size() const { return refs_.size(); }
  const WindowRef& operator[](std::size_t i) const { return refs_[i]; }
  std::size_t lookback() const { return lookback_; }
  std::size_t horizon() const { return horizon_; }
  /// Bytes the index holds.
  std::size_t memory_bytes() const { return refs_.capacity() * sizeof(WindowRef); }

 private:
  std::size_t lookback_;
  std::size_t horizon_;
  std::vector<WindowRef> refs_;
};

/// The (D, T) input of a window: columns t − T .. t − 1 of its series' scaled (D, N) data,
/// a read-only view that copies nothing.
const arma::subview<double> window_input(const std::vector<arma::mat>& scaled, const WindowIndex& index,
                                   const WindowRef& window);

/// Gathers the windows `batch` (positions in `index`) of the scaled (D, N) series into
/// x (D, B, T) and y (K, B), y taking row 0 (the target) of the next K columns. Only B windows
/// are copied: memory is O(B·D·T) whatever the number of windows. x and y are resized when
/// their shape differs, so a caller that reuses them allocates once. A batch position, or a
/// window that does not fit its series (origin + K > N, another D), is std::out_of_range.
template <class E>
void gather_batch(const std::vector<arma::mat>& scaled, const WindowIndex& index,
                  std::span<const std::size_t> batch, arma::Cube<E>& x, arma::Mat<E>& y);

}  // namespace grucast
