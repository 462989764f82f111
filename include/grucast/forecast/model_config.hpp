// What a model is, as a library user configures it: how the data is read, the network, how each
// series is prepared for it and how it is trained. A model file stores it (docs/model-format.md).
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "grucast/data/preprocessing.hpp"
#include "grucast/data/split.hpp"
#include "grucast/data/time/time_index.hpp"
#include "grucast/nn/network_config.hpp"

namespace grucast {

enum class Precision { f32, f64 };
Precision parse_precision(const std::string& text);
std::string precision_name(Precision precision);

/// How the training data was read: what forecast and evaluate read again from a new file.
struct DataConfig {
  std::string target;
  std::vector<std::string> features;
  std::string time_column;  ///< "" when the row index was the time
  std::string time_format;  ///< the --time-format pattern given, or ""
  std::string id_column;    ///< "" for one series
  Frequency frequency;      ///< of the training data
};

/// The range of one ModelConfig setting: the one definition that train's options,
/// validate_config, import and the model file reader check, so that a model file holds only
/// what train could have written.
struct SettingRange {
  const char* option;  ///< train's option ("--lr"), or "" when it has none
  const char* field;   ///< the model file's name under config ("lr")
  const char* name;    ///< in messages ("learning rate")
  double low = 0.0;
  double high = 0.0;   ///< may be infinite: no upper end (the value must still be finite)
  bool whole = false;  ///< a whole number
  bool above_low = false;   ///< low itself is out of range
  bool below_high = false;  ///< high itself is out of range
  const char* hint = "";    ///< how to choose a value ("" for whole numbers: "use a whole number from 1 to 64")

  bool contains(double value) const;
  /// "[1, 64]", "(0, 10]", "[0, 1)", "[0, inf)".
  std::string interval() const;
  /// The hint, or "use a whole number from <low> to <high>".
  std::string advice() const;
};

namespace settings {
inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr SettingRange lookback{"--lookback", "lookback", "lookback", 1, 1e6, true};
inline constexpr SettingRange inputs{"--features", "inputs", "inputs", 1, 1e5, true};
// H = 4096: a GRU layer then has 3H(H + D) + 6H ≈ 50M weights (201 MB in f32; an LSTM's 4H,
// 268 MB), of which training keeps at least 6 copies (1.2 GB), and a step over 64 windows of 24
// steps takes about 6·P·64·24 ≈ 0.5 TFLOP. fit refuses what more layers make too large.
inline constexpr SettingRange hidden{"--hidden", "hidden", "hidden", 1, 4096, true};
inline constexpr SettingRange layers{"--layers", "layers", "layers", 1, 64, true};
inline constexpr SettingRange horizon{"--horizon", "horizon", "horizon", 1, 1e6, true};
inline constexpr SettingRange season{"--season", "season", "season", 1, 1e6, true};
inline constexpr SettingRange batch_size{"--batch-size", "batch_size", "batch-size", 1, 1e6, true};
inline constexpr SettingRange epochs{"--epochs", "epochs", "epochs", 1, 1e6, true};
inline constexpr SettingRange patience{"--patience", "patience", "patience", 1, 1e6, true};
inline constexpr SettingRange threads{"--threads", "threads", "threads", 1, 1024, true};
inline constexpr SettingRange dropout{"--dropout", "dropout", "dropout", 0, 1, false, false, true,
                                      "use a probability from 0 up to, not including, 1"};
inline constexpr SettingRange lr{"--lr", "lr", "learning rate", 0, 10, false, true, false,
                                 "use a value above 0 and at most 10, e.g. 0.001"};
inline constexpr SettingRange weight_decay{"--weight-decay", "weight_decay", "weight decay", 0, 1, false, false, false,
                                           "use a value from 0 to 1"};
inline constexpr SettingRange clip{"--clip", "clip", "clip", 0, kInf, false, false, true,
                                   "use a positive norm, or 0 for no clipping"};
inline constexpr SettingRange momentum{"--momentum", "momentum", "momentum", 0, 1, false, false, true,
                                       "use a value from 0 up to, not including, 1, e.g. 0.9"};
// Adam's, which train has no option for: 1 − β^t must not be 0, and ε must not be.
inline constexpr SettingRange beta1{"", "beta1", "beta1", 0, 1, false, false, true,
                                    "use a value from 0 up to, not including, 1"};
inline constexpr SettingRange beta2{"", "beta2", "beta2", 0, 1, false, false, true,
                                    "use a value from 0 up to, not including, 1"};
inline constexpr SettingRange epsilon{"", "epsilon", "epsilon", 0, 1, false, true, false,
                                      "use a value above 0 and at most 1"};
}  // namespace settings

struct ModelConfig;

/// A setting of a config with its value.
struct RangedValue {
  const SettingRange* range;
  double value;
};

/// Every setting of `config` that has a range, with its value (the season only once it is known, not 0).
std::vector<RangedValue> ranged_values(const ModelConfig& config);

/// The network, its input preparation, and how it was trained.
struct ModelConfig {
  ModelShape shape;        ///< D = 1 + features, H, L, K, dropout
  std::size_t lookback = 1;  ///< T
  std::size_t season = 1;    ///< m: sdiff and the MASE scale
  Preprocessing prep;
  Precision precision = Precision::f32;
  TrainOptions train;
  SplitSpec split;  ///< the train / validation / test split trained with
  /// Forecasts and interval bounds below 0 are raised to 0 (train --nonnegative, nonnegative.hpp).
  bool nonnegative = false;
};

}  // namespace grucast
