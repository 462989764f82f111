// --config FILE: options from a TOML or INI file, placed before the command line so that it wins.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "cli/config.hpp"
#include "util/text.hpp"

namespace grucast::cli {

namespace {

// A UsageError at the first line that is not blank, a comment, a [section] or key = value with a
// whole value (CLI11's reader is lenient: it reads an unclosed [1, 2 as 1).
void check_lines(const std::string& text, const std::string& path) {
  std::size_t number = 0, start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    ++number;
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const std::size_t equals = line.find('=');
    const std::string_view key = trim(line.substr(0, std::min(equals, line.size())));
    const std::string_view value = equals == std::string_view::npos ? "" : trim(line.substr(equals + 1));
    const bool section = line.front() == '[' && line.back() == ']' && equals == std::string_view::npos;
    const bool named = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
    const bool whole = !value.empty() && (value.front() != '[' || value.back() == ']') &&
                       (value.front() != '"' || (value.size() > 1 && value.back() == '"'));
    if (section || (named && whole)) continue;
    throw UsageError(fmt::format("cannot read the config file (line {} is not key = value, a [section] or a comment)",
                                 number),
                     location(path, number), "write one key = value per line, e.g. hidden = 64");
  }
}

// A config file is read once, so it may be a pipe (--config <(cmd)), and at most this much of
// it: a device like /dev/zero ends with an error instead of filling the memory.
constexpr std::size_t kMaxConfigBytes = 1 << 20;

std::string read_config_file(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw IoError("the config path is a directory", path, "give the config file itself to --config");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot read the config file", path, "check the path given to --config");
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes) {
    throw IoError("the config file is larger than 1 MiB", path, "give --config a file of options (key = value lines)");
  }
  return text;
}

// Options that name a file grucast writes: a config file may not give them, so that the files a
// command replaces are always on its command line, in view.
bool names_output(const std::string& option) {
  static const std::vector<std::string> outputs = {"out", "checkpoint", "plot", "plot-loss", "explain", "forecasts"};
  return std::find(outputs.begin(), outputs.end(), option) != outputs.end();
}

// The text's key = value pairs for `command`: top-level keys, and those under [command].
std::vector<CLI::ConfigItem> config_items(const std::string& text, const std::string& path, const std::string& command) {
  check_lines(text, path);
  std::istringstream lines(text);
  const bool ini = path.size() >= 4 && path.compare(path.size() - 4, 4, ".ini") == 0;
  std::vector<CLI::ConfigItem> items;
  try {
    items = ini ? CLI::ConfigINI().from_config(lines) : CLI::ConfigTOML().from_config(lines);
  } catch (const CLI::ParseError& e) {
    throw UsageError(fmt::format("cannot read the config file ({})", e.what()), path, "write key = value lines");
  }
  std::vector<CLI::ConfigItem> mine;
  for (CLI::ConfigItem& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // section markers
    if (item.parents.empty() || (item.parents.size() == 1 && item.parents[0] == command)) mine.push_back(item);
  }
  return mine;
}

}  // namespace

// `--name value` for every item; a list becomes one comma-separated value, a flag --name=true.
std::vector<std::string> config_arguments(const CLI::App& command, const std::string& text, const std::string& path) {
  std::vector<std::string> args;
  for (const CLI::ConfigItem& item : config_items(text, path, command.get_name())) {
    const CLI::Option* option = command.get_option_no_throw("--" + item.name);
    if (option == nullptr || item.name == "config") {
      throw UsageError(fmt::format("{} is not an option of grucast {}", quoted(item.fullname()), command.get_name()),
                       path, fmt::format("see 'grucast {} --help' for the option names", command.get_name()));
    }
    if (names_output(item.name)) {
      throw UsageError(fmt::format("{} names a file to write, which a config file may not", quoted(item.fullname())),
                       path, fmt::format("give --{} on the command line", item.name));
    }
    if (option->get_items_expected_max() == 0) {
      args.push_back(fmt::format("--{}={}", item.name, item.inputs.empty() ? "true" : item.inputs.front()));
      continue;
    }
    args.push_back("--" + item.name);
    std::string value;
    for (const std::string& input : item.inputs) value += (value.empty() ? "" : ",") + input;
    args.push_back(value);
  }
  return args;
}

std::vector<std::string> expand_config(const CLI::App& app, const std::vector<std::string>& args,
                                       std::string& config_path) {
  if (args.size() < 2) return args;
  const CLI::App* command = nullptr;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(args[1])) command = sub;
  }
  // Only commands whose --config is a file of options (bench's --config names a configuration).
  const CLI::Option* option = command == nullptr ? nullptr : command->get_option_no_throw("--config");
  if (option == nullptr || option->get_group() != kConfigFileGroup) return args;
  std::string path;
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) path = args[i + 1];
    if (args[i].rfind("--config=", 0) == 0) path = args[i].substr(9);
  }
  if (path.empty()) return args;
  config_path = path;
  std::vector<std::string> expanded = {args[0], args[1]};
  for (std::string& a : config_arguments(*command, read_config_file(path), path)) expanded.push_back(std::move(a));
  expanded.insert(expanded.end(), args.begin() + 2, args.end());
  return expanded;
}

void add_config_option(CLI::App& command, std::string& path) {
  command.add_option("--config", path, "a TOML or INI file of options (key = value, names without --); the command line "
                                 "overrides it")
      ->type_name("FILE")
      ->group(kConfigFileGroup);
}

}  // namespace grucast::cli
