#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <regex>

#include "report/svg/svg.hpp"
#include "support/time_helpers.hpp"
#include "support/xml.hpp"

using namespace grucast;
using grucast::test::at;
using grucast::test::parse_xml;
using grucast::test::XmlElement;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Whether `step` is 1, 2 or 5 times a power of ten.
bool is_nice(double step) {
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
  return std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9;
}

svg::Panel panel_with(std::vector<double> x, std::vector<double> y) {
  svg::Panel panel;
  panel.title = "p";
  panel.y.label = "value";
  panel.lines.push_back({"line", "data", "#0072b2", std::move(x), std::move(y)});
  return panel;
}

XmlElement render_panel(const svg::Panel& panel) {
  svg::Chart chart;
  chart.title = "t";
  chart.panels = {panel};
  const std::string text = svg::render(chart);
  INFO(text.substr(0, 2000));
  return parse_xml(text);
}

// Every number in the coordinate attributes of the document, which must all be finite.
void check_coordinates_finite(const XmlElement& root) {
  const std::regex number(R"([-+]?[0-9]*\.?[0-9]+(e[-+]?[0-9]+)?|nan|inf)", std::regex::icase);
  for (const XmlElement* e : root.all([](const XmlElement&) { return true; })) {
    for (const char* key : {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "points", "width", "height"}) {
      const std::string value = (*e)[key];
      CAPTURE(value);
      CHECK(value.find("nan") == std::string::npos);
      CHECK(value.find("inf") == std::string::npos);
      for (std::sregex_iterator m(value.begin(), value.end(), number), end; m != end; ++m) {
        CHECK(std::isfinite(std::stod(m->str())));
        CHECK(std::abs(std::stod(m->str())) < 1e5);
      }
    }
  }
}

double finite_max(const std::vector<double>& values) {
  double most = -kInf;
  for (const double v : values) {
    if (std::isfinite(v)) most = std::max(most, v);
  }
  return most;
}

std::vector<double> operator*(std::vector<double> values, double factor) {
  for (double& v : values) v *= factor;
  return values;
}

std::vector<std::string> texts(const XmlElement& root, const std::string& css_class) {
  std::vector<std::string> out;
  for (const XmlElement* e : root.all("text", css_class)) out.push_back(e->all_text());
  return out;
}

}  // namespace

TEST_SUITE("svg") {
  TEST_CASE("nice ticks are multiples of 1, 2 or 5 times a power of ten, inside the range, at most max") {
    const svg::Ticks ten = svg::nice_ticks(0, 10, 6);
    CHECK(ten.step == 2);
    CHECK(ten.values == std::vector<double>{0, 2, 4, 6, 8, 10});
    const svg::Ticks narrow = svg::nice_ticks(0.1, 0.9, 5);
    CHECK(narrow.step == doctest::Approx(0.2));
    CHECK(narrow.values.size() == 4);
    CHECK(svg::nice_ticks(-3.7, 12.2, 6).step == 5);
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> exponent(-12, 300), unit(-1, 1);
    for (int i = 0; i < 2000; ++i) {
      const double scale = std::pow(10.0, exponent(random) * (i % 2 == 0 ? 1 : 0.05));
      double low = unit(random) * scale, high = unit(random) * scale;
      if (low > high) std::swap(low, high);
      if (!(low < high)) continue;
      const std::size_t max_ticks = 2 + static_cast<std::size_t>(i % 9);
      const svg::Ticks ticks = svg::nice_ticks(low, high, max_ticks);
      CAPTURE(low);
      CAPTURE(high);
      CAPTURE(max_ticks);
      CHECK(is_nice(ticks.step));
      CHECK(ticks.values.size() <= max_ticks);
      CHECK(ticks.values.size() >= 1);
      for (const double v : ticks.values) {
        CHECK(v >= low - ticks.step * 1e-9);
        CHECK(v <= high + ticks.step * 1e-9);
        CHECK(std::abs(v / ticks.step - std::round(v / ticks.step)) < 1e-6);
      }
    }
    const svg::Ticks huge = svg::nice_ticks(-1.7e308, 1.7e308, 6);  // the span overflows a double
    CHECK(std::isfinite(huge.step));
    CHECK(huge.values.size() >= 2);
  }

  TEST_CASE("tick labels have the decimals the step needs, or scientific notation") {
    CHECK(svg::tick_labels({0, 0.5, 1}, 0.5) == std::vector<std::string>{"0", "0.5", "1.0"});
    CHECK(svg::tick_labels({-20, 0, 20}, 20) == std::vector<std::string>{"-20", "0", "20"});
    CHECK(svg::tick_labels({-0.0, 1e-12}, 1) == std::vector<std::string>{"0", "0"});
    CHECK(svg::tick_labels({1e300, 1.5e300}, 5e299) == std::vector<std::string>{"1.0e300", "1.5e300"});
    CHECK(svg::tick_labels({1e-7, 2e-7}, 1e-7) == std::vector<std::string>{"1e-7", "2e-7"});
    CHECK(svg::tick_labels({2e7, 4e7}, 2e7) == std::vector<std::string>{"2e7", "4e7"});
    CHECK(svg::tick_labels({0, 8e11, 1e12}, 2e11) == std::vector<std::string>{"0", "0.8e12", "1.0e12"});
    CHECK(svg::tick_labels({-1.5e-6, 5e-7}, 5e-7) == std::vector<std::string>{"-1.5e-6", "0.5e-6"});
  }

  TEST_CASE("time ticks: years, months, days, hours, at calendar boundaries and in the series' offset") {
    const auto labels = [](const std::vector<svg::TimeTick>& ticks) {
      std::vector<std::string> out;
      for (const svg::TimeTick& t : ticks) out.push_back(t.label);
      return out;
    };
    const auto years = svg::time_ticks(at("2015-01-01"), at("2020-01-01"), 0, 120);
    CHECK(labels(years) == std::vector<std::string>{"2015", "2016", "2017", "2018", "2019", "2020"});
    CHECK(years[1].time == at("2016-01-01"));
    // CO2's forecast plot: 48 months of history and 12 ahead
    const auto months = svg::time_ticks(at("2016-05-01"), at("2021-04-01"), 0, 120);
    CHECK(labels(months).front() == "2016-07");
    CHECK(labels(months).back() == "2021-01");
    for (const svg::TimeTick& t : months) CHECK(std::regex_match(t.label, std::regex("20[12][0-9]-(01|07)")));
    const auto days = svg::time_ticks(at("2015-11-07"), at("2016-01-07"), 0, 125);  // 61 days: weeks on Mondays
    REQUIRE(days.size() >= 4);
    for (const svg::TimeTick& t : days) {
      CHECK(std::regex_match(t.label, std::regex(R"(20(15|16)-\d\d-\d\d)")));
      CHECK((t.time / 86400 + 3) % 7 == 0);  // 1970-01-01 was a Thursday: Mondays are day 4 + 7n
    }
    const auto hours = svg::time_ticks(at("2010-12-29T00:00:00"), at("2010-12-31T00:00:00"), 0, 100);
    REQUIRE(hours.size() >= 3);
    CHECK(hours[0].label == "00:00");
    CHECK(hours[0].context == "2010-12-29");
    CHECK(hours[1].label == "06:00");
    CHECK(hours[1].context.empty());
    CHECK(hours.back().context == "2010-12-31");
    // In UTC+02:00 the days start two hours before midnight UTC.
    const auto zoned = svg::time_ticks(at("2021-06-01T00:00:00Z"), at("2021-06-09T00:00:00Z"), 7200, 120);
    for (const svg::TimeTick& t : zoned) CHECK((t.time + 7200) % 86400 == 0);
    CHECK(svg::time_ticks(at("0001-01-01"), at("9999-12-31"), 0, 120).size() <= 10);
    CHECK(svg::time_ticks(at("2020-01-01"), at("2020-01-01"), 0, 120).size() <= 1);
  }

  TEST_CASE("escaping: & < > \" ' and bytes that XML does not allow") {
    CHECK(svg::escape("a&b<c>\"d'e") == "a&amp;b&lt;c&gt;&quot;d&apos;e");
    CHECK(svg::escape("line\nbreak\x01") == "line\\x0abreak\\x01");
    CHECK(svg::escape("caf\xe9") == "caf\\xe9");          // Latin-1, not UTF-8
    CHECK(svg::escape("\xef\xbf\xbf") == "\\xef\\xbf\\xbf");  // U+FFFF
    CHECK(svg::escape("Zürich") == "Zürich");
    const std::string id = "<a & \"b\" 'c'>\n\xe9";
    svg::Chart chart;
    chart.title = id;
    chart.note = id;
    chart.panels = {panel_with({1, 2}, {3, 4})};
    chart.panels[0].title = id;
    chart.panels[0].y.label = id;
    chart.panels[0].lines[0].name = id;
    const XmlElement root = parse_xml(svg::render(chart));
    CHECK(texts(root, "title") == std::vector<std::string>{"<a & \"b\" 'c'>\\x0a\\xe9"});
    CHECK(texts(root, "panel-title") == std::vector<std::string>{"<a & \"b\" 'c'>\\x0a\\xe9"});
  }

  TEST_CASE("non-finite values are not drawn and break the line") {
    const XmlElement root = render_panel(panel_with({1, 2, 3, 4, 5, 6, kNaN, 8}, {1, 2, kNaN, 4, kInf, 6, 7, -kInf}));
    check_coordinates_finite(root);
    CHECK(root.all("polyline", "data").size() == 1);  // x 1-2
    CHECK(root.all("circle").size() == 2);            // x 4 and 6 stand alone
    const XmlElement broken = render_panel(panel_with({1, 2, 3, 4, 5, 6}, {1, 2, 3, kNaN, 5, 6}));
    CHECK(broken.all("polyline", "data").size() == 2);
    const XmlElement empty = render_panel(panel_with({1, 2}, {kNaN, kNaN}));
    CHECK(empty.all("polyline").empty());
    CHECK(texts(empty, "y-tick").size() >= 2);
  }

  TEST_CASE("edge cases: a constant series, values near 1e300, one huge outlier, one point") {
    const XmlElement flat = render_panel(panel_with({1, 2, 3}, {5, 5, 5}));
    check_coordinates_finite(flat);
    const auto flat_ticks = texts(flat, "y-tick");
    CHECK(flat_ticks.size() >= 2);
    CHECK(std::find(flat_ticks.begin(), flat_ticks.end(), "5.0") != flat_ticks.end());
    const XmlElement zero = render_panel(panel_with({1, 2}, {0, 0}));
    check_coordinates_finite(zero);
    const XmlElement huge = render_panel(panel_with({1, 2, 3}, {1e300, -1.7e308, 1.7e308}));
    check_coordinates_finite(huge);
    CHECK(texts(huge, "y-tick").front().find('e') != std::string::npos);
    for (const double value : {1e300, -1.7e308, std::numeric_limits<double>::max()}) {
      CAPTURE(value);
      const XmlElement constant_huge = render_panel(panel_with({1, 2}, {value, value}));
      check_coordinates_finite(constant_huge);
      CHECK(constant_huge.all("polyline", "data").size() == 1);
      CHECK(texts(constant_huge, "y-tick").size() >= 2);
    }
    const XmlElement outlier = render_panel(panel_with({1, 2, 3, 4}, {1, 2, 1e12, 3}));
    check_coordinates_finite(outlier);
    CHECK(outlier.all("polyline", "data").size() == 1);
    svg::Panel far = panel_with({1e17, 1e17 + 64}, {1, 2});  // whole numbers past 2^53
    far.x.kind = svg::AxisKind::integer;
    check_coordinates_finite(render_panel(far));
    svg::Panel far_time = panel_with({-1e300, 1e300}, {1, 2});  // a time axis past the years 0000..9999
    far_time.x.kind = svg::AxisKind::time;
    check_coordinates_finite(render_panel(far_time));
    CHECK(svg::tick_labels({1, 2}, 0) == std::vector<std::string>{"1", "2"});
    CHECK(svg::nice_ticks(5e-324, 5e-324, 5).step > 0);
    const XmlElement one = render_panel(panel_with({7}, {3}));
    check_coordinates_finite(one);
    CHECK(one.all("circle").size() == 1);
    CHECK(texts(one, "x-tick").size() >= 1);
  }

  TEST_CASE("the document: an svg root with width, height and viewBox, a white background, panels, legend") {
    svg::Chart chart;
    chart.title = "two panels";
    chart.panels = {panel_with({1, 2, 3}, {1, 2, 3}), panel_with({1, 2, 3}, {3, 2, 1})};
    chart.panels[1].bands.push_back({"80% interval", "interval", "#d55e00", 0.3, {1, 2, 3}, {0, 1, 2}, {2, 3, 4}});
    chart.panels[1].rules.push_back({"best", "best", 2});
    const XmlElement root = parse_xml(svg::render(chart));
    CHECK(root.name == "svg");
    CHECK(root["xmlns"] == "http://www.w3.org/2000/svg");
    CHECK(root["width"] == "960");
    CHECK(root["viewBox"] == "0 0 960 " + root["height"]);
    CHECK(std::stod(root["height"]) > 400);
    REQUIRE(root.all("rect").size() >= 1);
    CHECK(root.all("rect").front()->operator[]("fill") == "#ffffff");
    CHECK(root.all("g", "panel").size() == 2);
    CHECK(root.all("polygon", "interval").size() == 1);
    CHECK(root.all("line", "best").size() == 1);
    std::vector<std::string> legend;
    for (const XmlElement* e : root.all("g", "legend-entry")) legend.push_back(e->all_text());
    CHECK(legend == std::vector<std::string>{"line", "line", "80% interval", "best"});
  }

  TEST_CASE("long titles and legend names are shortened in the middle, between UTF-8 characters") {
    std::string long_text = "datasets/";
    for (int i = 0; i < 200; ++i) long_text += "\xc3\xa9";  // é
    long_text += "/end.csv";
    svg::Chart chart;
    chart.title = long_text;
    chart.panels = {panel_with({1, 2}, {1, 2})};
    chart.panels[0].title = long_text;
    chart.panels[0].lines[0].name = long_text;
    const XmlElement root = parse_xml(svg::render(chart));  // still UTF-8: no character was cut
    for (const char* css_class : {"title", "panel-title"}) {
      const std::string shown = texts(root, css_class).front();
      CHECK(shown.size() < long_text.size());
      CHECK(shown.find("\xe2\x80\xa6") != std::string::npos);  // …
      CHECK(shown.substr(0, 9) == "datasets/");
      CHECK(shown.substr(shown.size() - 8) == "/end.csv");
    }
    CHECK(root.all("title").front()->all_text() == long_text);  // the document's title keeps it whole
  }

  TEST_CASE("a log axis has decade ticks, values <= 0 are left out") {
    svg::Panel panel = panel_with({1, 2, 3, 4}, {100, 1, 0.01, 0});
    panel.y.log = true;
    const XmlElement root = render_panel(panel);
    check_coordinates_finite(root);
    const auto ticks = texts(root, "y-tick");
    CHECK(ticks == std::vector<std::string>{"0.01", "0.1", "1", "10", "100"});
    CHECK(texts(root, "y-label").front() == "value, log scale");
  }

  TEST_CASE("a long line is reduced to a few points per pixel column, keeping its extremes and gaps") {
    svg::LineReducer reducer(0, 1e6, 500);
    for (int i = 0; i <= 1'000'000; ++i) {
      const double y = i >= 400'000 && i < 410'000 ? kNaN : std::sin(i * 0.001) + (i == 123'457 ? 10 : 0);
      reducer.add(i, y);
    }
    std::vector<double> x, y;
    reducer.finish(x, y);
    CHECK(x.size() <= 4 * 500 + 10);
    CHECK(finite_max(y) >= 9);  // the outlier is kept
    CHECK(std::count_if(y.begin(), y.end(), [](double v) { return std::isnan(v); }) == 1);
    CHECK(x.front() == 0);
    CHECK(x.back() == 1e6);
    svg::LineReducer leading(0, 10, 10);
    leading.add(0, kNaN);
    leading.add(1, 1);
    leading.add(2, kNaN);
    leading.finish(x, y);
    CHECK(y == std::vector<double>{1});
  }

  TEST_CASE("a band is reduced to its envelope per slice and broken at non-finite bounds") {
    svg::BandReducer reducer(0, 100, 10);
    for (int i = 0; i <= 100; ++i) reducer.add(i, i == 55 ? kNaN : -i, i);
    std::vector<double> x, lower, upper;
    reducer.finish(x, lower, upper);
    CHECK(x.size() <= 2 * 11 + 1);
    CHECK(std::count_if(x.begin(), x.end(), [](double v) { return std::isnan(v); }) == 1);
    CHECK(-finite_max(lower * -1) == -100);
  }
}
