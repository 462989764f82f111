// The float forward passes (the single-window kernel, the batched path, their vectorized gate
// loops) against the double pass, which uses plain BLAS and std::exp.
#include <doctest/doctest.h>

#include <algorithm>

#include "nn/network.hpp"
#include "nn/recurrent.hpp"

using namespace grucast;

namespace {

// Float and double layers with the same weights, run over the same windows; the largest
// absolute difference of any state.
double worst_float_error(std::size_t d, std::size_t h, std::size_t b, std::size_t t) {
  ParamLayout layout, same;
  const RecurrentLayer<double> layer64(layout, CellKind::gru, 0, d, h);
  const RecurrentLayer<float> layer32(same, CellKind::gru, 0, d, h);
  arma::vec params64;
  init_params(layout, params64, 5);
  params64 *= 2.0;  // reach the nonlinear parts of every gate
  const arma::fvec params32 = arma::conv_to<arma::fvec>::from(params64);
  arma::mat x64(d, b * t);
  Random random(3);
  for (double& v : x64) v = 4.0 * random.uniform() - 2.0;
  const arma::fmat x32 = arma::conv_to<arma::fmat>::from(x64);
  RecurrentCache<double> cache64;
  RecurrentCache<float> cache32;
  layer64.forward(params64, x64, b, cache64);
  layer32.forward(params32, x32, b, cache32);
  return arma::abs(cache64.outputs() - arma::conv_to<arma::mat>::from(cache32.outputs())).max();
}

// The same for whole networks of either cell, comparing every layer's states and the prediction.
double worst_model_error(std::size_t layers, std::size_t h, std::size_t b, AttentionKind attention,
                         CellKind cell = CellKind::gru) {
  const ModelShape shape{3, h, layers, 4, 0.0, attention, 1, cell};
  const Network<double> model64(shape);
  const Network<float> model32(shape);
  arma::vec params64;
  init_params(model64.layout(), params64, 9);
  params64 *= 2.0;
  const arma::fvec params32 = arma::conv_to<arma::fvec>::from(params64);
  arma::mat x64(3, b * 25);
  Random random(4);
  for (double& v : x64) v = 4.0 * random.uniform() - 2.0;
  NetworkCache<double> cache64;
  NetworkCache<float> cache32;
  const arma::mat y64 = model64.forward(params64, x64, b, cache64);
  const arma::fmat y32 = model32.forward(params32, arma::conv_to<arma::fmat>::from(x64), b, cache32);
  double worst = arma::abs(y64 - arma::conv_to<arma::mat>::from(y32)).max();
  for (std::size_t l = 0; l < layers; ++l) {
    const arma::mat states32 = arma::conv_to<arma::mat>::from(cache32.layers[l].outputs());
    worst = std::max(worst, arma::abs(cache64.layers[l].outputs() - states32).max());
  }
  return worst;
}

}  // namespace

TEST_SUITE("gru float") {
  TEST_CASE("stacked layers, with and without attention, over one window and a batch follow the double pass") {
    for (const std::size_t layers : {2, 3}) {
      for (const std::size_t b : {1, 2}) {
        for (const AttentionKind attention : {AttentionKind::none, AttentionKind::additive}) {
          CAPTURE(layers);
          CAPTURE(b);
          CHECK(worst_model_error(layers, 24, b, attention) < 1e-5);
        }
      }
    }
  }

  TEST_CASE("LSTM networks in float (one window, a batch, two cores from H = 192) follow the double pass") {
    for (const std::size_t h : {1, 5, 37, 64, 100, 200}) {
      for (const std::size_t b : {1, 3}) {
        CAPTURE(h);
        CAPTURE(b);
        CHECK(worst_model_error(1, h, b, AttentionKind::none, CellKind::lstm) < 1e-5);
      }
    }
    CHECK(worst_model_error(3, 24, 1, AttentionKind::additive, CellKind::lstm) < 1e-5);
  }

  TEST_CASE("one window and a batch in float follow the double pass within 1e-5") {
    // H covers the kernel's blocks of 64 rows, of 8 rows, single rows, and (200) two cores sharing the steps.
    for (const std::size_t h : {1, 5, 37, 64, 100, 200}) {
      for (const std::size_t b : {1, 3}) {
        CAPTURE(h);
        CAPTURE(b);
        CHECK(worst_float_error(3, h, b, 30) < 1e-5);
      }
    }
  }
}
