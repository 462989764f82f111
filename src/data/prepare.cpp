#include "data/prepare.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

constexpr auto kTransformNames = std::to_array<Named<TransformKind>>(
    {{TransformKind::none, "none"}, {TransformKind::log, "log"}, {TransformKind::diff, "diff"},
     {TransformKind::sdiff, "sdiff"}, {TransformKind::log_diff, "log+diff"}, {TransformKind::log_sdiff, "log+sdiff"}});
constexpr auto kNormalizeNames =
    std::to_array<Named<NormalizeKind>>({{NormalizeKind::none, "none"}, {NormalizeKind::window, "window"}});

}  // namespace

TransformKind parse_transform(const std::string& text) {
  if (const auto kind = value_of(kTransformNames, to_lower(trim(text)))) return *kind;
  throw UsageError("unknown transform " + quoted(text), "--transform", "use " + names_text(kTransformNames));
}

std::string transform_name(TransformKind kind) { return name_of(kTransformNames, kind); }

bool takes_log(TransformKind kind) {
  return kind == TransformKind::log || kind == TransformKind::log_diff || kind == TransformKind::log_sdiff;
}

TransformKind with_log(TransformKind kind) {
  switch (kind) {
    case TransformKind::none: return TransformKind::log;
    case TransformKind::diff: return TransformKind::log_diff;
    case TransformKind::sdiff: return TransformKind::log_sdiff;
    default: return kind;
  }
}

TransformKind Preprocessing::transform_of(const std::string& id) const {
  return std::binary_search(logged.begin(), logged.end(), id) ? with_log(transform) : transform;
}

NormalizeKind parse_normalize(const std::string& text) {
  if (const auto kind = value_of(kNormalizeNames, to_lower(trim(text)))) return *kind;
  throw UsageError("unknown normalization " + quoted(text), "--normalize", "use " + names_text(kNormalizeNames));
}

std::string normalize_name(NormalizeKind kind) { return name_of(kNormalizeNames, kind); }

std::size_t Preprocessing::inputs(std::size_t features) const {
  return 1 + features + kCalendarRows * calendar.size() + (normalize == NormalizeKind::window ? 1 : 0);
}

std::size_t Preprocessing::lag() const {
  switch (transform) {
    case TransformKind::diff:
    case TransformKind::log_diff: return 1;
    case TransformKind::sdiff:
    case TransformKind::log_sdiff: return season;
    default: return 0;
  }
}

void check_transform_domain(const Preprocessing& prep, const Series& series, const std::string& source) {
  const TransformKind transform = prep.transform_of(series.id);
  if (!takes_log(transform)) return;
  for (std::size_t i = 0; i < series.values.n_cols; ++i) {
    if (series.values(0, i) > 0.0) continue;
    const std::string name = series.id.empty() ? "the series" : "series " + quoted(series.id);
    const std::string where = location(source, i < series.lines.size() ? series.lines[i] : 0);
    if (transform != prep.transform) {  // --transform auto took logs of this series
      throw DataError(fmt::format("the model takes logarithms of {} ({} for it: --transform auto chose it on "
                                  "validation), but its target is {}", name, transform_name(transform),
                                  series.values(0, i)),
                      where, fmt::format("give positive values, or train with --transform {}",
                                         transform_name(prep.transform)));
    }
    throw DataError(fmt::format("--transform {} needs positive values, but the target of {} is {}",
                                transform_name(transform), name, series.values(0, i)),
                    where, "give positive values, or train with --transform none, diff or sdiff");
  }
}

arma::mat transform_values(const Preprocessing& prep, const Series& series, const std::string& source) {
  check_transform_domain(prep, series, source);
  arma::mat out = series.values;
  const std::size_t lag = prep.lag(), N = out.n_cols;
  if (takes_log(prep.transform_of(series.id))) {
    for (std::size_t i = 0; i < N; ++i) out(0, i) = std::log(out(0, i));
  }
  if (lag > 0) {
    for (std::size_t i = N; i-- > lag;) out(0, i) -= out(0, i - lag);  // from the end: y_{i−lag} still original
    for (std::size_t i = 0; i < std::min(lag, N); ++i) out(0, i) = 0.0;
  }
  return out;
}

// f32 ends at 3.4e38: 1e30 leaves room for the products and sums of a forward pass. In f64 a
// squared error ends at 1.3e154 (the square root of a double's limit).
InputLimit input_limit(bool f64) {
  if (f64) return {1e150, "1e150", "the f64 network", ""};
  return {1e30, "1e30", "the f32 network", "train with --precision f64 (up to ±1e150)"};
}

// "is 4.23e+99 once prepared (--transform sdiff, --scaler zscore fitted on the training part)"
std::string prepared_text(const Preprocessing& prep, double prepared) {
  const std::string options = fmt::format("--transform {}, --scaler {}", transform_name(prep.transform),
                                          scaler_name(prep.scaler));
  if (prep.transform == TransformKind::none && prep.scaler == ScalerKind::none) {
    return fmt::format("is read as it is ({})", options);
  }
  return fmt::format("is {:.3g} once prepared ({}{})", prepared, options,
                     prep.scaler == ScalerKind::none ? "" : " fitted on the training part");
}

void check_input_range(const Preprocessing& prep, const arma::mat& scaled, const Series& series,
                       const std::vector<std::string>& columns, const InputLimit& limit, const std::string& source) {
  const std::size_t C = std::min<std::size_t>(columns.size(), scaled.n_rows);
  for (std::size_t i = 0; i < scaled.n_cols; ++i) {
    for (std::size_t c = 0; c < C; ++c) {
      if (std::abs(scaled(c, i)) <= limit.largest) continue;
      std::string hint = prep.scaler == ScalerKind::none ? "use --scaler zscore or minmax"
                                                         : "check the value (an outlier, or another unit?)";
      if (!limit.wider.empty()) hint += ", or " + limit.wider;
      throw DataError(fmt::format("value {:.6g} in column {} {}, past ±{}, the range of {}", series.values(c, i),
                                  quoted(columns[c]), prepared_text(prep, scaled(c, i)), limit.shown, limit.network),
                      location(source, i < series.lines.size() ? series.lines[i] : 0), hint);
    }
  }
}

Scaler fit_series_scaler(const Preprocessing& prep, const arma::mat& transformed, std::size_t n_train) {
  const std::size_t lag = prep.lag();
  if (n_train <= lag) return Scaler::fit(prep.scaler, transformed, 0);
  // Columns lag .. N − 1 are contiguous: a view, not a copy of a large series.
  const arma::mat after_lag(const_cast<double*>(transformed.colptr(lag)), transformed.n_rows, transformed.n_cols - lag,
                            false, true);
  return Scaler::fit(prep.scaler, after_lag, n_train - lag);
}

arma::mat scale_values(const Scaler& scaler, arma::mat transformed) {
  scaler.transform_in_place(transformed);
  return transformed;
}

arma::mat with_calendar(const Preprocessing& prep, arma::mat scaled, const Series& series, std::size_t first) {
  if (prep.calendar.empty()) return scaled;
  return arma::join_cols(scaled, calendar_rows(prep.calendar, series, first, first + scaled.n_cols));
}

template <class E>
void normalize_windows(const arma::Cube<E>& x, arma::Cube<E>& out, arma::Mat<E>* y, std::vector<double>& centers) {
  const std::size_t D = x.n_rows, B = x.n_cols, T = x.n_slices;
  if (out.n_rows != D + 1 || out.n_cols != B || out.n_slices != T) out.set_size(D + 1, B, T);
  centers.resize(B);
  for (std::size_t b = 0; b < B; ++b) {
    double sum = 0.0;
    for (std::size_t t = 0; t < T; ++t) sum += static_cast<double>(x(0, b, t));
    const double center = sum / static_cast<double>(T);
    for (std::size_t t = 0; t < T; ++t) {
      out(0, b, t) = static_cast<E>(static_cast<double>(x(0, b, t)) - center);
      for (std::size_t d = 1; d < D; ++d) out(d, b, t) = x(d, b, t);
      out(D, b, t) = static_cast<E>(center);
    }
    if (y != nullptr) {
      for (std::size_t k = 0; k < y->n_rows; ++k) (*y)(k, b) = static_cast<E>(static_cast<double>((*y)(k, b)) - center);
    }
    centers[b] = center;
  }
}

arma::vec restore_forecast(TransformKind transform, std::size_t lag, const Scaler& scaler, double center,
                           const arma::vec& output, const double* history, std::size_t t) {
  const std::size_t K = output.n_elem;
  const double shift = scaler.shift.empty() ? 0.0 : scaler.shift[0];
  const double scale = scaler.scale.empty() ? 1.0 : scaler.scale[0];
  arma::vec y(K);
  for (std::size_t h = 0; h < K; ++h) y[h] = (output[h] + center) * scale + shift;
  const bool log = takes_log(transform);
  // z_{t+h} = z_{t+h−lag} + d_{t+h} (z = y, or log y), from the history or the forecasts already made
  for (std::size_t h = 0; lag > 0 && h < K; ++h) {
    y[h] += h >= lag ? y[h - lag] : log ? std::log(history[t + h - lag]) : history[t + h - lag];
  }
  return log ? arma::exp(y) : y;
}

template void normalize_windows<float>(const arma::Cube<float>&, arma::Cube<float>&, arma::Mat<float>*,
                                       std::vector<double>&);
template void normalize_windows<double>(const arma::Cube<double>&, arma::Cube<double>&, arma::Mat<double>*,
                                        std::vector<double>&);

}  // namespace grucast
