// The network and its training as a library user configures them (plain enums and structs with
// their defaults), and what training reports back. The layers, the model and the trainer that
// use them are internal (src/nn/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace grucast {

/// --cell: the recurrent cell of every layer (src/nn/cells.hpp lists them; docs/design.md says how
/// to add one).
enum class CellKind { gru, lstm };

/// Parses a --cell value (a cell's name: gru, lstm).
CellKind parse_cell(const std::string& text);
std::string cell_name(CellKind kind);

/// --attention over the top layer's states.
enum class AttentionKind { none, additive, dot };

/// Parses an --attention value (none, additive, dot).
AttentionKind parse_attention(const std::string& text);
std::string attention_name(AttentionKind kind);

/// --loss: what training minimizes.
enum class LossKind { mse, mae, huber, quantile };

/// Parses a --loss value (mse, mae, huber, quantile).
LossKind parse_loss(const std::string& text);
std::string loss_name(LossKind kind);

enum class OptimizerKind { adam, adamw, sgd };
enum class ScheduleKind { constant, cosine, plateau };

OptimizerKind parse_optimizer(const std::string& text);
std::string optimizer_name(OptimizerKind kind);
ScheduleKind parse_schedule(const std::string& text);
std::string schedule_name(ScheduleKind kind);

struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::adam;
  double lr = 1e-3;
  double weight_decay = 0.0;
  double momentum = 0.9;  ///< sgd
  double beta1 = 0.9;     ///< adam, adamw
  double beta2 = 0.999;
  double epsilon = 1e-8;
};

/// The network's cell and dimensions: D inputs, H hidden units, L layers, K outputs, the dropout
/// probability between layers, and the attention over the top layer's states.
struct ModelShape {
  std::size_t inputs = 1;
  std::size_t hidden = 32;
  std::size_t layers = 1;
  std::size_t outputs = 1;
  double dropout = 0.0;
  AttentionKind attention = AttentionKind::none;
  std::size_t quantiles = 1;  ///< Q outputs per step (--loss quantile); the head has K·Q outputs
  CellKind cell = CellKind::gru;
};

/// How the network is trained.
struct TrainOptions {
  LossKind loss = LossKind::huber;
  std::vector<double> quantiles;  ///< with the quantile loss: τ_1 < ... < τ_Q, one holding 0.5
  OptimizerOptions optimizer;
  double clip = 1.0;  ///< max global gradient norm; 0: none
  ScheduleKind schedule = ScheduleKind::constant;
  std::size_t batch_size = 64;
  std::size_t epochs = 100;   ///< cap
  std::size_t patience = 10;  ///< epochs without a better validation loss before stopping
  std::uint64_t seed = 1;
  std::size_t threads = 1;
};

/// One epoch, as training reports it to a ProgressCallback.
struct EpochReport {
  std::size_t epoch = 0;  ///< 1-based
  std::size_t epochs = 0;  ///< the cap
  double train_loss = 0.0;
  double validation_loss = 0.0;  ///< NaN without validation windows
  double lr = 0.0;
  double seconds = 0.0;  ///< since training started
  double samples_per_second = 0.0;
  bool improved = false;
  std::size_t member = 0;   ///< 1-based member of an ensemble being trained (train --ensemble); 0: none
  std::size_t members = 0;  ///< the ensemble's size; 0: not an ensemble
};

/// Why training ended: the epoch cap, early stopping, a stop request (SIGINT), a loss or
/// gradient that was not finite, or the time budget (train --max-time).
enum class StopReason { epochs, early, interrupted, diverged, time };
std::string stop_reason_name(StopReason reason);
StopReason parse_stop_reason(const std::string& text);

struct TrainSummary {
  std::size_t epochs_run = 0;
  std::size_t best_epoch = 0;  ///< 1-based
  double best_loss = 0.0;      ///< validation loss of the best epoch (training loss without validation)
  bool early_stopped = false;
  double seconds = 0.0;
  std::size_t train_windows = 0;
  std::size_t validation_windows = 0;
  std::vector<double> train_losses;       ///< per epoch
  std::vector<double> validation_losses;  ///< per epoch
  StopReason stop = StopReason::epochs;
  std::size_t stop_epoch = 0;  ///< 1-based epoch in which an interruption or a fault came (0: none)
  std::size_t stop_step = 0;   ///< 1-based batch of that epoch; 0 when it came at the epoch's end
  std::string fault;           ///< with diverged: what was not finite, e.g. "the training loss is nan"
};

/// Why training ended, as " (stopped early)", " (diverged: the training loss is nan)", or "" (the epoch cap).
std::string stop_text(const TrainSummary& summary);

using ProgressCallback = std::function<void(const EpochReport&)>;

}  // namespace grucast
