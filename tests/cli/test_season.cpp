// train finds the season by autocorrelation when the frequency gives none (issue 21).
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "support/files.hpp"
#include "support/run.hpp"

using grucast::test::run_grucast;
using grucast::test::TempDir;
using grucast::test::write_text;

TEST_SUITE("cli season") {
  TEST_CASE("a row-index series with a cycle of 12 trains with season 12, and says so, and --season 1 keeps none") {
    TempDir dir;
    const std::string data = (dir / "cycle.csv").string(), model = (dir / "m.grc").string();
    std::string csv = "y\n";
    for (int i = 0; i < 240; ++i) csv += fmt::format("{:.4f}\n", 300.0 + 0.1 * i + 3.0 * std::sin(2 * M_PI * i / 12.0));
    write_text(data, csv);
    const std::vector<std::string> args = {"train", "--data", data, "--target", "y", "--horizon", "6", "--hidden", "4",
                                           "--epochs", "1", "--threads", "1", "--out", model};
    const auto r = run_grucast(args);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.find("grucast: season 12 (found by autocorrelation in 1 of 1 series; the frequency, row index, gives "
                     "none): --season 1 for none\n") != std::string::npos);
    CHECK(run_grucast({"inspect", model, "--json"}).out.find("\"season\": 12") != std::string::npos);
    std::vector<std::string> none = args;
    none.insert(none.end(), {"--season", "1"});
    const auto given = run_grucast(none);
    REQUIRE_MESSAGE(given.status == 0, given.err);
    CHECK(given.err.find("found by autocorrelation") == std::string::npos);
  }
}
