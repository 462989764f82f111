#include "grucast/forecast/nonnegative.hpp"

#include <array>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

constexpr auto kNonnegativeNames = std::to_array<Named<NonnegativeMode>>(
    {{NonnegativeMode::automatic, "auto"}, {NonnegativeMode::yes, "yes"}, {NonnegativeMode::no, "no"}});

// The first negative target value of the frame: its series and row, or nullptr.
struct NegativeValue {
  const Series* series = nullptr;
  std::size_t row = 0;
};

NegativeValue first_negative(const Frame& frame) {
  for (const Series& series : frame.series) {
    const double* target = series.values.n_rows == 0 ? nullptr : series.values.memptr();
    const std::size_t rows = series.values.n_rows;
    for (std::size_t i = 0; i < series.values.n_cols; ++i) {
      if (target[i * rows] < 0.0) return {&series, i};  // NaN, a missing value, is not negative
    }
  }
  return {};
}

}  // namespace

NonnegativeMode parse_nonnegative(const std::string& text) {
  if (const auto mode = value_of(kNonnegativeNames, to_lower(trim(text)))) return *mode;
  throw UsageError("unknown non-negative setting " + quoted(text), "--nonnegative",
                   "use " + names_text(kNonnegativeNames) + " (auto: yes when every target value is >= 0)");
}

std::string nonnegative_name(NonnegativeMode mode) { return name_of(kNonnegativeNames, mode); }

bool resolve_nonnegative(NonnegativeMode mode, const Frame& frame) {
  if (mode == NonnegativeMode::no) return false;
  const NegativeValue negative = first_negative(frame);
  if (negative.series == nullptr) return true;
  if (mode == NonnegativeMode::automatic) return false;
  const Series& s = *negative.series;
  const std::size_t line = s.lines.size() > negative.row ? s.lines[negative.row] : 0;
  throw DataError(fmt::format("--nonnegative yes keeps forecasts at 0 or above, but the target {} of {} is {} "
                              "(row {} of the series)",
                              quoted(frame.columns.empty() ? "" : frame.columns.front()), frame.series_name(s),
                              s.values(0, negative.row), negative.row + 1),
                  location(frame.source, line), "use --nonnegative auto or no for a target that can be negative");
}

void clamp_nonnegative(arma::mat& values) { values.transform([](double v) { return at_least_zero(v); }); }

}  // namespace grucast
