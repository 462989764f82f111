// One flat parameter buffer with named slices: every tensor of a model is a view into it.
#pragma once

#include <armadillo>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace grucast {

/// A named (rows, cols) tensor at `offset` in the flat buffer, stored column-major.
struct Slice {
  std::string name;  ///< PyTorch state_dict name, e.g. "gru.weight_ih_l0"
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t offset = 0;
  double init_bound = 0.0;  ///< initialized uniform in [−bound, bound]

  std::size_t size() const { return rows * cols; }
};

/// The slice table of a model: where every tensor lives in the flat buffer.
class ParamLayout {
 public:
  /// Appends a (rows, cols) slice; returns its index.
  std::size_t add(std::string name, std::size_t rows, std::size_t cols, double init_bound);

  const std::vector<Slice>& slices() const { return slices_; }
  const Slice& operator[](std::size_t i) const { return slices_[i]; }
  /// Total number of parameters.
  std::size_t size() const { return size_; }
  /// The slice holding flat position `index`, for messages ("gru.weight_hh_l1[3, 7]").
  std::string describe(std::size_t index) const;
  /// The slice named `name`, or nullptr.
  const Slice* find(std::string_view name) const;

 private:
  std::vector<Slice> slices_;
  std::size_t size_ = 0;
};

/// A matrix view of slice `s` of `flat`: writes go to the buffer, nothing is copied.
template <class E>
arma::Mat<E> slice_view(arma::Col<E>& flat, const Slice& s) {
  return arma::Mat<E>(flat.memptr() + s.offset, s.rows, s.cols, false, true);
}

/// A read-only matrix view of slice `s` of `flat` (the caller must not write through it).
template <class E>
const arma::Mat<E> slice_view(const arma::Col<E>& flat, const Slice& s) {
  return arma::Mat<E>(const_cast<E*>(flat.memptr()) + s.offset, s.rows, s.cols, false, true);
}

/// Uniform numbers from a seed, the same on every platform (std distributions are not).
class Random {
 public:
  explicit Random(std::uint64_t seed);
  std::uint64_t next();
  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, n).
  std::size_t below(std::size_t n);
  /// The generator's whole state: Random r(0); r.restore(s.state()) continues s's sequence.
  std::uint64_t state() const { return state_; }
  void restore(std::uint64_t state) { state_ = state; }

 private:
  std::uint64_t state_;
};

/// Fills every slice of `params` uniformly in ±its init_bound.
template <class E>
void init_params(const ParamLayout& layout, arma::Col<E>& params, std::uint64_t seed);

}  // namespace grucast
