// Calendar features (train --calendar hour,dow,month,doy): a sine and a cosine of where each row's
// timestamp falls in a day, a week or a year, as extra network inputs. They are known for future
// rows too, so a model with them still forecasts past its K outputs by recursive roll-out.
#pragma once

#include <armadillo>
#include <cstddef>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/preprocessing.hpp"
#include "grucast/data/time/time_index.hpp"

namespace grucast {

/// A UsageError when calendar features cannot be read off the frame: it has no time column (the
/// row index is the time), or an item is the same in every row of data at this frequency (hour on
/// daily data) or steps past its cycle (dow on monthly data).
void check_calendar(const std::vector<CalendarItem>& items, const Frame& frame);

/// The items `train --calendar auto` tries: those that vary from row to row at the frame's
/// frequency (check_calendar) over data whose longest series spans at least 3/4 of the item's
/// cycle (a day, a week, a year), in the order hour, dow, doy, month; month only where doy is not
/// offered (doy says where in the year, and more). None on a row index.
std::vector<CalendarItem> calendar_candidates(const Frame& frame);

/// Writes the 2·n encodings of `local` (a timestamp as written: UTC seconds plus its own UTC
/// offset) into out[0 .. 2n), sin θ then cos θ for each item in order (equations in the .cpp).
void encode_calendar(const std::vector<CalendarItem>& items, TimePoint local, double* out);

/// (2n, end − first): column j holds the encodings of row first + j of `series`, in its own offset.
arma::mat calendar_rows(const std::vector<CalendarItem>& items, const Series& series, std::size_t first,
                        std::size_t end);

}  // namespace grucast
