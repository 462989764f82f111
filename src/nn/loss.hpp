// Training losses over a (K, B) batch of scaled forecasts.
#pragma once

#include <armadillo>
#include <string>
#include <vector>

#include "grucast/nn/network_config.hpp"

namespace grucast {

/// Per element e = ŷ − y:
///   mse   ℓ = e²                                      ∂ℓ/∂ŷ = 2e
///   mae   ℓ = |e|                                     ∂ℓ/∂ŷ = sign(e)
///   huber ℓ = e²/2 if |e| ≤ 1, else |e| − 1/2          ∂ℓ/∂ŷ = clamp(e, −1, 1)
/// (PyTorch's MSELoss, L1Loss and HuberLoss with delta 1, before the mean.)
/// Returns Σ ℓ over the batch. When `grad` is not null it is set to scale · ∂ℓ/∂ŷ, so that
/// scale = 1/(K·B) gives the gradient of the mean; a batch split into shards passes the whole
/// batch's 1/(K·B) to each shard, and the shard gradients add up to the batch's.
template <class E>
double loss_sum(LossKind kind, const arma::Mat<E>& prediction, const arma::Mat<E>& target, arma::Mat<E>* grad,
                double scale);

/// Pinball loss of Q quantile outputs per step. Row q·K + k of prediction (Q·K, B) is the τ_q
/// quantile of step k, whose target is row k of target (K, B). Per element u = y − ŷ:
///   ρ_τ(u) = max(τ·u, (τ − 1)·u)          ∂ρ/∂ŷ = −τ if u > 0, 1 − τ if u < 0 (0 at u = 0)
/// Returns Σ ρ / Q over the batch, so that the `scale` 1/(K·B) of loss_sum gives the mean over
/// all K·Q·B outputs; `grad` (Q·K, B), when not null, is set to scale/Q · ∂ρ/∂ŷ.
template <class E>
double pinball_loss_sum(const std::vector<double>& quantiles, const arma::Mat<E>& prediction,
                        const arma::Mat<E>& target, arma::Mat<E>* grad, double scale);

/// The training loss of `kind`: loss_sum, or with quantile, pinball_loss_sum over `quantiles`.
template <class E>
double training_loss_sum(LossKind kind, const std::vector<double>& quantiles, const arma::Mat<E>& prediction,
                         const arma::Mat<E>& target, arma::Mat<E>* grad, double scale);

}  // namespace grucast
