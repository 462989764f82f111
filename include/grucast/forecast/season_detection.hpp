// The season of data whose frequency gives none (a row index, minutes, business days), found
// by autocorrelation; and whether the data shows the season its frequency suggests.
#pragma once

#include <cstddef>
#include <span>

#include "grucast/data/frame.hpp"

namespace grucast {

/// What detect_season found: the season (1: none), and in how many of the series looked at.
struct DetectedSeason {
  std::size_t season = 1;
  std::size_t series = 0;    ///< series looked at (at most kSeasonSeries, evenly spaced)
  std::size_t agreeing = 0;  ///< of them, those whose own season it is
};

inline constexpr std::size_t kSeasonSeries = 200;
inline constexpr std::size_t kMaxDetectedSeason = 400;

/// The season of one series, or 1: on the differences d of its last (up to 10·400) values, the
/// lag m in [2, min(n/3, 400)] whose autocorrelation r_m is the highest local peak (r_m > r_{m−1},
/// r_m ≥ r_{m+1}) above z·√((1 + 2·Σ_{k<m} r_k²)/n), z = 3.9 (a 5% chance over 1,000 lags of
/// white noise passing anywhere); then its smallest divisor that is such a peak within 90% of it
/// (24 rather than 168 for hourly data, when 24 stands out nearly as much); kept only when the
/// seasonal naive beats the naive in-sample over the K = `horizon` steps ahead (Σ_h Σ_t
/// |y_t − y_{t−m⌈h/m⌉}| < Σ_h Σ_t |y_t − y_{t−h}|), so a random walk's chance peak is no season.
/// A series with a missing value or fewer than 6 differences has none.
std::size_t series_season(std::span<const double> values, std::size_t horizon);

/// The season of a frame: the most common series_season over up to kSeasonSeries series
/// (evenly spaced), when at least a third of them have it; else 1.
DetectedSeason detect_season(const Frame& frame, std::size_t horizon);

/// Whether the data shows `season`, the one its frequency suggests (7 for daily data): over up
/// to kSeasonSeries series (evenly spaced) with at least twice the seasonal naive's longest lag
/// m⌈K/m⌉ of values (K = `horizon`), those
/// whose seasonal naive beats the naive in-sample over K steps ahead (see series_season). The
/// season stays when at least a third of them agree, or when no series is long enough to judge;
/// else 1 (a daily temperature has no weekly cycle: last week's value is a worse guess than
/// yesterday's).
DetectedSeason confirm_season(const Frame& frame, std::size_t season, std::size_t horizon);

}  // namespace grucast
