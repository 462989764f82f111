#include "nn/dense.hpp"

#include <cmath>

namespace grucast {

template <class E>
Dense<E>::Dense(ParamLayout& layout, std::size_t input, std::size_t output) : input_(input), output_(output) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(input));
  weight_ = layout[layout.add("head.weight", output, input, bound)];
  bias_ = layout[layout.add("head.bias", output, 1, bound)];
}

template <class E>
void Dense<E>::forward(const arma::Col<E>& params, const arma::Mat<E>& h, arma::Mat<E>& y) const {
  y = slice_view(params, weight_) * h;
  y.each_col() += slice_view(params, bias_).col(0);
}

template <class E>
void Dense<E>::backward(const arma::Col<E>& params, const arma::Mat<E>& h, const arma::Mat<E>& dy,
                        arma::Col<E>& grad, arma::Mat<E>& dh) const {
  arma::Mat<E> dw = slice_view(grad, weight_), db = slice_view(grad, bias_);
  dw += dy * h.t();
  db += arma::sum(dy, 1);
  dh = slice_view(params, weight_).t() * dy;
}

template class Dense<float>;
template class Dense<double>;

}  // namespace grucast
