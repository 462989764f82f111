// What the network sees of a series, as a library user configures it: the target's transform, the
// scaler, window normalization and the calendar inputs. data/prepare.hpp applies them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "grucast/data/scaler.hpp"

namespace grucast {

/// --transform: what the network learns of the target y.
///   none   y_t
///   log    log y_t                (y > 0)
///   diff   y_t − y_{t−1}
///   sdiff  y_t − y_{t−m}          (the residual over the seasonal pattern; m = 1 is diff)
///   log+diff   log y_t − log y_{t−1}   (y > 0: relative changes)
///   log+sdiff  log y_t − log y_{t−m}   (y > 0: a multiplicative season, a pattern in ratios)
enum class TransformKind { none, log, diff, sdiff, log_diff, log_sdiff };
/// Whether the transform takes logarithms first (and so needs y > 0).
bool takes_log(TransformKind kind);
/// The transform with logarithms first: none → log, diff → log+diff, sdiff → log+sdiff (the
/// others already take them).
TransformKind with_log(TransformKind kind);
/// --normalize: window shifts each window's target row by its own mean (see normalize_windows).
enum class NormalizeKind { none, window };

TransformKind parse_transform(const std::string& text);
std::string transform_name(TransformKind kind);
NormalizeKind parse_normalize(const std::string& text);
std::string normalize_name(NormalizeKind kind);

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

/// How each series becomes the network's inputs.
struct Preprocessing {
  TransformKind transform = TransformKind::sdiff;
  ScalerKind scaler = ScalerKind::zscore;
  NormalizeKind normalize = NormalizeKind::window;
  std::size_t season = 1;  ///< m of sdiff
  std::vector<CalendarItem> calendar;  ///< --calendar: two input rows each, after the features
  /// --transform auto: the series (ids, sorted) whose target takes logarithms first, with_log(transform)
  /// instead of transform; chosen on validation (workflow/fit.hpp, choose_transform).
  std::vector<std::string> logged;

  /// The transform of series `id`: with_log(transform) when `id` is in `logged`, else transform.
  TransformKind transform_of(const std::string& id) const;

  /// The network's input rows D: the target, the features, the calendar rows, and the window
  /// center (--normalize window), in that order.
  std::size_t inputs(std::size_t features) const;
  /// Leading rows without a transformed value: 1 for diff and log+diff, m for sdiff and log+sdiff, else 0.
  std::size_t lag() const;
};

}  // namespace grucast
