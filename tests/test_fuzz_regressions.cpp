// Regression tests for what the fuzz targets and the sanitizer suite found
// (docs/reliability.md): each feeds the input the fuzzer reduced, written out readably,
// and pins the clean error it must give now. The raw inputs are in fuzz/regressions/<target>/,
// which scripts/fuzz.sh replays; scripts/sanitize.sh runs these tests under ASan and UBSan.
#include <doctest/doctest.h>

#include <armadillo>
#include <string>
#include <string_view>

#include "grucast/csv.hpp"
#include "grucast/error.hpp"
#include "grucast/frame.hpp"

using grucast::DataError;

namespace {

grucast::Frame read(const std::string& text, const grucast::DataOptions& options) {
  grucast::CsvReader reader("t.csv", text);
  return grucast::read_frame(reader, options);
}

}  // namespace

TEST_SUITE("fuzz regressions") {
  // fuzz/regressions/csv/drop-leaves-no-rows: the only row is missing; --missing drop left an
  // empty series, and whatever took its last row read before the start of a vector.
  TEST_CASE("--missing drop that would leave a series without rows is a DataError") {
    grucast::DataOptions options;
    options.target = "2";
    options.missing = grucast::MissingPolicy::drop;
    CHECK_THROWS_WITH_AS(read("2  \n\nnull", options),
                         "every row of the series has a missing value, so --missing drop leaves no rows, t.csv:3, "
                         "fill them in, or choose --missing ffill or interpolate",
                         DataError);
    options.id_column = "id";
    options.target = "v";
    CHECK_THROWS_WITH_AS(read("id,v\na,1\nb,NA\n", options),
                         "every row of series 'b' has a missing value, so --missing drop leaves no rows, t.csv:3, "
                         "fill them in, or choose --missing ffill or interpolate",
                         DataError);
    CHECK(read("id,v\na,1\na,NA\n", options).series.at(0).size() == 1);
  }

  // fuzz/regressions/csv/interpolate-near-1e308: (b − a)·Δt overflowed before the division by
  // the span, and --missing interpolate put infinities into the series.
  TEST_CASE("interpolation between values near ±1e308 stays finite") {
    grucast::DataOptions options;
    options.target = "v";
    options.missing = grucast::MissingPolicy::interpolate;
    const arma::rowvec expected = {0, 2.5e307, 5e307, 7.5e307, 1e308};
    CHECK(arma::approx_equal(read("time,v\n0,0\n1,\n2,\n3,\n4,1e308\n", options).series.at(0).target(), expected,
                             "reldiff", 1e-15));
    CHECK(read("time,v\n0,-1e308\n1,\n2,1e308\n", options).series.at(0).values(0, 1) == 0.0);
    // Ordinary values keep the usual formula's results, bit for bit.
    CHECK(read("time,v\n15,150\n16,\n17,\n18,180\n", options).series.at(0).values(0, 2) == 170.0);
  }

  // UBSan: an empty std::string_view has a null data(), which went to memcpy.
  TEST_CASE("a CSV reader over an empty view says the file is empty") {
    CHECK_THROWS_WITH_AS(grucast::CsvReader("t.csv", std::string_view{}),
                         "the file is empty, t.csv, pass a CSV file with a header row and data rows", DataError);
  }
}
