// The training data's profile, its fingerprint: what a model keeps of the values it was trained
// on (per series and over all series, never the rows themselves), so that forecast and evaluate
// can say in words when the data they are given lies far outside it.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"

namespace grucast {

struct TrainedModel;  // grucast/forecast/trained_model.hpp

/// The target values of one series, or of all series: how many are finite, their range, mean
/// and population standard deviation, and the last timestamp.
struct ValueProfile {
  std::string id;        ///< the series' id ("" without an id column, and for all series)
  std::size_t rows = 0;  ///< finite target values
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();
  TimePoint last = 0;  ///< the last row's time (UTC seconds, or its index); for all series the latest
};

/// The profile of every row of the data train read (all the parts of its split). Its size is
/// bounded: per-series entries for the first kMaxSeries series only, the rest in `all`.
struct DataProfile {
  static constexpr std::size_t kMaxSeries = 10'000;
  std::size_t series = 0;                ///< series in the training data; 0: no profile (an older model)
  ValueProfile all;                      ///< every value of every series
  std::vector<ValueProfile> per_series;  ///< the first kMaxSeries series, in the data's order

  bool empty() const { return series == 0; }
};

/// The profile of `frame`'s target values.
DataProfile profile_data(const Frame& frame);

/// What a check found: a warning (forecasts may be poor) or a note (for information).
struct DataFinding {
  enum class Kind { note, warning };
  Kind kind = Kind::warning;
  std::string text;  ///< one line, without "warning:"
};

/// How the data compares with what `model` was trained on (none when the model has no profile):
/// a warning for each series (the first kMaxFarListed, then one for the rest) whose median lies
/// outside [min − 3w, max + 3w] of the training values of the same series (or, for a series the
/// model was not trained on or has no entry for, of all series), or whose middle 90% (5th to
/// 95th percentile) spans more than 10w, with w = max − min (at least 0.1% of the larger
/// magnitude). Series the model was not trained on are not counted here: the forecaster that
/// scales them by their own history names them (NetworkForecaster::scale_unseen).
std::vector<DataFinding> check_against_training(const TrainedModel& model, const Frame& frame);

/// Far series named one by one before the rest are counted in one warning.
inline constexpr std::size_t kMaxFarListed = 5;

}  // namespace grucast
