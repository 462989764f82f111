// The config file (--config): config_arguments on untrusted text for one of the commands, then
// the command line it expands to parsed by CLI11 as run() does (the command itself is not run).
// Input: [command and dialect] then the file's text.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "fuzz_support.hpp"

namespace {

using grucast::cli::Command;

void parse_config(grucast::fuzz::Input input) {
  const std::uint8_t choice = input.byte();
  CLI::App app("grucast", "grucast");
  app.require_subcommand(1);
  // Only the chosen command is set up: building all of them would triple the time per input.
  constexpr std::array<Command (*)(CLI::App&), 3> kCommands = {
      grucast::cli::add_train_command, grucast::cli::add_forecast_command, grucast::cli::add_evaluate_command};
  const Command chosen = kCommands[(choice & 0x7fu) % kCommands.size()](app);  // owns the options' variables
  const CLI::App& command = *chosen.app;
  const std::string path = (choice & 0x80u) != 0 ? "fuzz.ini" : "fuzz.toml";
  const std::string text(input.rest());
  std::vector<std::string> args = {command.get_name()};
  for (std::string& arg : grucast::cli::config_arguments(command, text, path)) args.push_back(std::move(arg));
  try {
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));  // CLI11 wants them reversed
  } catch (const CLI::ParseError&) {  // run() reports these as usage errors (exit code 2)
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  grucast::fuzz::expect_only_grucast_errors([&] { parse_config(grucast::fuzz::Input(data, size)); });
  return 0;
}
