// grucast export and grucast import: models to and from PyTorch's state_dict layout as JSON.
#include <iostream>
#include <iterator>
#include <memory>

#include <fmt/format.h>

#include "grucast/io/model_file.hpp"
#include "grucast/io/torch_json.hpp"
#include "grucast/util/error.hpp"
#include "cli/command_output.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/file_paths.hpp"

namespace grucast::cli {

namespace {

struct ExportArgs {
  std::string model;
  std::string format = "torch-json";
  std::string out = "-";
};

struct ImportArgs {
  std::string input;
  std::string out;
};

int run_export(const ExportArgs& args) {
  if (args.out.empty()) throw UsageError("empty output path", "--out", "give a file name, or - for stdout");
  check_file_uses({{"MODEL", args.model, false}, {"--out", args.out, true}});
  Output output(args.out);  // an unwritable path fails before the model is read
  Timings timings;
  const TrainedModel model = load_model(args.model);
  timings.lap("read model");
  output.write(torch_json(model).dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::strict) + "\n");
  output.commit();
  timings.lap("write");
  return 0;
}

int run_import(const ImportArgs& args) {
  if (args.out.empty() || args.out == "-") {
    throw UsageError(args.out.empty() ? "empty output path" : "a model file cannot go to stdout", "--out",
                     "give a file name for the model, e.g. --out model.grc");
  }
  check_file_uses({{"FILE", args.input, false}, {"--out", args.out, true}});
  AtomicFile check(args.out);  // an unwritable path fails before any work; save_model writes it
  Timings timings;
  TrainedModel model;
  if (args.input == "-") {
    std::string text;
    char chunk[1 << 16];
    while (text.size() <= kMaxTorchJsonBytes && std::cin.read(chunk, sizeof chunk).gcount() > 0) {
      text.append(chunk, static_cast<std::size_t>(std::cin.gcount()));
    }
    if (text.size() > kMaxTorchJsonBytes) {
      throw ModelError("stdin holds more than any grucast import file (256 MiB)", "stdin",
                       "check what is piped in: a torch-json file of a model this size is smaller");
    }
    model = import_torch_json(text, "stdin");
  } else {
    model = load_torch_json(args.input);
  }
  timings.lap("read torch-json");
  save_model(model, args.out);
  timings.lap("write");
  return 0;
}

}  // namespace

Command add_export_command(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* command = app.add_subcommand("export", "Write a model's tensors under PyTorch state_dict names, as JSON");
  command->add_option("MODEL", args->model, "model file written by grucast train or import")
      ->required()
      ->type_name("FILE");
  command->add_option("--format", args->format, "torch-json: state_dict tensors, configuration and scalers")
      ->check(CLI::IsMember({"torch-json"}))
      ->capture_default_str();
  command->add_option("--out", args->out, "where the JSON goes: a file, or - for stdout")->capture_default_str();
  command->footer(
      "The format and the PyTorch round trip are in docs/torch-json.md.\n"
      "Example:\n"
      "  grucast export co2.grc --out co2.json");
  return {command, [args] { return run_export(*args); }};
}

Command add_import_command(CLI::App& app) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* command = app.add_subcommand("import", "Build a model file from a torch-json file (export's, or Python's)");
  command->add_option("FILE", args->input, "torch-json file, or - for stdin")->required()->type_name("FILE");
  command->add_option("--out", args->out, "the model file to write")->required()->type_name("MODEL");
  command->footer(
      "The file holds a state_dict (gru.weight_ih_l0, ..., head.weight, head.bias) and a model object;\n"
      "docs/torch-json.md lists its fields and shows the Python that writes it.\n"
      "Example:\n"
      "  grucast import from_torch.json --out model.grc");
  return {command, [args] { return run_import(*args); }};
}

}  // namespace grucast::cli
