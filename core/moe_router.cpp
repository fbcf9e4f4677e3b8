#include "core/moe_router.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

#include "core/errors.h"

namespace tinyseek {

RouterConfig RouterConfig::from(const ModelConfig& c) {
    RouterConfig r;
    r.n_experts = c.n_routed_experts;
    r.top_k = c.num_experts_per_tok;
    r.softmax_scores = c.scoring_func == "softmax";
    r.norm_topk_prob = c.norm_topk_prob;
    r.n_group = c.n_group;
    r.topk_group = c.topk_group;
    r.group_limited = c.n_group > 1 && c.topk_method != "greedy";
    r.group_score_top2 = c.topk_method == "noaux_tc";
    r.routed_scaling_factor = c.routed_scaling_factor;
    if (r.n_experts > kMaxExperts || r.n_experts <= 0)
        throw ConfigError("router: n_routed_experts must be between 1 and " +
                          std::to_string(kMaxExperts) + ", got " + std::to_string(r.n_experts));
    return r;
}

namespace {

// Index of the largest value among the first n, skipping `taken`; ties go to the lower index.
template <typename T>
int argmax_free(const T* v, const bool* taken, int n) {
    int best = -1;
    for (int i = 0; i < n; ++i)
        if (!taken[i] && (best < 0 || v[i] > v[best])) best = i;
    return best;
}

}  // namespace

template <typename T>
void top_k(int* index, const T* v, int n, int k) {
    bool taken[RouterConfig::kMaxExperts] = {};
    for (int j = 0; j < k; ++j) {
        index[j] = argmax_free(v, taken, n);
        taken[index[j]] = true;
    }
}

template <typename T>
void route_token(int* expert, T* weight, T* score, const T* logit, const T* bias,
                 const RouterConfig& cfg) {
    const int E = cfg.n_experts;
    const int K = cfg.top_k;
    if (E > RouterConfig::kMaxExperts || K > E)
        throw Error("route_token: bad router shape, " + std::to_string(E) + " experts, top-" +
                    std::to_string(K));
    // Affinities s (E).
    if (cfg.softmax_scores) {
        const T m = *std::max_element(logit, logit + E);
        T sum = 0;
        for (int e = 0; e < E; ++e) sum += score[e] = std::exp(logit[e] - m);
        for (int e = 0; e < E; ++e) score[e] /= sum;
    } else {
        for (int e = 0; e < E; ++e) score[e] = T(1) / (T(1) + std::exp(-logit[e]));
    }
    // Biased scores, used only to choose. E <= kMaxExperts (checked by RouterConfig::from).
    T choice[RouterConfig::kMaxExperts];
    bool taken[RouterConfig::kMaxExperts];
    for (int e = 0; e < E; ++e) {
        choice[e] = score[e] + bias[e];
        taken[e] = false;
    }
    if (cfg.group_limited) {
        // Mask every expert outside the topk_group best groups.
        const int per_group = E / cfg.n_group;
        T group_score[RouterConfig::kMaxExperts];
        bool group_taken[RouterConfig::kMaxExperts];
        for (int g = 0; g < cfg.n_group; ++g) {
            const T* v = choice + g * per_group;
            T best = v[0], second = -std::numeric_limits<T>::infinity();
            for (int i = 1; i < per_group; ++i) {
                if (v[i] > best) {
                    second = best;
                    best = v[i];
                } else if (v[i] > second) {
                    second = v[i];
                }
            }
            group_score[g] = cfg.group_score_top2 && per_group > 1 ? best + second : best;
            group_taken[g] = false;
        }
        for (int j = 0; j < cfg.topk_group; ++j)
            group_taken[argmax_free(group_score, group_taken, cfg.n_group)] = true;
        for (int e = 0; e < E; ++e) taken[e] = !group_taken[e / per_group];
    }
    T sum = 0;
    for (int k = 0; k < K; ++k) {
        const int e = argmax_free(choice, taken, E);
        taken[e] = true;
        expert[k] = e;
        weight[k] = score[e];  // unbiased affinity
        sum += score[e];
    }
    const T scale = static_cast<T>(cfg.routed_scaling_factor) / (cfg.norm_topk_prob ? sum : T(1));
    for (int k = 0; k < K; ++k) weight[k] *= scale;
}

template <typename T>
void route_tokens(int* expert, T* weight, T* score, const T* logit, const T* bias,
                  const RouterConfig& cfg, int n) {
    const size_t E = cfg.n_experts;
    const size_t K = cfg.top_k;
    for (int r = 0; r < n; ++r)
        route_token(expert + r * K, weight + r * K, score + r * E, logit + r * E, bias, cfg);
}

template <typename T>
void route_tokens_backward(T* dlogit, const T* dweight, const T* dscore, const T* score,
                           const int* expert, const RouterConfig& cfg, int n) {
    const int E = cfg.n_experts;
    const int K = cfg.top_k;
    const T scale = static_cast<T>(cfg.routed_scaling_factor);
    T ds[RouterConfig::kMaxExperts];
    for (int r = 0; r < n; ++r) {
        const T* s = score + static_cast<size_t>(r) * E;
        const int* ex = expert + static_cast<size_t>(r) * K;
        const T* dw = dweight + static_cast<size_t>(r) * K;
        for (int e = 0; e < E; ++e) ds[e] = dscore ? dscore[static_cast<size_t>(r) * E + e] : T(0);
        if (ex[0] >= 0) {
            if (cfg.norm_topk_prob) {
                // w_k = c s_k / S with S = sum_j s_j (chosen j), so
                // dL/ds_k = c/S (dw_k - sum_j dw_j s_j / S).
                T S = 0, dot = 0;
                for (int k = 0; k < K; ++k) {
                    S += s[ex[k]];
                    dot += dw[k] * s[ex[k]];
                }
                for (int k = 0; k < K; ++k) ds[ex[k]] += scale / S * (dw[k] - dot / S);
            } else {
                for (int k = 0; k < K; ++k) ds[ex[k]] += scale * dw[k];
            }
        }
        T* dz = dlogit + static_cast<size_t>(r) * E;
        if (cfg.softmax_scores) {
            // s = softmax(z): dz = s * (ds - sum_e ds_e s_e)
            T dot = 0;
            for (int e = 0; e < E; ++e) dot += ds[e] * s[e];
            for (int e = 0; e < E; ++e) dz[e] = s[e] * (ds[e] - dot);
        } else {
            // s = sigmoid(z): ds/dz = s (1 - s)
            for (int e = 0; e < E; ++e) dz[e] = ds[e] * s[e] * (T(1) - s[e]);
        }
    }
}

#define TINYSEEK_INSTANTIATE(T)                                                                \
    template void top_k<T>(int*, const T*, int, int);                                          \
    template void route_token<T>(int*, T*, T*, const T*, const T*, const RouterConfig&);       \
    template void route_tokens<T>(int*, T*, T*, const T*, const T*, const RouterConfig&, int); \
    template void route_tokens_backward<T>(T*, const T*, const T*, const T*, const int*,       \
                                           const RouterConfig&, int);
TINYSEEK_INSTANTIATE(float)
TINYSEEK_INSTANTIATE(double)
#undef TINYSEEK_INSTANTIATE

}  // namespace tinyseek
