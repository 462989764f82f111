// Option values that CLI11 does not check the way the commands need.
#pragma once

#include <cstddef>
#include <string>

#include "grucast/forecast/model_config.hpp"

namespace grucast::cli {

/// A whole number in [low, high] from an option's text; a UsageError naming the option otherwise.
std::size_t parse_count(const std::string& text, const std::string& option, std::size_t low, std::size_t high);
/// The same for a whole-number setting of the model, in its range (the one import and the model
/// file reader check).
std::size_t parse_count(const std::string& text, const SettingRange& range);

/// Seconds from a duration: a positive number with an optional unit s, m or h ("90", "15m",
/// "1.5h"); a UsageError naming the option otherwise.
double parse_duration(const std::string& text, const std::string& option);

}  // namespace grucast::cli
