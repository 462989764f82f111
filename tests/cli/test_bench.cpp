// grucast bench runs and reports (its numbers are for docs/benchmarks.md, not for tests).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/run.hpp"

using grucast::test::run_grucast;

TEST_SUITE("cli bench") {
  TEST_CASE("bench --json gives one object per configuration with the documented keys") {
    const auto r = run_grucast({"bench", "--config", "small", "--hidden", "8", "--lookback", "6", "--seconds", "0.1",
                                "--threads", "1", "--json"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto all = nlohmann::json::parse(r.out);
    REQUIRE(all.size() == 1);
    const auto& c = all[0];
    CHECK(c["config"] == "custom");  // a dimension given: small with H 8 and T 6
    CHECK(c["hidden"] == 8);
    CHECK(c["lookback"] == 6);
    CHECK(c["features"] == 1);
    for (const char* key : {"train_samples_per_s", "infer_samples_per_s", "latency_us", "train_gflops", "peak_rss_mb"}) {
      CAPTURE(key);
      CHECK(c[key].get<double>() > 0.0);
    }
  }

  TEST_CASE("bench refuses an unknown configuration and a bad duration") {
    const auto unknown = run_grucast({"bench", "--config", "huge"});
    CHECK(unknown.status == 2);
    CHECK(unknown.err ==
          "grucast: error: unknown configuration 'huge', --config, use small, medium, large or all\n");
    const auto zero = run_grucast({"bench", "--seconds", "0"});
    CHECK(zero.status == 2);
    CHECK(zero.err == "grucast: error: --seconds 0 is out of range, --seconds, give more than 0 and at most 3600\n");
  }
}
