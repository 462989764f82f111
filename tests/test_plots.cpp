#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <regex>
#include <stdexcept>

#include "grucast/forecast/baselines.hpp"
#include "report/plots.hpp"
#include "support/frames.hpp"
#include "support/xml.hpp"

using namespace grucast;
using grucast::test::parse_xml;
using grucast::test::XmlElement;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Frame load(const std::string& file, const std::string& target) {
  DataOptions options;
  options.path = std::string(GRUCAST_DATASETS) + "/" + file;
  options.target = target;
  return load_frame(options);
}

std::size_t points_of(const XmlElement& polyline) {
  const std::string points = polyline["points"];
  return static_cast<std::size_t>(std::count(points.begin(), points.end(), ','));
}

// Dots drawn in the plots (not the legend's).
std::size_t plotted_dots(const XmlElement& root) {
  std::size_t dots = 0;
  for (const XmlElement* group : root.all([](const XmlElement& e) { return e.name == "g" && e.has("clip-path"); })) {
    dots += group->all("circle").size();
  }
  return dots;
}

std::vector<std::string> texts(const XmlElement& root, const std::string& element, const std::string& css_class) {
  std::vector<std::string> out;
  for (const XmlElement* e : root.all(element, css_class)) out.push_back(e->all_text());
  return out;
}

// A frame of `count` series named by `name(i)`, each of `rows` daily rows from 2020-01-01.
Frame many_series(std::size_t count, std::size_t rows, const std::function<std::string(std::size_t)>& name) {
  Frame frame;
  frame.source = "many.csv";
  frame.columns = {"sales"};
  frame.time_column = "day";
  frame.id_column = "store";
  frame.time_format.style = TimeStyle::iso_date;
  frame.frequency = {FrequencyUnit::seconds, 86400};
  for (std::size_t s = 0; s < count; ++s) {
    Series series;
    series.id = name(s);
    series.values.set_size(1, rows);
    for (std::size_t i = 0; i < rows; ++i) {
      series.values(0, i) = static_cast<double>(s * 10 + i % 7);
      series.time.push_back(1577836800 + static_cast<TimePoint>(i) * 86400);
    }
    frame.series.push_back(std::move(series));
  }
  return frame;
}

}  // namespace

TEST_SUITE("plots") {
  TEST_CASE("history shown: the last max(4K, 48) rows, or the whole of a shorter series") {
    CHECK(history_rows_shown(741, 12) == 48);
    CHECK(history_rows_shown(741, 24) == 96);
    CHECK(history_rows_shown(741, 1) == 48);
    CHECK(history_rows_shown(10, 12) == 10);
    CHECK(history_rows_shown(1, 5) == 1);
  }

  TEST_CASE("a forecast plot draws the history, the forecast and its interval bands, wider levels lighter") {
    const Frame frame = load("co2-concentration.csv", "CO2");
    const Baseline snaive(BaselineMethod::snaive, 12);
    SeriesForecast forecast = forecast_series(frame, frame.series[0], snaive, 12);
    const arma::vec spread = arma::linspace(0.5, 2.0, 12);
    forecast.intervals = {{0.8, forecast.values - spread, forecast.values + spread},
                          {0.95, forecast.values - 2 * spread, forecast.values + 2 * spread}};
    ForecastPlot plot(frame, snaive.name());
    plot.add(frame.series[0], forecast);
    const std::string text = plot.svg();
    const XmlElement root = parse_xml(text);
    CHECK(root.all("g", "panel").size() == 1);
    REQUIRE(root.all("polyline", "history").size() == 1);
    CHECK(points_of(*root.all("polyline", "history")[0]) == 48);
    REQUIRE(root.all("polyline", "forecast").size() == 1);
    CHECK(points_of(*root.all("polyline", "forecast")[0]) == 12);
    const auto bands = root.all("polygon", "interval");
    REQUIRE(bands.size() == 2);  // the 95% band first, under the 80% band, and lighter
    CHECK(std::stod((*bands[0])["fill-opacity"]) < std::stod((*bands[1])["fill-opacity"]));
    CHECK(texts(root, "g", "legend-entry") ==
          std::vector<std::string>{"history", "forecast (snaive)", "95% interval", "80% interval"});
    for (const std::string& label : texts(root, "text", "x-tick")) {
      CHECK(std::regex_match(label, std::regex(R"(20\d\d-\d\d)")));
    }
    CHECK(texts(root, "text", "y-label") == std::vector<std::string>{"CO2"});
    CHECK(texts(root, "text", "x-label") == std::vector<std::string>{"Date"});
    CHECK(text.size() < 40'000);
    // An interval must have K bounds.
    forecast.intervals = {{0.5, arma::vec(3), arma::vec(3)}};
    CHECK_THROWS_AS(plot.add(frame.series[0], forecast), std::invalid_argument);
  }

  TEST_CASE("a forecast plot shows 12 series and says how many are not shown, ids are escaped") {
    const Frame frame =
        many_series(15, 60, [](std::size_t i) { return i == 0 ? "<a & \"b\" 'c'>" : "s" + std::to_string(i); });
    const Baseline naive(BaselineMethod::naive, 1);
    ForecastPlot plot(frame, "naive");
    for (const Series& series : frame.series) plot.add(series, forecast_series(frame, series, naive, 3));
    const XmlElement root = parse_xml(plot.svg());
    CHECK(root.all("g", "panel").size() == kMaxPlotPanels);
    CHECK(texts(root, "text", "note").front() ==
          "3 steps ahead after the last 48 rows of history (dashed line: the last row); 12 of 15 series shown, 3 not "
          "shown");
    CHECK(texts(root, "text", "panel-title").front() == "store <a & \"b\" 'c'>");
  }

  TEST_CASE("a forecast plot of a one-row series, a constant series, huge values and a gap") {
    Frame frame = grucast::test::generated_frame(1, [](std::size_t) { return 3.0; });
    const Baseline naive(BaselineMethod::naive, 1);
    ForecastPlot one(frame, "naive");
    one.add(frame.series[0], forecast_series(frame, frame.series[0], naive, 1));
    const XmlElement one_root = parse_xml(one.svg());
    CHECK(plotted_dots(one_root) == 2);  // the history's one row and the one forecast step
    CHECK(texts(one_root, "text", "x-label") == std::vector<std::string>{"row"});
    for (const double value : {0.0, 1e300, -1.7e308}) {
      frame = grucast::test::generated_frame(30, [&](std::size_t i) { return i == 10 ? kNaN : value; });
      ForecastPlot flat(frame, "naive");
      flat.add(frame.series[0], forecast_series(frame, frame.series[0], naive, 5));
      const std::string text = flat.svg();
      const XmlElement root = parse_xml(text);
      CHECK(root.all("polyline", "history").size() == 2);  // broken at the missing row
      CHECK(text.find("nan") == std::string::npos);
      CHECK(text.find("inf") == std::string::npos);
    }
  }

  TEST_CASE("an evaluation plot takes the forecasts from the sink: actual vs 1 step ahead, and MAE by step") {
    const Frame frame = load("co2-concentration.csv", "CO2");
    EvalOptions options = eval_options(TaskShape{36, 12, 12}, SplitSpec{});
    options.max_forecasts = 12 * 10;  // chunks of ten origins
    EvaluationPlot plot(frame, options);
    options.forecast_sink = [&](const Series& s, std::span<const std::size_t> origins, const arma::mat& forecasts) {
      plot.add(s, origins, forecasts);
    };
    const Evaluation evaluation = evaluate(frame, Baseline(BaselineMethod::drift, 12), options);
    const XmlElement root = parse_xml(plot.svg(evaluation));
    CHECK(root.all("g", "panel").size() == 2);
    REQUIRE(root.all("polyline", "actual").size() == 1);
    CHECK(points_of(*root.all("polyline", "actual")[0]) == 138);
    CHECK(points_of(*root.all("polyline", "forecast")[0]) == 138);
    CHECK(texts(root, "text", "panel-title") ==
          std::vector<std::string>{"CO2: 138 test origins", "error by forecast step"});
    for (const char* method : {"mae-drift", "mae-naive", "mae-snaive"}) {
      REQUIRE(root.all("polyline", method).size() == 1);
      CHECK(points_of(*root.all("polyline", method)[0]) == 12);
    }
    CHECK(texts(root, "text", "x-tick").back() == "12");
    CHECK(texts(root, "g", "legend-entry") ==
          std::vector<std::string>{"actual", "drift 1 step ahead", "drift", "naive", "snaive"});
  }

  TEST_CASE("a loss plot: both losses, the best epoch marked, a log scale past two decades") {
    TrainSummary summary;
    summary.train_losses = {1.0, 0.5, 0.3, 0.25};
    summary.validation_losses = {1.2, 0.6, 0.4, 0.45};
    summary.best_epoch = 3;
    summary.best_loss = 0.4;
    XmlElement root = parse_xml(loss_plot(summary, "training", "huber loss (scaled)"));
    CHECK(root.all("polyline", "train-loss").size() == 1);
    CHECK(root.all("polyline", "validation-loss").size() == 1);
    CHECK(root.all("line", "best-epoch").size() == 1);
    CHECK(texts(root, "text", "y-label") == std::vector<std::string>{"huber loss (scaled)"});
    CHECK(texts(root, "g", "legend-entry") == std::vector<std::string>{"training", "validation", "best epoch 3"});
    summary.train_losses = {100, 1, 0.5, 0.2};  // 2.7 decades
    root = parse_xml(loss_plot(summary, "training", "mse loss (scaled)"));
    CHECK(texts(root, "text", "y-label") == std::vector<std::string>{"mse loss (scaled), log scale"});
  }

  TEST_CASE("a loss plot of one epoch, and without validation (all NaN)") {
    TrainSummary summary;
    summary.train_losses = {0.7};
    summary.validation_losses = {kNaN};
    summary.best_epoch = 1;
    summary.best_loss = 0.7;
    const std::string text = loss_plot(summary, "one epoch", "huber loss (scaled)");
    const XmlElement root = parse_xml(text);
    CHECK(root.all("polyline").empty());
    CHECK(plotted_dots(root) == 2);  // the training loss's one point and the best epoch's
    CHECK(root.all("polyline", "validation-loss").empty());
    CHECK(texts(root, "text", "x-tick") == std::vector<std::string>{"1"});
    CHECK(texts(root, "text", "note").front().find("no validation part") != std::string::npos);
    CHECK(text.find("nan") == std::string::npos);
  }
}
