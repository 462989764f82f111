// What a model is, as a library user configures it: how the data is read, the network, how each
// series is prepared for it and how it is trained. A model file stores it (docs/model-format.md).
#pragma once

#include <cstddef>
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

/// The network, its input preparation, and how it was trained.
struct ModelConfig {
  ModelShape shape;        ///< D = 1 + features, H, L, K, dropout
  std::size_t lookback = 1;  ///< T
  std::size_t season = 1;    ///< m: sdiff and the MASE scale
  Preprocessing prep;
  Precision precision = Precision::f32;
  TrainOptions train;
  SplitSpec split;  ///< the train / validation / test split trained with
};

}  // namespace grucast
