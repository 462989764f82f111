// Chart layout and SVG drawing: panels stacked vertically, each with its title, legend, grid,
// tick labels, axis labels, bands, lines and rules.
#include "report/svg/svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "report/svg/layout.hpp"
#include "util/text.hpp"

namespace grucast::svg {

namespace {

constexpr double kRightMargin = 40;     // room for half a date label at the last tick
constexpr double kTitleRow = 24;        // panel title
constexpr double kLegendRow = 18;
constexpr double kBelowPlot = 50;       // x tick labels (two lines) and the x-axis label
constexpr double kPanelGap = 18;
constexpr const char* kTextColor = "#222222";
constexpr const char* kRuleColor = "#777777";

std::string px(double value) { return fmt::format("{:.1f}", value); }

// `text` shortened in the middle ("datasets/…/long.csv") to fit `width` px of characters
// `char_width` px wide, cut between UTF-8 characters.
std::string fitted(const std::string& text, double width, double char_width) {
  std::vector<std::size_t> starts;  // of each character
  for (std::size_t i = 0; i < text.size(); i += std::max<std::size_t>(1, utf8_sequence_length(text, i))) {
    starts.push_back(i);
  }
  const auto fits = static_cast<std::size_t>(std::max(width / char_width, 3.0));
  if (starts.size() <= fits) return text;
  const std::size_t head = (fits - 1) / 2, tail = fits - 1 - head;
  return text.substr(0, starts[head]) + "\xe2\x80\xa6" + text.substr(starts[starts.size() - tail]);
}

// Data (in axis units: log10 on a log axis) to pixels; NaN for what cannot be drawn.
struct Scale {
  double low = 0, high = 1;  // domain
  double from = 0, to = 1;   // pixels
  double operator()(double v) const {
    if (!std::isfinite(v)) return std::numeric_limits<double>::quiet_NaN();
    const double fraction = (v * 0.5 - low * 0.5) / (high * 0.5 - low * 0.5);  // halves: no overflow
    return from + std::clamp(fraction, -4.0, 5.0) * (to - from);
  }
};

struct Box {
  double left, top, width, height;
};

struct LegendEntry {
  std::string name, color, kind;  // kind: line, band, rule
  bool dashed = false, markers = false;
  double opacity = 1;
};

// The legend of a panel `width` px wide (names shortened to fit).
std::vector<LegendEntry> legend_entries(const Panel& panel, double width) {
  std::vector<LegendEntry> entries;
  const auto name = [&](const std::string& text) { return fitted(text, width - 48, kCharWidth); };
  for (const Line& l : panel.lines) {
    if (!l.name.empty()) entries.push_back({name(l.name), l.color, "line", l.dashed, l.markers, 1});
  }
  for (const Band& b : panel.bands) {
    if (!b.name.empty()) entries.push_back({name(b.name), b.color, "band", false, false, b.opacity});
  }
  for (const Rule& r : panel.rules) {
    if (!r.name.empty()) entries.push_back({name(r.name), kRuleColor, "rule", true, false, 1});
  }
  return entries;
}

double entry_width(const LegendEntry& e) { return 30 + static_cast<double>(e.name.size()) * kCharWidth + 18; }

// Rows the legend takes when it flows left to right over `width` px.
std::size_t legend_rows(const std::vector<LegendEntry>& entries, double width) {
  std::size_t rows = entries.empty() ? 0 : 1;
  double x = 0;
  for (const LegendEntry& e : entries) {
    if (x > 0 && x + entry_width(e) > width) ++rows, x = 0;
    x += entry_width(e);
  }
  return rows;
}

void draw_legend(std::string& out, const std::vector<LegendEntry>& entries, const Box& box) {
  out += "<g class=\"legend\">\n";
  double x = 0, y = box.top;
  for (const LegendEntry& e : entries) {
    if (x > 0 && x + entry_width(e) > box.width) x = 0, y += kLegendRow;
    const double left = box.left + x, middle = y + kLegendRow / 2;
    out += "<g class=\"legend-entry\">";
    if (e.kind == "band") {
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"24\" height=\"10\" fill=\"{}\" fill-opacity=\"{:.2f}\"/>",
                         px(left), px(middle - 5), escape(e.color), e.opacity);
    } else {
      out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{}/>", px(left),
                         px(middle), px(left + 24), px(middle), escape(e.color),
                         e.dashed ? " stroke-dasharray=\"5 3\"" : "");
      if (e.markers) out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"/>", px(left + 12), px(middle),
                                    escape(e.color));
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{}\">{}</text></g>\n", px(left + 30),
                       px(middle + 4), kTextColor, escape(e.name));
    x += entry_width(e);
  }
  out += "</g>\n";
}

void draw_axes(std::string& out, const Panel& panel, const AxisLayout& xa, const AxisLayout& ya, const Box& plot) {
  const Scale xs{xa.low, xa.high, plot.left, plot.left + plot.width};
  const Scale ys{ya.low, ya.high, plot.top + plot.height, plot.top};
  const double bottom = plot.top + plot.height, right = plot.left + plot.width;
  out += fmt::format("<g class=\"axes\" font-size=\"12\" fill=\"{}\">\n", kTextColor);
  for (std::size_t i = 0; i < ya.ticks.size(); ++i) {
    const double y = ys(ya.ticks[i]);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#e4e4e4\"/>", px(plot.left), px(y),
                       px(right), px(y));
    out += fmt::format("<text class=\"y-tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", px(plot.left - 6),
                       px(y + 4), escape(ya.labels[i]));
  }
  for (std::size_t i = 0; i < xa.ticks.size(); ++i) {
    const double x = xs(xa.ticks[i]);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#e4e4e4\"/>", px(x), px(plot.top),
                       px(x), px(bottom + 4));
    out += fmt::format("<text class=\"x-tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", px(x),
                       px(bottom + 17), escape(xa.labels[i]));
    if (!xa.contexts[i].empty()) {
      out += fmt::format("<text class=\"x-tick-date\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", px(x),
                         px(bottom + 31), escape(xa.contexts[i]));
    }
  }
  out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999999\"/>\n",
                     px(plot.left), px(plot.top), px(plot.width), px(plot.height));
  out += fmt::format("<text class=\"x-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\">{}</text>\n",
                     px(plot.left + plot.width / 2), px(bottom + 46), escape(panel.x.label));
  out += fmt::format("<text class=\"y-label\" transform=\"translate({},{}) rotate(-90)\" text-anchor=\"middle\" "
                     "font-size=\"13\">{}</text>\n</g>\n",
                     px(16), px(plot.top + plot.height / 2), escape(panel.y.label + (panel.y.log ? ", log scale" : "")));
}

std::string circle(double cx, double cy) { return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3\"/>", px(cx), px(cy)); }

// One <polyline> per piece between points that cannot be drawn; a dot for a point alone.
void draw_line(std::string& out, const Line& line, const Scale& xs, const Scale& ys, bool log) {
  LineReducer reducer(xs.low, xs.high, static_cast<std::size_t>(std::max(1.0, xs.to - xs.from)));
  for (std::size_t i = 0; i < std::min(line.x.size(), line.y.size()); ++i) {
    reducer.add(line.x[i], axis_value(line.y[i], log));
  }
  std::vector<double> x, y;
  reducer.finish(x, y);
  const std::string role = escape(line.role);
  std::vector<std::pair<double, double>> piece;
  std::string dots;
  const auto end_piece = [&] {
    if (piece.size() >= 2) {
      std::string points;
      for (const auto& [cx, cy] : piece) {
        if (!points.empty()) points += ' ';
        points += px(cx);
        points += ',';
        points += px(cy);
      }
      out += fmt::format("<polyline class=\"{}\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
                         "stroke-linejoin=\"round\"{}/>\n",
                         role, points, escape(line.color), line.dashed ? " stroke-dasharray=\"6 4\"" : "");
    } else if (piece.size() == 1 && !line.markers) {
      dots += circle(piece[0].first, piece[0].second);
    }
    piece.clear();
  };
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double cx = xs(x[i]), cy = ys(y[i]);
    if (std::isnan(cx) || std::isnan(cy)) {
      end_piece();
      continue;
    }
    piece.emplace_back(cx, cy);
    if (line.markers) dots += circle(cx, cy);
  }
  end_piece();
  if (!dots.empty()) out += fmt::format("<g class=\"{} markers\" fill=\"{}\">{}</g>\n", role, escape(line.color), dots);
}

// The outline of a band piece: the upper bounds forward, the lower back; one step alone is a bar 6 px wide.
std::string band_outline(const std::vector<std::array<double, 3>>& piece) {  // (x, lower, upper) in pixels
  if (piece.front()[0] == piece.back()[0]) {
    const double x = piece.front()[0];
    double lower = piece.front()[1], upper = piece.front()[2];
    for (const auto& p : piece) lower = std::max(lower, p[1]), upper = std::min(upper, p[2]);  // pixels grow down
    return fmt::format("{0},{2} {1},{2} {1},{3} {0},{3}", px(x - 3), px(x + 3), px(upper), px(lower));
  }
  std::string points;
  for (const auto& p : piece) points += px(p[0]) + "," + px(p[2]) + " ";
  for (auto p = piece.rbegin(); p != piece.rend(); ++p) points += px((*p)[0]) + "," + px((*p)[1]) + " ";
  points.pop_back();
  return points;
}

void draw_band(std::string& out, const Band& band, const Scale& xs, const Scale& ys, bool log) {
  BandReducer reducer(xs.low, xs.high, static_cast<std::size_t>(std::max(1.0, xs.to - xs.from)));
  for (std::size_t i = 0; i < std::min({band.x.size(), band.lower.size(), band.upper.size()}); ++i) {
    reducer.add(band.x[i], axis_value(band.lower[i], log), axis_value(band.upper[i], log));
  }
  std::vector<double> x, lower, upper;
  reducer.finish(x, lower, upper);
  std::vector<std::array<double, 3>> piece;
  const auto end_piece = [&] {
    if (piece.empty()) return;
    out += fmt::format("<polygon class=\"band {}\" points=\"{}\" fill=\"{}\" fill-opacity=\"{:.2f}\" stroke=\"none\"/>\n",
                       escape(band.role), band_outline(piece), escape(band.color), band.opacity);
    piece.clear();
  };
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::array<double, 3> p = {xs(x[i]), ys(lower[i]), ys(upper[i])};
    if (std::isnan(p[0]) || std::isnan(p[1]) || std::isnan(p[2])) {
      end_piece();
    } else {
      piece.push_back(p);
    }
  }
  end_piece();
}

void draw_rule(std::string& out, const Rule& rule, const Scale& xs, const Box& plot) {
  const double x = xs(rule.x);
  if (std::isnan(x)) return;
  out += fmt::format("<line class=\"rule {}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\" "
                     "stroke-dasharray=\"5 3\"/>\n",
                     escape(rule.role), px(x), px(plot.top), px(x), px(plot.top + plot.height), kRuleColor);
}

struct PanelLayout {
  AxisLayout x, y;
  std::vector<LegendEntry> legend;
  double header = 0;  // title and legend rows, px
};

double panel_height(const PanelLayout& layout, double plot_height) {
  return layout.header + plot_height + kBelowPlot + kPanelGap;
}

void draw_panel(std::string& out, const Panel& panel, const PanelLayout& layout, std::size_t index, double top,
                const Box& frame) {
  const Box plot{frame.left, top + layout.header, frame.width, frame.height};
  out += fmt::format("<g class=\"panel\" id=\"panel-{}\">\n", index + 1);
  out += fmt::format("<text class=\"panel-title\" x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\" "
                     "fill=\"{}\">{}</text>\n",
                     px(plot.left), px(top + 16), kTextColor, escape(fitted(panel.title, plot.width, 8.6)));
  if (!layout.legend.empty()) draw_legend(out, layout.legend, {plot.left, top + kTitleRow, plot.width, 0});
  draw_axes(out, panel, layout.x, layout.y, plot);
  const Scale xs{layout.x.low, layout.x.high, plot.left, plot.left + plot.width};
  const Scale ys{layout.y.low, layout.y.high, plot.top + plot.height, plot.top};
  out += fmt::format("<clipPath id=\"clip-{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n",
                     index + 1, px(plot.left - 4), px(plot.top - 4), px(plot.width + 8), px(plot.height + 8));
  out += fmt::format("<g clip-path=\"url(#clip-{})\">\n", index + 1);
  for (const Band& band : panel.bands) draw_band(out, band, xs, ys, panel.y.log);
  for (const Rule& rule : panel.rules) draw_rule(out, rule, xs, plot);
  for (const Line& line : panel.lines) draw_line(out, line, xs, ys, panel.y.log);
  out += "</g>\n</g>\n";
}

}  // namespace

std::string render(const Chart& chart) {
  const double width = std::max(chart.width, 320);
  std::vector<PanelLayout> layouts;
  std::size_t label_chars = 4;
  for (const Panel& panel : chart.panels) {
    PanelLayout layout;
    layout.y = y_layout(panel);
    for (const std::string& label : layout.y.labels) label_chars = std::max(label_chars, label.size());
    layouts.push_back(std::move(layout));
  }
  const double left = 34 + static_cast<double>(label_chars) * kCharWidth;
  const Box frame{left, 0, width - left - kRightMargin, static_cast<double>(std::max(chart.plot_height, 60))};
  for (std::size_t i = 0; i < chart.panels.size(); ++i) {
    layouts[i].x = x_layout(chart.panels[i], frame.width);
    layouts[i].legend = legend_entries(chart.panels[i], frame.width);
    layouts[i].header = kTitleRow + kLegendRow * static_cast<double>(legend_rows(layouts[i].legend, frame.width)) + 8;
  }
  std::string body;
  double top = 12;
  if (!chart.title.empty()) {
    body += fmt::format("<text class=\"title\" x=\"{}\" y=\"{}\" font-size=\"17\" font-weight=\"bold\" fill=\"{}\">"
                        "{}</text>\n", px(left), px(top + 16), kTextColor, escape(fitted(chart.title, frame.width, 10.2)));
    top += 28;
  }
  if (!chart.note.empty()) {
    body += fmt::format("<text class=\"note\" x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#555555\">{}</text>\n",
                        px(left), px(top + 12), escape(fitted(chart.note, frame.width, 7.4)));
    top += 22;
  }
  top += 8;
  for (std::size_t i = 0; i < chart.panels.size(); ++i) {
    draw_panel(body, chart.panels[i], layouts[i], i, top, frame);
    top += panel_height(layouts[i], frame.height);
  }
  const double height = std::ceil(top);
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
                     "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
                     "<title>{2}</title>\n<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n{3}</svg>\n",
                     width, height, escape(chart.title), body);
}

}  // namespace grucast::svg
