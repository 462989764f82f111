// Calendar features (train --calendar hour,dow,month,doy): a sine and a cosine of where each row's
// timestamp falls in a day, a week or a year, as extra network inputs. They are known for future
// rows too, so a model with them still forecasts past its K outputs by recursive roll-out.
#pragma once

#include <armadillo>
#include <cstddef>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/time/time_index.hpp"

namespace grucast {

/// One --calendar item; each adds two input rows, its sine and its cosine.
enum class CalendarItem {
  hour,   ///< hour of day, minutes and seconds as a fraction
  dow,    ///< day of week, Monday first
  month,  ///< month of year (the month alone: the day does not count)
  doy,    ///< day of year, the time of day as a fraction, 366 days in leap years
};

/// Input rows per calendar item: sin θ and cos θ.
inline constexpr std::size_t kCalendarRows = 2;

/// "hour", "dow", "month", "doy".
std::string calendar_item_name(CalendarItem item);
/// The items' names, in order, e.g. {"hour", "dow"}.
std::vector<std::string> calendar_names(const std::vector<CalendarItem>& items);

/// Parses a --calendar list ("hour,dow"; any subset, in any order, each once; any case). A
/// UsageError names an unknown, repeated or empty item.
std::vector<CalendarItem> parse_calendar(const std::string& text);

/// A UsageError when calendar features cannot be read off the frame: it has no time column (the
/// row index is the time), or an item is the same in every row of data at this frequency (hour on
/// daily data) or steps past its cycle (dow on monthly data).
void check_calendar(const std::vector<CalendarItem>& items, const Frame& frame);

/// Writes the 2·n encodings of `local` (a timestamp as written: UTC seconds plus its own UTC
/// offset) into out[0 .. 2n), sin θ then cos θ for each item in order (equations in the .cpp).
void encode_calendar(const std::vector<CalendarItem>& items, TimePoint local, double* out);

/// (2n, end − first): column j holds the encodings of row first + j of `series`, in its own offset.
arma::mat calendar_rows(const std::vector<CalendarItem>& items, const Series& series, std::size_t first,
                        std::size_t end);

}  // namespace grucast
