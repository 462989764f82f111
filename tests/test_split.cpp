#include <doctest/doctest.h>

#include "grucast/data/frame.hpp"
#include "grucast/data/split.hpp"
#include "grucast/util/error.hpp"

using namespace grucast;

namespace {

Series series_of(std::size_t n) {
  Series s;
  for (std::size_t i = 0; i < n; ++i) {
    s.time.push_back(static_cast<TimePoint>(i));
    s.lines.push_back(i + 2);
  }
  s.values = arma::linspace<arma::rowvec>(1.0, static_cast<double>(n), n);
  return s;
}

}  // namespace

TEST_SUITE("split") {
  TEST_CASE("fractions follow the protocol: floor(0.7 N) train, floor(0.1 N) validation, the rest test") {
    const SplitPoints p = split_series(series_of(741), SplitSpec{});
    CHECK(p.n_train == 518);
    CHECK(p.n_val == 74);
    CHECK(p.n_test == 149);
    CHECK(p.test_begin() == 592);
    // 0.7 · 10 is 7 even though 1 − 0.1 − 0.2 is not exactly 0.7 in binary.
    CHECK(split_series(series_of(10), SplitSpec{}).n_train == 7);
    CHECK(split_series(series_of(1461), SplitSpec{}).test_begin() == 1168);
  }

  TEST_CASE("test_from starts the test part at the first row at or after the time") {
    SplitSpec spec;
    spec.test_from = 80;
    const SplitPoints p = split_series(series_of(100), spec);
    CHECK(p.n_test == 20);
    CHECK(p.n_val == 10);
    CHECK(p.n_train == 70);
    spec.test_from = 1000;
    CHECK(split_series(series_of(100), spec).n_test == 0);
  }

  TEST_CASE("test origins are exactly the protocol's rolling origins") {
    const SplitPoints p = split_series(series_of(741), SplitSpec{});
    const TaskShape shape{36, 12, 12};
    const auto test = origin_range(p, Part::test, shape);
    REQUIRE(test);
    CHECK(test->first == 592);
    CHECK(test->second == 729);  // N − K: 138 origins
    const auto train = origin_range(p, Part::train, shape);
    CHECK(train->first == 36);
    CHECK(train->second == 518 - 12);
    const auto val = origin_range(p, Part::validation, shape);
    CHECK(val->first == 518);
    CHECK(val->second == 592 - 12);
    CHECK_FALSE(origin_range(p, Part::validation, TaskShape{36, 100, 1}));
  }

  TEST_CASE("rows_needed is the smallest length whose split holds every part") {
    const SplitSpec spec;
    for (const TaskShape shape : {TaskShape{24, 12, 12}, TaskShape{1, 1, 1}, TaskShape{168, 24, 24}, TaskShape{5, 3, 7}}) {
      const std::size_t n = rows_needed(spec, shape);
      Frame frame;
      CHECK_NOTHROW(check_split(frame, series_of(n), spec, shape));
      CHECK_THROWS_AS(check_split(frame, series_of(n - 1), spec, shape), DataError);
    }
    CHECK(rows_needed(spec, TaskShape{24, 12, 12}) == 120);
  }

  TEST_CASE("a short series is refused with the rows it needs") {
    Frame frame;
    frame.source = "x.csv";
    CHECK_THROWS_WITH_AS(check_split(frame, series_of(50), SplitSpec{}, TaskShape{24, 12, 1}),
                         "the series has 50 rows, but needs at least 120: a training part of at least 36 rows "
                         "(lookback 24 + horizon 12, and more than season 1), a validation part of at least 12 rows "
                         "(the horizon), and a test part of at least 12 rows (the horizon) under the split 70% train, "
                         "10% validation, 20% test, x.csv, use a longer series, a shorter --lookback, --horizon or "
                         "--season, or other --val and --test fractions",
                         DataError);
  }

  TEST_CASE("fractions out of range are usage errors") {
    CHECK_THROWS_AS((SplitSpec{-0.1, 0.2, {}, {}}.validate()), UsageError);
    CHECK_NOTHROW((SplitSpec{0.1, 0.0, {}, {}}.validate()));  // no test part
    CHECK_THROWS_WITH_AS((SplitSpec{0.5, 0.5, {}, {}}.validate()),
                         "--val 0.5 and --test 0.5 leave no training part, --val, --test, keep val + test below 1",
                         UsageError);
    CHECK_NOTHROW((SplitSpec{0.0, 0.2, {}, {}}.validate()));
  }

  TEST_CASE("parts in rows are the last rows: test last, validation before it, fewer in a short series") {
    SplitSpec spec;
    spec.val_rows = 13;
    spec.test_rows = 13;
    const SplitPoints p = split_series(series_of(100), spec);
    CHECK(p.n_train == 74);
    CHECK(p.n_val == 13);
    CHECK(p.n_test == 13);
    const SplitPoints short_one = split_series(series_of(20), spec);
    CHECK(short_one.n_test == 13);
    CHECK(short_one.n_val == 7);
    CHECK(short_one.n_train == 0);
    CHECK(split_series(series_of(5), spec).n_test == 5);
    CHECK(spec.describe(TimeFormat{}) == "the last 13 rows test, the 13 rows before them validation");
    // lookback 26 + 1 for the transform + horizon 13 in the training part, then 13 + 13 held out
    CHECK(rows_needed(spec, TaskShape{26, 13, 1, 1}) == 66);
    Frame frame;
    CHECK_NOTHROW(check_split(frame, series_of(66), spec, TaskShape{26, 13, 1, 1}));
    CHECK_THROWS_AS(check_split(frame, series_of(65), spec, TaskShape{26, 13, 1, 1}), DataError);
  }

  TEST_CASE("rows and fractions mix, and a fraction of 0 is no part") {
    SplitSpec spec;
    spec.test_rows = 13;  // validation stays 10%
    const SplitPoints p = split_series(series_of(100), spec);
    CHECK(p.n_test == 13);
    CHECK(p.n_val == 10);
    CHECK(p.n_train == 77);
    CHECK(spec.describe(TimeFormat{}) == "10% validation, 13 rows test, the rest train");
    SplitSpec none;
    none.val = none.test = 0.0;
    CHECK_NOTHROW(none.validate());
    CHECK_FALSE(none.has_validation());
    CHECK_FALSE(none.has_test());
    const SplitPoints all = split_series(series_of(37), none);
    CHECK(all.n_train == 37);
    CHECK(all.n_val + all.n_test == 0);
    CHECK(rows_needed(none, TaskShape{24, 12, 12}) == 36);
  }

  TEST_CASE("a part of fewer rows than the horizon is a usage error, not an endless search") {
    SplitSpec spec;
    spec.test_rows = 1;
    CHECK_THROWS_AS(rows_needed(spec, TaskShape{5, 2, 1}), UsageError);
    spec.test_rows = 2;
    CHECK(rows_needed(spec, TaskShape{5, 2, 1}) > 0);
    spec.val_rows = 1;
    CHECK_THROWS_AS(check_split(Frame{}, series_of(60), spec, TaskShape{5, 2, 1}), UsageError);
  }
}
