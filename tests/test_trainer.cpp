// Optimizers, schedules, clipping, and training end to end: the learning test.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include <cmath>
#include <utility>

#include "grucast/workflow/fit.hpp"
#include "nn/optimizer.hpp"
#include "nn/trainer.hpp"
#include "support/frames.hpp"
#include "workflow/prepared_data.hpp"

using namespace grucast;

namespace {

// A noisy seasonal series (season 24, a slow second cycle, Gaussian-like noise) as a frame.
Frame seasonal_frame(std::size_t n, double noise) {
  Random random(17);
  return test::generated_frame(n, [&](std::size_t i) {
    const double t = static_cast<double>(i);
    double e = 0.0;
    for (int k = 0; k < 12; ++k) e += random.uniform();  // Irwin–Hall: mean 6, variance 1
    return 10 * std::sin(2 * M_PI * t / 24) + 4 * std::sin(2 * M_PI * t / 200) + noise * (e - 6);
  });
}

}  // namespace

TEST_SUITE("trainer") {
  TEST_CASE("adam, adamw and sgd take PyTorch's steps") {
    const arma::vec g = {0.5, -2.0};
    arma::vec adam = {1.0, 1.0}, adamw = adam, sgd = adam;
    Optimizer<double> a({OptimizerKind::adam, 0.1, 0.01}, 2), w({OptimizerKind::adamw, 0.1, 0.01}, 2);
    Optimizer<double> s({OptimizerKind::sgd, 0.1, 0.01, 0.9}, 2);
    a.step(adam, g, 0.1);
    w.step(adamw, g, 0.1);
    s.step(sgd, g, 0.1);
    // first adam step: m̂ = g', v̂ = g'², so θ −= lr·g'/(|g'| + ε) with g' = g + λθ
    CHECK(adam[0] == doctest::Approx(1.0 - 0.1 * 0.51 / (0.51 + 1e-8)).epsilon(1e-12));
    CHECK(adam[1] == doctest::Approx(1.0 + 0.1 * 1.99 / (1.99 + 1e-8)).epsilon(1e-12));
    // adamw: θ·(1 − lr·λ) first, then the step of the raw gradient
    CHECK(adamw[0] == doctest::Approx(0.999 - 0.1 * 0.5 / (0.5 + 1e-8)).epsilon(1e-12));
    // sgd: v = g + λθ, θ −= lr·v; then v = μv + g' on the second step
    CHECK(sgd[1] == doctest::Approx(1.0 - 0.1 * (-2.0 + 0.01)).epsilon(1e-12));
    const double v1 = -2.0 + 0.01, theta1 = sgd[1];
    s.step(sgd, g, 0.1);
    CHECK(sgd[1] == doctest::Approx(theta1 - 0.1 * (0.9 * v1 - 2.0 + 0.01 * theta1)).epsilon(1e-12));
  }

  TEST_CASE("clipping scales the gradient to the norm, and schedules move the rate") {
    arma::vec g = {3.0, 4.0};
    CHECK(clip_by_norm(g, 1.0) == doctest::Approx(5.0));
    CHECK(arma::norm(g) == doctest::Approx(1.0).epsilon(1e-5));
    arma::vec small = {0.3, 0.4};
    clip_by_norm(small, 1.0);
    CHECK(small[0] == 0.3);
    Schedule cosine(ScheduleKind::cosine, 1.0, 10, 1);
    cosine.update(4, 0.0);
    CHECK(cosine.lr() == doctest::Approx(0.01 + 0.99 * 0.5 * (1 + std::cos(M_PI * 0.5))));
    cosine.update(9, 0.0);
    CHECK(cosine.lr() == doctest::Approx(0.01));
    Schedule plateau(ScheduleKind::plateau, 1.0, 10, 2);
    plateau.update(0, 1.0);
    plateau.update(1, 1.0);
    CHECK(plateau.lr() == 1.0);
    plateau.update(2, 1.5);
    CHECK(plateau.lr() == 0.5);
  }

  TEST_CASE("the learning test: on a noisy seasonal series the GRU beats seasonal naive clearly") {
    const Frame frame = seasonal_frame(1500, 1.5);
    ModelConfig config;
    config.lookback = 48;
    config.season = 24;
    config.prep.season = 24;
    config.shape = {config.prep.inputs(0), 16, 1, 6, 0.0};
    config.train.epochs = 30;
    config.train.threads = 2;
    const TrainedModel model = fit_model(frame, config, DataConfig{"y", {}, "", "", "", {}}, nullptr);
    std::map<std::string, double> mase;  // gru, naive, snaive, and chosen when validation chose another method
    for (const auto& [name, m] : model.test.methods) mase[name] = m.mase;
    REQUIRE(mase.contains("gru"));
    REQUIRE(mase.contains("snaive"));
    const double gru = mase["gru"], snaive = mase["snaive"];
    CAPTURE(gru);
    CAPTURE(snaive);
    CHECK(gru < 0.8 * snaive);  // seasonal naive carries the noise of a season ago; the GRU averages it out
    CHECK(model.summary.best_epoch <= model.summary.epochs_run);
    CHECK(model.summary.best_loss == doctest::Approx(*std::min_element(model.summary.validation_losses.begin(),
                                                                       model.summary.validation_losses.end())));
  }

  TEST_CASE("early stopping restores the best epoch's weights") {
    const Frame frame = seasonal_frame(400, 3.0);
    ModelConfig config;
    config.lookback = 24;
    config.season = 24;
    config.prep.season = 24;
    config.prep.transform = TransformKind::none;
    config.shape = {config.prep.inputs(0), 32, 1, 4, 0.0};
    config.train.epochs = 60;
    config.train.patience = 3;
    config.train.optimizer.lr = 0.05;  // too fast: the validation loss turns up soon
    config.train.threads = 1;
    config.precision = Precision::f64;
    const TrainedModel model = fit_model(frame, config, DataConfig{"y", {}, "", "", "", {}}, nullptr);
    REQUIRE(model.summary.early_stopped);
    CHECK(model.summary.epochs_run == model.summary.best_epoch + 3);
    PreparedData prepared = prepare_data(frame, config);
    const PreparedData data = std::move(prepared);  // the set owns its series: nothing to re-point
    const double loss =
        mean_loss(Network<double>(config.shape), model.params_of<double>(), data.set, data.set.validation, config.train);
    CHECK(loss == doctest::Approx(model.summary.best_loss).epsilon(1e-12));
  }
}
