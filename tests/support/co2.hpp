// The bundled monthly CO2 series, and the small fast model the CLI tests train on it.
#pragma once

#include <string>
#include <vector>

namespace grucast::test {

inline const std::string kCo2 = std::string(GRUCAST_DATASETS) + "/co2-concentration.csv";

/// `grucast train` of a small CO2 model (T = 24, K = 6, H = 8, 3 epochs, one network, 1 thread,
/// quiet) to `model`, with `extra` options appended.
inline std::vector<std::string> co2_train_args(const std::string& model, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"train", "--data", kCo2, "--target", "CO2", "--lookback", "24", "--horizon", "6",
                                   "--hidden", "8", "--epochs", "3", "--ensemble", "1", "--threads", "1", "-q",
                                   "--out", model};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace grucast::test
