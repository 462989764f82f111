// The LSTM layer: gradient checks against central differences (double), PyTorch's names and
// shapes, and a closed-form forward check. Whole LSTM networks are checked beside the GRU's in
// test_network.cpp (gradients) and test_gru_float.cpp (float against double).
#include <doctest/doctest.h>

#include <cmath>

#include "nn/network.hpp"
#include "nn/recurrent.hpp"
#include "support/gradient_check.hpp"

using namespace grucast;
using grucast::test::check_gradient;

namespace {

arma::mat random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed, double scale = 1.0) {
  Random random(seed);
  arma::mat m(rows, cols);
  for (double& v : m) v = scale * (2.0 * random.uniform() - 1.0);
  return m;
}

// L = Σ w ⊙ h over every output of every step, so ∂L/∂h = w everywhere.
void check_lstm_layer(std::size_t d, std::size_t h, std::size_t b, std::size_t t) {
  CAPTURE(d);
  CAPTURE(h);
  CAPTURE(b);
  CAPTURE(t);
  ParamLayout layout;
  const RecurrentLayer<double> layer(layout, CellKind::lstm, 0, d, h);
  arma::vec params;
  init_params(layout, params, 7);
  params *= 3.0;  // larger weights reach the nonlinear parts of every gate
  arma::mat x = random_matrix(d, b * t, 11);
  const arma::mat w = random_matrix(h, b * t, 12);
  RecurrentCache<double> cache;
  const auto loss = [&] {
    layer.forward(params, x, b, cache);
    return arma::accu(w % cache.outputs());
  };
  loss();
  arma::vec grad(params.n_elem, arma::fill::zeros);
  arma::mat dx;
  layer.backward(params, x, cache, w, grad, &dx);
  const auto by_params = check_gradient(params, grad, loss, grucast::test::slice_names(layout));
  CHECK_MESSAGE(by_params.worst < 1e-6, by_params.describe());
  arma::vec x_flat(x.memptr(), x.n_elem, false, true);
  const auto by_input = check_gradient(x_flat, arma::vectorise(dx), loss, grucast::test::named("x"));
  CHECK_MESSAGE(by_input.worst < 1e-6, by_input.describe());
}

}  // namespace

TEST_SUITE("lstm") {
  TEST_CASE("the LSTM layer's parameter and input gradients equal central differences") {
    check_lstm_layer(3, 5, 2, 6);  // H ≠ D, several steps: BPTT through h and the cell state
    check_lstm_layer(1, 4, 1, 1);  // B = 1, T = 1
    check_lstm_layer(6, 2, 3, 4);  // D > H
  }

  TEST_CASE("the slices follow PyTorch's names and shapes (gates i, f, g, o)") {
    ParamLayout layout;
    const RecurrentLayer<float> layer(layout, CellKind::lstm, 1, 3, 5);
    REQUIRE(layout.slices().size() == 4);
    CHECK(layout[0].name == "lstm.weight_ih_l1");
    CHECK((layout[0].rows == 20 && layout[0].cols == 3));
    CHECK(layout[1].name == "lstm.weight_hh_l1");
    CHECK((layout[1].rows == 20 && layout[1].cols == 5));
    CHECK(layout[2].name == "lstm.bias_ih_l1");
    CHECK(layout[3].name == "lstm.bias_hh_l1");
    CHECK(layout.size() == 20 * 3 + 20 * 5 + 20 + 20);
  }

  TEST_CASE("one cache serves layers of either cell in turn, as a fresh cache does (float: one window and a batch)") {
    ParamLayout gru_layout, lstm_layout;
    const RecurrentLayer<float> gru(gru_layout, CellKind::gru, 0, 3, 5);
    const RecurrentLayer<float> lstm(lstm_layout, CellKind::lstm, 0, 3, 5);
    arma::fvec gru_params, lstm_params;
    init_params(gru_layout, gru_params, 5);
    init_params(lstm_layout, lstm_params, 6);
    for (const std::size_t b : {1, 3}) {
      CAPTURE(b);
      const arma::fmat x = arma::conv_to<arma::fmat>::from(random_matrix(3, b * 4, 7));
      const arma::fmat dh = arma::conv_to<arma::fmat>::from(random_matrix(5, b * 4, 8));
      RecurrentCache<float> shared;
      for (const RecurrentLayer<float>* layer : {&gru, &lstm, &gru}) {
        const arma::fvec& params = layer->cell() == CellKind::gru ? gru_params : lstm_params;
        RecurrentCache<float> fresh;
        arma::fvec grad_fresh(params.n_elem, arma::fill::zeros), grad_shared(params.n_elem, arma::fill::zeros);
        arma::fmat dx_fresh, dx_shared;
        layer->forward(params, x, b, fresh);
        layer->backward(params, x, fresh, dh, grad_fresh, &dx_fresh);
        layer->forward(params, x, b, shared);
        layer->backward(params, x, shared, dh, grad_shared, &dx_shared);
        CHECK(arma::approx_equal(shared.outputs(), fresh.outputs(), "absdiff", 0.0f));
        CHECK(arma::approx_equal(grad_shared, grad_fresh, "absdiff", 0.0f));
        CHECK(arma::approx_equal(dx_shared, dx_fresh, "absdiff", 0.0f));
      }
    }
  }

  TEST_CASE("an LSTM network has 4/3 of a GRU network's recurrent parameters") {
    ModelShape shape{2, 8, 2, 3, 0.0};
    const std::size_t gru = Network<double>(shape).layout().size();
    shape.cell = CellKind::lstm;
    const std::size_t lstm = Network<double>(shape).layout().size();
    const std::size_t head = 8 * 3 + 3;
    CHECK((lstm - head) * 3 == (gru - head) * 4);
  }

  TEST_CASE("gate isolation: with only biases, c_t = i·g·(1 − f^t)/(1 − f) and h_t = o·tanh(c_t)") {
    ParamLayout layout;
    const RecurrentLayer<double> layer(layout, CellKind::lstm, 0, 2, 3);
    arma::vec params(layout.size(), arma::fill::zeros);
    const arma::vec bi = {0.5, -1.0, 2.0}, bf = {-0.3, 0.8, 1.5}, bg = {1.2, -0.7, 0.4}, bo = {0.1, 0.9, -2.0};
    arma::mat b_ih = slice_view(params, layout[2]);
    b_ih.col(0) = arma::join_cols(arma::join_cols(bi, bf), arma::join_cols(bg, bo));
    const arma::mat x = random_matrix(2, 4, 3);  // B = 1, T = 4; W_ih = 0 ignores it
    RecurrentCache<double> cache;
    layer.forward(params, x, 1, cache);
    const auto sigmoid = [](double a) { return 1 / (1 + std::exp(-a)); };
    for (std::size_t t = 1; t <= 4; ++t) {
      for (std::size_t u = 0; u < 3; ++u) {
        const double i = sigmoid(bi[u]), f = sigmoid(bf[u]), g = std::tanh(bg[u]), o = sigmoid(bo[u]);
        const double c = i * g * (1 - std::pow(f, static_cast<double>(t))) / (1 - f);
        CHECK(cache.outputs()(u, t - 1) == doctest::Approx(o * std::tanh(c)).epsilon(1e-12));
      }
    }
  }
}
