// The check that a method's forecasts are numbers, shared by evaluate and the future forecasts.
#pragma once

#include <armadillo>

#include "grucast/data/frame.hpp"
#include "grucast/forecast/baselines.hpp"

namespace grucast {

/// A DataError naming the method and the series unless every forecast is finite.
void check_finite(const arma::mat& forecasts, const Frame& frame, const Series& series, const Forecaster& method);

}  // namespace grucast
