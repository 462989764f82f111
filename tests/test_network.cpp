// The whole network: gradient checks of stacked layers with dropout, through the head and the loss.
#include <doctest/doctest.h>

#include "nn/loss.hpp"
#include "nn/network.hpp"
#include "support/gradient_check.hpp"

using namespace grucast;
using grucast::test::check_gradient;

namespace {

void check_model(const ModelShape& shape, std::size_t batch, std::size_t steps, LossKind loss_kind) {
  CAPTURE(shape.inputs);
  CAPTURE(shape.hidden);
  CAPTURE(shape.layers);
  CAPTURE(batch);
  CAPTURE(steps);
  CAPTURE(loss_name(loss_kind));
  CAPTURE(cell_name(shape.cell));
  const Network<double> model(shape);
  arma::vec params;
  init_params(model.layout(), params, 21);
  params *= 2.0;
  Random random(5);
  arma::mat x(shape.inputs, batch * steps), y(shape.outputs, batch);
  for (double& v : x) v = 2.0 * random.uniform() - 1.0;
  for (double& v : y) v = 2.0 * random.uniform() - 1.0;
  NetworkCache<double> cache;
  const std::uint64_t dropout_seed = 99;  // the same masks in every pass
  const double scale = 1.0 / static_cast<double>(y.n_elem);
  const auto loss = [&] {
    return scale * loss_sum<double>(loss_kind, model.forward(params, x, batch, cache, &dropout_seed), y, nullptr, 0);
  };
  loss();
  arma::mat dprediction;
  loss_sum(loss_kind, cache.prediction, y, &dprediction, scale);
  arma::vec grad(params.n_elem, arma::fill::zeros);
  arma::mat dx;
  model.backward(params, x, cache, dprediction, grad, &dx);
  const auto by_params = check_gradient(params, grad, loss, grucast::test::slice_names(model.layout()));
  CHECK_MESSAGE(by_params.worst < 1e-6, by_params.describe());
  arma::vec x_flat(x.memptr(), x.n_elem, false, true);
  const auto by_input = check_gradient(x_flat, arma::vectorise(dx), loss, grucast::test::named("x"));
  CHECK_MESSAGE(by_input.worst < 1e-6, by_input.describe());
}

}  // namespace

TEST_SUITE("model") {
  TEST_CASE("the whole model's gradients equal central differences, GRU and LSTM") {
    for (const CellKind cell : {CellKind::gru, CellKind::lstm}) {
      check_model({3, 4, 2, 5, 0.0, AttentionKind::none, 1, cell}, 2, 5, LossKind::mse);    // L = 2, H ≠ D
      check_model({1, 3, 1, 2, 0.0, AttentionKind::none, 1, cell}, 1, 1, LossKind::huber);  // B = 1, T = 1
      check_model({2, 5, 3, 3, 0.3, AttentionKind::none, 1, cell}, 3, 4, LossKind::mse);    // dropout between 3 layers
    }
  }

  TEST_CASE("with attention, the whole model's gradients equal central differences, GRU and LSTM") {
    for (const CellKind cell : {CellKind::gru, CellKind::lstm}) {
      for (const AttentionKind kind : {AttentionKind::additive, AttentionKind::dot}) {
        CAPTURE(attention_name(kind));
        check_model({3, 4, 2, 5, 0.0, kind, 1, cell}, 2, 5, LossKind::mse);    // L = 2, H ≠ D
        check_model({1, 3, 1, 2, 0.0, kind, 1, cell}, 1, 1, LossKind::huber);  // B = 1, T = 1
        check_model({2, 5, 2, 3, 0.3, kind, 1, cell}, 3, 6, LossKind::mae);    // dropout below the attention
      }
    }
  }

  TEST_CASE("the layout lists every layer, then the head, under PyTorch's names") {
    const Network<float> model({2, 8, 2, 4, 0.0});
    const auto& slices = model.layout().slices();
    REQUIRE(slices.size() == 10);
    CHECK(slices[4].name == "gru.weight_ih_l1");
    CHECK((slices[4].rows == 24 && slices[4].cols == 8));
    CHECK(slices[8].name == "head.weight");
    CHECK(model.layout().size() == (24 * 2 + 24 * 8 + 48) + (24 * 8 + 24 * 8 + 48) + (4 * 8 + 4));
  }

  TEST_CASE("inference ignores dropout, and float and double agree") {
    const ModelShape shape{2, 6, 2, 3, 0.5};
    const Network<double> model64(shape);
    const Network<float> model32(shape);
    arma::vec params;
    init_params(model64.layout(), params, 4);
    const arma::fvec params32 = arma::conv_to<arma::fvec>::from(params);
    arma::mat x(2, 2 * 7);
    Random random(1);
    for (double& v : x) v = random.uniform();
    NetworkCache<double> c64, again;
    NetworkCache<float> c32;
    const arma::mat y = model64.forward(params, x, 2, c64);
    CHECK(arma::approx_equal(y, model64.forward(params, x, 2, again), "absdiff", 0.0));
    const arma::fmat y32 = model32.forward(params32, arma::conv_to<arma::fmat>::from(x), 2, c32);
    CHECK(arma::approx_equal(arma::conv_to<arma::mat>::from(y32), y, "absdiff", 1e-5));
  }
}
