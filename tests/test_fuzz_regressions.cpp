// Regression tests for what the fuzz targets and the sanitizer suite found
// (docs/reliability.md): each feeds the input the fuzzer reduced, written out readably,
// and pins the clean error it must give now. The raw inputs are in fuzz/regressions/<target>/,
// which scripts/fuzz.sh replays; scripts/sanitize.sh runs these tests under ASan and UBSan.
#include <doctest/doctest.h>

#include <armadillo>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "grucast/data/frame.hpp"
#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "data/csv.hpp"
#include "io/checkpoint.hpp"
#include "support/files.hpp"
#include "support/frames.hpp"
#include "util/hash.hpp"

using grucast::DataError;

namespace {

grucast::Frame read(const std::string& text, const grucast::DataOptions& options) {
  grucast::CsvReader reader("t.csv", text);
  return grucast::read_frame(reader, options);
}

std::uint64_t get_le64(const std::string& bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

void put_le64(std::string& bytes, std::size_t at, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

// A checkpoint of a tiny run whose state JSON (after the embedded model file) is `edit`ed, with
// its length and the checksum made right again, as the fuzz target does.
std::string checkpoint_with_state(const std::function<std::string(std::string)>& edit) {
  grucast::test::TempDir dir;
  grucast::ModelConfig config;
  config.lookback = 4;
  config.shape = {config.prep.inputs(0), 2, 1, 1, 0.0};
  config.train.epochs = 2;
  grucast::FitControl control;
  control.checkpoint_every = 1;
  control.checkpoint_path = (dir / "c.ckpt").string();
  const grucast::Frame frame = grucast::test::generated_frame(60, [](std::size_t i) { return (i * 7) % 11; });
  grucast::fit_model(frame, config, grucast::DataConfig{"y", {}, "", "", "", {}}, nullptr, control);
  const std::string bytes = grucast::test::read_text(control.checkpoint_path);
  const std::size_t state_at = 20 + get_le64(bytes, 12) + 8;  // magic, version, model length, model, length
  const std::string state = bytes.substr(state_at, get_le64(bytes, state_at - 8));
  std::string edited = bytes.substr(0, state_at) + edit(state) + bytes.substr(state_at + state.size());
  put_le64(edited, state_at - 8, edit(state).size());
  edited.resize(edited.size() - 8);
  edited += std::string(8, '\0');
  put_le64(edited, edited.size() - 8, grucast::fnv1a64(std::string_view(edited).substr(0, edited.size() - 8)));
  return edited;
}

}  // namespace

TEST_SUITE("fuzz regressions") {
  // fuzz/regressions/checkpoint/state-format-not-a-string: the state JSON's "format" became a
  // number, and json.value("format", "") threw nlohmann's type_error instead of a ModelError.
  TEST_CASE("a checkpoint whose state names its format with a number is refused cleanly") {
    const std::string good = checkpoint_with_state([](std::string state) { return state; });
    CHECK(grucast::parse_checkpoint(good, "c.ckpt").state_of<float>().epoch == 1);
    const std::string bad = checkpoint_with_state([](std::string state) {
      const std::string key = "\"format\":\"grucast-checkpoint\"";
      REQUIRE(state.find(key) != std::string::npos);
      return state.replace(state.find(key), key.size(), "\"format\":6896045811037539162");
    });
    CHECK_THROWS_WITH_AS(grucast::parse_checkpoint(bad, "c.ckpt"),
                         doctest::Contains("the state is not a grucast checkpoint's, c.ckpt"), grucast::ModelError);
  }

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
  // the span, and --missing interpolate put infinities into the series. Values past ±1e306 are
  // now refused as they are read; at ±1e306 a time span of 500 still overflows the product.
  TEST_CASE("interpolation between values near ±1e308 stays finite") {
    grucast::DataOptions options;
    options.target = "v";
    options.missing = grucast::MissingPolicy::interpolate;
    CHECK_THROWS_AS(read("time,v\n0,0\n1,\n2,\n3,\n4,1e308\n", options), grucast::DataError);
    const arma::rowvec expected = {0, 2.5e305, 5e305, 7.5e305, 1e306};
    CHECK(arma::approx_equal(read("time,v\n0,0\n500,\n1000,\n1500,\n2000,1e306\n", options).series.at(0).target(),
                             expected, "reldiff", 1e-15));
    CHECK(read("time,v\n0,-1e306\n500,\n1000,1e306\n", options).series.at(0).values(0, 1) == 0.0);
    // Ordinary values keep the usual formula's results, bit for bit.
    CHECK(read("time,v\n15,150\n16,\n17,\n18,180\n", options).series.at(0).values(0, 2) == 170.0);
  }

  // UBSan: an empty std::string_view has a null data(), which went to memcpy.
  TEST_CASE("a CSV reader over an empty view says the file is empty") {
    CHECK_THROWS_WITH_AS(grucast::CsvReader("t.csv", std::string_view{}),
                         "the file is empty, t.csv, pass a CSV file with a header row and data rows", DataError);
  }
}
