#include "grucast/data/scaler.hpp"

#include <cmath>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"

namespace grucast {

namespace {

constexpr auto kScalerNames = std::to_array<Named<ScalerKind>>(
    {{ScalerKind::zscore, "zscore"}, {ScalerKind::minmax, "minmax"}, {ScalerKind::none, "none"}});

}  // namespace

ScalerKind parse_scaler(const std::string& text) {
  if (const auto kind = value_of(kScalerNames, text)) return *kind;
  throw UsageError(fmt::format("unknown scaler '{}'", text), "--scaler", "choose " + names_text(kScalerNames));
}

std::string scaler_name(ScalerKind kind) { return name_of(kScalerNames, kind); }

Scaler Scaler::fit(ScalerKind kind, const arma::mat& values, std::size_t n_train) {
  Scaler s;
  s.kind = kind;
  s.shift.zeros(values.n_rows);
  s.scale.ones(values.n_rows);
  if (kind == ScalerKind::none || n_train == 0) return s;
  // The first n_train columns are contiguous: a view, not a copy of a large series.
  const arma::mat train(const_cast<double*>(values.memptr()), values.n_rows, n_train, false, true);
  const arma::vec magnitude = arma::max(arma::abs(arma::min(train, 1)), arma::abs(arma::max(train, 1)));  // max |x|
  if (kind == ScalerKind::zscore) {
    // On each row divided by its largest |x|: the squares of values near 1e±300 would overflow
    // or underflow (and a sum of them overflow), and the spread would come out as inf or 0.
    for (std::size_t c = 0; c < values.n_rows; ++c) {
      const double m = magnitude[c] > 0.0 && std::isfinite(magnitude[c]) ? magnitude[c] : 1.0;
      const arma::rowvec row = train.row(c) / m;
      s.shift[c] = arma::mean(row) * m;
      s.scale[c] = arma::stddev(row, 1) * m;  // norm_type 1: divide by n
    }
  } else {
    s.shift = arma::min(train, 1);
    s.scale = arma::max(train, 1) - s.shift;
  }
  // A column constant up to rounding (a spread below 1e-12 of its magnitude) counts as constant:
  // dividing by the rounding noise would blow it up.
  for (std::size_t c = 0; c < s.scale.n_elem; ++c) {
    if (!(s.scale[c] > 1e-12 * magnitude[c])) s.scale[c] = 1.0;
  }
  return s;
}

arma::mat Scaler::transform(const arma::mat& values) const {
  arma::mat out = values;
  transform_in_place(out);
  return out;
}

void Scaler::transform_in_place(arma::mat& values) const {
  values.each_col() -= shift;
  values.each_col() /= scale;
}

arma::mat Scaler::inverse(const arma::mat& scaled) const {
  arma::mat out = scaled;
  out.each_col() %= scale;
  out.each_col() += shift;
  return out;
}

arma::mat Scaler::inverse_column(const arma::mat& scaled, std::size_t column) const {
  return scaled * scale(column) + shift(column);
}

}  // namespace grucast
