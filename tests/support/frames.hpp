// A one-series frame from a generated column, the row index as its time: for tests that train.
#pragma once

#include <cstddef>
#include <functional>

#include "grucast/data/frame.hpp"

namespace grucast::test {

/// Column "y" of n rows with value(i) in row i (line i + 2 of a file with a header).
inline Frame generated_frame(std::size_t n, const std::function<double(std::size_t)>& value) {
  Frame frame;
  frame.source = "synthetic";
  frame.columns = {"y"};
  Series s;
  s.values.set_size(1, n);
  for (std::size_t i = 0; i < n; ++i) {
    s.values(0, i) = value(i);
    s.time.push_back(static_cast<TimePoint>(i));
    s.lines.push_back(i + 2);
  }
  frame.series.push_back(std::move(s));
  return frame;
}

}  // namespace grucast::test
