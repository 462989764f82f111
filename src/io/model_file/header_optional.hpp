// The model header's optional sections (internal to the library): keys that files written by
// older versions of grucast lack. One reader per section, called only when its key is present;
// header_read.cpp reads the rest of the header.
#pragma once

#include <vector>

#include "grucast/forecast/intervals.hpp"
#include "grucast/forecast/trained_model.hpp"
#include "io/model_file/header_field.hpp"

namespace grucast::model_format {

/// config.calendar: known items, each once (files written before calendar features have no key).
std::vector<CalendarItem> read_calendar(const Field& f);

/// calibration: each series' scale and each step's sorted residuals, checked against the model's
/// scalers and outputs (files written before prediction intervals have no key).
void read_calibration(const Field& f, const TrainedModel& model, Calibration& out);

/// config.split and final.split: fractions, rows (files written before --val 13 have no rows),
/// and a split train takes.
SplitSpec read_split(const Field& f);

/// final: how a --final model was made (files of other models have no key).
FinalFit read_final(const Field& f);
/// profile: the training data's values, per series (at most DataProfile::kMaxSeries entries,
/// ids once each) and over all series (files written before profiles have no key).
void read_profile(const Field& f, DataProfile& out);

/// selection: each series' method, one of the candidates of the model's cell and season, for
/// series of the scalers, each once (files written before --fallback have no key).
void read_selection(const Field& f, const TrainedModel& model, Selection& out);

}  // namespace grucast::model_format
