// --config FILE: the options of a TOML or INI file, inserted into the command line before parsing.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace grucast::cli {

/// The command line with the options of its --config file (TOML, or INI for *.ini) inserted
/// after the command name, so that the command line overrides the file.
/// `config_path` gets the file's path when there is one.
std::vector<std::string> expand_config(const CLI::App& app, const std::vector<std::string>& args,
                                       std::string& config_path);

/// The options a config file's `text` gives `command`, as command-line arguments (--name value,
/// --flag=true); top-level keys and those under [command]. `path` names the file in messages,
/// and a name ending in .ini selects INI, else TOML. A UsageError for a line that is not
/// key = value, a [section] or a comment, or a key that is not an option of `command`.
std::vector<std::string> config_arguments(const CLI::App& command, const std::string& text, const std::string& path);

/// Adds --config FILE to a command (read by expand_config before parsing), in this option group.
inline constexpr const char* kConfigFileGroup = "Config file";
void add_config_option(CLI::App& command, std::string& path);

}  // namespace grucast::cli
