// The path a user's CSV file takes: CsvReader, read_frame with the options chosen by the first
// two bytes (columns, delimiter, --missing, --sort, --time-format), then the future timestamps a
// forecast writes and a baseline's rolling-origin evaluation. Input: [options][columns][CSV text].
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "grucast/data/frame.hpp"
#include "grucast/data/time/time_index.hpp"
#include "grucast/forecast/baselines.hpp"
#include "grucast/forecast/evaluate.hpp"
#include "data/csv.hpp"
#include "fuzz_support.hpp"

namespace {

using grucast::DataOptions;

constexpr std::array<char, 4> kDelimiters = {0, ',', ';', '\t'};
constexpr std::array<grucast::MissingPolicy, 4> kPolicies = {
    grucast::MissingPolicy::error, grucast::MissingPolicy::drop, grucast::MissingPolicy::ffill,
    grucast::MissingPolicy::interpolate};
constexpr std::array<const char*, 8> kTimeFormats = {"",         "",         "%Y-%m-%d", "%d.%m.%Y %H:%M",
                                                     "%b %d %Y", "%Y-%m-%dT%H:%M:%S%z", "%s", "%Y%m%d"};

// Target, optional feature and optional id column picked from the header by `columns`:
// bits 0-2 the target, bits 3-5 a feature (none when 7), bit 6 an id column after the target.
void choose_columns(const std::vector<std::string>& header, std::uint8_t columns, DataOptions& options) {
  const std::size_t n = header.size();
  const std::size_t target = (columns & 7u) % n;
  options.target = header[target];
  if (((columns >> 3) & 7u) != 7u) options.features.push_back(header[((columns >> 3) & 7u) % n]);
  if ((columns & 0x40u) != 0) options.id_column = header[(target + 1) % n];
  if ((columns & 0x80u) != 0) options.time_column = "none";
}

// What read_frame promises (frame.hpp): rows in strictly ascending time, one entry per row in
// every per-row vector, and no missing value left once a policy has dealt with them.
void check_frame(const grucast::Frame& frame) {
  for (const grucast::Series& s : frame.series) {
    const std::size_t n = s.size();
    const bool shaped = n > 0 && s.values.n_cols == n && s.values.n_rows == frame.columns.size() &&
                        s.lines.size() == n && (s.offsets.empty() || s.offsets.size() == n) &&
                        (s.filled.empty() || s.filled.size() == s.values.n_elem);
    const bool ascending = std::adjacent_find(s.time.begin(), s.time.end(), std::greater_equal<>()) == s.time.end();
    const char* broken = !shaped ? "per-row sizes" : !ascending ? "ascending time" : "finite values";
    if (!shaped || !ascending || !s.values.is_finite()) {
      std::fprintf(stderr, "finding: read_frame returned a series that breaks frame.hpp's promise of %s\n", broken);
      std::abort();
    }
  }
}

// What evaluate --baseline does next: the rolling-origin test with a small lookback and horizon.
void evaluate_baseline(const grucast::Frame& frame, std::uint8_t choice) {
  const grucast::TaskShape shape{1 + (choice & 3u), 1 + ((choice >> 2) & 3u), frame.frequency.default_season()};
  const grucast::Baseline baseline(static_cast<grucast::BaselineMethod>((choice >> 4) & 3u), shape.season);
  (void)grucast::evaluate(frame, baseline, grucast::eval_options(shape, grucast::SplitSpec{}));
}

void read_and_extend(grucast::fuzz::Input input) {
  const std::uint8_t flags = input.byte();
  const std::uint8_t columns = input.byte();
  grucast::CsvReader reader("fuzz.csv", input.rest(), kDelimiters[flags & 3u]);
  DataOptions options;
  options.missing = kPolicies[(flags >> 2) & 3u];
  options.sort = (flags & 0x10u) != 0;
  options.time_format = kTimeFormats[flags >> 5];
  choose_columns(reader.header(), columns, options);
  const grucast::Frame frame = grucast::read_frame(reader, options);
  check_frame(frame);
  // What forecast and evaluate do next: the timestamps after each series' end, as written.
  const std::int64_t horizon = 1 + (columns & 0x3f);
  for (const grucast::Series& series : frame.series) {
    const std::size_t last = series.size() - 1;
    (void)frame.written_time(series, last);
    const int offset = series.offset(last);
    const grucast::TimePoint future = grucast::advance(series.time[last] + offset, frame.frequency, horizon);
    (void)frame.written_time(future - offset, offset);
  }
  evaluate_baseline(frame, columns);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  grucast::fuzz::expect_only_grucast_errors([&] { read_and_extend(grucast::fuzz::Input(data, size)); });
  return 0;
}
