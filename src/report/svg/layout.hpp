// Axis layout of the SVG charts: domains, tick positions and labels (internal to the library).
#pragma once

#include <string>
#include <vector>

#include "report/svg/svg.hpp"

namespace grucast::svg {

inline constexpr double kCharWidth = 6.8;  // px per character of 12 px sans-serif text (an estimate)

/// `value` in axis units: log10 on a log axis (NaN for values <= 0 there).
double axis_value(double value, bool log);

/// An axis' domain (in axis units) and its ticks.
struct AxisLayout {
  double low = 0, high = 1;  // domain in axis units
  std::vector<double> ticks;  // in axis units
  std::vector<std::string> labels, contexts;
};

/// The y axis of a panel: the finite values of its lines and bands, out to the ticks around
/// them (whole decades on a log axis), a flat range padded.
AxisLayout y_layout(const Panel& panel);
/// The x axis of a panel `width` px wide: the finite x of its lines, bands and rules.
AxisLayout x_layout(const Panel& panel, double width);

}  // namespace grucast::svg
