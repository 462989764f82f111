// A trained forecaster: everything a model file holds, and the Forecaster that runs it.
#pragma once

#include <algorithm>
#include <armadillo>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/scaler.hpp"
#include "grucast/data/split.hpp"
#include "grucast/forecast/baselines.hpp"
#include "grucast/forecast/data_profile.hpp"
#include "grucast/forecast/intervals.hpp"
#include "grucast/forecast/metrics.hpp"
#include "grucast/forecast/model_config.hpp"
#include "grucast/forecast/selection.hpp"
#include "grucast/nn/network_config.hpp"

namespace grucast {

template <class E>
class Network;  // nn/network.hpp
template <class E>
struct DirectScratch;  // trained_model.cpp

/// One series' scaler, by the value of the id column ("" without --id).
struct SeriesScaler {
  std::string id;
  Scaler scaler;
};

/// Test metrics of the model and the baselines at the end of training.
struct TestScores {
  std::size_t origins = 0;
  std::vector<std::pair<std::string, Metrics>> methods;  ///< "gru", "naive", "snaive"
};

/// How the series of the training data took part in each part of the split. In a file of
/// several series, one too short for a part is left out of it (never the whole file).
struct SeriesUse {
  std::size_t series = 0;     ///< series in the data
  std::size_t trained = 0;    ///< with at least one training window
  std::size_t validated = 0;  ///< with at least one validation window
  std::size_t tested = 0;     ///< with at least one test origin
  std::vector<std::string> untrained;  ///< the first few series with no training window, for messages
};

/// How a model trained with --final was made: a run on the split picked the number of epochs
/// and gave the held-out scores (TrainedModel::test) and the calibration; the weights are those
/// of a second run on every row of every series for that many epochs.
struct FinalFit {
  std::size_t epochs = 0;      ///< of the run on every row
  SplitSpec split;             ///< of the run that picked them
  std::size_t epochs_run = 0;  ///< by the split run
  double best_loss = 0.0;      ///< the split run's best validation (or training) loss
};

/// A T<float> for f32 and a T<double> for f64, of which its holder uses the one of its precision:
/// the one place where a Precision becomes an element type. Asking for the other one is a bug,
/// a std::logic_error, never silently the other's empty value.
template <template <class> class T>
class PerPrecision {
 public:
  template <class E>
  T<E>& get(Precision precision) { return select<E>(*this, precision); }
  template <class E>
  const T<E>& get(Precision precision) const { return select<E>(*this, precision); }

  /// f(get<E>(precision)) with E the element type of `precision`.
  template <class F>
  decltype(auto) visit(Precision precision, F&& f) {
    if (precision == Precision::f64) return f(f64_);
    return f(f32_);
  }
  template <class F>
  decltype(auto) visit(Precision precision, F&& f) const {
    if (precision == Precision::f64) return f(f64_);
    return f(f32_);
  }

 private:
  template <class E, class Self>
  static auto& select(Self& self, Precision precision) {
    static_assert(std::is_same_v<E, float> || std::is_same_v<E, double>, "the element types are float and double");
    const Precision asked = std::is_same_v<E, double> ? Precision::f64 : Precision::f32;
    if (asked != precision) {
      throw std::logic_error("asked for the " + precision_name(asked) + " values of an " + precision_name(precision) +
                             " model");
    }
    if constexpr (std::is_same_v<E, double>) {
      return self.f64_;
    } else {
      return self.f32_;
    }
  }

  T<float> f32_;
  T<double> f64_;
};

/// The most networks an ensemble has (train --ensemble).
inline constexpr std::size_t kMaxEnsemble = 64;

/// One network of an ensemble (train --ensemble): the lookback and seed it was trained with,
/// the summary of the run whose weights it has, and those weights.
struct EnsembleMember {
  std::size_t lookback = 0;
  std::uint64_t seed = 0;
  TrainSummary summary;
  PerPrecision<arma::Col> params;
};

struct TrainedModel {
  ModelConfig config;  ///< config.precision is the parameters' element type (the model file stores it)
  DataConfig data;
  std::vector<SeriesScaler> scalers;
  TrainSummary summary;
  TestScores test;
  Calibration calibration;  ///< validation residuals for prediction intervals; empty without --val
  SeriesUse use;            ///< of the training run (not in the model file)
  std::optional<FinalFit> final_fit;  ///< with --final
  DataProfile profile;      ///< of the training data's values; empty in a model written before profiles
  /// Each series' forecaster, chosen on the validation part (train --fallback); empty without
  /// a validation part, with --fallback none, and in a model written before the choice.
  Selection selection;
  /// An ensemble's networks (train --ensemble N, N >= 2), which differ only in lookback, seed and
  /// weights; the first is the model's own (config.lookback, the smallest; config.train.seed;
  /// summary; params_of). Its forecasts are their median. Empty for a single network.
  std::vector<EnsembleMember> members;
  std::size_t members_skipped = 0;  ///< of the training run: members --max-time left untrained (not in the file)

  /// The parameters (empty until set) as E, the element type of config.precision: float for
  /// f32, double for f64. Another E is a std::logic_error.
  template <class E>
  arma::Col<E>& params_of() { return params_.get<E>(config.precision); }
  template <class E>
  const arma::Col<E>& params_of() const { return params_.get<E>(config.precision); }
  /// f(params_of<E>()) with E the element type of config.precision, e.g.
  /// `model.with_params([](const auto& params) { return params.n_elem; })`.
  template <class F>
  decltype(auto) with_params(F&& f) { return params_.visit(config.precision, f); }
  template <class F>
  decltype(auto) with_params(F&& f) const { return params_.visit(config.precision, f); }

  /// The number of parameters the shape implies.
  std::size_t parameter_count() const;
  /// The scaler of series `id`, or nullptr.
  const Scaler* scaler_of(const std::string& id) const;
  /// Member i of an ensemble as a model of one network: its lookback, seed, summary and weights,
  /// the ensemble's configuration, data and scalers (no scores, calibration or selection).
  TrainedModel member_model(std::size_t i) const;

 private:
  PerPrecision<arma::Col> params_;
};

/// What the network's D inputs are, in order: "the target, 1 feature, 4 calendar inputs (hour,
/// dow) and the window mean".
std::string inputs_description(const TrainedModel& model);

/// Runs a trained model as a Forecaster: windows of the last T rows (T + lag with a transform),
/// the network's K outputs, restored to original units. A horizon beyond K rolls out
/// recursively (the model's own forecasts become its inputs), which needs a model without features;
/// calendar features of the future rows come from their timestamps (the model's frequency).
/// A non-negative model (config.nonnegative) raises every value below 0 to 0: the forecasts,
/// every quantile, and so the values a roll-out feeds back.
/// forecast_batch forecasts many series in one call: their windows prepared together and spread
/// over the threads, each series' windows through the network as in a call of their own, so each
/// forecast is the same, bit for bit, whatever else is in the call.
/// An ensemble's forecast at an origin is, step by step, the median of the forecasts of the
/// members whose window fits in the rows seen (min_history() is the shortest member's).
class NetworkForecaster final : public Forecaster {
 public:
  /// The attention weights of one network pass: the series id, the origin (rows seen; past the
  /// series' end for the passes of a recursive roll-out) and α_1..α_T, oldest step first.
  using AttentionSink = std::function<void(const std::string& id, std::size_t origin, std::span<const double> weights)>;

  /// `source` names the data file in messages. The model must outlive the forecaster, unchanged.
  NetworkForecaster(const TrainedModel& model, std::string source);
  /// With a model with attention, `sink` receives the weights of every pass that follows, in the
  /// order of the series and origins asked for (a roll-out's passes origin by origin).
  /// An ensemble's weights are refused (a UsageError): its members attend differently.
  void explain(AttentionSink sink);
  /// Threads for the forward passes of many origins (default: all cores; forecasts do not depend on it).
  void set_threads(std::size_t threads);
  /// Whether the model is an ensemble (TrainedModel::members).
  bool ensemble() const { return !members_.empty(); }
  /// Gives each series of `frame` the model was not trained on (it has no scaler for it) a scaler
  /// of its own, fitted as training fits one (the model's transform and scaler kind): on the
  /// series' training part under `split`, so that no validation or test row sets its scale, or
  /// without a split on all its rows (forecasts after the end). Returns their ids, in frame order.
  std::vector<std::string> scale_unseen(const Frame& frame, const SplitSpec* split = nullptr);
  std::string name() const override { return cell_name(model_.config.shape.cell); }  // "gru" or "lstm"
  std::size_t min_history() const override;
  std::string short_history_hint() const override;
  /// With a quantile model (the median's forecasts; a horizon past K is refused), else as above.
  void forecast(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                arma::mat& out) const override;
  void forecast_batch(std::span<const SeriesOrigins> groups, std::size_t horizon, arma::mat& out) const override;

  /// Whether the model learned quantiles (--loss quantile).
  bool quantile() const { return model_.config.train.loss == LossKind::quantile; }
  /// A quantile model's forecasts, out (horizon, origins, Q): slice q the τ_q quantile in
  /// original units, sorted at every step so that quantiles never cross. horizon ≤ K.
  void forecast_quantiles(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                          arma::cube& out) const;
  /// A quantile model's interval bounds (horizon, origins) at each level: the (1 ∓ L)/2 quantiles
  /// (check_quantile_levels first).
  void quantile_bounds(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                       const std::vector<double>& levels, std::vector<arma::mat>& lower,
                       std::vector<arma::mat>& upper) const;

  /// A quantile model's intervals are its own (quantile_bounds); the others' come from the
  /// model's calibration.
  bool has_own_intervals() const override { return quantile(); }
  void check_own_levels(const std::vector<double>& levels) const override;
  void own_bounds(const Series& series, std::span<const std::size_t> origins, std::size_t horizon,
                  const std::vector<double>& levels, std::vector<arma::mat>& lower,
                  std::vector<arma::mat>& upper) const override;
  const Calibration* calibration() const override { return &model_.calibration; }

 private:
  /// One series' windows in a network pass: its scaler, its origins, and `shift`, which turns
  /// them into the original series' for the sink (a roll-out's window is a copy of the last rows).
  struct Pass {
    const Series* series = nullptr;
    const Scaler* scaler = nullptr;
    std::span<const std::size_t> origins;
    std::size_t shift = 0;
  };

  struct PassWindows;  // trained_model.cpp

  const Scaler& scaler_for(const Series& series) const;
  std::vector<Pass> passes_of(std::span<const SeriesOrigins> groups) const;
  /// The Q·K restored outputs (Q blocks of K rows) at each origin of each pass, pass after pass.
  void direct_all(std::span<const Pass> passes, arma::mat& out) const;
  PassWindows prepare_passes(std::span<const Pass> passes) const;
  template <class E>
  void direct(const arma::Col<E>& params, std::span<const Pass> passes, arma::mat& out) const;
  /// Windows [first, first + n) of the index, all of one pass, through the network into `out`.
  template <class E>
  void direct_batch(const Network<E>& network, const arma::Col<E>& params, std::span<const Pass> passes,
                    const PassWindows& w, std::size_t first, std::size_t n, DirectScratch<E>& s,
                    arma::mat& out) const;
  /// The sorted quantiles (horizon, origins, Q) of every pass's origins.
  void quantiles_of(std::span<const Pass> passes, std::size_t horizon, arma::cube& out) const;
  /// out (horizon, origins): every origin of every pass rolled out, all in step (one batched
  /// pass per K steps), or origin by origin with a sink, whose calls keep that order.
  void roll_out(std::span<const Pass> passes, std::size_t horizon, arma::mat& out) const;
  void roll_out_together(std::span<const Pass> passes, std::size_t horizon, arma::mat& out) const;
  /// An ensemble's forecast_batch: the median of its members' (ensemble_forecast.cpp).
  void ensemble_batch(std::span<const SeriesOrigins> groups, std::size_t horizon, arma::mat& out) const;

  const TrainedModel& model_;
  std::string source_;
  AttentionSink sink_;
  std::size_t threads_ = 1;
  std::unordered_map<std::string_view, const Scaler*> trained_;  ///< the model's scalers by series id
  std::unordered_map<std::string, Scaler> unseen_;  ///< by series id: those scale_unseen fitted
  std::vector<std::unique_ptr<TrainedModel>> member_models_;  ///< an ensemble's, one network each
  std::vector<std::unique_ptr<NetworkForecaster>> members_;   ///< forecasters of member_models_
};

}  // namespace grucast
