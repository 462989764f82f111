// Attention weights written out: per forecast, or as the mean per lag (explain.hpp).
#include "report/explain.hpp"

#include <fmt/format.h>

#include "grucast/data/time/time_index.hpp"
#include "report/writers.hpp"

namespace grucast {

std::string attention_csv_header(const Frame& frame) {
  return csv_header(frame, {"timestamp", "lag", "weight"});
}

std::string attention_csv_rows(const Frame& frame, const Series& series, std::size_t origin,
                               std::span<const double> weights) {
  const std::size_t n = series.size();
  std::string time;
  if (origin <= n) {
    time = frame.written_time(series, origin - 1);
  } else {  // a roll-out pass: its window ends in the forecasts, as many steps past the last row
    const int offset = series.offset(n - 1);
    const auto steps = static_cast<std::int64_t>(origin - n);
    time = frame.written_time(advance(series.time.back() + offset, frame.frequency, steps) - offset, offset);
  }
  const std::string prefix =
      (frame.id_column.empty() ? "" : csv_field(series.id) + ",") + csv_field(time) + ",";
  std::string out;
  const std::size_t T = weights.size();
  for (std::size_t lag = 1; lag <= T; ++lag) out += fmt::format("{}{},{}\n", prefix, lag, weights[T - lag]);
  return out;
}

void AttentionByLag::add(std::span<const double> weights) {
  if (sum_.n_elem != weights.size()) sum_.zeros(weights.size());
  const std::size_t T = weights.size();
  for (std::size_t lag = 1; lag <= T; ++lag) sum_[lag - 1] += weights[T - lag];
  ++count_;
}

std::string AttentionByLag::csv() const {
  std::string out = "lag,weight\n";
  for (std::size_t lag = 1; lag <= sum_.n_elem; ++lag) {
    out += fmt::format("{},{}\n", lag, sum_[lag - 1] / static_cast<double>(count_));
  }
  return out;
}

}  // namespace grucast
