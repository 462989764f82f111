// Attention alone: gradient checks into its parameters and every state, and closed forms.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "grucast/io/model_file.hpp"
#include "nn/attention.hpp"
#include "nn/network.hpp"
#include "support/gradient_check.hpp"
#include "util/hash.hpp"

using namespace grucast;
using grucast::test::check_gradient;

namespace {

// loss = Σ R ⊙ [q; c] for a fixed random R, so doutput = R.
void check_attention(AttentionKind kind, std::size_t hidden, std::size_t batch, std::size_t steps) {
  CAPTURE(attention_name(kind));
  CAPTURE(hidden);
  CAPTURE(batch);
  CAPTURE(steps);
  ParamLayout layout;
  const Attention<double> attention(layout, kind, hidden);
  arma::vec params;
  init_params(layout, params, 3);
  params *= 3.0;  // scores far from uniform, so the softmax's curvature is exercised
  Random random(8);
  arma::mat states(hidden, batch * steps), weights(2 * hidden, batch);
  for (double& v : states) v = 2.0 * random.uniform() - 1.0;
  for (double& v : weights) v = 2.0 * random.uniform() - 1.0;
  AttentionCache<double> cache;
  const auto loss = [&] {
    attention.forward(params, states, batch, cache);
    return arma::accu(cache.output % weights);
  };
  loss();
  arma::vec grad(params.n_elem, arma::fill::zeros);
  arma::mat dstates(hidden, batch * steps, arma::fill::zeros);
  attention.backward(params, states, cache, weights, grad, dstates);
  if (params.n_elem > 0) {
    const auto by_params = check_gradient(params, grad, loss, grucast::test::slice_names(layout));
    CHECK_MESSAGE(by_params.worst < 1e-6, by_params.describe());
  }
  arma::vec states_flat(states.memptr(), states.n_elem, false, true);
  const auto by_states = check_gradient(states_flat, arma::vectorise(dstates), loss, grucast::test::named("h"));
  CHECK_MESSAGE(by_states.worst < 1e-6, by_states.describe());
}

}  // namespace

TEST_SUITE("attention") {
  TEST_CASE("gradients into the parameters and every state equal central differences") {
    for (const AttentionKind kind : {AttentionKind::additive, AttentionKind::dot}) {
      check_attention(kind, 3, 2, 5);
      check_attention(kind, 4, 1, 1);  // B = 1, T = 1: the query is the only state
      check_attention(kind, 2, 3, 7);
    }
  }

  TEST_CASE("the weights of each forecast sum to 1, and the output is [h_T, Σ α_t h_t]") {
    for (const AttentionKind kind : {AttentionKind::additive, AttentionKind::dot}) {
      ParamLayout layout;
      const Attention<double> attention(layout, kind, 3);
      arma::vec params;
      init_params(layout, params, 5);
      arma::mat states(3, 2 * 4);
      Random random(2);
      for (double& v : states) v = random.uniform();
      AttentionCache<double> cache;
      attention.forward(params, states, 2, cache);
      CHECK(cache.weights.n_rows == 4);
      CHECK(arma::approx_equal(arma::sum(cache.weights, 0), arma::rowvec{1.0, 1.0}, "absdiff", 1e-12));
      for (std::size_t b = 0; b < 2; ++b) {
        arma::vec context(3, arma::fill::zeros);
        for (std::size_t t = 0; t < 4; ++t) context += cache.weights(t, b) * states.col(b + 2 * t);
        CHECK(arma::approx_equal(cache.output.col(b).head(3), states.col(b + 2 * 3), "absdiff", 0.0));
        CHECK(arma::approx_equal(cache.output.col(b).tail(3), context, "absdiff", 1e-12));
      }
    }
  }

  TEST_CASE("dot attention scores h_tᵀ h_T / √H") {
    ParamLayout layout;
    const Attention<double> attention(layout, AttentionKind::dot, 2);
    CHECK(layout.size() == 0);
    const arma::mat states = {{1.0, 0.0}, {0.0, 2.0}};  // B = 1, T = 2: h_1 = (1, 0), h_2 = (0, 2)
    AttentionCache<double> cache;
    attention.forward(arma::vec(), states, 1, cache);
    // e = (0, 4/√2): α_2 = 1 / (1 + exp(−2√2))
    CHECK(cache.weights(1, 0) == doctest::Approx(1.0 / (1.0 + std::exp(-2.0 * std::sqrt(2.0)))).epsilon(1e-12));
  }

  TEST_CASE("additive attention's slices, under the names the PyTorch export uses") {
    ParamLayout layout;
    const Attention<float> attention(layout, AttentionKind::additive, 5);
    REQUIRE(layout.slices().size() == 4);
    CHECK(layout[0].name == "attention.key.weight");
    CHECK(layout[1].name == "attention.key.bias");
    CHECK(layout[2].name == "attention.query.weight");
    CHECK(layout[3].name == "attention.score.weight");
    CHECK((layout[3].rows == 1 && layout[3].cols == 5));
    CHECK(layout.size() == 25 + 5 + 25 + 5);
  }

  TEST_CASE("a model with attention round-trips through the model file, a header without the key is a plain GRU") {
    TrainedModel m;
    m.config.prep = Preprocessing{TransformKind::none, ScalerKind::none, NormalizeKind::none, 1, {}, {}};
    m.data.target = "y";
    m.scalers.push_back({"", Scaler{ScalerKind::none, {0.0}, {1.0}}});
    for (const AttentionKind kind : {AttentionKind::additive, AttentionKind::dot}) {
      m.config.shape = ModelShape{1, 3, 1, 2, 0.0, kind};
      init_params(network_layout(m.config.shape), m.params_of<float>(), 9);
      const TrainedModel loaded = parse_model(model_bytes(m), "m.grc");
      CHECK(loaded.config.shape.attention == kind);
      CHECK(arma::approx_equal(loaded.params_of<float>(), m.params_of<float>(), "absdiff", 0.0f));
    }
    // Files written before attention existed: the same bytes without "attention":"none".
    m.config.shape = ModelShape{1, 3, 1, 2, 0.0, AttentionKind::none};
    init_params(network_layout(m.config.shape), m.params_of<float>(), 9);
    std::string bytes = model_bytes(m);
    const std::string key = "\"attention\":\"none\",";
    const std::size_t at = bytes.find(key);
    REQUIRE(at != std::string::npos);
    bytes.erase(at, key.size());
    std::uint64_t length = 0;
    std::memcpy(&length, bytes.data() + 12, 8);
    length -= key.size();
    std::memcpy(bytes.data() + 12, &length, 8);
    const std::uint64_t checksum = fnv1a64(std::string_view(bytes).substr(0, bytes.size() - 8));
    std::memcpy(bytes.data() + bytes.size() - 8, &checksum, 8);
    CHECK(parse_model(bytes, "old.grc").config.shape.attention == AttentionKind::none);
  }
}
