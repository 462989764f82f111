// The method options of forecast and evaluate (--baseline or --model, --horizon, --season, --out,
// --intervals, --explain, --plot), checked, and the model they load.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/forecast/baselines.hpp"
#include "grucast/forecast/selection.hpp"
#include "grucast/forecast/trained_model.hpp"
#include "cli/command_output.hpp"
#include "cli/data_args.hpp"

namespace grucast::cli {

/// --baseline or --model, --horizon, --season, --out: what to forecast, how far, and where it goes.
struct MethodArgs {
  std::string baseline;
  std::string model;
  std::string horizon;
  std::string season;
  std::string out = "-";
  std::string explain;  ///< --explain FILE: the attention weights
  std::string intervals;  ///< --intervals LEVELS: prediction intervals, e.g. "0.8,0.95"
  std::string plot;       ///< --plot FILE: the SVG plot
};

/// MethodArgs checked: done before any data is read, so a usage error is never hidden.
struct Method {
  BaselineMethod baseline = BaselineMethod::naive;
  std::optional<TrainedModel> model;  ///< with --model
  std::optional<std::size_t> horizon;  ///< empty: the model's K
  std::optional<std::size_t> season;  ///< empty: the model's m, else resolve_season's
};

void add_method_options(CLI::App& command, MethodArgs& args, const std::string& what_is_written);
/// Adds --intervals LEVELS (split conformal prediction intervals) to forecast or evaluate.
void add_intervals_option(CLI::App& command, MethodArgs& args);
/// --explain FILE (forecast and evaluate), checked by parse_method.
void add_explain_option(CLI::App& command, MethodArgs& args, const std::string& what_is_written);

/// --plot FILE (forecast and evaluate).
void add_plot_option(CLI::App& command, MethodArgs& args, const std::string& what_is_drawn);

/// Checks --baseline/--model and --horizon, and loads the model.
Method parse_method(const MethodArgs& args);

/// A baseline's season when --season is not given, from the data as train takes it (data_season).
void resolve_season(Method& method, const Frame& frame);
/// The data options of a model: its target, features, id and time columns, unless given (when
/// given, the target and features must be the model's, and so must the id column of a model with
/// one; "--id none" reads the file as one series, and a model without one takes any --id).
DataOptions model_data_options(const DataOptions& given, const TrainedModel& model, const std::string& path);
/// A ModelError when the data's frequency is not the one the model was trained on.
void check_model_frequency(const Frame& frame, const TrainedModel& model, const std::string& path);
/// check_model_frequency, then the data against the model's profile of its training data
/// (check_against_training): warnings for series far outside it, a note for unseen series.
void check_model_data(const Frame& frame, const TrainedModel& model, const std::string& path);

/// "3 series were not in the model's training data (e.g. 'A', 'B'): scaled by their own
/// <scaled_by>" ("the series was ..." without an id column), unless --quiet or `ids` (what
/// NetworkForecaster::scale_unseen returns) is empty.
enum class ChosenUse { forecast, evaluate };

/// A model whose training chose other methods than the network for some series of `frame`
/// (train --fallback auto): the forecaster that uses them, after a note that names them; else nullptr.
std::unique_ptr<ChosenForecaster> chosen_forecaster(const Method& method, const Frame& frame,
                                                    const Forecaster& network, ChosenUse use);

void note_unseen(const Frame& frame, const std::vector<std::string>& ids, const std::string& scaled_by);

/// check_file_uses on the files forecast and evaluate read (--data, --config, --model) and write
/// (--out, --explain, --plot), and no plot on stdout; call it before any output is opened.
void check_method_files(const DataArgs& data, const MethodArgs& method);

/// The --plot file of forecast or evaluate, opened now (an unwritable path fails before any
/// work), or empty without --plot.
std::optional<Output> open_plot(const MethodArgs& method);

}  // namespace grucast::cli
