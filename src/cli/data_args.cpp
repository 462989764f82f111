#include "cli/data_args.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "cli/config.hpp"
#include "cli/console.hpp"
#include "data/csv.hpp"
#include "report/writers.hpp"
#include "util/text.hpp"

namespace grucast::cli {

void add_data_options(CLI::App& command, DataArgs& args) {
  // A later option overrides an earlier one, so scripts can append to a default command line.
  command.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  command.add_option("--data", args.path, "CSV file to read, or - for stdin")->required()->group("Data");
  command.add_option("--target", args.target, "column to forecast (default: the only column that is not the time, the id or a feature; with --model: the model's)")->group("Data");
  command.add_option("--features", args.features, "extra input columns, comma-separated")
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("Data");
  command.add_option("--time", args.time_column,
                     "timestamp column (default: the column named date, time, timestamp, datetime or ds, else "
                     "one named month, year, week, quarter or period if it holds dates; none: the row index is the "
                     "time)")
      ->group("Data");
  command.add_option("--time-format", args.time_format,
                     "strptime pattern of the timestamps, e.g. \"%b %d %Y\" (default: ISO 8601 dates, times and weeks, "
                     "quarters such as 1990-Q1, or epoch seconds)")
      ->group("Data");
  command.add_option("--id", args.id_column,
                     "column naming the series of a long-format file (the outputs keep its name; none: the file is "
                     "one series, e.g. for a model trained with --id)")
      ->group("Data");
  command.add_option("--delimiter", args.delimiter, "field delimiter: one character, or tab (default: detected)")
      ->group("Data");
  command.add_option("--missing", args.missing, "missing values: error, drop, ffill or interpolate")
      ->capture_default_str()
      ->group("Data");
  command.add_flag("--sort", args.sort, "sort rows by time instead of refusing unsorted input")->group("Data");
  add_config_option(command, args.config);
}

void add_split_options(CLI::App& command, SplitArgs& args) {
  CLI::Option* val =
      command.add_option("--val", args.val,
                         "validation part of each series: a fraction, or a number of rows, the last before the test "
                         "part (several series: default the horizon in rows); 0: none")->capture_default_str()->group("Split");
  CLI::Option* test =
      command.add_option("--test", args.test,
                         "test part of each series: a fraction, or a number of rows, the last ones (several series: "
                         "default the horizon in rows); 0: none")->capture_default_str()->group("Split");
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

Frame load_data(const DataOptions& options) {
  DataOptions read = options;
  if (read.id_column == "none") read.id_column.clear();  // --id none: one series
  Frame frame = load_frame(read);
  print_note(data_summary(frame));
  if (const std::string note = id_guess_note(frame); !note.empty()) print_note(note);
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
  const auto t = parse_time(text, pattern, format, problem, frame.time_format.style == TimeStyle::year);
  if (t) return *t;
  throw UsageError(fmt::format("cannot read {} ({})", quoted(text), problem), "--test-from",
                   "write it like the timestamps in the data");
}

}  // namespace

namespace {

// --val or --test: a fraction below 1 into `fraction`, a whole number of rows into `rows`.
void set_part(double value, const char* option, double& fraction, std::size_t& rows) {
  if (!(value >= 1.0) || !std::isfinite(value)) {
    fraction = value;  // validate() checks the range
    return;
  }
  if (value != std::floor(value) || value > 1e9) {
    throw UsageError(fmt::format("{} {} is neither a fraction below 1 nor a whole number of rows", option, value),
                     option, "give a fraction such as 0.2, or a number of rows such as 13");
  }
  rows = static_cast<std::size_t>(value);
  fraction = 0.0;
}

SplitSpec given_split(const SplitArgs& args) {
  SplitSpec spec;
  set_part(args.val, "--val", spec.val, spec.val_rows);
  set_part(args.test, "--test", spec.test, spec.test_rows);
  return spec;
}

}  // namespace

void check_split_args(const SplitArgs& args) {
  const SplitSpec spec = given_split(args);
  if (!args.test_from.empty()) return;  // checked once the data is read
  spec.validate();
}

SplitSpec split_spec(const SplitArgs& args, const Frame& frame, std::size_t horizon) {
  SplitSpec spec = given_split(args);
  if (frame.series.size() > 1 && horizon > 0) {
    if (args.options.at(0)->count() == 0) spec.val = 0.0, spec.val_rows = horizon;
    if (args.options.at(1)->count() == 0 && args.options.at(2)->count() == 0) spec.test = 0.0, spec.test_rows = horizon;
  }
  if (!args.test_from.empty()) spec.test_from = parse_test_from(args.test_from, frame);
  return spec;
}

}  // namespace grucast::cli
