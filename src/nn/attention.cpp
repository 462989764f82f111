// Additive and scaled dot-product attention, forward and backward (equations in attention.hpp).
#include "nn/attention.hpp"

#include <cmath>

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"

namespace grucast {

namespace {

// Step t's columns of an (H, B·T) matrix, h_t of every sequence, as a copy-free read-only view.
template <class E>
const arma::Mat<E> step(const arma::Mat<E>& m, std::size_t t, std::size_t batch) {
  return arma::Mat<E>(const_cast<E*>(m.colptr(batch * t)), m.n_rows, batch, false, true);
}

constexpr auto kAttentionNames = std::to_array<Named<AttentionKind>>(
    {{AttentionKind::none, "none"}, {AttentionKind::additive, "additive"}, {AttentionKind::dot, "dot"}});

}  // namespace

AttentionKind parse_attention(const std::string& text) {
  if (const auto kind = value_of(kAttentionNames, text)) return *kind;
  throw UsageError("unknown attention " + quoted(text), "--attention", "use " + names_text(kAttentionNames));
}

std::string attention_name(AttentionKind kind) { return name_of(kAttentionNames, kind); }

template <class E>
Attention<E>::Attention(ParamLayout& layout, AttentionKind kind, std::size_t hidden) : kind_(kind), hidden_(hidden) {
  if (kind != AttentionKind::additive) return;
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden));
  key_weight_ = layout[layout.add("attention.key.weight", hidden, hidden, bound)];
  key_bias_ = layout[layout.add("attention.key.bias", hidden, 1, bound)];
  query_weight_ = layout[layout.add("attention.query.weight", hidden, hidden, bound)];
  score_weight_ = layout[layout.add("attention.score.weight", 1, hidden, bound)];
}

// The scores e (T, B) into cache.weights.
template <class E>
void Attention<E>::scores(const arma::Col<E>& params, const arma::Mat<E>& states, std::size_t batch,
                          AttentionCache<E>& cache) const {
  const std::size_t B = batch, T = states.n_cols / batch;
  const arma::Mat<E> query = states.tail_cols(B);
  cache.weights.set_size(T, B);
  if (kind_ == AttentionKind::dot) {
    const E scale = static_cast<E>(1.0 / std::sqrt(static_cast<double>(hidden_)));
    for (std::size_t t = 0; t < T; ++t) {
      cache.weights.row(t) = arma::sum(step(states, t, B) % query, 0) * scale;
    }
    return;
  }
  // u_t = tanh(W_a h_t + b_a + U_a q): the keys of all T steps as one GEMM.
  cache.keys = slice_view(params, key_weight_) * states;
  arma::Mat<E> shift = slice_view(params, query_weight_) * query;
  shift.each_col() += slice_view(params, key_bias_).col(0);
  for (std::size_t t = 0; t < T; ++t) cache.keys.cols(B * t, B * t + B - 1) += shift;
  cache.keys = arma::tanh(cache.keys);
  // e_t = vᵀ u_t; the row vector's element b + B·t is (t, b) of e.
  const arma::Row<E> e = slice_view(params, score_weight_) * cache.keys;
  cache.weights = arma::reshape(e, B, T).t();
}

template <class E>
void Attention<E>::forward(const arma::Col<E>& params, const arma::Mat<E>& states, std::size_t batch,
                           AttentionCache<E>& cache) const {
  const std::size_t B = batch, T = states.n_cols / batch, H = hidden_;
  scores(params, states, batch, cache);
  // α = softmax over t, each column shifted by its maximum first.
  arma::Mat<E>& alpha = cache.weights;
  alpha.each_row() -= arma::max(alpha, 0);
  alpha = arma::exp(alpha);
  alpha.each_row() /= arma::sum(alpha, 0);
  // [q; c] with c = Σ_t α_t h_t.
  cache.output.zeros(2 * H, B);
  cache.output.rows(0, H - 1) = states.tail_cols(B);
  auto context = cache.output.rows(H, 2 * H - 1);
  for (std::size_t t = 0; t < T; ++t) context += step(states, t, B).each_row() % alpha.row(t);
}

// From de (T, B) in cache.dweights: the parameter gradients, and the score paths into the
// states (added to dstates) and into the query (added to dquery).
template <class E>
void Attention<E>::scores_backward(const arma::Col<E>& params, const arma::Mat<E>& states, AttentionCache<E>& cache,
                                   arma::Col<E>& grad, arma::Mat<E>& dstates, arma::Mat<E>& dquery) const {
  const arma::Mat<E>& de = cache.dweights;
  const std::size_t B = de.n_cols, T = de.n_rows;
  const arma::Mat<E> query = states.tail_cols(B);
  if (kind_ == AttentionKind::dot) {
    // ∂e_t/∂h_t = q/√H,  ∂e_t/∂q = h_t/√H
    const E scale = static_cast<E>(1.0 / std::sqrt(static_cast<double>(hidden_)));
    for (std::size_t t = 0; t < T; ++t) {
      const arma::Row<E> de_t = de.row(t) * scale;
      dstates.cols(B * t, B * t + B - 1) += query.each_row() % de_t;
      dquery += step(states, t, B).each_row() % de_t;
    }
    return;
  }
  // e_t = vᵀ u_t:  dv += Σ de_t u_tᵀ;  dpre_t = (v de_t) ⊙ (1 − u_t²)
  const arma::Row<E> de_flat = arma::vectorise(de.t()).t();  // element b + B·t
  arma::Mat<E> dv = slice_view(grad, score_weight_);
  dv += de_flat * cache.keys.t();
  cache.dkeys = slice_view(params, score_weight_).t() * de_flat;
  cache.dkeys %= 1 - arma::square(cache.keys);
  // pre_t = W_a h_t + b_a + U_a q
  arma::Mat<E> dw = slice_view(grad, key_weight_), db = slice_view(grad, key_bias_), du = slice_view(grad, query_weight_);
  dw += cache.dkeys * states.t();
  db += arma::sum(cache.dkeys, 1);
  dstates += slice_view(params, key_weight_).t() * cache.dkeys;
  arma::Mat<E> dshift(hidden_, B, arma::fill::zeros);
  for (std::size_t t = 0; t < T; ++t) dshift += cache.dkeys.cols(B * t, B * t + B - 1);
  du += dshift * query.t();
  dquery += slice_view(params, query_weight_).t() * dshift;
}

template <class E>
void Attention<E>::backward(const arma::Col<E>& params, const arma::Mat<E>& states, AttentionCache<E>& cache,
                            const arma::Mat<E>& doutput, arma::Col<E>& grad, arma::Mat<E>& dstates) const {
  const std::size_t B = doutput.n_cols, T = states.n_cols / B, H = hidden_;
  const arma::Mat<E>& alpha = cache.weights;
  arma::Mat<E> dquery = doutput.rows(0, H - 1);
  const arma::Mat<E> dcontext = doutput.rows(H, 2 * H - 1);
  // c = Σ α_t h_t:  dα_t = dcᵀ h_t,  dh_t += α_t dc
  cache.dweights.set_size(T, B);
  for (std::size_t t = 0; t < T; ++t) {
    cache.dweights.row(t) = arma::sum(step(states, t, B) % dcontext, 0);
    dstates.cols(B * t, B * t + B - 1) += dcontext.each_row() % alpha.row(t);
  }
  // softmax: de_t = α_t (dα_t − Σ_s α_s dα_s)
  cache.dweights.each_row() -= arma::sum(alpha % cache.dweights, 0);
  cache.dweights %= alpha;
  scores_backward(params, states, cache, grad, dstates, dquery);
  dstates.tail_cols(B) += dquery;  // the query is h_T
}

template class Attention<float>;
template class Attention<double>;

}  // namespace grucast
