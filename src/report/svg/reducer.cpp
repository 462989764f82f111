// LineReducer and BandReducer: a long polyline or band cut down to the points that decide its
// drawn shape, slice by slice of x (SliceTracker).
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "report/svg/svg.hpp"

namespace grucast::svg {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Which of `buckets` equal slices of [low, high] holds x (clamped to the first and last).
std::size_t slice_of(double x, double low, double high, std::size_t buckets) {
  const double span = high * 0.5 - low * 0.5;  // halves: high − low may overflow
  if (!(span > 0)) return 0;
  const double at = std::floor((x * 0.5 - low * 0.5) / span * static_cast<double>(buckets));
  return static_cast<std::size_t>(std::clamp(at, 0.0, static_cast<double>(buckets - 1)));
}

}  // namespace

SliceTracker::SliceTracker(double low, double high, std::size_t buckets)
    : low_(low), high_(high), buckets_(std::max<std::size_t>(buckets, 1)) {}

bool SliceTracker::enter(double x) {
  if (!std::isfinite(x)) return false;
  const std::size_t slice = slice_of(x, low_, high_, buckets_);
  if (slice == current_) return false;
  current_ = slice;
  broken_ = false;
  return true;
}

bool SliceTracker::first_break() {
  if (broken_) return false;
  broken_ = true;
  return true;
}

void SliceTracker::reset() {
  current_ = 0;
  broken_ = false;
}

LineReducer::LineReducer(double low, double high, std::size_t buckets) : slices_(low, high, buckets) {}

void LineReducer::add(double x, double y) {
  const std::size_t order = order_++;
  if (slices_.enter(x)) flush();
  if (!std::isfinite(x) || !std::isfinite(y)) {
    if (!slices_.first_break()) return;
    flush();
    if (!y_.empty() && !std::isnan(y_.back())) {
      x_.push_back(kNaN);
      y_.push_back(kNaN);
    }
    return;
  }
  const Point p{x, y, order};
  if (held_ == 0) {
    first_ = lowest_ = highest_ = p;
  } else {
    if (y < lowest_.y) lowest_ = p;
    if (y > highest_.y) highest_ = p;
  }
  last_ = p;
  ++held_;
}

void LineReducer::flush() {
  if (held_ == 0) return;
  std::array<Point, 4> kept = {first_, lowest_, highest_, last_};
  std::sort(kept.begin(), kept.end(), [](const Point& a, const Point& b) { return a.order < b.order; });
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (i > 0 && kept[i].order == kept[i - 1].order) continue;
    x_.push_back(kept[i].x);
    y_.push_back(kept[i].y);
  }
  held_ = 0;
}

void LineReducer::finish(std::vector<double>& x, std::vector<double>& y) {
  flush();
  if (!y_.empty() && std::isnan(y_.back())) {
    x_.pop_back();
    y_.pop_back();
  }
  x = std::move(x_);
  y = std::move(y_);
  x_.clear();
  y_.clear();
  order_ = 0;
  slices_.reset();
}

BandReducer::BandReducer(double low, double high, std::size_t buckets) : slices_(low, high, buckets) {}

void BandReducer::add(double x, double lower, double upper) {
  if (slices_.enter(x)) flush();
  if (!std::isfinite(x) || !std::isfinite(lower) || !std::isfinite(upper)) {
    if (!slices_.first_break()) return;
    flush();
    if (!x_.empty() && !std::isnan(x_.back())) {
      for (std::vector<double>* v : {&x_, &lower_, &upper_}) v->push_back(kNaN);
    }
    return;
  }
  if (!held_) {
    first_x_ = x;
    lowest_ = lower;
    highest_ = upper;
  }
  last_x_ = x;
  lowest_ = std::min(lowest_, lower);
  highest_ = std::max(highest_, upper);
  held_ = true;
}

void BandReducer::flush() {
  if (!held_) return;
  const auto keep = [&](double x) {
    x_.push_back(x);
    lower_.push_back(lowest_);
    upper_.push_back(highest_);
  };
  keep(first_x_);
  if (last_x_ != first_x_) keep(last_x_);
  held_ = false;
}

void BandReducer::finish(std::vector<double>& x, std::vector<double>& lower, std::vector<double>& upper) {
  flush();
  if (!x_.empty() && std::isnan(x_.back())) {
    for (std::vector<double>* v : {&x_, &lower_, &upper_}) v->pop_back();
  }
  x = std::move(x_);
  lower = std::move(lower_);
  upper = std::move(upper_);
  x_.clear();
  lower_.clear();
  upper_.clear();
  slices_.reset();
}

}  // namespace grucast::svg
