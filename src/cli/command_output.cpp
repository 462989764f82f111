#include "cli/command_output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"
#include "util/text.hpp"

namespace grucast::cli {

namespace {

constexpr auto kFormatNames =
    std::to_array<Named<Format>>({{Format::table, "table"}, {Format::csv, "csv"}, {Format::json, "json"}});

std::string format_name(Format format) { return name_of(kFormatNames, format); }

std::string format_names(const std::vector<Format>& choices) {
  std::vector<std::string> names;
  for (const Format f : choices) names.push_back(format_name(f));
  return join(names, ", ");
}

}  // namespace

CLI::Option* add_format_option(CLI::App& command, std::string& format, const std::vector<Format>& choices) {
  format = format_name(choices.front());
  return command.add_option("--format", format, "what to write: " + format_names(choices))->capture_default_str();
}

Format parse_format(const std::string& text, const std::vector<Format>& choices) {
  for (const Format f : choices) {
    if (format_name(f) == text) return f;
  }
  throw UsageError("unknown format " + quoted(text), "--format", "use one of " + format_names(choices));
}

Format parse_format(const std::string& text, const std::vector<Format>& choices, bool json,
                    const CLI::Option* format_option) {
  const Format format = parse_format(text, choices);
  if (!json) return format;
  if (format_option != nullptr && format_option->count() > 0 && format != Format::json) {
    throw UsageError(fmt::format("--json and --format {} ask for different formats", text), "--format",
                     "give --format alone (--json is --format json)");
  }
  return Format::json;
}

std::string json_text(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Output::Output(const std::string& path) {
  if (path != "-") file_.emplace(path);
}

void Output::write(const std::string& text) {
  if (file_) {
    file_->write(text);
  } else {
    held_ += text;
  }
}

void Output::commit() {
  if (file_) {
    file_->commit();
    return;
  }
  if (std::fwrite(held_.data(), 1, held_.size(), stdout) != held_.size() || std::fflush(stdout) != 0) {
    throw IoError(fmt::format("cannot write to stdout ({})", std::strerror(errno)), "<stdout>",
                  "check where stdout goes");
  }
}

void Output::sync() {
  if (file_) file_->sync();
}

void commit_outputs(const std::vector<Output*>& outputs) {
  for (Output* output : outputs) {
    if (output != nullptr) output->sync();
  }
  for (Output* output : outputs) {
    if (output != nullptr && output->is_stdout()) output->commit();
  }
  for (Output* output : outputs) {
    if (output != nullptr && !output->is_stdout()) output->commit();
  }
}

}  // namespace grucast::cli
