// Quantile forecasts (issue 8, --loss quantile): the pinball loss and its gradient, --quantiles,
// the quantile head, and the intervals a quantile model gives.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/io/model_file.hpp"
#include "grucast/io/torch_json.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "forecast/quantiles.hpp"
#include "nn/loss.hpp"
#include "nn/network.hpp"
#include "support/frames.hpp"
#include "support/gradient_check.hpp"
#include "util/hash.hpp"

using namespace grucast;
using grucast::test::check_gradient;

namespace {

const std::vector<double> kDeciles = {0.1, 0.5, 0.9};

// A model trained with the quantile loss on `frame` (no transform, so each quantile's restoring is exact).
TrainedModel quantile_model(const Frame& frame, std::size_t epochs) {
  ModelConfig config;
  config.lookback = 8;
  config.prep.transform = TransformKind::none;
  config.prep.normalize = NormalizeKind::none;
  config.shape = {config.prep.inputs(0), 8, 1, 2, 0.0};
  config.shape.quantiles = 3;
  config.train.loss = LossKind::quantile;
  config.train.quantiles = kDeciles;
  config.train.optimizer.lr = 0.01;
  config.train.epochs = epochs;
  config.train.threads = 1;
  return fit_model(frame, config, DataConfig{"y", {}, "", "", "", {}}, nullptr);
}

// The model file with its JSON header edited (header length and checksum updated to match).
std::string with_header(const std::string& bytes, const std::function<void(nlohmann::ordered_json&)>& edit) {
  const auto get_u64 = [](const std::string& b, std::size_t offset) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[offset + i]);
    return v;
  };
  const auto set_u64 = [](std::string& b, std::size_t offset, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) b[offset + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  const std::size_t n = get_u64(bytes, 12);
  auto header = nlohmann::ordered_json::parse(bytes.substr(20, n));
  edit(header);
  const std::string text = header.dump();
  std::string out = bytes.substr(0, 12) + std::string(8, '\0') + text + bytes.substr(20 + n);
  set_u64(out, 12, text.size());
  set_u64(out, out.size() - 8, fnv1a64(std::string_view(out).substr(0, out.size() - 8)));
  return out;
}

std::string message_of(const std::string& bytes) {
  try {
    parse_model(bytes, "m.grc");
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_SUITE("quantiles") {
  TEST_CASE("the pinball loss is max(tau u, (tau - 1) u), averaged over the quantiles") {
    // Q = 2 quantiles (0.1, 0.9) of K = 1 step, B = 1: rows 0 and 1 forecast the same target.
    arma::mat prediction(2, 1), target(1, 1), below(1, 1);
    prediction.fill(1.0);
    target.fill(3.0);  // u = y − ŷ = 2
    below.fill(-1.0);  // u = −2
    arma::mat grad;
    // (0.1·2 + 0.9·2) / 2 = 1; gradients −τ/2 (u > 0) times the scale 1
    CHECK(pinball_loss_sum<double>({0.1, 0.9}, prediction, target, &grad, 1.0) == doctest::Approx(1.0));
    CHECK(grad(0, 0) == doctest::Approx(-0.05));
    CHECK(grad(1, 0) == doctest::Approx(-0.45));
    // u = −2: (0.9·2 + 0.1·2) / 2
    CHECK(pinball_loss_sum<double>({0.1, 0.9}, prediction, below, &grad, 1.0) == doctest::Approx(1.0));
    CHECK(grad(0, 0) == doctest::Approx(0.45));
    CHECK(grad(1, 0) == doctest::Approx(0.05));
    CHECK_THROWS_AS(loss_sum<double>(LossKind::quantile, prediction, prediction, nullptr, 1.0), std::logic_error);
  }

  TEST_CASE("the pinball loss gradient equals central differences") {
    const std::size_t K = 3, B = 4;
    const std::vector<double> quantiles = {0.05, 0.25, 0.5, 0.9};
    std::mt19937_64 generator(3);
    std::normal_distribution<double> normal;
    arma::mat prediction(K * quantiles.size(), B), target(K, B);
    for (double& v : prediction) v = normal(generator);
    for (double& v : target) v = normal(generator);
    const double scale = 1.0 / static_cast<double>(K * B);
    arma::mat grad;
    pinball_loss_sum(quantiles, prediction, target, &grad, scale);
    arma::vec values(prediction.memptr(), prediction.n_elem, false, true);
    const auto loss = [&] { return scale * pinball_loss_sum<double>(quantiles, prediction, target, nullptr, 0.0); };
    const auto report = check_gradient(values, arma::vectorise(grad), loss, grucast::test::named("prediction"));
    CHECK_MESSAGE(report.worst < 1e-6, report.describe());
  }

  TEST_CASE("a quantile head's whole-model gradients equal central differences") {
    ModelShape shape{2, 5, 2, 3, 0.0};
    shape.quantiles = 3;
    const Network<double> model(shape);
    CHECK(model.layout().size() == Network<double>(ModelShape{2, 5, 2, 9, 0.0}).layout().size());  // head (K·Q, H)
    arma::vec params;
    init_params(model.layout(), params, 4);
    const std::size_t B = 3, T = 4;
    std::mt19937_64 generator(9);
    std::normal_distribution<double> normal;
    arma::mat x(2, B * T), y(3, B);
    for (double& v : x) v = normal(generator);
    for (double& v : y) v = normal(generator);
    NetworkCache<double> cache;
    const double scale = 1.0 / static_cast<double>(y.n_elem);
    const auto loss = [&] {
      return scale * pinball_loss_sum<double>(kDeciles, model.forward(params, x, B, cache), y, nullptr, 0.0);
    };
    loss();
    arma::mat dprediction;
    pinball_loss_sum(kDeciles, cache.prediction, y, &dprediction, scale);
    arma::vec grad(params.n_elem, arma::fill::zeros);
    model.backward(params, x, cache, dprediction, grad);
    const auto report = check_gradient(params, grad, loss, grucast::test::slice_names(model.layout()));
    CHECK_MESSAGE(report.worst < 1e-6, report.describe());
  }

  TEST_CASE("--quantiles are fractions in (0, 1), each once, with the median added") {
    CHECK(parse_quantiles("0.9, 0.1") == kDeciles);
    CHECK(parse_quantiles("0.5") == std::vector<double>{0.5});
    CHECK(parse_quantiles("0.025,0.1,0.5,0.9,0.975") == std::vector<double>{0.025, 0.1, 0.5, 0.9, 0.975});
    CHECK_THROWS_WITH_AS(parse_quantiles("0.1,x"),
                         "quantile 'x' is not a number, --quantiles, give quantile levels between 0 and 1, e.g. "
                         "0.1,0.5,0.9",
                         UsageError);
    CHECK_THROWS_WITH_AS(parse_quantiles("0.1,1"),
                         "quantile '1' is not between 0 and 1, --quantiles, give quantile levels strictly between 0 "
                         "and 1, e.g. 0.1,0.5,0.9",
                         UsageError);
    CHECK_THROWS_AS(parse_quantiles("0"), UsageError);
    CHECK_THROWS_AS(parse_quantiles("0.1,,0.9"), UsageError);
    CHECK_THROWS_WITH_AS(parse_quantiles("0.1,0.9,0.1"),
                         "quantile 0.1 is given twice, --quantiles, give each quantile once", UsageError);
  }

  TEST_CASE("the levels a model's quantiles give are the central intervals of its symmetric pairs") {
    CHECK(quantile_levels(kDeciles) == std::vector<double>{0.8});
    const std::vector<double> five = {0.025, 0.1, 0.5, 0.9, 0.975};
    REQUIRE(quantile_levels(five).size() == 2);
    CHECK(quantile_levels(five)[1] == doctest::Approx(0.95));
    CHECK(quantile_pair(five, 0.95) == std::pair<std::size_t, std::size_t>{0, 4});
    CHECK(quantile_pair(five, 0.8) == std::pair<std::size_t, std::size_t>{1, 3});
    CHECK_FALSE(quantile_pair(five, 0.5).has_value());
    CHECK_NOTHROW(check_quantile_levels(five, {0.8, 0.95}));
    CHECK_THROWS_WITH_AS(check_quantile_levels(kDeciles, {0.95}),
                         "the model learned the quantiles 0.1, 0.5, 0.9, which give no 95% interval (it needs the "
                         "quantiles 0.025 and 0.975), --intervals, ask for 0.8 (or train with those quantiles)",
                         UsageError);
  }

  TEST_CASE("on white noise the learned 0.1 and 0.9 quantiles cover about 80% of the test actuals") {
    std::mt19937_64 generator(11);
    std::normal_distribution<double> normal(10.0, 2.0);
    std::vector<double> values(3000);
    for (double& v : values) v = normal(generator);
    const Frame frame = test::generated_frame(values.size(), [&](std::size_t i) { return values[i]; });
    const TrainedModel model = quantile_model(frame, 15);
    const TrainedModel loaded = parse_model(model_bytes(model), "m.grc");  // the quantiles survive the file
    REQUIRE(loaded.config.train.quantiles == kDeciles);
    REQUIRE(loaded.config.shape.quantiles == 3);
    const NetworkForecaster forecaster(loaded, "synthetic");
    EvalOptions options = eval_options(task_shape(loaded.config), loaded.config.split);
    options.levels = {0.8};
    options.bounds = [&](const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                         std::vector<arma::mat>& lower, std::vector<arma::mat>& upper) {
      forecaster.quantile_bounds(series, origins, horizon, options.levels, lower, upper);
    };
    const Evaluation e = evaluate(frame, forecaster, options);
    REQUIRE(e.intervals.size() == 1);
    CAPTURE(e.intervals[0].coverage());
    CAPTURE(e.intervals[0].mean_width());
    CHECK(std::abs(e.intervals[0].coverage() - 0.8) <= 0.05);
    CHECK(e.intervals[0].mean_width() == doctest::Approx(2 * 1.2816 * 2.0).epsilon(0.15));  // 2 · 1.28 σ, σ = 2
    // The forecast is the median: about the mean 10 everywhere.
    arma::mat median;
    const std::size_t origins[] = {100, 2000};
    forecaster.forecast(frame.series[0], origins, 2, median);
    CHECK(arma::abs(median - 10.0).max() < 0.6);
  }

  TEST_CASE("the model file's config.quantiles is checked against the loss and the head") {
    const Frame frame = test::generated_frame(200, [](std::size_t i) { return std::sin(0.5 * i); });
    const std::string bytes = model_bytes(quantile_model(frame, 1));
    const std::string hint = ", m.grc, the header is not what grucast train writes (was it edited?): re-train the model";
    CHECK(message_of(with_header(bytes, [](auto& h) { h["config"].erase("quantiles"); })) ==
          "model header field config.quantiles is missing, but config.loss is 'quantile'" + hint);
    CHECK(message_of(with_header(bytes, [](auto& h) { h["config"]["loss"] = "huber"; })) ==
          "model header field config.quantiles is given, but config.loss is 'huber'" + hint);
    CHECK(message_of(with_header(bytes, [](auto& h) { h["config"]["quantiles"] = {0.1, 0.4, 0.9}; })) ==
          "model header field config.quantiles does not hold the median 0.5" + hint);
    CHECK(message_of(with_header(bytes, [](auto& h) { h["config"]["quantiles"] = {0.5, 0.1, 0.9}; })) ==
          "model header field config.quantiles[1] is not above the one before" + hint);
    CHECK(message_of(with_header(bytes, [](auto& h) { h["config"]["quantiles"] = {0.1, 0.5, 1.0}; })) ==
          "model header field config.quantiles[2] is 1.0, not in (0, 1)" + hint);
    CHECK(message_of(with_header(bytes, [](auto& h) { h["config"]["quantiles"] = {0.1, 0.5}; })).find(
              "slices") != std::string::npos);  // Q = 2: the head's slices no longer fit
  }

  TEST_CASE("a quantile model round-trips through torch-json export and import") {
    const Frame frame = test::generated_frame(200, [](std::size_t i) { return std::sin(0.5 * i); });
    const TrainedModel model = quantile_model(frame, 1);
    const TrainedModel imported = import_torch_json(torch_json(model).dump(), "q.json");
    CHECK(imported.config.shape.outputs == 2);
    CHECK(imported.config.shape.quantiles == 3);
    CHECK(imported.config.train.quantiles == kDeciles);
    const std::size_t origins[] = {50, 150};
    arma::cube a, b;
    NetworkForecaster(model, "m").forecast_quantiles(frame.series[0], origins, 2, a);
    NetworkForecaster(imported, "q").forecast_quantiles(frame.series[0], origins, 2, b);
    CHECK(arma::approx_equal(a, b, "absdiff", 1e-9));
  }

  TEST_CASE("a quantile model's quantiles never cross, and it does not roll out past K") {
    const Frame frame = test::generated_frame(300, [](std::size_t i) { return std::sin(0.5 * i) + 0.1 * (i % 7); });
    const TrainedModel model = quantile_model(frame, 1);  // barely trained: crossing is likely
    const NetworkForecaster forecaster(model, "synthetic");
    std::vector<std::size_t> origins(200);
    for (std::size_t j = 0; j < origins.size(); ++j) origins[j] = 20 + j;
    arma::cube all;
    forecaster.forecast_quantiles(frame.series[0], origins, 2, all);
    REQUIRE(all.n_slices == 3);
    CHECK(arma::all(arma::vectorise(all.slice(0) <= all.slice(1))));
    CHECK(arma::all(arma::vectorise(all.slice(1) <= all.slice(2))));
    arma::mat out;
    CHECK_THROWS_WITH_AS(forecaster.forecast(frame.series[0], origins, 3, out),
                         "a horizon of 3 is beyond the model's 2 steps, and a quantile model does not roll out "
                         "recursively (its quantiles are not those of a rolled-out path), --horizon, use --horizon 2 "
                         "or less, or train with --horizon 3",
                         UsageError);
  }
}
