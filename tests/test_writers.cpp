#include <doctest/doctest.h>

#include <cmath>

#include "report/writers.hpp"

using namespace grucast;

namespace {

Frame frame_with(const std::string& id_column, std::vector<std::string> ids, std::size_t n) {
  Frame frame;
  frame.source = "x.csv";
  frame.id_column = id_column;
  frame.time_column = "date";
  frame.time_format.style = TimeStyle::iso_date;
  frame.frequency = Frequency{FrequencyUnit::seconds, 86400, false};
  for (std::size_t k = 0; k < ids.size(); ++k) {
    Series s;
    s.id = ids[k];
    s.values = arma::linspace<arma::rowvec>(1, static_cast<double>(n), n) * static_cast<double>(k + 1);
    for (std::size_t i = 0; i < n; ++i) s.time.push_back(static_cast<TimePoint>(i) * 86400);
    frame.series.push_back(s);
  }
  return frame;
}

}  // namespace

TEST_SUITE("writers") {
  TEST_CASE("forecast CSV has timestamp, step and forecast, and the id column by its name with --id") {
    const Frame single = frame_with("", {""}, 30);
    const auto forecasts = forecast_future(single, Baseline(BaselineMethod::naive, 1), 2);
    CHECK(forecasts_csv(single, forecasts) == "timestamp,step,forecast\n1970-01-31,1,30\n1970-02-01,2,30\n");
    const Frame many = frame_with("store", {"a,b", "c"}, 30);
    const auto more = forecast_future(many, Baseline(BaselineMethod::drift, 1), 1);
    CHECK(forecasts_csv(many, more) == "store,timestamp,step,forecast\n\"a,b\",1970-01-31,1,31\nc,1970-01-31,1,62\n");
  }

  TEST_CASE("the id column keeps the input's name in a CSV header, quoted, or is id when it would repeat a name") {
    CHECK(csv_header(frame_with("", {""}, 3), {"timestamp", "step"}) == "timestamp,step\n");
    CHECK(csv_header(frame_with("id", {"a"}, 3), {"timestamp", "step"}) == "id,timestamp,step\n");
    CHECK(csv_header(frame_with("unique_id", {"a"}, 3), {"timestamp"}) == "unique_id,timestamp\n");
    CHECK(csv_header(frame_with("store, city", {"a"}, 3), {"timestamp"}) == "\"store, city\",timestamp\n");
    CHECK(csv_header(frame_with("step", {"a"}, 3), {"timestamp", "step"}) == "id,timestamp,step\n");
    CHECK(forecasts_csv_header(frame_with("upper_80", {"a"}, 3), {0.8}) ==
          "id,timestamp,step,forecast,lower_80,upper_80\n");
  }

  TEST_CASE("evaluation JSON has the metrics, per step, origins and both baselines with the same keys") {
    const Frame frame = frame_with("store", {"a", "b"}, 200);
    const Evaluation e = evaluate(frame, Baseline(BaselineMethod::drift, 7), eval_options(TaskShape{10, 3, 7}, {}));
    const auto j = evaluation_json(frame, e, EvalContext{"value", "70% train, 10% validation, 20% test"});
    for (const char* key : {"mae", "rmse", "mape", "smape", "mase"}) {
      CAPTURE(key);
      CHECK(j["metrics"][key].is_number());
      CHECK(j["baselines"]["naive"][key].is_number());
      CHECK(j["baselines"]["snaive"][key].is_number());
      CHECK(j["per_step"][0][key].is_number());
    }
    CHECK(j["origins"] == e.origins);
    CHECK(j["per_step"].size() == 3);
    CHECK(j["baselines"]["snaive"]["per_step"].size() == 3);
    CHECK(j["per_series"].size() == 2);
    CHECK(j["method"] == "drift");
    CHECK(j["metrics"]["mae"].get<double>() == doctest::Approx(0.0));  // drift is exact on a line
  }

  TEST_CASE("undefined metrics are null in JSON and n/a in the table") {
    Frame frame = frame_with("", {""}, 100);
    frame.series[0].values.fill(0.0);
    const Evaluation e = evaluate(frame, Baseline(BaselineMethod::naive, 1), eval_options(TaskShape{5, 2, 1}, {}));
    const EvalContext context{"value", "split"};
    const auto j = evaluation_json(frame, e, context);
    CHECK(j["metrics"]["mape"].is_null());
    CHECK(j["metrics"]["mase"].is_null());
    CHECK(j["metrics"]["mape_skipped"] == e.model.overall.count);
    const std::string table = evaluation_table(frame, e, context);
    CHECK(table.find("n/a") != std::string::npos);
    CHECK(table.find("MAPE leaves out") != std::string::npos);
  }

  TEST_CASE("the table shows the method beside the baselines, then every step") {
    const Frame frame = frame_with("", {""}, 100);
    const Evaluation e = evaluate(frame, Baseline(BaselineMethod::mean, 1), eval_options(TaskShape{5, 2, 1}, {}));
    const std::string table = evaluation_table(frame, e, EvalContext{"value", "split"});
    CHECK(table.find("\nmean ") != std::string::npos);
    CHECK(table.find("\nnaive ") != std::string::npos);
    CHECK(table.find("\nsnaive ") != std::string::npos);
    CHECK(table.find("\n2 ") != std::string::npos);
  }

  TEST_CASE("the data summary says what was read") {
    Frame frame = frame_with("", {""}, 10);
    frame.report.rows = 10;
    frame.report.regularity.gaps = 2;
    frame.report.regularity.missing_steps = 3;
    frame.report.filled_values = 4;
    CHECK(data_summary(frame) ==
          "x.csv: 10 rows, 1 series, daily (column date), 2 gaps (3 missing steps), 4 missing values filled");
  }

  TEST_CASE("table numbers always leave a space in their column, and show tiny values") {
    CHECK(table_number(0.12345, 10) == "0.1235");
    CHECK(table_number(1234567.0, 12) == "1.2346e+06");
    CHECK(table_number(-3.8081e300, 10) == "-3.8e+300");
    CHECK(table_number(1.5e-301, 12) == "1.5000e-301");
    CHECK(table_number(0.0, 10) == "0.0000");
    CHECK(table_number(std::nan(""), 10) == "n/a");
    for (const double v : {-1.7e308, -123456.789, 9999.99999, 1e-310, 4.9e-324}) {
      for (const std::size_t width : {10, 12}) CHECK(table_number(v, width).size() < width);
    }
  }
}
