// SVG charts as text: panels stacked vertically, each with axes, ticks, lines, bands and a legend.
// The plots of forecast, evaluate and train (plots.hpp) are built from these pieces.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "grucast/data/time/time_index.hpp"

namespace grucast::svg {

/// How x values are read and labelled.
enum class AxisKind {
  number,   ///< any real number, ticks at 1-2-5 steps
  integer,  ///< whole numbers (epochs, steps, row indexes): ticks at whole numbers only
  time,     ///< TimePoints (seconds since 1970 UTC): ticks at calendar boundaries, labelled as dates
};

struct XAxis {
  AxisKind kind = AxisKind::number;
  std::string label;   ///< e.g. "date", "epoch", "step"
  int utc_offset = 0;  ///< time: the labels are in this UTC offset (seconds)
};

struct YAxis {
  std::string label;  ///< the unit: e.g. the target column's name
  bool log = false;   ///< log10 scale; values <= 0 are not drawn
};

/// A polyline. A point whose x or y is not finite is not drawn, and breaks the line there.
struct Line {
  std::string name;   ///< legend entry; empty: not in the legend
  std::string role;   ///< class attribute of its elements, e.g. "history"
  std::string color;  ///< e.g. "#0072b2"
  std::vector<double> x, y;
  bool dashed = false;
  bool markers = false;  ///< a dot at every point (a point alone between breaks always gets one)
};

/// A filled area between two curves (a prediction interval). Non-finite points break it.
struct Band {
  std::string name, role, color;
  double opacity = 0.2;
  std::vector<double> x, lower, upper;
};

/// A vertical dashed line across the plot, e.g. the best epoch.
struct Rule {
  std::string name;  ///< legend entry; empty: not in the legend
  std::string role;
  double x = 0.0;
};

struct Panel {
  std::string title;
  XAxis x;
  YAxis y;
  std::vector<Band> bands;  ///< drawn first, in order
  std::vector<Line> lines;  ///< drawn over the bands, in order
  std::vector<Rule> rules;
};

struct Chart {
  std::string title;
  std::string note;  ///< a smaller line under the title, e.g. how many series are not shown
  std::vector<Panel> panels;
  int width = 960;        ///< px
  int plot_height = 200;  ///< px of each panel's plotting area
};

/// The chart as a standalone SVG document: a white background, sizes in px, every text escaped,
/// no non-finite coordinate, and each line reduced to at most a few points per pixel column.
std::string render(const Chart& chart);

// The pieces, public for the tests.

/// Text for XML content or a quoted attribute: & < > " ' escaped; control bytes, bytes that are
/// not UTF-8 and the non-characters U+FFFE/U+FFFF (none allowed in XML) written as \x0a.
std::string escape(std::string_view text);

/// "Nice" tick values for [low, high]: multiples of a step of 1, 2 or 5 times a power of ten, at
/// most `max_ticks` of them (at least 2 when low < high), and the step. `low` <= `high`, both finite.
struct Ticks {
  std::vector<double> values;
  double step = 1.0;
};
Ticks nice_ticks(double low, double high, std::size_t max_ticks);

/// Labels for tick values `step` apart: as many decimals as the step needs, or scientific
/// notation (1.5e12) for large or tiny values; -0 is written 0.
std::vector<std::string> tick_labels(const std::vector<double>& values, double step);

/// A tick of a time axis: its time, its label, and (for ticks within a day) the date, written
/// under the first tick and where the day changes.
struct TimeTick {
  TimePoint time = 0;
  std::string label;
  std::string context;
};

/// Ticks at calendar boundaries in [low, high] (UTC), in local time of `utc_offset`: the finest of
/// seconds, minutes, hours, days, weeks (Mondays), months or years whose labels fit in
/// `width_chars` characters, at most 10 ticks. Labels in the project's ISO 8601 layouts: "2015"
/// (years), "2015-03" (months), "2015-03-14" (days), "13:00" with the date as context (hours).
std::vector<TimeTick> time_ticks(TimePoint low, TimePoint high, int utc_offset, double width_chars);

/// The slice bookkeeping of LineReducer and BandReducer: which of `buckets` equal slices of
/// [low, high] in x the points held are in (x outside is clamped to the first or last), and
/// whether a break was kept in it.
class SliceTracker {
 public:
  SliceTracker(double low, double high, std::size_t buckets);
  /// Moves to the slice of a finite x; true when that is another slice than the one of the points
  /// held (the reducer then flushes them). A non-finite x stays in the current slice.
  bool enter(double x);
  /// True at the first break in the current slice only: a gap narrower than a slice is not visible.
  bool first_break();
  /// Back to the first slice, with no break kept.
  void reset();

 private:
  double low_, high_;
  std::size_t buckets_;
  std::size_t current_ = 0;  // slice of the points held
  bool broken_ = false;      // a break was kept in the current slice
};

/// Keeps a long polyline small without changing its drawn shape: of the points in each of
/// `buckets` equal slices of [low, high] in x, only the first, lowest, highest and last (in their
/// order); a non-finite y breaks the line (a NaN point, at most one per run within a slice).
/// Points are added in increasing x; memory stays O(buckets).
class LineReducer {
 public:
  LineReducer(double low, double high, std::size_t buckets);
  void add(double x, double y);
  /// The points kept; NaN y where the line breaks. The reducer is empty afterwards.
  void finish(std::vector<double>& x, std::vector<double>& y);

 private:
  struct Point {
    double x, y;
    std::size_t order;
  };
  void flush();

  SliceTracker slices_;
  std::size_t held_ = 0;        // points held (0: none)
  std::size_t order_ = 0;       // points added so far
  Point first_{}, lowest_{}, highest_{}, last_{};
  std::vector<double> x_, y_;
};

/// The same for a band: in each slice, the lowest lower and highest upper bound, at the slice's
/// first and last x (two points); a non-finite point breaks the band.
class BandReducer {
 public:
  BandReducer(double low, double high, std::size_t buckets);
  void add(double x, double lower, double upper);
  /// The band kept; NaN where it breaks. The reducer is empty afterwards.
  void finish(std::vector<double>& x, std::vector<double>& lower, std::vector<double>& upper);

 private:
  void flush();

  SliceTracker slices_;
  bool held_ = false;
  double first_x_ = 0, last_x_ = 0, lowest_ = 0, highest_ = 0;
  std::vector<double> x_, lower_, upper_;
};

}  // namespace grucast::svg
