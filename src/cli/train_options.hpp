// The options of the model and its training, shared by train and backtest, and the progress printer.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "grucast/forecast/trained_model.hpp"
#include "grucast/workflow/fit.hpp"
#include "cli/data_args.hpp"
#include "nn/trainer.hpp"

namespace grucast::cli {

/// --lookback, --horizon, --season and the Model and Training option groups, as given.
struct ModelArgs {
  std::string lookback, horizon, season;
  std::string hidden = "32", layers = "1", batch_size = "64", epochs = "100", patience = "10", seed = "1";
  std::string threads;
  double dropout = 0.0, lr = 1e-3, weight_decay = 0.0, momentum = 0.9, clip = 1.0;
  std::string loss = "huber", optimizer = "adam", schedule = "constant", precision = "f32";
  std::string transform = "auto", normalize = "window", scaler = "zscore";
  std::string cell = "gru", attention = "none";
  std::string calendar;
  const CLI::Option* calendar_option = nullptr;  ///< to tell --calendar "" from no --calendar
  std::string nonnegative = "auto";  ///< --nonnegative auto|yes|no
  std::string quantiles = "0.1,0.5,0.9";
  const CLI::Option* quantiles_option = nullptr;  ///< to refuse --quantiles without --loss quantile
};

/// Whether --calendar is auto (given so, or not given): train chooses the calendar inputs on
/// validation (fit_choosing_calendar); the configuration has none.
bool calendar_auto(const ModelArgs& args);

/// Whether --transform is auto (the default): train chooses logarithms first for the series that
/// look multiplicative on validation (choose_transform); the configuration has sdiff.
bool transform_auto(const ModelArgs& args);

/// --lookback, --horizon, --season and the Model group.
void add_model_options(CLI::App& command, ModelArgs& args);
/// The Training group: loss, optimizer, schedule, batches, epochs, seed, threads.
void add_training_options(CLI::App& command, ModelArgs& args);

/// The season of a frame when --season is not given: the frequency's when the data shows it
/// (confirm_season over `horizon` steps), else one found by autocorrelation, else 1; a note
/// says which, when it is not the frequency's.
std::size_t data_season(const Frame& frame, std::size_t horizon);

/// --ensemble VALUE of train and backtest: a count, refused above 1 where `obstacle` stands (as
/// fit_ensemble refuses), or auto: kDefaultEnsemble networks, or one where `obstacle` stands or
/// the network has attention (to be explained, and members attend each in its own way), as -v says.
std::size_t ensemble_size(const std::string& value, const ModelConfig& config,
                          const std::optional<EnsembleObstacle>& obstacle);

/// The configuration the options give, checked before any data is read; the season is 0 when
/// --season is not given, and the split is left to complete_config.
ModelConfig model_config(const ModelArgs& args, std::size_t features);
/// The season (the frequency's default unless given), the split (with `panel_split`, a panel's
/// default of one horizon in rows), whether the model is non-negative (--nonnegative) and the
/// lookback when none was given, once the data is read.
void complete_config(ModelConfig& config, const ModelArgs& args, const SplitArgs& split, const Frame& frame,
                     bool panel_split = true);
/// How the data was read, for the model file.
DataConfig data_config(const DataArgs& args, const Frame& frame);

/// Progress on stderr: one line rewritten in place on a terminal, one line per epoch otherwise.
class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool quiet);
  void operator()(const EpochReport& report);
  /// Ends the line rewritten in place (on a terminal).
  void finish() const;

 private:
  bool quiet_, terminal_;
};

}  // namespace grucast::cli
