#include <doctest/doctest.h>
#include <malloc.h>

#include <numeric>

#include "data/window.hpp"

using namespace grucast;

namespace {

// Bytes of heap in use: small blocks plus mmap'ed large ones.
std::size_t heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

std::vector<arma::mat> numbered_series(std::size_t d, std::size_t n) {
  // value(d, i) = 1000·d + i, so every gathered element says where it came from
  arma::mat data(d, n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t r = 0; r < d; ++r) data(r, i) = 1000.0 * static_cast<double>(r) + static_cast<double>(i);
  }
  return {data, data + 0.5};
}

}  // namespace

TEST_SUITE("window") {
  TEST_CASE("a window that does not fit its series, or a position past the index, is refused") {
    const std::vector<arma::mat> scaled = numbered_series(2, 10);
    WindowIndex index(3, 4);
    index.add(0, 3, 7);  // origin 7 would need rows 7..10 of a 10-row series
    arma::Cube<double> x;
    arma::Mat<double> y;
    const std::vector<std::size_t> fits = {3}, too_far = {4}, past_end = {5};
    CHECK_NOTHROW(gather_batch<double>(scaled, index, fits, x, y));
    CHECK(y(3, 0) == 9.0);
    CHECK_THROWS_AS(gather_batch<double>(scaled, index, too_far, x, y), std::out_of_range);
    CHECK_THROWS_AS(gather_batch<double>(scaled, index, past_end, x, y), std::out_of_range);
    CHECK_THROWS_AS(index.add(0, 2, 5), std::invalid_argument);  // origin 2 has only 2 rows of history
  }

  TEST_CASE("a window is a view of the scaled data, and a batch gathers exactly its windows") {
    const std::vector<arma::mat> scaled = numbered_series(3, 50);
    WindowIndex index(4, 2);
    index.add(0, 4, 48);
    index.add(1, 10, 12);
    REQUIRE(index.size() == 48);
    const arma::subview<double> view = window_input(scaled, index, index[45]);  // series 1, origin 10
    CHECK(view.n_rows == 3);
    CHECK(view.n_cols == 4);
    CHECK(&view.m == &scaled[1]);  // no copy: a view of series 1 from column 6
    CHECK(view.aux_col1 == 6);
    arma::Cube<float> x;
    arma::Mat<float> y;
    const std::vector<std::size_t> batch = {0, 45};
    gather_batch<float>(scaled, index, batch, x, y);
    CHECK(x.n_rows == 3);
    CHECK(x.n_cols == 2);
    CHECK(x.n_slices == 4);
    CHECK(x(2, 0, 0) == 2000.0f);      // series 0, origin 4: first input row 0
    CHECK(x(1, 1, 3) == 1009.5f);      // series 1, origin 10: last input row 9
    CHECK(y(0, 0) == 4.0f);            // target = row 0 of rows 4, 5
    CHECK(y(1, 1) == 11.5f);
  }

  TEST_CASE("the index costs 8 bytes per window, whatever the lookback") {
    WindowIndex short_windows(8, 24), long_windows(4096, 24);
    short_windows.add(0, 8, 100'007);
    long_windows.add(0, 4096, 104'095);
    CHECK(short_windows.size() == long_windows.size());
    CHECK(short_windows.memory_bytes() == 100'000 * sizeof(WindowRef));
    CHECK(long_windows.memory_bytes() == short_windows.memory_bytes());
  }

  TEST_CASE("adding one origin at a time grows the index geometrically, not by one window a call") {
    // Scoring adds each test origin alone; an exact reserve per call made that quadratic
    // (2M origins: minutes). Count the reallocations instead of timing them.
    WindowIndex index(4, 1);
    std::size_t moves = 0;
    const WindowRef* data = nullptr;
    for (std::size_t t = 4; t < 200'004; ++t) {
      index.add(0, t, t);
      if (&index[0] != data) {
        ++moves;
        data = &index[0];
      }
    }
    CHECK(index.size() == 200'000);
    CHECK(moves <= 40);  // log2(200,000) ≈ 18 doublings
    CHECK(index.memory_bytes() <= 2 * index.size() * sizeof(WindowRef));
  }

  // mallinfo2 reports nothing under AddressSanitizer, whose allocator replaces malloc's.
#if defined(__SANITIZE_ADDRESS__)
  TEST_CASE("heap use of index and batch (skipped: AddressSanitizer hides the heap)" * doctest::skip()) {
#else
  TEST_CASE("heap use: the index holds 8 bytes a window at any lookback, a batch only its B windows") {
#endif
    const std::size_t n = 200'000, d = 4, b = 32;
    const std::vector<arma::mat> scaled = numbered_series(d, n);
    std::vector<std::size_t> batch(b);
    std::iota(batch.begin(), batch.end(), 0);
    for (const std::size_t lookback : {8, 2048}) {
      CAPTURE(lookback);
      const std::size_t before = heap_in_use();
      WindowIndex index(lookback, 12);
      index.add(0, lookback, n - 12);
      const std::size_t index_bytes = heap_in_use() - before;
      // 8 bytes per window; materialized windows would need lookback · d · 8 bytes each.
      CHECK(index_bytes <= index.size() * sizeof(WindowRef) + 4096);
      arma::Cube<float> x;
      arma::Mat<float> y;
      const std::size_t before_batch = heap_in_use();
      gather_batch<float>(scaled, index, batch, x, y);
      const std::size_t batch_bytes = heap_in_use() - before_batch;
      // x and y, plus the table of slice pointers Armadillo keeps for a cube
      CHECK(batch_bytes <= (d * b * lookback + 12 * b) * sizeof(float) + lookback * sizeof(void*) + 4096);
    }
  }
}
