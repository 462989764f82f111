// Comparing variants: every model on the baselines' test origins, seeds that matter, and the
// means and spreads over seeds (issue 9).
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <stdexcept>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/util/error.hpp"
#include "support/frames.hpp"
#include "workflow/compare.hpp"

using namespace grucast;
using grucast::test::generated_frame;

namespace {

// A noisy seasonal series (period 12) that a small network learns something of in a few epochs.
Frame seasonal_frame(std::size_t n) {
  return generated_frame(n, [](std::size_t i) {
    return 10.0 + 3.0 * std::sin(2.0 * M_PI * static_cast<double>(i) / 12.0) + 0.3 * std::sin(0.7 * i * i);
  });
}

ModelConfig small_config() {
  ModelConfig config;
  config.lookback = 12;
  config.season = config.prep.season = 12;
  config.shape = {config.prep.inputs(0), 4, 1, 3, 0.0};
  config.train.epochs = 3;
  config.train.threads = 1;
  return config;
}

DataConfig data_of(const Frame& frame) {
  DataConfig data;
  data.target = frame.columns.front();
  return data;
}

}  // namespace

TEST_SUITE("compare") {
  TEST_CASE("every variant and seed is scored on the test origins of the baselines") {
    const Frame frame = seasonal_frame(160);
    const ModelConfig config = small_config();
    const std::vector<Variant> variants = parse_variants("gru,lstm", "none,dot");
    const CompareReport report = compare_models(frame, config, data_of(frame), variants, {1, 2});
    const Evaluation naive =
        evaluate(frame, Baseline(BaselineMethod::naive, 12), eval_options(task_shape(config), config.split));
    CHECK(report.origins == naive.origins);
    CHECK(report.origins == 160 - 128 - 3 + 1);  // test rows from 128 (70% + 10%), K = 3
    CHECK(report.naive.mae == naive.model.overall.mae);
    CHECK(report.snaive.mae == naive.snaive.overall.mae);
    REQUIRE(report.variants.size() == 4);
    for (const VariantResult& v : report.variants) {
      CAPTURE(v.variant.name());
      REQUIRE(v.runs.size() == 2);
      for (const CompareRun& run : v.runs) {
        CHECK(run.origins == report.origins);
        CHECK(run.origins_hash == report.origins_hash);
        CHECK(run.test.count == report.naive.count);
        CHECK(run.naive.mae == report.naive.mae);  // naive beside the model: the same origins, the same score
      }
    }
  }

  TEST_CASE("variants come cells first, each with its own cell and attention, and their parameters") {
    const Frame frame = seasonal_frame(160);
    const CompareReport report =
        compare_models(frame, small_config(), data_of(frame), parse_variants("lstm,gru", "additive,none"), {5});
    std::vector<std::string> names;
    for (const VariantResult& v : report.variants) names.push_back(v.variant.name());
    CHECK(names == std::vector<std::string>{"lstm+additive", "lstm", "gru+additive", "gru"});
    CHECK(report.variants[1].parameters > report.variants[3].parameters);  // 4 gate blocks against 3
    CHECK(report.variants[0].parameters > report.variants[1].parameters);
    for (const VariantResult& v : report.variants) {
      CHECK(v.latency_us > 0.0);
      CHECK(v.runs.front().seed == 5);
      CHECK(v.runs.front().summary.epochs_run == 3);
      CHECK(v.runs.front().samples_per_second > 0.0);
    }
  }

  TEST_CASE("seeds differ: different weights and scores, and each seed's run is fit_model's with that seed") {
    const Frame frame = seasonal_frame(160);
    ModelConfig config = small_config();
    const CompareReport report = compare_models(frame, config, data_of(frame), {{CellKind::gru}}, {1, 2});
    const VariantResult& v = report.variants.front();
    CHECK(v.runs[0].seed == 1);
    CHECK(v.runs[1].seed == 2);
    CHECK(v.runs[0].summary.train_losses != v.runs[1].summary.train_losses);
    CHECK(v.runs[0].test.mae != v.runs[1].test.mae);
    config.train.seed = 2;
    FitControl network_only;  // compare scores the network, not the forecasters chosen on validation
    network_only.fallback = FallbackPolicy::none;
    const TrainedModel model = fit_model(frame, config, data_of(frame), {}, network_only);
    CHECK(model.summary.train_losses == v.runs[1].summary.train_losses);
    REQUIRE(model.test.methods.size() == 3);
    CHECK(model.test.methods[0].second.mae == v.runs[1].test.mae);
  }

  TEST_CASE("the means and sample standard deviations over seeds, and no spread with one seed") {
    const MeanSpread four = mean_spread({1.0, 2.0, 3.0, 4.0});
    CHECK(four.mean == doctest::Approx(2.5));
    CHECK(four.spread == doctest::Approx(std::sqrt(5.0 / 3.0)));  // n − 1 = 3
    const MeanSpread one = mean_spread({7.5});
    CHECK(one.mean == 7.5);
    CHECK(one.spread == 0.0);

    const Frame frame = seasonal_frame(160);
    const CompareReport three = compare_models(frame, small_config(), data_of(frame), {{CellKind::lstm}}, {1, 2, 3});
    const VariantResult& v = three.variants.front();
    const double mean = (v.runs[0].test.mae + v.runs[1].test.mae + v.runs[2].test.mae) / 3.0;
    double squares = 0.0;
    for (const CompareRun& run : v.runs) squares += (run.test.mae - mean) * (run.test.mae - mean);
    CHECK(v.mae.mean == doctest::Approx(mean).epsilon(1e-12));
    CHECK(v.mae.spread == doctest::Approx(std::sqrt(squares / 2.0)).epsilon(1e-12));
    CHECK(v.mae.spread > 0.0);
    const double best = static_cast<double>(v.runs[0].summary.best_epoch + v.runs[1].summary.best_epoch +
                                            v.runs[2].summary.best_epoch);
    CHECK(v.best_epoch.mean == doctest::Approx(best / 3.0));

    const CompareReport single = compare_models(frame, small_config(), data_of(frame), {{CellKind::lstm}}, {2});
    const VariantResult& s = single.variants.front();
    CHECK(s.mae.mean == v.runs[1].test.mae);  // the same seed trains the same model
    for (const MeanSpread* m : {&s.mae, &s.rmse, &s.smape, &s.mase, &s.seconds, &s.best_epoch}) {
      CHECK(m->spread == 0.0);
    }
  }

  TEST_CASE("a stop request ends the comparison with Interrupted") {
    const Frame frame = seasonal_frame(160);
    std::atomic<bool> stop{false};
    CompareControl control;
    control.stop = &stop;
    control.run_start = [&stop](const Variant&, std::uint64_t, std::size_t run, std::size_t) { stop = run == 2; };
    CHECK_THROWS_AS(
        compare_models(frame, small_config(), data_of(frame), parse_variants("gru", "none"), {1, 2}, control),
        Interrupted);
  }

  TEST_CASE("--cells and --attention lists, and --seeds, refused with the option and the fix") {
    CHECK(parse_variants(" gru , lstm ", "none").size() == 2);
    const std::string cells = "give a comma-separated list of gru and lstm, each once";
    CHECK_THROWS_WITH_AS(parse_variants("gru,rnn", "none"),
                         ("unknown name 'rnn' in --cells, --cells, " + cells).c_str(), UsageError);
    CHECK_THROWS_WITH_AS(parse_variants("", "none"), ("--cells is empty, --cells, " + cells).c_str(), UsageError);
    CHECK_THROWS_WITH_AS(parse_variants("gru,,lstm", "none"),
                         ("--cells 'gru,,lstm' has an empty item, --cells, " + cells).c_str(), UsageError);
    CHECK_THROWS_WITH_AS(parse_variants("lstm,gru,lstm", "none"),
                         ("--cells names 'lstm' twice, --cells, " + cells).c_str(), UsageError);
    CHECK_THROWS_WITH_AS(parse_variants("gru", "none,bahdanau"),
                         "unknown name 'bahdanau' in --attention, --attention, give a comma-separated list of none, "
                         "additive and dot, each once",
                         UsageError);
    CHECK(compare_seeds(7, 3) == std::vector<std::uint64_t>{7, 8, 9});
    CHECK_THROWS_WITH_AS(compare_seeds(1, 0), "seeds 0 is out of range, --seeds, use a whole number from 1 to 100",
                         UsageError);
    CHECK_THROWS_WITH_AS(compare_seeds(UINT64_MAX - 1, 3),
                         "--seed 18446744073709551614 with --seeds 3 passes the largest seed, 18446744073709551615, "
                         "--seed, use a smaller --seed",
                         UsageError);
  }
}
