// Training a forecaster on a frame: windows, per-series scalers, the network, and the test scores.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/forecast/trained_model.hpp"
#include "grucast/util/error.hpp"

namespace grucast {

/// The rows a model of `config` needs around each origin: lookback, horizon, season, the transform's lag.
TaskShape task_shape(const ModelConfig& config);

/// The lookback chosen when none is given, and why ("twice the horizon 13").
struct DefaultLookback {
  std::size_t lookback = 1;
  std::string why;
};

/// T = 2·max(K, m), fewer when the series of median length would have no training window under
/// config.split (T ≤ n_train − lag − K), and at least 1. Needs config's season, split and horizon.
DefaultLookback default_lookback(const Frame& frame, const ModelConfig& config);

/// A panel's default split (the last K rows test, the K before them validation) gives up parts
/// its series are too short for: the validation part when the median series would have no
/// training window (lookback 1), then the test part when no series would. Returns what was
/// given up and why, for a warning; "" when the split stays. Needs config's horizon and transform.
std::string shorten_panel_split(const Frame& frame, ModelConfig& config);

/// A UsageError for settings that cannot work together (lookback, horizon, dropout, ...).
void validate_config(const ModelConfig& config);

/// Stop requests, checkpoints and resumption for fit_model.
struct FitControl {
  const std::atomic<bool>* stop = nullptr;  ///< a stop request ends training after its step
  std::size_t checkpoint_every = 0;         ///< epochs between checkpoints; 0: none
  std::string checkpoint_path;              ///< where checkpoints go (replaced all-or-nothing)
  /// Called with the epoch and the error when a checkpoint cannot be written; training goes on
  /// (the old checkpoint stays). Without it, the IoError ends the run.
  std::function<void(std::size_t epoch, const IoError& error)> checkpoint_failed;
  std::string resume_path;                  ///< a checkpoint to continue from; "" to start afresh
  bool score_test = true;                   ///< false: leave TrainedModel::test empty (the caller scores)
  /// Networks training at once (an ensemble's members side by side): the check that training
  /// fits in the machine's memory counts them all.
  std::size_t side_by_side = 1;
  /// auto: TrainedModel::selection chooses each series' forecaster on validation; none: the
  /// selection only scores the network beside the baselines there (nothing is chosen).
  FallbackPolicy fallback = FallbackPolicy::automatic;
  const TrainedModel* warm_start = nullptr;  ///< start from this model's weights (same shape), not the seed's
  /// fit_final: called between its two runs with the epochs of the run on every row.
  std::function<void(std::size_t epochs)> final_started;
  /// The time budget (train --max-time): training ends after the epoch that finishes past it,
  /// with the best weights so far (StopReason::time); an ensemble starts no member past it.
  /// fit_final and fit_ensemble with `final` give the split run the first half of what is left;
  /// when the budget cuts the run on every row short of its epochs, the split run's model is
  /// returned instead (a network trained for fewer epochs than chosen is not the one validated),
  /// and final_cut_short is called with the epochs run and wanted.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::function<void(std::size_t run, std::size_t wanted)> final_cut_short;
  /// fit_choosing_calendar: called between its two runs with the calendar items of the second.
  std::function<void(const std::vector<CalendarItem>& items)> calendar_started;
  /// choose_transform: called between its two runs with the series the second takes logarithms of.
  std::function<void(std::size_t logged)> transform_started;
};

/// Trains the network of `config` on `frame` and scores it on the test part beside the
/// baselines (when every series has one, and training was not interrupted). Resuming, the
/// checkpoint must have the same configuration and data (else a UsageError or a DataError
/// saying what differs), and the result is bit for bit that of a run that was never stopped.
TrainedModel fit_model(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                       const ProgressCallback& progress, const FitControl& control = {});

/// Fit on all data (--final): fit_model on the split picks the epochs (the best validation
/// epoch; without a validation part, the epochs run) and gives the held-out scores and the
/// calibration; then the network is trained afresh on every row of every series for that many
/// epochs, and that model is returned with the split run's scores, calibration and FinalFit.
/// Without a validation and a test part, only the run on every row, for config.train.epochs. A
/// stop request in the split run returns its model, without FinalFit. Resuming is a UsageError.
TrainedModel fit_final(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                       const ProgressCallback& progress, const FitControl& control = {});

/// What fit_choosing_calendar did: the model, and both runs' best validation losses (NaN for a
/// run not made).
struct CalendarChoice {
  TrainedModel model;
  std::vector<CalendarItem> offered;  ///< the items tried
  double loss_without = std::numeric_limits<double>::quiet_NaN();
  double loss_with = std::numeric_limits<double>::quiet_NaN();
};

/// train --calendar auto: the network of `config` (without calendar inputs) and the same with
/// the calendar items `offered` trained on the same split; the one of the lower best validation
/// loss (the same windows, targets and scale: the losses compare) is finished as fit_model's
/// (calibration, validation choice, test scores), and with `final` trained again on every row as
/// fit_final's. With `ensemble` > 1 the two networks only decide, and fit_ensemble trains the
/// ensemble with the kept inputs (with a deadline, the two get an eighth of the budget each).
/// Without offered items or a validation part, fit_model, fit_final or fit_ensemble alone. With
/// a deadline, the two split runs share fit_model's (or fit_final's split run's) budget. A stop
/// request in the first run returns it. Resuming and a warm start are UsageErrors (the inputs
/// are not known before the choice).
CalendarChoice fit_choosing_calendar(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                                     const std::vector<CalendarItem>& offered, bool final,
                                     const ProgressCallback& progress, const FitControl& control = {},
                                     std::size_t ensemble = 1);

/// What choose_transform decided.
struct TransformChoice {
  ModelConfig config;          ///< to train: config.prep.logged set when logarithms won
  std::size_t candidates = 0;  ///< series that look multiplicative (looks_multiplicative)
  std::size_t compared = 0;    ///< series whose validation errors compared the two networks
  /// The validation evidence: log(MAE with logarithms / MAE without), the mean over the series
  /// (a lone series: of its MAEs), and its standard error (NaN when the networks were not compared).
  double log_ratio = std::numeric_limits<double>::quiet_NaN();
  double error = std::numeric_limits<double>::quiet_NaN();
  bool taken = false;
  std::optional<TrainedModel> stopped;  ///< a stop request ended a run: the first, finished as fit_model's
};

/// train --transform auto: whether the series that look multiplicative (every value positive
/// and looks_multiplicative on the training rows) are better forecast with logarithms first
/// (with_log(transform): sdiff → log+sdiff). Two networks of `config` are trained on the split,
/// one with config.prep.logged = those series, and scored on every series' validation part in
/// original units; logarithms are kept when they are clearly better: with several series, when
/// the mean of log(MAE with / MAE without) is below minus its standard error over the series;
/// with one, when its MAE with them is lower by more than the standard error of the paired
/// difference over its origins. Each run gets 1/`budget_parts` of the time left. Nothing is
/// trained (config unchanged) when config's transform already takes logarithms, without a
/// validation part, or when no series looks multiplicative. Resuming and a warm start are
/// UsageErrors (the transform is not known before the choice).
TransformChoice choose_transform(const Frame& frame, const ModelConfig& config, const DataConfig& data,
                                 const ProgressCallback& progress, const FitControl& control, int budget_parts);

/// The lookbacks of an ensemble of n networks: from config.lookback (T) up to 3.5·T, evenly
/// spaced (so 2 to 7 horizons from the default T = 2·K, as N-BEATS chose), each at most what
/// leaves the median series a training window (and never below T). Ascending; n entries.
std::vector<std::size_t> ensemble_lookbacks(const Frame& frame, const ModelConfig& config, std::size_t n);

/// train's ensemble size when none is given (--ensemble auto): the median of five networks of
/// lookbacks 2 to 7 horizons is more accurate than one network on every panel and series of the
/// benchmarks, for about 10 times the training time (docs/benchmarks.md).
inline constexpr std::size_t kDefaultEnsemble = 5;

/// What keeps fit_ensemble from training `config` under `control`: the option in the way and
/// what an ensemble cannot do with it ("resume one network's checkpoint"); nullopt when nothing.
struct EnsembleObstacle {
  std::string option, cannot;
};
std::optional<EnsembleObstacle> ensemble_obstacle(const ModelConfig& config, const FitControl& control);

/// The UsageError that refuses an ensemble for `obstacle`, with the fix (--ensemble 1).
UsageError ensemble_refusal(const EnsembleObstacle& obstacle);

/// A UsageError unless fit_ensemble can train n networks of `config` under `control` (see there).
void check_ensemble(std::size_t n, const ModelConfig& config, const FitControl& control);

/// train --ensemble n (2 to kMaxEnsemble): n networks of `config` that differ in lookback
/// (ensemble_lookbacks) and seed (config.train.seed + i), trained over the threads side by
/// side (min(n, threads) at a time, the threads shared among them), whose median forecasts;
/// then the calibration, the validation choice and the test scores of that median, as
/// fit_model gives a network's. With `final`, each member is then trained again on every row
/// for its own best epoch count (fit_final), and the ensemble of those is returned with the
/// split ensemble's scores. Progress reports carry the member. Past control.deadline no member
/// starts; one stopped by it keeps its best weights. Refused (UsageError): resuming,
/// checkpoints, a warm start and the quantile loss.
TrainedModel fit_ensemble(const Frame& frame, const ModelConfig& config, const DataConfig& data, std::size_t n,
                          bool final, const ProgressCallback& progress, const FitControl& control = {});

}  // namespace grucast
