#include "grucast/loss.hpp"

#include <cmath>

#include "grucast/error.hpp"
#include "grucast/text.hpp"

namespace grucast {

LossKind parse_loss(const std::string& text) {
  const std::string value = to_lower(trim(text));
  if (value == "mse") return LossKind::mse;
  if (value == "mae") return LossKind::mae;
  if (value == "huber") return LossKind::huber;
  throw UsageError("unknown loss " + quoted(text), "--loss", "use mse, mae or huber");
}

std::string loss_name(LossKind kind) {
  switch (kind) {
    case LossKind::mse: return "mse";
    case LossKind::mae: return "mae";
    case LossKind::huber: return "huber";
  }
  return "?";
}

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
    }
    sum += value;
    if (grad != nullptr) (*grad)[i] = static_cast<E>(scale * slope);
  }
  return sum;
}

template double loss_sum<float>(LossKind, const arma::Mat<float>&, const arma::Mat<float>&, arma::Mat<float>*,
                                double);
template double loss_sum<double>(LossKind, const arma::Mat<double>&, const arma::Mat<double>&, arma::Mat<double>*,
                                 double);

}  // namespace grucast
