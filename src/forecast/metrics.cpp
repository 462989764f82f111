#include "grucast/forecast/metrics.hpp"

#include <cmath>
#include <limits>

namespace grucast {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

// Terms are divided before they are scaled (error / |y| · 100), so no term overflows a double
// unless the data does. Double sums keep this loop fast; a sum that still overflows makes its
// metric infinite, which evaluate() refuses.
void ErrorSums::add(double forecast, double actual, double scale) {
  const double error = std::abs(forecast - actual);
  ++n_;
  abs_ += error;
  squared_ += static_cast<long double>(error) * error;
  if (actual != 0.0) {
    ape_ += error / std::abs(actual) * 100.0;
    ++ape_n_;
  } else {
    ++zeros_;
  }
  const double magnitude = std::abs(forecast) + std::abs(actual);
  if (magnitude > 0.0) smape_ += error / magnitude * 200.0;
  if (scale > 0.0) {  // false for NaN too
    scaled_ += error / scale;
    ++scaled_n_;
  }
}

void ErrorSums::merge(const ErrorSums& other) {
  n_ += other.n_;
  ape_n_ += other.ape_n_;
  zeros_ += other.zeros_;
  scaled_n_ += other.scaled_n_;
  filled_ += other.filled_;
  abs_ += other.abs_;
  squared_ += other.squared_;
  ape_ += other.ape_;
  smape_ += other.smape_;
  scaled_ += other.scaled_;
}

Metrics ErrorSums::metrics() const {
  Metrics m;
  m.count = n_;
  m.mape_skipped = zeros_;
  m.mase_skipped = n_ - scaled_n_;
  m.filled_skipped = filled_;
  if (n_ == 0) {
    m.mae = m.rmse = m.mape = m.smape = m.mase = kNaN;
    return m;
  }
  const auto n = static_cast<double>(n_);
  m.mae = abs_ / n;
  m.rmse = static_cast<double>(std::sqrt(squared_ / static_cast<long double>(n_)));
  m.mape = ape_n_ > 0 ? ape_ / static_cast<double>(ape_n_) : kNaN;
  m.smape = smape_ / n;
  m.mase = scaled_n_ > 0 ? scaled_ / static_cast<double>(scaled_n_) : kNaN;
  return m;
}

double mase_scale(const arma::rowvec& y, std::size_t n_train, std::size_t season) {
  if (season == 0 || n_train <= season || n_train > y.n_elem) return kNaN;
  long double sum = 0.0L;
  for (std::size_t i = season; i < n_train; ++i) sum += std::abs(static_cast<long double>(y[i]) - y[i - season]);
  const auto scale = static_cast<double>(sum / static_cast<long double>(n_train - season));
  return std::isfinite(scale) ? scale : kNaN;  // beyond a double: no usable scale
}

}  // namespace grucast
