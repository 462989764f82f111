// Backtesting: rolling-origin cross-validation with expanding training windows.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/forecast/trained_model.hpp"
#include "grucast/workflow/fit.hpp"

namespace grucast {

/// Whether each fold trains its own model, or every fold reuses the first fold's.
enum class Refit { every, once };
/// "every" or "once"; a UsageError naming --refit otherwise.
Refit parse_refit(const std::string& text);
std::string refit_name(Refit refit);

struct BacktestSpec {
  std::size_t folds = 5;
  /// 0: the folds split each series' test part (of the split) into `folds` equal blocks of
  /// origins. Else every fold is `stride` origins, the last folds·stride origins of each series.
  std::size_t stride = 0;
  Refit refit = Refit::every;
  bool warm_start = false;  ///< with refit every: each fold's training starts from the previous fold's weights
  std::size_t ensemble = 1;  ///< networks per fold's model (fit_ensemble's n above 1); not with warm_start
  /// Prediction interval levels to score; each fold's model is calibrated on its own validation part.
  std::vector<double> levels;
};

/// One series in one fold. Origins [first, end) are forecast; the fold's model trains on rows
/// [0, split.n_train) and stops early on [split.n_train, first), the last n_val rows before the
/// fold, as many as the split gives the whole series.
struct FoldRows {
  std::size_t first = 0;  ///< first origin: the row of its first target
  std::size_t end = 0;    ///< one past the last origin
  SplitPoints split;      ///< of the series cut after the fold's last target (row end + K − 2)
};

/// The rows of every fold (outer) of every series (inner, in frame order). A DataError when a
/// series has fewer origins than folds, or when its first fold leaves too little history to
/// train on (a training window, more than m rows, and K validation rows when val > 0).
std::vector<std::vector<FoldRows>> plan_folds(const Frame& frame, const SplitSpec& split, const TaskShape& shape,
                                              const BacktestSpec& spec);

/// What keeps a backtest of `spec` from training ensembles: --warm-start (each fold starts from
/// the last fold's one network), or ensemble_obstacle's; nullopt when nothing.
std::optional<EnsembleObstacle> backtest_ensemble_obstacle(const ModelConfig& config, const BacktestSpec& spec);

/// In a file of several series, the ids of those plan_folds would refuse on their own (too few
/// origins or rows for the folds); `kept` is then the frame of the others. A DataError (the
/// longest one's) when no series fits; nothing left out, and `kept` untouched, for one series.
std::vector<std::string> too_short_for_folds(const Frame& frame, const SplitSpec& split, const TaskShape& shape,
                                             const BacktestSpec& spec, Frame& kept);

/// One fold's result.
struct FoldScores {
  std::size_t origins = 0;    ///< over all series
  std::string first_origin;   ///< the last row seen at the fold's earliest origin, as written in the input
  std::string last_origin;    ///< the same at its latest origin
  std::size_t train_rows = 0;  ///< rows of the training parts the fold's model was fitted on (all series)
  bool trained = false;        ///< false: the fold reused the first fold's model (--refit once)
  TrainSummary summary;        ///< of the model the fold used
  Evaluation evaluation;       ///< the model beside naive and snaive on the fold's origins
};

struct Backtest {
  BacktestSpec spec;
  TaskShape shape;
  std::vector<FoldScores> folds;
  std::size_t origins = 0;  ///< over all folds and series
  MethodScores model;       ///< pooled over the folds
  MethodScores naive;
  MethodScores snaive;
  std::vector<IntervalScore> intervals;  ///< pooled over the folds, one per level
  double train_seconds = 0.0;
  double evaluate_seconds = 0.0;
  std::vector<std::string> left_out;  ///< series too short for the folds, left out (too_short_for_folds)
};

/// Receives the forecasts of every fold as evaluate()'s ForecastSink does, with the fold
/// (1-based) and the calibration of its model (nullptr without interval levels).
using BacktestSink = std::function<void(std::size_t fold, const Calibration* calibration, const Series& series,
                                        std::span<const std::size_t> origins, const arma::mat& forecasts)>;

struct BacktestControl {
  ProgressCallback progress;  ///< the epochs of every fold's training
  /// Called before each fold with the fold (1-based) and whether it trains a model.
  std::function<void(std::size_t fold, bool training)> fold_start;
  BacktestSink sink;                        ///< empty: the forecasts are only scored
  const std::atomic<bool>* stop = nullptr;  ///< a stop request ends the backtest (Interrupted)
};

/// Trains the network of `config` and scores it fold by fold (plan_folds): at each fold on the
/// rows before the fold (--refit every), or once on the first fold's (--refit once), and
/// forecasts K steps from each origin of the fold, every forecast seeing only actuals before
/// its origin. A stop request throws Interrupted (exit code 130 unless the caller rethrows).
Backtest backtest(const Frame& frame, const ModelConfig& config, const DataConfig& data, const BacktestSpec& spec,
                  const BacktestControl& control = {});

}  // namespace grucast
