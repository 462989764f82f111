#include "nn/loss.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"
#include "util/text.hpp"

namespace grucast {

namespace {

constexpr auto kLossNames = std::to_array<Named<LossKind>>(
    {{LossKind::mse, "mse"}, {LossKind::mae, "mae"}, {LossKind::huber, "huber"}, {LossKind::quantile, "quantile"}});

}  // namespace

LossKind parse_loss(const std::string& text) {
  if (const auto kind = value_of(kLossNames, to_lower(trim(text)))) return *kind;
  throw UsageError("unknown loss " + quoted(text), "--loss", "use " + names_text(kLossNames));
}

std::string loss_name(LossKind kind) { return name_of(kLossNames, kind); }

template <class E>
double loss_sum(LossKind kind, const arma::Mat<E>& prediction, const arma::Mat<E>& target, arma::Mat<E>* grad,
                double scale) {
  if (grad != nullptr) grad->set_size(prediction.n_rows, prediction.n_cols);
  double sum = 0.0;
  for (std::size_t i = 0; i < prediction.n_elem; ++i) {
    const double e = static_cast<double>(prediction[i]) - static_cast<double>(target[i]);
    double value = 0.0, slope = 0.0;
    switch (kind) {
      case LossKind::mse: value = e * e, slope = 2.0 * e; break;
      case LossKind::mae: value = std::abs(e), slope = (e > 0) - (e < 0); break;
      case LossKind::huber:
        value = std::abs(e) <= 1.0 ? 0.5 * e * e : std::abs(e) - 0.5;
        slope = std::clamp(e, -1.0, 1.0);
        break;
      case LossKind::quantile: throw std::logic_error("loss_sum: the quantile loss is pinball_loss_sum");
    }
    sum += value;
    if (grad != nullptr) (*grad)[i] = static_cast<E>(scale * slope);
  }
  return sum;
}

// ρ_τ(u) = max(τ·u, (τ − 1)·u), u = y − ŷ;  ∂ρ/∂ŷ = −τ (u > 0), 1 − τ (u < 0), 0 (u = 0).
template <class E>
double pinball_loss_sum(const std::vector<double>& quantiles, const arma::Mat<E>& prediction,
                        const arma::Mat<E>& target, arma::Mat<E>* grad, double scale) {
  const std::size_t K = target.n_rows, Q = quantiles.size();
  if (prediction.n_rows != K * Q || prediction.n_cols != target.n_cols) {
    throw std::logic_error("pinball_loss_sum: the prediction is not (Q·K, B)");
  }
  if (grad != nullptr) grad->set_size(prediction.n_rows, prediction.n_cols);
  const double per_quantile = 1.0 / static_cast<double>(Q);
  double sum = 0.0;
  for (std::size_t b = 0; b < target.n_cols; ++b) {
    for (std::size_t q = 0; q < Q; ++q) {
      const double tau = quantiles[q];
      for (std::size_t k = 0; k < K; ++k) {
        const double u = static_cast<double>(target(k, b)) - static_cast<double>(prediction(q * K + k, b));
        sum += std::max(tau * u, (tau - 1.0) * u);
        const double slope = u > 0.0 ? -tau : (u < 0.0 ? 1.0 - tau : 0.0);
        if (grad != nullptr) (*grad)(q * K + k, b) = static_cast<E>(scale * per_quantile * slope);
      }
    }
  }
  return sum * per_quantile;
}

template <class E>
double training_loss_sum(LossKind kind, const std::vector<double>& quantiles, const arma::Mat<E>& prediction,
                         const arma::Mat<E>& target, arma::Mat<E>* grad, double scale) {
  if (kind == LossKind::quantile) return pinball_loss_sum(quantiles, prediction, target, grad, scale);
  return loss_sum(kind, prediction, target, grad, scale);
}

template double pinball_loss_sum<float>(const std::vector<double>&, const arma::Mat<float>&, const arma::Mat<float>&,
                                        arma::Mat<float>*, double);
template double pinball_loss_sum<double>(const std::vector<double>&, const arma::Mat<double>&,
                                         const arma::Mat<double>&, arma::Mat<double>*, double);
template double training_loss_sum<float>(LossKind, const std::vector<double>&, const arma::Mat<float>&,
                                         const arma::Mat<float>&, arma::Mat<float>*, double);
template double training_loss_sum<double>(LossKind, const std::vector<double>&, const arma::Mat<double>&,
                                          const arma::Mat<double>&, arma::Mat<double>*, double);
template double loss_sum<float>(LossKind, const arma::Mat<float>&, const arma::Mat<float>&, arma::Mat<float>*,
                                double);
template double loss_sum<double>(LossKind, const arma::Mat<double>&, const arma::Mat<double>&, arma::Mat<double>*,
                                 double);

}  // namespace grucast
