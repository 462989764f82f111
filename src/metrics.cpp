#include "grucast/metrics.hpp"

#include <cmath>
#include <limits>

namespace grucast {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

void ErrorSums::add(double forecast, double actual, double scale) {
  const double error = std::abs(forecast - actual);
  ++n_;
  abs_ += error;
  squared_ += static_cast<long double>(error) * error;
  if (actual != 0.0) {
    ape_ += 100.0 * error / std::abs(actual);
    ++ape_n_;
  } else {
    ++zeros_;
  }
  const double magnitude = std::abs(forecast) + std::abs(actual);
  if (magnitude > 0.0) smape_ += 200.0 * error / magnitude;
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
  double sum = 0.0;
  for (std::size_t i = season; i < n_train; ++i) sum += std::abs(y[i] - y[i - season]);
  return sum / static_cast<double>(n_train - season);
}

}  // namespace grucast
