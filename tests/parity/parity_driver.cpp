// The grucast side of the PyTorch parity suite (tests/parity/README.md): reads one request as
// JSON on stdin, runs the library's forward, backward or SGD/Adam steps on it, and writes the
// results as JSON on stdout, tensors under PyTorch's state_dict names and shapes.
//
// Request: {"kind": "gru"|"lstm", optionally "+additive"|"+dot", "precision": "f32"|"f64",
//           "mode": "forward"|"backward"|"train", "loss": "mse"|..., "shards": S,
//           "state_dict": {...}, "x": [B][T][D], "y": [B][K],
//           "train": {"steps", "optimizer", "lr", "momentum", "weight_decay", "clip",
//                     "batches": [{"x", "y"}, ...]}}
// Reply:   {"prediction": [B][K], "loss": mean loss, "grad": {...}, "dx": [B][T][D],
//           "state_dict": {...} after training}
#include <cstdio>
#include <iostream>
#include <iterator>

#include "grucast/io/torch_json.hpp"
#include "grucast/util/error.hpp"
#include "io/state_dict.hpp"
#include "nn/loss.hpp"
#include "nn/network.hpp"
#include "nn/optimizer.hpp"

namespace {

using Json = nlohmann::ordered_json;
using namespace grucast;

// x[b][t][d] (batch first, as PyTorch) → (D, B·T), column b + B·t.
template <class E>
arma::Mat<E> sequences(const Json& x) {
  const std::size_t B = x.size(), T = x[0].size(), D = x[0][0].size();
  arma::Mat<E> out(D, B * T);
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t t = 0; t < T; ++t) {
      for (std::size_t d = 0; d < D; ++d) out(d, b + B * t) = x[b][t][d].get<E>();
    }
  }
  return out;
}

template <class E>
Json sequences_json(const arma::Mat<E>& m, std::size_t B) {
  const std::size_t T = m.n_cols / B;
  Json out = Json::array();
  for (std::size_t b = 0; b < B; ++b) {
    Json steps = Json::array();
    for (std::size_t t = 0; t < T; ++t) {
      Json row = Json::array();
      for (std::size_t d = 0; d < m.n_rows; ++d) row.push_back(static_cast<double>(m(d, b + B * t)));
      steps.push_back(std::move(row));
    }
    out.push_back(std::move(steps));
  }
  return out;
}

// y[b][k] ↔ (K, B).
template <class E>
arma::Mat<E> targets(const Json& y) {
  arma::Mat<E> out(y[0].size(), y.size());
  for (std::size_t b = 0; b < y.size(); ++b) {
    for (std::size_t k = 0; k < y[0].size(); ++k) out(k, b) = y[b][k].get<E>();
  }
  return out;
}

template <class E>
Json targets_json(const arma::Mat<E>& m) {
  Json out = Json::array();
  for (std::size_t b = 0; b < m.n_cols; ++b) {
    Json row = Json::array();
    for (std::size_t k = 0; k < m.n_rows; ++k) row.push_back(static_cast<double>(m(k, b)));
    out.push_back(std::move(row));
  }
  return out;
}

// The mean loss over the batch and its gradient, the batch split into `shards` runs of
// sequences whose gradients are summed, as the trainer's threads do.
template <class E>
struct Pass {
  double loss = 0.0;
  arma::Mat<E> prediction;  // (K, B)
  arma::Col<E> grad;
  arma::Mat<E> dx;  // (D, B·T)
};

template <class E>
Pass<E> run_pass(const Network<E>& model, const arma::Col<E>& params, const Json& x, const Json& y, LossKind loss,
                 std::size_t shards) {
  const std::size_t B = x.size(), T = x[0].size(), K = y[0].size();
  const double scale = 1.0 / static_cast<double>(B * K);
  Pass<E> pass;
  pass.prediction.set_size(K, B);
  pass.grad.zeros(params.n_elem);
  pass.dx.set_size(model.shape().inputs, B * T);
  const std::size_t per = (B + shards - 1) / shards;
  for (std::size_t begin = 0; begin < B; begin += per) {
    const std::size_t n = std::min(per, B - begin);
    const Json xs(x.begin() + static_cast<std::ptrdiff_t>(begin), x.begin() + static_cast<std::ptrdiff_t>(begin + n));
    const Json ys(y.begin() + static_cast<std::ptrdiff_t>(begin), y.begin() + static_cast<std::ptrdiff_t>(begin + n));
    const arma::Mat<E> input = sequences<E>(xs);
    NetworkCache<E> cache;
    arma::Mat<E> dprediction, dx;
    const arma::Mat<E>& prediction = model.forward(params, input, n, cache);
    pass.prediction.cols(begin, begin + n - 1) = prediction;
    pass.loss += loss_sum(loss, prediction, targets<E>(ys), &dprediction, scale);
    model.backward(params, input, cache, dprediction, pass.grad, &dx);
    for (std::size_t t = 0; t < T; ++t) pass.dx.cols(begin + B * t, begin + B * t + n - 1) = dx.cols(n * t, n * t + n - 1);
  }
  pass.loss *= scale;
  return pass;
}

template <class E>
Json train(const Network<E>& model, arma::Col<E>& params, const Json& request, LossKind loss, std::size_t shards) {
  const Json& t = request["train"];
  OptimizerOptions options;
  options.kind = parse_optimizer(t.value("optimizer", "sgd"));
  options.lr = t.value("lr", 0.01);
  options.momentum = t.value("momentum", 0.0);
  options.weight_decay = t.value("weight_decay", 0.0);
  Optimizer<E> optimizer(options, params.n_elem);
  const Json& batches = t["batches"];
  Json losses = Json::array();
  for (std::size_t step = 0; step < t["steps"].get<std::size_t>(); ++step) {
    const Json& batch = batches[step % batches.size()];
    Pass<E> pass = run_pass(model, params, batch["x"], batch["y"], loss, shards);
    clip_by_norm(pass.grad, t.value("clip", 0.0));
    optimizer.step(params, pass.grad, options.lr);
    losses.push_back(pass.loss);
  }
  return {{"losses", losses}, {"state_dict", state_dict_json(model.layout(), params)}};
}

template <class E>
Json run(const Json& request) {
  // The network (cell, D, H, L, K, attention) is read off the state_dict's tensors; the kind the
  // request names must agree.
  const ModelShape shape = shape_from_state_dict(request["state_dict"], "request");
  const std::string kind = request.value("kind", "gru");
  const std::string cell = cell_name(shape.cell);
  const std::string read = shape.attention == AttentionKind::none ? cell : cell + "+" + attention_name(shape.attention);
  if (kind != read) throw std::runtime_error("the request is for " + kind + ", but its tensors are of " + read);
  const Network<E> model(shape);
  arma::Col<E> params = arma::conv_to<arma::Col<E>>::from(params_from_state_dict(request["state_dict"], model.layout(), "request"));
  const LossKind loss = parse_loss(request.value("loss", "mse"));
  const std::size_t shards = request.value("shards", std::size_t{1});
  const std::string mode = request["mode"];
  if (mode == "train") return train(model, params, request, loss, shards);
  const Pass<E> pass = run_pass(model, params, request["x"], request["y"], loss, shards);
  Json reply = {{"prediction", targets_json(pass.prediction)}, {"loss", pass.loss}};
  if (mode == "backward") {
    reply["grad"] = state_dict_json(model.layout(), pass.grad);
    reply["dx"] = sequences_json(pass.dx, request["x"].size());
  }
  return reply;
}

}  // namespace

int main() {
  try {
    const Json request = Json::parse(std::string(std::istreambuf_iterator<char>(std::cin), {}));
    const Json reply = request.value("precision", "f64") == "f32" ? run<float>(request) : run<double>(request);
    std::cout << reply.dump() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parity_driver: %s\n", e.what());
    return 1;
  }
}
