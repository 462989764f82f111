// Helpers for the timestamp and frequency tests: parse ISO texts, build series of times.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "grucast/data/time/time_index.hpp"

namespace grucast::test {

using grucast::advance;
using grucast::check_regularity;
using grucast::format_time;
using grucast::Frequency;
using grucast::FrequencyUnit;
using grucast::TimeFormat;
using grucast::TimePoint;
using grucast::TimeStyle;
using grucast::TimeZoneStyle;

constexpr TimePoint day = 86400;
constexpr TimePoint jan_1_2000 = 946684800;
constexpr TimePoint jan_1_2020 = 1577836800;

struct Parsed {
  std::optional<TimePoint> time;
  TimeFormat format;
  std::string problem;
};

inline Parsed parse(std::string_view text, const std::string& pattern = "") {
  Parsed parsed;
  parsed.time = grucast::parse_time(text, pattern, parsed.format, parsed.problem);
  return parsed;
}

inline TimePoint at(std::string_view text) {
  const Parsed parsed = parse(text);
  REQUIRE_MESSAGE(parsed.time.has_value(), parsed.problem);
  return *parsed.time;
}

inline std::string problem_of(std::string_view text, const std::string& pattern = "") {
  const Parsed parsed = parse(text, pattern);
  CHECK_FALSE(parsed.time.has_value());
  return parsed.problem;
}

inline std::string round_trip(std::string_view text, const std::string& pattern = "") {
  const Parsed parsed = parse(text, pattern);
  REQUIRE_MESSAGE(parsed.time.has_value(), parsed.problem);
  return format_time(*parsed.time, parsed.format);
}

inline std::vector<TimePoint> every(TimePoint start, TimePoint step, int count) {
  std::vector<TimePoint> times;
  for (int i = 0; i < count; ++i) times.push_back(start + i * step);
  return times;
}

inline std::vector<TimePoint> dates(const std::vector<std::string>& texts) {
  std::vector<TimePoint> times;
  for (const auto& text : texts) times.push_back(at(text));
  return times;
}

inline std::optional<Frequency> infer(const std::vector<TimePoint>& times) {
  return grucast::infer_frequency({std::span<const TimePoint>(times)});
}

inline Frequency infer_required(const std::vector<TimePoint>& times) {
  const auto frequency = infer(times);
  REQUIRE(frequency.has_value());
  return *frequency;
}

inline Frequency infer_dates(const std::vector<std::string>& texts) {
  return infer_required(dates(texts));
}

inline Frequency seconds(std::int64_t step) { return Frequency{FrequencyUnit::seconds, step, false}; }
inline Frequency business(std::int64_t step) {
  return Frequency{FrequencyUnit::business_days, step, false};
}
inline Frequency months(std::int64_t step, bool month_end = false) {
  return Frequency{FrequencyUnit::months, step, month_end};
}

/// Weekdays from Monday 2024-01-01 for `calendar_days` days, leaving out `holidays`.
inline std::vector<TimePoint> business_days(int calendar_days, const std::set<std::string>& holidays) {
  std::vector<TimePoint> times;
  const TimePoint monday = at("2024-01-01");
  for (int i = 0; i < calendar_days; ++i) {
    const TimePoint t = monday + i * day;
    TimeFormat format;
    format.style = TimeStyle::iso_date;
    if (i % 7 < 5 && holidays.count(format_time(t, format)) == 0) times.push_back(t);
  }
  return times;
}

/// The first column of a dataset, parsed.
inline std::vector<TimePoint> dataset_times(const std::string& file, TimeFormat& format) {
  std::ifstream in(std::string(GRUCAST_DATASETS) + "/" + file);
  REQUIRE(in.good());
  std::string line;
  std::getline(in, line);  // header
  std::vector<TimePoint> times;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::string problem;
    const auto t = grucast::parse_time(line.substr(0, line.find(',')), "", format, problem);
    REQUIRE_MESSAGE(t.has_value(), problem);
    times.push_back(*t);
  }
  return times;
}


}  // namespace grucast::test
