#include "nn/params.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace grucast {

std::size_t ParamLayout::add(std::string name, std::size_t rows, std::size_t cols, double init_bound) {
  slices_.push_back({std::move(name), rows, cols, size_, init_bound});
  size_ += rows * cols;
  return slices_.size() - 1;
}

std::string ParamLayout::describe(std::size_t index) const {
  for (const Slice& s : slices_) {
    if (index < s.offset || index >= s.offset + s.size()) continue;
    const std::size_t local = index - s.offset;
    return fmt::format("{}[{}, {}]", s.name, local % s.rows, local / s.rows);
  }
  throw std::out_of_range(fmt::format("parameter {} is past the {} of the layout", index, size_));
}

const Slice* ParamLayout::find(std::string_view name) const {
  for (const Slice& s : slices_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// SplitMix64 (Steele, Lea and Flood 2014): one multiply-xorshift chain per number.
Random::Random(std::uint64_t seed) : state_(seed) {}

std::uint64_t Random::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::size_t Random::below(std::size_t n) { return static_cast<std::size_t>(uniform() * static_cast<double>(n)); }

template <class E>
void init_params(const ParamLayout& layout, arma::Col<E>& params, std::uint64_t seed) {
  params.set_size(layout.size());
  Random random(seed);
  for (const Slice& s : layout.slices()) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      params[s.offset + i] = static_cast<E>((2.0 * random.uniform() - 1.0) * s.init_bound);
    }
  }
}

template void init_params<float>(const ParamLayout&, arma::Col<float>&, std::uint64_t);
template void init_params<double>(const ParamLayout&, arma::Col<double>&, std::uint64_t);

}  // namespace grucast
