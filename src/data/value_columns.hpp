// The values of a series being read, grown in place (frame.cpp).
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <armadillo>
#include <cstddef>
#include <cstdint>

namespace grucast {

// Large buffers filled once, front to back: transparent huge pages take a 2 MiB page fault
// where 4 KiB pages take 512 (a tenth of reading a large file, measured).
inline void advise_huge_pages(const void* data, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
  const std::uintptr_t page = 4096, begin = (reinterpret_cast<std::uintptr_t>(data) + page - 1) / page * page,
                       end = (reinterpret_cast<std::uintptr_t>(data) + bytes) / page * page;
  if (end > begin + (std::uintptr_t{1} << 21)) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

// A row's values as the columns of a (C, capacity) matrix, grown by doubling: when the
// capacity was reserved right, the finished series takes the matrix without a copy.
struct ValueColumns {
  arma::mat data;
  std::size_t count = 0;

  // Moves that cannot throw (arma::Mat's move is not marked noexcept; it steals the memory or
  // copies a few local elements), so that the reader's vector of series moves them when it grows
  // instead of copying every series read so far: a tenth of reading 10,000 series, measured.
  ValueColumns() = default;
  ValueColumns(ValueColumns&& other) noexcept : data(std::move(other.data)), count(other.count) {}
  ValueColumns& operator=(ValueColumns&& other) noexcept {
    data = std::move(other.data);
    count = other.count;
    return *this;
  }

  void reserve(std::size_t C, std::size_t capacity) {
    data.set_size(C, capacity);
    advise_huge_pages(data.memptr(), data.n_elem * sizeof(double));
  }
  double* add(std::size_t C) {
    if (count == data.n_cols) data.resize(C, std::max<std::size_t>(1024, 2 * data.n_cols));
    return data.colptr(count++);
  }
  arma::mat take() {
    if (count != data.n_cols) data.resize(data.n_rows, count);
    return std::move(data);
  }
};

}  // namespace grucast
