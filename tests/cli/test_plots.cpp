// forecast --plot, evaluate --plot and train --plot-loss end to end on the bundled datasets.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "support/run.hpp"
#include "support/xml.hpp"

using grucast::test::parse_xml;
using grucast::test::read_text;
using grucast::test::run_grucast;
using grucast::test::run_program;
using grucast::test::TempDir;
using grucast::test::write_text;
using grucast::test::XmlElement;

namespace {

const std::string kDatasets = GRUCAST_DATASETS;
const std::string kCo2 = kDatasets + "/co2-concentration.csv";

// Python's own XML parser reads the file too, and counts the panels.
constexpr const char* kPythonCheck = R"(
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
assert root.tag == ns + 'svg', root.tag
for attribute in ('width', 'height', 'viewBox'):
    assert attribute in root.attrib, attribute
print(sum(1 for g in root.iter(ns + 'g') if g.get('class') == 'panel'))
)";

// The plot, read by the strict checker of tests/support/xml.hpp and by Python's ElementTree.
XmlElement read_svg(const std::filesystem::path& path, std::size_t panels) {
  REQUIRE(std::filesystem::exists(path));
  const std::string text = read_text(path);
  const XmlElement root = parse_xml(text);
  CHECK(root.name == "svg");
  CHECK(root["xmlns"] == "http://www.w3.org/2000/svg");
  CHECK(root["viewBox"] == fmt::format("0 0 {} {}", root["width"], root["height"]));
  CHECK(root.all("g", "panel").size() == panels);
  const auto python = run_program("/usr/bin/python3", {"-c", kPythonCheck, path.string()});
  CHECK_MESSAGE(python.status == 0, python.err);
  CHECK(python.out == std::to_string(panels) + "\n");
  CHECK(text.find("nan") == std::string::npos);
  return root;
}

std::vector<std::string> texts(const XmlElement& root, const std::string& element, const std::string& css_class) {
  std::vector<std::string> out;
  for (const XmlElement* e : root.all(element, css_class)) out.push_back(e->all_text());
  return out;
}

void check_dates(const XmlElement& root, const std::string& pattern) {
  const auto labels = texts(root, "text", "x-tick");
  CHECK(labels.size() >= 3);
  for (const std::string& label : labels) {
    CAPTURE(label);
    CHECK(std::regex_match(label, std::regex(pattern)));
  }
}

// A band polygon's columns (x, upper, lower) in px: its points are the upper bounds forward, then
// the lower ones back.
std::vector<std::array<double, 3>> band_columns(const XmlElement& polygon) {
  std::vector<std::pair<double, double>> points;
  std::istringstream in(polygon["points"]);
  for (std::string point; in >> point;) {
    const std::size_t comma = point.find(',');
    points.emplace_back(std::stod(point.substr(0, comma)), std::stod(point.substr(comma + 1)));
  }
  std::vector<std::array<double, 3>> columns;
  for (std::size_t i = 0; i < points.size() / 2; ++i) {
    const auto& lower = points[points.size() - 1 - i];
    CHECK(lower.first == points[i].first);
    columns.push_back({points[i].first, points[i].second, lower.second});
  }
  return columns;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_SUITE("cli plots") {
  TEST_CASE("forecast --plot: the history and forecast of CO2 with dates, and the same CSV on stdout") {
    TempDir dir;
    const std::vector<std::string> args = {"forecast", "--baseline", "snaive", "--data", kCo2, "--target", "CO2",
                                           "--horizon", "12", "-q"};
    const auto plain = run_grucast(args);
    const auto r = run_grucast(with(args, {"--plot", (dir / "f.svg").string()}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out == plain.out);
    const XmlElement root = read_svg(dir / "f.svg", 1);
    CHECK(root.all("polyline", "history").size() == 1);
    CHECK(root.all("polyline", "forecast").size() == 1);
    check_dates(root, R"((19|20)\d\d-\d\d)");
    CHECK(texts(root, "g", "legend-entry") == std::vector<std::string>{"history", "forecast (snaive)"});
    CHECK(texts(root, "text", "title").front() == "snaive forecast of CO2 in " + kCo2);
    CHECK(texts(root, "text", "y-label") == std::vector<std::string>{"CO2"});
  }

  TEST_CASE("forecast --intervals --plot: the intervals as bands, the widest lightest") {
    TempDir dir;
    const auto r = run_grucast({"forecast", "--baseline", "snaive", "--data", kCo2, "--target", "CO2", "--horizon",
                                "12", "--intervals", "0.8,0.95", "-q", "--plot", (dir / "i.svg").string()});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const XmlElement root = read_svg(dir / "i.svg", 1);
    const auto bands = root.all("polygon", "interval");
    REQUIRE(bands.size() == 2);
    CHECK(std::stod((*bands[0])["fill-opacity"]) < std::stod((*bands[1])["fill-opacity"]));
    CHECK(texts(root, "g", "legend-entry") ==
          std::vector<std::string>{"history", "forecast (snaive)", "95% interval", "80% interval"});
  }

  TEST_CASE("forecast --plot on hourly data: tick labels are dates or hours") {
    TempDir dir;
    const auto r = run_grucast({"forecast", "--baseline", "snaive", "--data",
                                kDatasets + "/seattle-weather-hourly-normals.csv", "--target", "temperature",
                                "--horizon", "24", "-q", "--plot", (dir / "h.svg").string()});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    check_dates(read_svg(dir / "h.svg", 1), R"(2010-12-\d\d|2011-01-01|\d\d:00)");
  }

  TEST_CASE("forecast --plot: one panel per series up to 12, ids with XML's special characters") {
    TempDir dir;
    std::string csv = "store,day,sales\n";
    const std::vector<std::string> ids = {"\"a&b\"", "<c>", "\"\"\"d'\"\"\""};  // a&b, <c>, "d'" in CSV quoting
    for (std::size_t s = 0; s < 14; ++s) {
      for (int day = 1; day <= 20; ++day) {
        csv += fmt::format("{},2021-03-{:02},{}\n", s < 3 ? ids[s] : "s" + std::to_string(s), day, s + day % 3);
      }
    }
    write_text(dir / "stores.csv", csv);
    const auto r = run_grucast({"forecast", "--baseline", "naive", "--data", (dir / "stores.csv").string(), "--id",
                                "store", "--target", "sales", "--horizon", "2", "-q", "--plot", (dir / "s.svg").string()});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const XmlElement root = read_svg(dir / "s.svg", 12);
    const auto titles = texts(root, "text", "panel-title");
    REQUIRE(titles.size() == 12);
    CHECK(titles[0] == "store a&b");
    CHECK(titles[1] == "store <c>");
    CHECK(titles[2] == "store \"d'\"");
    CHECK(texts(root, "text", "note").front().find("12 of 14 series shown, 2 not shown") != std::string::npos);
  }

  TEST_CASE("evaluate --plot: actual vs the 1-step-ahead forecasts over the test part, and the error by step") {
    TempDir dir;
    const std::vector<std::string> args = {"evaluate", "--baseline", "drift", "--data", kDatasets + "/seattle-weather.csv",
                                           "--target", "temp_max", "--horizon", "7", "--lookback", "28", "-q"};
    const auto plain = run_grucast(args);
    const auto r = run_grucast(with(args, {"--plot", (dir / "e.svg").string()}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out == plain.out);
    const XmlElement root = read_svg(dir / "e.svg", 2);
    CHECK(root.all("polyline", "actual").size() == 1);
    CHECK(root.all("polyline", "forecast").size() == 1);
    for (const char* method : {"mae-drift", "mae-naive", "mae-snaive"}) CHECK(root.all("polyline", method).size() == 1);
    CHECK(texts(root, "text", "panel-title") ==
          std::vector<std::string>{"temp_max: 287 test origins", "error by forecast step"});
    CHECK(texts(root, "g", "legend-entry") ==
          std::vector<std::string>{"actual", "drift 1 step ahead", "drift", "naive", "snaive"});
    const auto ticks = texts(root, "text", "x-tick");
    CHECK(std::regex_match(ticks.front(), std::regex(R"(2015-\d\d(-\d\d)?)")));
    CHECK(ticks.back() == "7");  // the last step
  }

  TEST_CASE("evaluate --intervals --plot: the step-1 intervals as bands around the forecasts, none without") {
    TempDir dir;
    const std::vector<std::string> args = {"evaluate", "--baseline", "snaive", "--data", kCo2, "--target", "CO2",
                                           "--horizon", "12", "--val", "0.2", "-q"};
    auto r = run_grucast(with(args, {"--plot", (dir / "plain.svg").string()}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    XmlElement root = read_svg(dir / "plain.svg", 2);
    CHECK(root.all("polygon").empty());
    CHECK(texts(root, "g", "legend-entry") ==
          std::vector<std::string>{"actual", "snaive 1 step ahead", "snaive", "naive"});

    r = run_grucast(with(args, {"--intervals", "0.8,0.95", "--plot", (dir / "bands.svg").string()}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    root = read_svg(dir / "bands.svg", 2);
    const auto panels = root.all("g", "panel");
    CHECK(panels[1]->all("polygon").empty());  // the error by step has no bands
    const auto bands = panels[0]->all("polygon", "interval");
    REQUIRE(bands.size() == 2);
    CHECK(std::stod((*bands[0])["fill-opacity"]) < std::stod((*bands[1])["fill-opacity"]));
    CHECK(texts(root, "g", "legend-entry") == std::vector<std::string>{"actual", "snaive 1 step ahead", "95% interval",
                                                                       "80% interval", "snaive", "naive"});
    // ŷ ± q_1·s: centred on the forecast at every origin, as wide at each (to the 0.1 px of the
    // coordinates), and the 95% band wider than the 80% one.
    const auto forecasts = panels[0]->all("polyline", "forecast");
    REQUIRE(forecasts.size() == 1);
    std::map<double, double> forecast_y;
    std::istringstream points((*forecasts[0])["points"]);
    for (std::string point; points >> point;) {
      forecast_y[std::stod(point.substr(0, point.find(',')))] = std::stod(point.substr(point.find(',') + 1));
    }
    std::vector<double> widths;
    for (const XmlElement* band : bands) {
      const auto columns = band_columns(*band);
      CHECK(columns.size() > 100);  // one per test origin
      double narrowest = HUGE_VAL, widest = 0;
      for (const auto& [x, upper, lower] : columns) {
        CAPTURE(x);
        REQUIRE(forecast_y.count(x) == 1);
        CHECK(std::abs((upper + lower) / 2 - forecast_y[x]) <= 0.1);
        narrowest = std::min(narrowest, lower - upper);
        widest = std::max(widest, lower - upper);
      }
      CHECK(widest - narrowest <= 0.2);
      CHECK(narrowest > 1);
      widths.push_back(narrowest);
    }
    CHECK(widths[0] > widths[1]);
  }

  TEST_CASE("train --plot-loss, then evaluate --plot and forecast --plot with the model") {
    TempDir dir;
    const std::string model = (dir / "co2.grc").string();
    const std::vector<std::string> train = {"train", "--data", kCo2, "--target", "CO2", "--lookback", "24", "--horizon",
                                            "12", "--season", "12", "--hidden", "4", "--epochs", "3", "--threads", "1",
                                            "-q", "--out", model, "--fallback", "none"};  // the network's labels
    auto r = run_grucast(with(train, {"--plot-loss", (dir / "loss.svg").string()}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    XmlElement root = read_svg(dir / "loss.svg", 1);
    CHECK(root.all("polyline", "train-loss").size() == 1);
    CHECK(root.all("polyline", "validation-loss").size() == 1);
    CHECK(root.all("line", "best-epoch").size() == 1);
    CHECK(texts(root, "text", "x-tick") == std::vector<std::string>{"1", "2", "3"});
    CHECK(texts(root, "text", "y-label") == std::vector<std::string>{"huber loss (scaled)"});

    r = run_grucast({"evaluate", "--model", model, "--data", kCo2, "-q", "--plot", (dir / "e.svg").string()});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    root = read_svg(dir / "e.svg", 2);
    CHECK(texts(root, "g", "legend-entry") ==
          std::vector<std::string>{"actual", "gru 1 step ahead", "gru", "naive", "snaive"});

    r = run_grucast({"forecast", "--model", model, "--data", kCo2, "-q", "--plot", (dir / "f.svg").string()});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    root = read_svg(dir / "f.svg", 1);
    CHECK(texts(root, "g", "legend-entry") == std::vector<std::string>{"history", "forecast (gru)"});

    // --val 0: no validation loss; one epoch: a single point.
    r = run_grucast(with(train, {"--val", "0", "--epochs", "1", "--plot-loss", (dir / "one.svg").string()}));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    root = read_svg(dir / "one.svg", 1);
    CHECK(root.all("polyline").empty());
    CHECK(root.all("polyline", "validation-loss").empty());
    CHECK(texts(root, "text", "note").front().find("no validation part") != std::string::npos);
  }

  TEST_CASE("a plot may not be stdout, --out, the data or the model, and a failed command leaves no plot") {
    TempDir dir;
    const std::string plot = (dir / "p.svg").string(), out = (dir / "out.csv").string();
    const std::vector<std::string> forecast = {"forecast", "--baseline", "naive", "--data", kCo2, "--target", "CO2",
                                               "--horizon", "3", "-q"};
    auto r = run_grucast(with(forecast, {"--out", plot, "--plot", plot}));
    CHECK(r.status == 2);
    CHECK(r.err == "grucast: error: --plot and --out are the same file '" + plot +
                       "', --plot, give --plot a file of its own\n");
    CHECK_FALSE(std::filesystem::exists(plot));
    r = run_grucast(with(forecast, {"--plot", "-"}));
    CHECK(r.status == 2);
    CHECK(r.err.find("a plot cannot go to stdout") != std::string::npos);
    CHECK(r.out.empty());
    r = run_grucast(with(forecast, {"--plot", kCo2}));
    CHECK(r.status == 2);
    CHECK(r.err.find("--plot '" + kCo2 + "' would replace the file --data reads") != std::string::npos);
    r = run_grucast({"train", "--data", kCo2, "--target", "CO2", "--lookback", "24", "--horizon", "12", "--out",
                     (dir / "m.grc").string(), "--plot-loss", (dir / "m.grc").string()});
    CHECK(r.status == 2);
    CHECK(r.err.find("--plot-loss and --out are the same file") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "m.grc"));

    // Failures after the plot file was opened: it is removed, and an old one keeps its content.
    r = run_grucast({"evaluate", "--baseline", "naive", "--data", kCo2, "--target", "CO2", "--horizon", "500", "-q",
                     "--plot", plot});
    CHECK(r.status == 1);
    CHECK_FALSE(std::filesystem::exists(plot));
    write_text(plot, "old");
    r = run_grucast(with(forecast, {"--target", "nope", "--plot", plot}));
    CHECK(r.status == 1);
    CHECK(read_text(plot) == "old");
    r = run_grucast({"train", "--data", kCo2, "--target", "CO2", "--lookback", "700", "--horizon", "12", "-q", "--out",
                     (dir / "m.grc").string(), "--plot-loss", (dir / "loss.svg").string()});
    CHECK(r.status == 1);
    CHECK_FALSE(std::filesystem::exists(dir / "loss.svg"));
    CHECK_FALSE(std::filesystem::exists(dir / "m.grc"));
    r = run_grucast(with(forecast, {"--plot", (dir / "missing" / "p.svg").string()}));
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    const auto left = std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator());
    CHECK(left == 1);  // only p.svg: no temporaries
  }
}
