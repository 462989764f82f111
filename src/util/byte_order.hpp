// Little-endian integers and IEEE-754 arrays in byte strings: the model file and the
// checkpoint (internal to the library).
#pragma once

#include <armadillo>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace grucast {

inline void put_le(std::string& out, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

inline std::uint64_t get_le(std::string_view bytes, std::uint64_t offset, int width) {
  std::uint64_t value = 0;
  for (int i = width - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return value;
}

template <class E>
void put_values(std::string& out, const arma::Col<E>& values) {
  using Bits = std::conditional_t<sizeof(E) == 4, std::uint32_t, std::uint64_t>;
  if constexpr (std::endian::native == std::endian::little) {
    out.append(reinterpret_cast<const char*>(values.memptr()), values.n_elem * sizeof(E));
  } else {
    for (const E v : values) put_le(out, std::bit_cast<Bits>(v), sizeof(E));
  }
}

template <class E>
void get_values(std::string_view bytes, std::uint64_t offset, arma::Col<E>& values) {
  using Bits = std::conditional_t<sizeof(E) == 4, std::uint32_t, std::uint64_t>;
  // An empty vector (sgd keeps no second moments) has a null memptr(), which memcpy must not
  // get even for 0 bytes.
  if (values.n_elem == 0) return;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(values.memptr(), bytes.data() + offset, values.n_elem * sizeof(E));
  } else {
    for (std::size_t i = 0; i < values.n_elem; ++i) {
      values[i] = std::bit_cast<E>(static_cast<Bits>(get_le(bytes, offset + i * sizeof(E), sizeof(E))));
    }
  }
}

}  // namespace grucast
