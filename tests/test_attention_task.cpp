// The task attention is for: the next value copies the value one season (24 steps) back, with
// noise between. GRU + attention must beat the plain GRU of the same size in the same epochs,
// and additive attention's mean weight must peak at that lag.
#include <doctest/doctest.h>

#include <cmath>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/workflow/fit.hpp"
#include "nn/params.hpp"
#include "support/frames.hpp"

using namespace grucast;

namespace {

constexpr std::size_t kSeason = 24;

// y_t = 0.9 y_{t−24} + ε_t, ε ~ N(0, 0.45²) (Irwin–Hall), started from noise: a random
// seasonal pattern that drifts; nothing but the value a season ago predicts the next one.
Frame copy_frame(std::size_t n) {
  Random random(29);
  const auto noise = [&] {
    double e = 0.0;
    for (int k = 0; k < 12; ++k) e += random.uniform();
    return e - 6.0;
  };
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = i < kSeason ? noise() : 0.9 * y[i - kSeason] + 0.45 * noise();
  return test::generated_frame(n, [&](std::size_t i) { return y[i]; });
}

ModelConfig copy_config(AttentionKind attention) {
  ModelConfig config;
  // A window of one season: the value to copy is its oldest, which the plain GRU must carry
  // through 23 steps of noise and attention can look up. (The states carry no position, so
  // attention finds a lag in the middle of a longer window only slowly: docs/benchmarks.md.)
  config.lookback = kSeason;
  config.season = config.prep.season = kSeason;
  config.prep.transform = TransformKind::none;
  config.prep.normalize = NormalizeKind::none;
  config.shape = {config.prep.inputs(0), 16, 1, 1, 0.0, attention};
  config.train.epochs = 25;
  config.train.patience = 25;
  config.train.threads = 2;
  return config;
}

// Mean attention weight per lag ℓ = T + 1 − t (lag 1: the last value seen) over the test origins.
arma::vec mean_weight_per_lag(const Frame& frame, const TrainedModel& model) {
  const std::size_t T = model.config.lookback;
  arma::vec sum(T + 1, arma::fill::zeros);
  std::size_t count = 0;
  NetworkForecaster forecaster(model, frame.source);
  forecaster.explain([&](const std::string&, std::size_t, std::span<const double> weights) {
    for (std::size_t t = 0; t < T; ++t) sum[T - t] += weights[t];
    ++count;
  });
  evaluate(frame, forecaster, eval_options(TaskShape{T, 1, kSeason}, model.config.split));
  REQUIRE(count > 0);
  return sum / static_cast<double>(count);
}

}  // namespace

TEST_SUITE("attention task") {
  TEST_CASE("on the copy-a-season-back task, attention beats the plain GRU, additive attention looks 24 steps back") {
    const Frame frame = copy_frame(2000);
    const DataConfig data{"y", {}, "", "", "", {}};
    const TrainedModel plain = fit_model(frame, copy_config(AttentionKind::none), data, nullptr);
    const double plain_rmse = plain.test.methods[0].second.rmse;
    CAPTURE(plain_rmse);
    for (const AttentionKind kind : {AttentionKind::additive, AttentionKind::dot}) {
      CAPTURE(attention_name(kind));
      const TrainedModel attending = fit_model(frame, copy_config(kind), data, nullptr);
      const double rmse = attending.test.methods[0].second.rmse;
      CAPTURE(rmse);
      CHECK(rmse < 0.6 * plain_rmse);
      const arma::vec weights = mean_weight_per_lag(frame, attending);
      CAPTURE(weights.t());
      CHECK(arma::accu(weights) == doctest::Approx(1.0).epsilon(1e-6));
      // Dot attention has no projection to sharpen its scores h_tᵀ h_T / √H: its weights stay
      // near uniform and it reads the value through the mean of the states (measured in
      // docs/benchmarks.md), so only additive attention is held to the peak.
      if (kind == AttentionKind::additive) {
        CHECK(weights.index_max() == kSeason);
        CHECK(weights[kSeason] > 0.5);
      }
    }
  }
}
