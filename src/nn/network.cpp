#include "nn/network.hpp"

namespace grucast {

namespace {

template <class E>
std::vector<RecurrentLayer<E>> make_layers(ParamLayout& layout, const ModelShape& shape) {
  std::vector<RecurrentLayer<E>> layers;
  for (std::size_t l = 0; l < shape.layers; ++l) {
    layers.emplace_back(layout, shape.cell, l, l == 0 ? shape.inputs : shape.hidden, shape.hidden);
  }
  return layers;
}

}  // namespace

template <class E>
Network<E>::Network(const ModelShape& shape)
    : shape_(shape),
      layers_(make_layers<E>(layout_, shape)),
      attention_(layout_, shape.attention, shape.hidden),
      head_(layout_, shape.attention == AttentionKind::none ? shape.hidden : 2 * shape.hidden,
            shape.outputs * shape.quantiles) {}

template <class E>
const arma::Mat<E>& Network<E>::forward(const arma::Col<E>& params, const arma::Mat<E>& x, std::size_t batch,
                                         NetworkCache<E>& cache, const std::uint64_t* dropout_seed) const {
  const std::size_t L = shape_.layers;
  cache.layers.resize(L);
  const bool dropping = dropout_seed != nullptr && shape_.dropout > 0.0;
  cache.masks.resize(dropping ? L : 0);
  cache.inputs.resize(dropping ? L : 0);
  Random random(dropping ? *dropout_seed : 0);
  const E keep_scale = static_cast<E>(1.0 / (1.0 - shape_.dropout));
  for (std::size_t l = 0; l < L; ++l) {
    const arma::Mat<E>* input = &x;
    // A view of the layer below's states (outputs() does not copy, and neither does this).
    const arma::Mat<E> below = l > 0 ? cache.layers[l - 1].outputs() : arma::Mat<E>();
    if (l > 0) {
      if (dropping) {  // inverted dropout: kept units scaled by 1/(1 − p), so inference needs nothing
        arma::Mat<E>& mask = cache.masks[l];
        mask.set_size(below.n_rows, below.n_cols);
        for (E& m : mask) m = random.uniform() < shape_.dropout ? E(0) : keep_scale;
        cache.inputs[l] = below % mask;
        input = &cache.inputs[l];
      } else {
        input = &below;
      }
    }
    layers_[l].forward(params, *input, batch, cache.layers[l]);
  }
  const arma::Mat<E> top = cache.layers[L - 1].outputs();
  cache.last = top.tail_cols(batch);
  if (shape_.attention == AttentionKind::none) {
    head_.forward(params, cache.last, cache.prediction);
  } else {
    attention_.forward(params, top, batch, cache.attention);
    head_.forward(params, cache.attention.output, cache.prediction);
  }
  return cache.prediction;
}

template <class E>
void Network<E>::backward(const arma::Col<E>& params, const arma::Mat<E>& x, NetworkCache<E>& cache,
                           const arma::Mat<E>& dprediction, arma::Col<E>& grad, arma::Mat<E>* dx) const {
  const std::size_t L = shape_.layers, B = cache.last.n_cols;
  const RecurrentCache<E>& top = cache.layers[L - 1];
  cache.dh.zeros(shape_.hidden, top.batch * top.steps);
  if (shape_.attention == AttentionKind::none) {
    head_.backward(params, cache.last, dprediction, grad, cache.dlast);
    cache.dh.tail_cols(B) = cache.dlast;  // only h_T feeds the head
  } else {
    head_.backward(params, cache.attention.output, dprediction, grad, cache.dlast);
    attention_.backward(params, top.outputs(), cache.attention, cache.dlast, grad, cache.dh);
  }
  for (std::size_t l = L; l-- > 0;) {
    if (l == 0) {
      layers_[0].backward(params, x, cache.layers[0], cache.dh, grad, dx);
      break;
    }
    const bool dropped = !cache.masks.empty();
    const arma::Mat<E> below = cache.layers[l - 1].outputs();
    layers_[l].backward(params, dropped ? cache.inputs[l] : below, cache.layers[l], cache.dh, grad, &cache.dinput);
    cache.dh = dropped ? arma::Mat<E>(cache.dinput % cache.masks[l]) : cache.dinput;
  }
}

ParamLayout network_layout(const ModelShape& shape) { return Network<float>(shape).layout(); }

template class Network<float>;
template class Network<double>;

}  // namespace grucast
