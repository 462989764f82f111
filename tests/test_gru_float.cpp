// The float forward passes (the single-window kernel, the batched path, their vectorized gate
// loops) against the double pass, which uses plain BLAS and std::exp.
#include <doctest/doctest.h>

#include "grucast/gru.hpp"

using namespace grucast;

namespace {

// Float and double layers with the same weights, run over the same windows; the largest
// absolute difference of any state.
double worst_float_error(std::size_t d, std::size_t h, std::size_t b, std::size_t t) {
  ParamLayout layout, same;
  const GruLayer<double> layer64(layout, 0, d, h);
  const GruLayer<float> layer32(same, 0, d, h);
  arma::vec params64;
  init_params(layout, params64, 5);
  params64 *= 2.0;  // reach the nonlinear parts of every gate
  const arma::fvec params32 = arma::conv_to<arma::fvec>::from(params64);
  arma::mat x64(d, b * t);
  Random random(3);
  for (double& v : x64) v = 4.0 * random.uniform() - 2.0;
  const arma::fmat x32 = arma::conv_to<arma::fmat>::from(x64);
  GruCache<double> cache64;
  GruCache<float> cache32;
  layer64.forward(params64, x64, b, cache64);
  layer32.forward(params32, x32, b, cache32);
  return arma::abs(cache64.outputs() - arma::conv_to<arma::mat>::from(cache32.outputs())).max();
}

}  // namespace

TEST_SUITE("gru float") {
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
