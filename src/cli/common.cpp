#include "cli/common.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "cli/console.hpp"
#include "data/csv.hpp"
#include "report/writers.hpp"
#include "util/text.hpp"

namespace grucast::cli {

void add_data_options(CLI::App& command, DataArgs& args) {
  // A later option overrides an earlier one, so scripts can append to a default command line.
  command.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  command.add_option("--data", args.path, "CSV file to read, or - for stdin")->required()->group("Data");
  command.add_option("--target", args.target, "column to forecast (with --model: the model's)")->group("Data");
  command.add_option("--features", args.features, "extra input columns, comma-separated")
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("Data");
  command.add_option("--time", args.time_column,
                     "timestamp column (default: the column named date, time, timestamp, datetime or ds; "
                     "none: the row index is the time)")
      ->group("Data");
  command.add_option("--time-format", args.time_format,
                     "strptime pattern of the timestamps, e.g. \"%b %d %Y\" (default: ISO 8601 or epoch seconds)")
      ->group("Data");
  command.add_option("--id", args.id_column, "column naming the series of a long-format file")->group("Data");
  command.add_option("--delimiter", args.delimiter, "field delimiter: one character, or tab (default: detected)")
      ->group("Data");
  command.add_option("--missing", args.missing, "missing values: error, drop, ffill or interpolate")
      ->capture_default_str()
      ->group("Data");
  command.add_flag("--sort", args.sort, "sort rows by time instead of refusing unsorted input")->group("Data");
  add_config_option(command);
}

void add_config_option(CLI::App& command) {
  command.add_option("--config", "a TOML or INI file of options (key = value, names without --); the command line "
                                 "overrides it")
      ->type_name("FILE")
      ->group(kConfigFileGroup);
}

void add_method_options(CLI::App& command, MethodArgs& args, const std::string& what_is_written) {
  CLI::Option* baseline = command.add_option("--baseline", args.baseline, "method: naive, snaive, drift or mean");
  command.add_option("--model", args.model, "a model file written by grucast train")->excludes(baseline);
  command.add_option("--horizon", args.horizon, "steps to forecast (K; with --model, default the model's)")
      ->type_name("INT");
  command.add_option("--season", args.season,
                     "season length m for snaive and the MASE scale (default from the frequency: hourly 24, daily 7, "
                     "weekly 52, monthly 12, quarterly 4, else 1)")
      ->type_name("INT");
  command.add_option("--out", args.out, "output file for " + what_is_written + ", or - for stdout")
      ->capture_default_str();
}

namespace {

std::string format_name(Format format) {
  switch (format) {
    case Format::table: return "table";
    case Format::csv: return "csv";
    case Format::json: return "json";
  }
  return "table";
}

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

void add_intervals_option(CLI::App& command, MethodArgs& args) {
  command
      .add_option("--intervals", args.intervals,
                  "prediction intervals at these coverage levels, e.g. 0.8,0.95 (split conformal, from the validation "
                  "residuals per step; a --loss quantile model's own (1-L)/2 and (1+L)/2 quantiles)")
      ->type_name("LEVELS");
}

void add_explain_option(CLI::App& command, MethodArgs& args, const std::string& what_is_written) {
  command.add_option("--explain", args.explain, "with a model with attention: " + what_is_written + " (CSV)")
      ->type_name("FILE");
}

void add_plot_option(CLI::App& command, MethodArgs& args, const std::string& what_is_drawn) {
  command.add_option("--plot", args.plot, "an SVG plot of " + what_is_drawn)->type_name("FILE");
}

void check_plot_path(const std::string& path, const std::string& option,
                     const std::vector<std::pair<std::string, std::string>>& others) {
  if (path == "-") {
    throw UsageError("a plot cannot go to stdout", option, fmt::format("give a file name, e.g. {} plot.svg", option));
  }
  for (const auto& [other, other_path] : others) {
    if (other_path.empty() || (other_path == "-" && other == "--data") || !same_file(path, other_path)) continue;
    throw UsageError(other_path == "-" ? fmt::format("{} {} is where stdout goes", option, quoted(path))
                                       : fmt::format("{} and {} are the same file {}", option, other, quoted(path)),
                     option, fmt::format("give {} a file of its own", option));
  }
}

void add_split_options(CLI::App& command, SplitArgs& args) {
  CLI::Option* val =
      command.add_option("--val", args.val, "validation fraction of each series")->capture_default_str()->group("Split");
  CLI::Option* test =
      command.add_option("--test", args.test, "test fraction of each series")->capture_default_str()->group("Split");
  CLI::Option* from = command
                          .add_option("--test-from", args.test_from,
                                      "start the test part at this time (a timestamp, or a row index without a time "
                                      "column)")
                          ->group("Split")
                          ->excludes(test);
  args.options = {val, test, from};
}

bool SplitArgs::given() const {
  return std::any_of(options.begin(), options.end(), [](const CLI::Option* o) { return o->count() > 0; });
}

DataOptions data_options(const DataArgs& args) {
  DataOptions options;
  options.path = args.path;
  options.target = args.target;
  options.features = args.features;
  options.time_column = args.time_column;
  options.time_format = args.time_format;
  options.id_column = args.id_column;
  options.delimiter = args.delimiter.empty() ? 0 : parse_delimiter(args.delimiter);
  options.missing = parse_missing_policy(args.missing);
  options.sort = args.sort;
  return options;
}

bool same_file(const std::string& a, const std::string& b) {
  if (a == b) return true;
  struct stat sa {}, sb {};
  const bool has_a = a == "-" ? ::fstat(STDOUT_FILENO, &sa) == 0 : ::stat(a.c_str(), &sa) == 0;
  const bool has_b = b == "-" ? ::fstat(STDOUT_FILENO, &sb) == 0 : ::stat(b.c_str(), &sb) == 0;
  if (has_a && has_b) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  if (a == "-" || b == "-") return false;
  std::error_code ignored;
  const auto resolved = [&](const std::string& path) {
    return std::filesystem::weakly_canonical(std::filesystem::absolute(path, ignored), ignored);
  };
  return resolved(a) == resolved(b);
}

namespace {

void check_explain_path(const MethodArgs& args) {
  if (args.model.empty()) {
    throw UsageError("--explain needs --model", "--explain", "give a model trained with --attention additive or dot");
  }
  if (same_file(args.explain, args.out)) {
    throw UsageError(args.out == "-" ? "--explain and the forecasts cannot both go to stdout"
                                     : fmt::format("--explain and --out are the same file {}", quoted(args.out)),
                     "--explain", "give --explain a file of its own");
  }
}

}  // namespace

Method parse_method(const MethodArgs& args, const std::string& target) {
  Method method;
  if (args.baseline.empty() && args.model.empty()) {
    throw UsageError("--baseline or --model is required", "command line",
                     "give a baseline (naive, snaive, drift, mean) or a model file from grucast train");
  }
  if (!args.horizon.empty()) method.horizon = parse_count(args.horizon, "--horizon", 1, 1'000'000);
  if (!args.season.empty()) method.season = parse_count(args.season, "--season", 1, 1'000'000);
  if (!args.explain.empty()) check_explain_path(args);
  if (args.model.empty()) {
    method.baseline = parse_baseline(args.baseline);
    if (target.empty()) throw UsageError("--target is required", "command line", "name the column to forecast");
    if (!method.horizon) throw UsageError("--horizon is required", "command line", "give the steps to forecast");
    return method;
  }
  method.model = load_model(args.model);
  if (!method.season) method.season = method.model->config.season;
  if (!args.explain.empty() && method.model->config.shape.attention == AttentionKind::none) {
    throw UsageError(fmt::format("the model {} has no attention (it was trained with --attention none), so there are "
                                 "no weights to explain", args.model),
                     "--explain", "train the model with --attention additive or dot");
  }
  return method;
}

namespace {

void check_same(const std::string& option, const std::string& given, const std::string& trained, const std::string& path) {
  if (given.empty() || given == trained) return;
  const std::string model = trained.empty() ? fmt::format("the model has no {}", option == "--id" ? "id column" : "features")
                                            : quoted(trained);
  throw UsageError(fmt::format("{} {} is not the model's ({})", option, quoted(given), model), option,
                   fmt::format("leave {} out: the model {} knows its columns", option, path));
}

}  // namespace

DataOptions model_data_options(const DataOptions& given, const TrainedModel& model, const std::string& path) {
  DataOptions options = given;
  const DataConfig& d = model.data;
  check_same("--target", given.target, d.target, path);
  check_same("--features", join(given.features, ","), join(d.features, ","), path);
  check_same("--id", given.id_column, d.id_column, path);
  options.target = d.target;
  options.features = d.features;
  options.id_column = d.id_column;
  if (options.time_column.empty()) options.time_column = d.time_column.empty() ? "none" : d.time_column;
  if (options.time_format.empty()) options.time_format = d.time_format;
  return options;
}

void check_model_frequency(const Frame& frame, const TrainedModel& model, const std::string& path) {
  const Frequency& trained = model.data.frequency;
  const Frequency& now = frame.frequency;
  if (trained.unit == now.unit && trained.step == now.step) return;
  throw ModelError(fmt::format("the data is {} but the model was trained on {} data", now.name(), trained.name()),
                   path, "give data at the model's frequency, or train a model on this data");
}

Frame load_data(const DataOptions& options) {
  Frame frame = load_frame(options);
  print_note(data_summary(frame));
  return frame;
}

namespace {

// --test-from in the data's own time format, or a row index without a time column.
TimePoint parse_test_from(const std::string& text, const Frame& frame) {
  TimeFormat format;
  std::string problem;
  if (frame.time_column.empty()) {
    const auto t = parse_time(text, "", format, problem);  // an integer reads as epoch seconds
    if (t && format.style == TimeStyle::epoch && *t >= 0) return *t;
    throw UsageError(fmt::format("cannot read {} (not a row index)", quoted(text)), "--test-from",
                     "give the row index where the test part starts");
  }
  const std::string pattern = frame.time_format.style == TimeStyle::pattern ? frame.time_format.pattern : "";
  const auto t = parse_time(text, pattern, format, problem);
  if (t) return *t;
  throw UsageError(fmt::format("cannot read {} ({})", quoted(text), problem), "--test-from",
                   "write it like the timestamps in the data");
}

}  // namespace

void check_split_args(const SplitArgs& args) {
  if (!args.test_from.empty()) return;  // checked once the data is read
  SplitSpec spec;
  spec.val = args.val;
  spec.test = args.test;
  spec.validate();
}

SplitSpec split_spec(const SplitArgs& args, const Frame& frame) {
  SplitSpec spec;
  spec.val = args.val;
  spec.test = args.test;
  if (!args.test_from.empty()) spec.test_from = parse_test_from(args.test_from, frame);
  return spec;
}

std::size_t parse_count(const std::string& text, const std::string& option, std::size_t low, std::size_t high) {
  const std::string name = option.substr(2);
  const std::string range = fmt::format("use a whole number from {} to {}", low, high);
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || stop != end || (error != std::errc() && error != std::errc::result_out_of_range)) {
    throw UsageError(fmt::format("{} {} is not a whole number", name, quoted(text)), option, range);
  }
  if (error == std::errc::result_out_of_range || value < low || value > high) {
    throw UsageError(fmt::format("{} {} is out of range", name, text), option, range);
  }
  return value;
}

std::optional<Output> open_plot(const DataArgs& data, const MethodArgs& method) {
  if (method.plot.empty()) return std::nullopt;
  check_plot_path(method.plot, "--plot", {{"--out", method.out}, {"--explain", method.explain}, {"--data", data.path},
                                          {"--model", method.model}});
  return std::optional<Output>(std::in_place, method.plot);
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

}  // namespace grucast::cli
