#include "cli/verbose.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/text.hpp"

namespace grucast::cli {

bool typed(const CLI::Option& option, const std::vector<std::string>& given) {
  for (const std::string& arg : given) {
    for (const std::string& name : option.get_lnames()) {
      if (arg == "--" + name || arg.rfind("--" + name + "=", 0) == 0) return true;
    }
    for (const std::string& name : option.get_snames()) {
      if (arg == "-" + name) return true;
    }
  }
  return false;
}

namespace {

// A value on one line, and visible when empty or padded.
std::string shown(const std::string& value) {
  const bool plain = !value.empty() && value.find_first_of(" \t") == std::string::npos;
  return plain ? escape_controls(value) : "\"" + escape_controls(value) + "\"";
}

std::string value_text(const CLI::Option& option) {
  if (option.get_items_expected_max() == 0) return option.count() > 0 && option.as<bool>() ? "true" : "false";
  std::vector<std::string> values;
  for (const std::string& value : option.reduced_results()) values.push_back(shown(value));
  return join(values, ",");
}

std::string option_line(const CLI::Option& option, const std::vector<std::string>& given, const std::string& config) {
  const std::string name = option.get_name(false, false);  // --lookback, or MODEL for a positional
  if (option.count() > 0) {
    const std::string source = option.get_positional() || typed(option, given) ? "command line" : "config file " + config;
    return fmt::format("  {} {} ({})", name, value_text(option), source);
  }
  if (option.get_items_expected_max() == 0) return fmt::format("  {} false (default)", name);
  if (!option.get_default_str().empty()) return fmt::format("  {} {} (default)", name, shown(option.get_default_str()));
  return fmt::format("  {} not given", name);
}

std::string part_text(const Frame& frame, const Series& series, const char* part, std::size_t begin, std::size_t rows) {
  if (rows == 0) return fmt::format("{} 0 rows", part);
  return fmt::format("{} {} row{} {} .. {}", part, rows, rows == 1 ? "" : "s", frame.written_time(series, begin),
                     frame.written_time(series, begin + rows - 1));
}

}  // namespace

std::string options_report(const CLI::App& command, const std::vector<std::string>& given, const std::string& config) {
  std::string out = fmt::format("options of grucast {} (after the config file and the defaults):\n", command.get_name());
  for (const CLI::Option* option : command.get_options()) {
    const std::string name = option->get_name(false, false);
    if (name.empty() || name == "--help" || name == "--quiet" || name == "--verbose") continue;
    out += option_line(*option, given, config) + "\n";
  }
  return out;
}

std::string split_report(const Frame& frame, const SplitSpec& spec) {
  std::string out = fmt::format("split ({}), per series:\n", spec.describe(frame.time_format));
  for (const Series& series : frame.series) {
    const SplitPoints p = split_series(series, spec);
    out += fmt::format("  {}: {}, {}, {}\n", frame.series_name(series), part_text(frame, series, "train", 0, p.n_train),
                       part_text(frame, series, "validation", p.n_train, p.n_val),
                       part_text(frame, series, "test", p.test_begin(), p.n_test));
  }
  return out;
}

std::string series_report(const Frame& frame) {
  std::string out = "series read:\n";
  for (const Series& series : frame.series) {
    out += fmt::format("  {}: {}\n", frame.series_name(series), part_text(frame, series, "history", 0, series.size()));
  }
  return out;
}

}  // namespace grucast::cli
