#include "core/moe_layer.h"

#include <algorithm>
#include <string>

#include "core/linear.h"

namespace tinyseek {

template <typename T>
MoeLayer<T>::MoeLayer(const ModelConfig& c, const ParamLayout& layout, int layer)
    : router_(RouterConfig::from(c)),
      layer_(layer),
      C_(c.hidden_size),
      E_(c.n_routed_experts),
      K_(c.num_experts_per_tok),
      F_(c.moe_intermediate_size) {
    const std::string p = layer_prefix(layer) + "mlp.";
    w_gate_ = layout.at(p + "gate.weight").offset;
    w_bias_ = layout.at(p + "gate.e_score_correction_bias").offset;
    for (int e = 0; e < E_; ++e)
        experts_.push_back(
            SwigluMlpWeights::resolve(layout, p + "experts." + std::to_string(e) + "."));
    has_shared_ = c.n_shared_experts > 0;
    if (has_shared_) shared_ = SwigluMlpWeights::resolve(layout, p + "shared_experts.");
    use_aux_loss_ = c.balance_loss_on();
    alpha_ = static_cast<T>(c.balance_loss_alpha());
}

template <typename T>
void MoeLayer<T>::lay_out(ArenaPlanner& p, int B, int T_len) {
    const int64_t n = static_cast<int64_t>(B) * T_len, M = n * K_;
    logit_ = p.take<T>("gate_logits", {n, E_});
    score_ = p.take<T>("scores", {n, E_});
    expert_ = p.take<int>("experts", {n, K_});
    weight_ = p.take<T>("gate_weights", {n, K_});
    offset_ = p.take<int>("group_offsets", {E_ + 1});
    cursor_ = p.take<int>("group_cursor", {E_});
    slot_ = p.take<int>("group_slot", {n, K_});
    row_of_ = p.take<int>("group_rows", {M});
    xg_ = p.take<T>("experts_in", {M, C_});
    gu_ = p.take<T>("experts_gate_up", {M, 2 * F_});
    h_ = p.take<T>("experts_act", {M, F_});
    y_ = p.take<T>("experts_out", {M, C_});
    if (has_shared_) {
        shared_gu_ = p.take<T>("shared_gate_up", {n, 2 * shared_.f});
        shared_h_ = p.take<T>("shared_act", {n, shared_.f});
    }
    if (use_aux_loss_) aux_f_ = p.take<T>("balance_f", {B, E_});
}

template <typename T>
void MoeLayer<T>::forward(T* out, const T* x, const T* params, const SequenceBatch<T>& batch) {
    route(x, params, batch);
    group_by_expert(batch.rows());
    run_experts(x, params, batch.fp8);
    combine(out, x, params, batch.rows(), batch.fp8);
    aux_loss_ = use_aux_loss_ ? balance_loss(batch) : T(0);
}

// Every row's top-K experts and gate weights (gate logits by one GEMM); padding rows get none.
template <typename T>
void MoeLayer<T>::route(const T* x, const T* params, const SequenceBatch<T>& batch) {
    const int n = batch.rows();
    const size_t K = K_;
    linear_forward(logit_.data(), x, params + w_gate_, n, C_, E_);
    route_tokens(expert_.data(), weight_.data(), score_.data(), logit_.data(), params + w_bias_,
                 router_, n);
    for (int r = 0; r < n; ++r) {
        if (batch.valid(r)) continue;
        std::fill_n(expert_.data() + r * K, K, -1);
        std::fill_n(weight_.data() + r * K, K, T(0));
    }
}

// Groups the assignments by expert: offset_[e] .. offset_[e+1] are expert e's grouped rows,
// slot_ maps an assignment to its grouped row and row_of_ a grouped row to its token row.
template <typename T>
void MoeLayer<T>::group_by_expert(int n) {
    const size_t N = n, E = E_, K = K_;
    load_.assign(E, 0);
    weight_sum_.assign(E, 0.0);
    for (size_t a = 0; a < N * K; ++a) {
        if (expert_[a] < 0) continue;
        ++load_[expert_[a]];
        weight_sum_[expert_[a]] += static_cast<double>(weight_[a]);
    }
    offset_[0] = 0;
    for (size_t e = 0; e < E; ++e) offset_[e + 1] = offset_[e] + static_cast<int>(load_[e]);
    std::copy_n(offset_.begin(), E, cursor_.begin());
    for (size_t a = 0; a < N * K; ++a) {
        const int e = expert_[a];
        slot_[a] = e < 0 ? -1 : cursor_[e]++;
        if (e >= 0) row_of_[slot_[a]] = static_cast<int>(a / K);
    }
}

// Each routed expert's SwiGLU MLP over its grouped rows, one GEMM chain per expert; an idle
// expert is skipped.
template <typename T>
void MoeLayer<T>::run_experts(const T* x, const T* params, const Fp8TrainingRecipe* fp8) {
    const size_t C = C_, M = offset_[E_];
    for (size_t s = 0; s < M; ++s) std::copy_n(x + row_of_[s] * C, C, xg_.data() + s * C);
    for (int e = 0; e < E_; ++e) {
        const size_t off = offset_[e];
        const int m = offset_[e + 1] - offset_[e];
        if (m == 0) continue;
        swiglu_mlp_forward(y_.data() + off * C, gu_.data() + off * 2 * F_, h_.data() + off * F_,
                           xg_.data() + off * C, params + experts_[e].gate_up,
                           params + experts_[e].down, m, C_, F_, fp8);
    }
}

// out = shared(x) + sum_k w_k y_k
template <typename T>
void MoeLayer<T>::combine(T* out, const T* x, const T* params, int n,
                          const Fp8TrainingRecipe* fp8) {
    const size_t N = n, C = C_, K = K_;
    if (has_shared_) {
        swiglu_mlp_forward(out, shared_gu_.data(), shared_h_.data(), x, params + shared_.gate_up,
                           params + shared_.down, n, C_, shared_.f, fp8);
    } else {
        std::fill_n(out, N * C, T(0));
    }
    for (size_t a = 0; a < N * K; ++a) {
        if (slot_[a] < 0) continue;
        const T w = weight_[a];
        const T* y = y_.data() + slot_[a] * C;
        T* o = out + (a / K) * C;
        for (size_t j = 0; j < C; ++j) o[j] += w * y[j];
    }
}

// DeepSeek-V3's sequence-wise balance loss, alpha * sum_i f_i P_i per sequence, averaged over
// the whole batch's sequences; f_i (kept in aux_f_ for the backward) is expert i's share of
// the top-K slots of the unbiased affinities times E/K, P_i its mean normalised affinity.
template <typename T>
T MoeLayer<T>::balance_loss(const SequenceBatch<T>& batch) {
    const size_t E = E_;
    std::fill_n(aux_f_.begin(), static_cast<size_t>(batch.B) * E, T(0));
    const int sequences = batch.total_sequences;
    T loss = 0;
    for (int b = 0; b < batch.B; ++b) {
        const int L = batch.length(b);
        if (L == 0) continue;
        T* f = aux_f_.data() + b * E;
        T P[RouterConfig::kMaxExperts] = {};
        for (int t = 0; t < L; ++t) {
            const size_t r = static_cast<size_t>(b) * batch.T + t;
            const T* s = score_.data() + r * E;
            int top[RouterConfig::kMaxExperts];
            top_k(top, s, E_, K_);
            for (int k = 0; k < K_; ++k) f[top[k]] += T(1);
            T sum = 0;
            for (size_t i = 0; i < E; ++i) sum += s[i];
            for (size_t i = 0; i < E; ++i) P[i] += s[i] / sum;
        }
        T seq_loss = 0;
        for (size_t i = 0; i < E; ++i) {
            f[i] *= T(E_) / (T(K_) * T(L));
            seq_loss += f[i] * P[i] / T(L);
        }
        loss += alpha_ * seq_loss / T(sequences);
    }
    return loss;
}

template <typename T>
void MoeLayer<T>::backward(T* dx, const T* dout, const T* x, const T* params, T* grads,
                           const SequenceBatch<T>& batch, Scratch<T>& scratch) {
    const int n = batch.rows();
    const size_t N = n, C = C_, E = E_, K = K_;
    const size_t M = offset_[E];
    if (has_shared_) {
        T* tmp = scratch.take(N * 3 * shared_.f);
        swiglu_mlp_backward(dx, grads + shared_.gate_up, grads + shared_.down, dout, x,
                            shared_gu_.data(), shared_h_.data(), params + shared_.gate_up,
                            params + shared_.down, n, C_, shared_.f, tmp, batch.fp8);
    }

    // out_r += w_rk y_slot  =>  dw_rk = dout_r . y_slot,  dy_slot = w_rk dout_r
    T* dweight = scratch.take(N * K);
    T* dy = scratch.take(M * C);
    T* dxg = scratch.take(M * C);
    std::fill_n(dweight, N * K, T(0));
    for (size_t a = 0; a < N * K; ++a) {
        if (slot_[a] < 0) continue;
        const T* d = dout + (a / K) * C;
        const T* y = y_.data() + slot_[a] * C;
        T* dya = dy + slot_[a] * C;
        T dot = 0;
        for (size_t j = 0; j < C; ++j) {
            dot += d[j] * y[j];
            dya[j] = weight_[a] * d[j];
        }
        dweight[a] = dot;
    }
    int max_rows = 0;
    for (size_t e = 0; e < E; ++e) max_rows = std::max(max_rows, offset_[e + 1] - offset_[e]);
    T* tmp = scratch.take(static_cast<size_t>(max_rows) * 3 * F_);
    for (int e = 0; e < E_; ++e) {
        const size_t off = offset_[e];
        const int m = offset_[e + 1] - offset_[e];
        if (m == 0) continue;
        swiglu_mlp_backward(dxg + off * C, grads + experts_[e].gate_up, grads + experts_[e].down,
                            dy + off * C, xg_.data() + off * C, gu_.data() + off * 2 * F_,
                            h_.data() + off * F_, params + experts_[e].gate_up,
                            params + experts_[e].down, m, C_, F_, tmp, batch.fp8,
                            GradWrite::overwrite);  // the experts' rows cover dxg
    }
    for (size_t s = 0; s < M; ++s) {
        T* d = dx + row_of_[s] * C;
        const T* g = dxg + s * C;
        for (size_t j = 0; j < C; ++j) d[j] += g[j];
    }

    // Balance loss: L = alpha/S sum_b sum_i f_bi P_bi, P_bi = (1/L_b) sum_t s'_ti, so
    // dL/ds'_ti = alpha f_bi / (S L_b) =: g_i and, with s' = s / sum(s),
    // dL/ds_tj = (g_j - sum_i g_i s'_ti) / sum_i s_ti.
    T* dscore = nullptr;
    if (use_aux_loss_) {
        dscore = scratch.take(N * E);
        std::fill_n(dscore, N * E, T(0));
        const int sequences = batch.total_sequences;
        T g[RouterConfig::kMaxExperts];
        for (int b = 0; b < batch.B; ++b) {
            const int L = batch.length(b);
            if (L == 0) continue;
            for (size_t i = 0; i < E; ++i)
                g[i] = alpha_ * aux_f_[b * E + i] / (T(sequences) * T(L));
            for (int t = 0; t < L; ++t) {
                const size_t r = static_cast<size_t>(b) * batch.T + t;
                const T* s = score_.data() + r * E;
                T sum = 0, gs = 0;
                for (size_t i = 0; i < E; ++i) sum += s[i];
                for (size_t i = 0; i < E; ++i) gs += g[i] * s[i] / sum;
                for (size_t i = 0; i < E; ++i) dscore[r * E + i] = (g[i] - gs) / sum;
            }
        }
    }
    T* dlogit = scratch.take(N * E);
    route_tokens_backward(dlogit, dweight, dscore, score_.data(), expert_.data(), router_, n);
    linear_backward(dx, grads + w_gate_, dlogit, x, params + w_gate_, n, C_, E_);
}

template class MoeLayer<float>;
template class MoeLayer<double>;

}  // namespace tinyseek
