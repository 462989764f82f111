// The GRU layer, the head and the losses: gradient checks against central differences (double),
// closed-form forward checks, and gradient accumulation.
#include <doctest/doctest.h>

#include <cmath>

#include "nn/dense.hpp"
#include "nn/loss.hpp"
#include "nn/recurrent.hpp"
#include "support/gradient_check.hpp"

using namespace grucast;
using grucast::test::check_gradient;

namespace {

constexpr double kTolerance = 1e-6;

arma::mat random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  Random random(seed);
  arma::mat m(rows, cols);
  for (double& v : m) v = 2.0 * random.uniform() - 1.0;
  return m;
}

// A loss that reads every output of every step: L = Σ w ⊙ h, so ∂L/∂h = w everywhere.
struct GruProbe {
  ParamLayout layout;
  RecurrentLayer<double> layer;
  arma::vec params;
  arma::mat x, w;
  std::size_t batch;
  RecurrentCache<double> cache;

  GruProbe(std::size_t d, std::size_t h, std::size_t b, std::size_t t)
      : layer(layout, CellKind::gru, 0, d, h), x(random_matrix(d, b * t, 11)), w(random_matrix(h, b * t, 12)), batch(b) {
    init_params(layout, params, 7);
    params *= 3.0;  // larger weights reach the nonlinear parts of every gate
  }
  double loss() {
    layer.forward(params, x, batch, cache);
    return arma::accu(w % cache.outputs());
  }
};

void check_gru_layer(std::size_t d, std::size_t h, std::size_t b, std::size_t t) {
  CAPTURE(d);
  CAPTURE(h);
  CAPTURE(b);
  CAPTURE(t);
  GruProbe probe(d, h, b, t);
  probe.loss();
  arma::vec grad(probe.params.n_elem, arma::fill::zeros);
  arma::mat dx;
  probe.layer.backward(probe.params, probe.x, probe.cache, probe.w, grad, &dx);
  const auto by_params = check_gradient(probe.params, grad, [&] { return probe.loss(); },
                                        grucast::test::slice_names(probe.layout));
  CHECK_MESSAGE(by_params.worst < kTolerance, by_params.describe());
  arma::vec x_flat(probe.x.memptr(), probe.x.n_elem, false, true);
  const arma::vec dx_flat = arma::vectorise(dx);
  const auto by_input = check_gradient(x_flat, dx_flat, [&] { return probe.loss(); }, grucast::test::named("x"));
  CHECK_MESSAGE(by_input.worst < kTolerance, by_input.describe());
}

}  // namespace

TEST_SUITE("gru") {
  TEST_CASE("the GRU layer's parameter and input gradients equal central differences") {
    check_gru_layer(3, 5, 2, 6);  // H ≠ D, several steps: BPTT through every gate
    check_gru_layer(1, 4, 1, 1);  // B = 1, T = 1
    check_gru_layer(6, 2, 3, 4);  // D > H
  }

  TEST_CASE("the slices follow PyTorch's names and shapes") {
    ParamLayout layout;
    RecurrentLayer<float> layer(layout, CellKind::gru, 1, 3, 5);
    REQUIRE(layout.slices().size() == 4);
    CHECK(layout[0].name == "gru.weight_ih_l1");
    CHECK((layout[0].rows == 15 && layout[0].cols == 3));
    CHECK(layout[1].name == "gru.weight_hh_l1");
    CHECK((layout[1].rows == 15 && layout[1].cols == 5));
    CHECK(layout[2].name == "gru.bias_ih_l1");
    CHECK(layout[3].name == "gru.bias_hh_l1");
    CHECK(layout.size() == 15 * 3 + 15 * 5 + 15 + 15);
    CHECK(layout.describe(45 + 15 * 2 + 4) == "gru.weight_hh_l1[4, 2]");
  }

  TEST_CASE("gate isolation: with only biases, h_t = n·(1 − z^t) in closed form") {
    // W = 0, x ignored: r = σ(b_ir), z = σ(b_iz), n = tanh(r·b_hn) at every step, so
    // h_t = (1 − z)·n + z·h_{t−1} = n·(1 − z^t).
    ParamLayout layout;
    RecurrentLayer<double> layer(layout, CellKind::gru, 0, 2, 3);
    arma::vec params(layout.size(), arma::fill::zeros);
    const Slice& b_ih = layout[2];
    const Slice& b_hh = layout[3];
    const arma::vec ir = {0.5, -1.0, 2.0}, iz = {-0.3, 0.8, 1.5}, hn = {1.2, -0.7, 0.4};
    params.subvec(b_ih.offset, b_ih.offset + 2) = ir;
    params.subvec(b_ih.offset + 3, b_ih.offset + 5) = iz;
    params.subvec(b_hh.offset + 6, b_hh.offset + 8) = hn;
    const arma::mat x = random_matrix(2, 4, 3);  // B = 1, T = 4
    RecurrentCache<double> cache;
    layer.forward(params, x, 1, cache);
    for (std::size_t t = 1; t <= 4; ++t) {
      for (std::size_t i = 0; i < 3; ++i) {
        const double r = 1 / (1 + std::exp(-ir[i])), z = 1 / (1 + std::exp(-iz[i]));
        const double expected = std::tanh(r * hn[i]) * (1 - std::pow(z, static_cast<double>(t)));
        CHECK(cache.outputs()(i, t - 1) == doctest::Approx(expected).epsilon(1e-12));
      }
    }
  }

  TEST_CASE("gate isolation: with z shut, h_t = tanh(W_in x_t + b_in) from the input alone") {
    ParamLayout layout;
    RecurrentLayer<double> layer(layout, CellKind::gru, 0, 2, 2);
    arma::vec params(layout.size(), arma::fill::zeros);
    arma::mat w_ih = slice_view(params, layout[0]);
    w_ih.rows(4, 5) = arma::mat{{0.3, -0.2}, {0.1, 0.9}};  // W_in
    arma::mat b_ih = slice_view(params, layout[2]);
    b_ih.rows(2, 3).fill(-60.0);  // z = σ(−60) ≈ 1e−26: no memory
    b_ih(4, 0) = 0.05;            // b_in
    arma::mat w_hh = slice_view(params, layout[1]);
    w_hh.rows(4, 5).fill(5.0);  // W_hn: must not matter, since r multiplies it... unless r > 0
    arma::mat b_hh = slice_view(params, layout[3]);
    b_hh.rows(0, 1).fill(-60.0);  // r = 0 shuts the recurrent part of n
    const arma::mat x = random_matrix(2, 6, 5);  // B = 2, T = 3
    RecurrentCache<double> cache;
    layer.forward(params, x, 2, cache);
    arma::mat b_in(2, 1, arma::fill::zeros);
    b_in(0, 0) = 0.05;
    const arma::mat expected = arma::tanh(w_ih.rows(4, 5) * x + arma::repmat(b_in, 1, 6));
    CHECK(arma::approx_equal(cache.outputs(), expected, "absdiff", 1e-12));
  }

  TEST_CASE("backward adds into the gradient: two calls give twice one") {
    GruProbe probe(2, 3, 2, 3);
    probe.loss();
    arma::vec once(probe.params.n_elem, arma::fill::zeros);
    probe.layer.backward(probe.params, probe.x, probe.cache, probe.w, once, nullptr);
    arma::vec twice = once;
    probe.layer.backward(probe.params, probe.x, probe.cache, probe.w, twice, nullptr);
    CHECK(arma::approx_equal(twice, 2.0 * once, "reldiff", 1e-12));
  }

  TEST_CASE("the head's parameter and input gradients equal central differences") {
    ParamLayout layout;
    Dense<double> head(layout, 5, 3);
    arma::vec params;
    init_params(layout, params, 3);
    CHECK(layout[0].name == "head.weight");
    CHECK(layout[1].name == "head.bias");
    arma::mat h = random_matrix(5, 2, 4);
    const arma::mat w = random_matrix(3, 2, 5);
    arma::mat y;
    const auto loss = [&] {
      head.forward(params, h, y);
      return arma::accu(w % y);
    };
    loss();
    arma::vec grad(layout.size(), arma::fill::zeros);
    arma::mat dh;
    head.backward(params, h, w, grad, dh);
    const auto by_params = check_gradient(params, grad, loss, grucast::test::slice_names(layout));
    CHECK_MESSAGE(by_params.worst < kTolerance, by_params.describe());
    arma::vec h_flat(h.memptr(), h.n_elem, false, true);
    const auto by_input = check_gradient(h_flat, arma::vectorise(dh), loss, grucast::test::named("h"));
    CHECK_MESSAGE(by_input.worst < kTolerance, by_input.describe());
  }

  TEST_CASE("each loss's gradient equals central differences, and the values match their definitions") {
    arma::mat prediction = random_matrix(4, 3, 8) * 3.0;  // errors on both sides of huber's |e| = 1
    const arma::mat target = random_matrix(4, 3, 9);
    for (const LossKind kind : {LossKind::mse, LossKind::mae, LossKind::huber}) {
      CAPTURE(loss_name(kind));
      const double scale = 1.0 / 12.0;
      arma::mat grad;
      loss_sum(kind, prediction, target, &grad, scale);
      arma::vec flat(prediction.memptr(), prediction.n_elem, false, true);
      const auto report = check_gradient(flat, arma::vectorise(grad),
                                         [&] { return scale * loss_sum<double>(kind, prediction, target, nullptr, 0); },
                                         grucast::test::named("prediction"));
      CHECK_MESSAGE(report.worst < kTolerance, report.describe());
    }
    const arma::mat p = {{0.0, 3.0, -0.5}}, y = {{1.0, 1.0, 0.0}};  // errors −1, 2, −0.5
    CHECK(loss_sum<double>(LossKind::mse, p, y, nullptr, 0) == doctest::Approx(1 + 4 + 0.25));
    CHECK(loss_sum<double>(LossKind::mae, p, y, nullptr, 0) == doctest::Approx(1 + 2 + 0.5));
    CHECK(loss_sum<double>(LossKind::huber, p, y, nullptr, 0) == doctest::Approx(0.5 + 1.5 + 0.125));
  }
}
