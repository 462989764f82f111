// Training losses over a (K, B) batch of scaled forecasts.
#pragma once

#include <armadillo>
#include <string>

namespace grucast {

enum class LossKind { mse, mae, huber };

/// Parses a --loss value (mse, mae, huber).
LossKind parse_loss(const std::string& text);
std::string loss_name(LossKind kind);

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

}  // namespace grucast
