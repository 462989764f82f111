// Attention weights written out: lag 1 is the last row a window saw, and origins past the end
// of a series (recursive roll-out) get future timestamps.
#include <doctest/doctest.h>

#include "report/explain.hpp"

using namespace grucast;

namespace {

Frame daily(const std::string& id_column) {
  Frame frame;
  frame.source = "x.csv";
  frame.id_column = id_column;
  frame.time_column = "date";
  frame.time_format.style = TimeStyle::iso_date;
  frame.frequency = Frequency{FrequencyUnit::seconds, 86400, false};
  Series s;
  s.id = "a,b";
  s.values = arma::rowvec(10, arma::fill::ones);
  for (std::size_t i = 0; i < 10; ++i) s.time.push_back(static_cast<TimePoint>(i) * 86400);
  frame.series.push_back(s);
  return frame;
}

}  // namespace

TEST_SUITE("explain") {
  TEST_CASE("rows of one forecast: lag 1 is the newest step, the timestamp is the last row seen") {
    const Frame frame = daily("");
    const std::vector<double> weights = {0.125, 0.25, 0.625};  // oldest step first, as the network gives them
    CHECK(attention_csv_header(frame) == "timestamp,lag,weight\n");
    CHECK(attention_csv_rows(frame, frame.series[0], 10, weights) ==
          "1970-01-10,1,0.625\n1970-01-10,2,0.25\n1970-01-10,3,0.125\n");
    // a roll-out pass whose window ends 2 steps past the data
    CHECK(attention_csv_rows(frame, frame.series[0], 12, weights).rfind("1970-01-12,1,0.625\n", 0) == 0);
    const Frame stores = daily("store");
    CHECK(attention_csv_header(stores) == "store,timestamp,lag,weight\n");
    CHECK(attention_csv_rows(stores, stores.series[0], 4, weights).rfind("\"a,b\",1970-01-04,1,0.625\n", 0) == 0);
  }

  TEST_CASE("the mean weight per lag over forecasts") {
    AttentionByLag by_lag;
    by_lag.add(std::vector<double>{0.125, 0.25, 0.625});
    by_lag.add(std::vector<double>{0.375, 0.25, 0.375});
    CHECK(by_lag.count() == 2);
    CHECK(by_lag.csv() == "lag,weight\n1,0.5\n2,0.25\n3,0.25\n");
  }
}
