// A series while its rows are being read (frame.cpp), before it becomes a Series.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "grucast/data/time/time_index.hpp"
#include "data/value_columns.hpp"

namespace grucast {

struct SeriesRows {
  std::string id;
  std::vector<TimePoint> time;  ///< in file order until the rows are put in time order
  ValueColumns values;
  std::vector<std::size_t> lines;
  std::vector<int> offsets;
};

}  // namespace grucast
