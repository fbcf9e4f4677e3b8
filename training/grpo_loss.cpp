#include "training/grpo_loss.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/cross_entropy.h"
#include "core/errors.h"

namespace tinyseek {

namespace {

// Serial, so no exception leaves an OpenMP region.
void check_targets(const int* targets, int n, int V, const char* what) {
    for (int r = 0; r < n; ++r)
        if (targets[r] != kIgnoreIndex && (targets[r] < 0 || targets[r] >= V))
            throw Error(std::string(what) + ": target " + std::to_string(targets[r]) +
                        " outside [0, " + std::to_string(V) + ") at row " + std::to_string(r));
}

void check_groups(std::size_t n, int group_size) {
    if (group_size < 1 || n % static_cast<std::size_t>(group_size) != 0)
        throw Error("GRPO: " + std::to_string(n) + " rewards do not split into groups of " +
                    std::to_string(group_size));
}

}  // namespace

template <typename T>
std::vector<T> group_std(const std::vector<T>& rewards, int group_size) {
    check_groups(rewards.size(), group_size);
    const std::size_t G = static_cast<std::size_t>(group_size);
    std::vector<T> out(rewards.size() / G, T(0));
    if (G < 2) return out;
    for (std::size_t g = 0; g < out.size(); ++g) {
        const T* r = rewards.data() + g * G;
        double mean = 0;
        for (std::size_t i = 0; i < G; ++i) mean += r[i];
        mean /= static_cast<double>(G);
        double ss = 0;
        for (std::size_t i = 0; i < G; ++i) ss += (r[i] - mean) * (r[i] - mean);
        out[g] = static_cast<T>(std::sqrt(ss / static_cast<double>(G - 1)));  // torch.std
    }
    return out;
}

template <typename T>
std::vector<T> group_advantages(const std::vector<T>& rewards, int group_size, bool scale_rewards) {
    const std::vector<T> stds = group_std(rewards, group_size);
    const std::size_t G = static_cast<std::size_t>(group_size);
    std::vector<T> adv(rewards.size(), T(0));
    for (std::size_t g = 0; g < stds.size(); ++g) {
        const T* r = rewards.data() + g * G;
        const auto [lo, hi] = std::minmax_element(r, r + G);
        // All equal: exactly 0 (r - mean would leave rounding noise, e.g. 3 x 0.1, which the
        // division by 1e-4 would blow up to a spurious signal).
        if (*lo == *hi) continue;
        double mean = 0;
        for (std::size_t i = 0; i < G; ++i) mean += r[i];
        mean /= static_cast<double>(G);
        const double denom = scale_rewards ? static_cast<double>(stds[g]) + kAdvantageEps : 1.0;
        for (std::size_t i = 0; i < G; ++i)
            adv[g * G + i] = static_cast<T>((static_cast<double>(r[i]) - mean) / denom);
    }
    return adv;
}

template <typename T>
GrpoLossResult<T> grpo_loss(const T* logp, const T* old_logp, const T* ref_logp,
                            const std::vector<int>& offsets, const T* advantages,
                            const GrpoLossParams& params) {
    if (offsets.empty() || offsets.front() != 0)
        throw Error("GRPO loss: offsets must start with 0 (S + 1 entries)");
    const std::size_t S = offsets.size() - 1;
    int with_tokens = 0;
    for (std::size_t s = 0; s < S; ++s) {
        if (offsets[s + 1] < offsets[s])
            throw Error("GRPO loss: offsets decrease at sequence " + std::to_string(s));
        with_tokens += offsets[s + 1] > offsets[s];
    }
    if (params.beta != 0.0 && ref_logp == nullptr)
        throw Error("GRPO loss: beta = " + std::to_string(params.beta) +
                    " needs reference log-probs");
    const int N = offsets.back();
    GrpoLossResult<T> res;
    res.tokens = N;
    res.dlogp.assign(static_cast<std::size_t>(N), T(0));
    if (N == 0) return res;

    const double lo = 1.0 - params.epsilon, hi = 1.0 + params.epsilon_high;
    double loss = 0, kl_sum = 0;
    std::int64_t clipped = 0;
    for (std::size_t s = 0; s < S; ++s) {
        const int n_s = offsets[s + 1] - offsets[s];
        if (n_s == 0) continue;
        // Weight of one token of this sequence in the averaged loss.
        const double w = params.averaging == LossAveraging::token
                             ? 1.0 / N
                             : 1.0 / (static_cast<double>(n_s) * with_tokens);
        const double A = advantages[s];
        for (int t = offsets[s]; t < offsets[s + 1]; ++t) {
            const double lp = logp[t];
            const double ratio = std::exp(lp - static_cast<double>(old_logp[t]));
            const bool active = (A > 0 && ratio > hi) || (A < 0 && ratio < lo);
            // -min(ratio A, clip(ratio) A): the clipped value, constant in logp, when active.
            double l = active ? -std::clamp(ratio, lo, hi) * A : -ratio * A;
            double d = active ? 0.0 : -A * ratio;
            if (ref_logp) {
                const double delta = static_cast<double>(ref_logp[t]) - lp;
                const double e = std::exp(delta);
                const double k3 = e - delta - 1.0;  // d k3 / d logp = 1 - exp(ref - logp)
                kl_sum += k3;
                l += params.beta * k3;
                d += params.beta * (1.0 - e);
            }
            loss += w * l;
            res.dlogp[static_cast<std::size_t>(t)] = static_cast<T>(w * d);
            clipped += active;
        }
    }
    res.loss = static_cast<T>(loss);
    res.mean_kl = kl_sum / N;
    res.clip_ratio = static_cast<double>(clipped) / N;
    return res;
}

template <typename T>
void token_logprobs(T* logp, T* entropy, const T* logits, const int* targets, int n, int V,
                    T inv_temperature) {
    check_targets(targets, n, V, "token_logprobs");
#pragma omp parallel for schedule(static) if (n >= 1024)
    for (int r = 0; r < n; ++r) {
        const int y = targets[r];
        if (y == kIgnoreIndex) {
            logp[r] = T(0);
            if (entropy) entropy[r] = T(0);
            continue;
        }
        const T* z = logits + static_cast<std::size_t>(r) * V;
        T m = z[0] * inv_temperature;
        for (int v = 1; v < V; ++v) m = std::max(m, z[v] * inv_temperature);
        T sum = 0, zsum = 0;  // sum e^(z'-m), sum e^(z'-m) z'
        for (int v = 0; v < V; ++v) {
            const T zv = z[v] * inv_temperature;
            const T e = std::exp(zv - m);
            sum += e;
            zsum += e * zv;
        }
        const T lse = m + std::log(sum);
        logp[r] = z[y] * inv_temperature - lse;
        // H = -sum p (z' - lse) = lse - sum p z'
        if (entropy) entropy[r] = lse - zsum / sum;
    }
}

template <typename T>
void logprob_logits_grad(T* dlogits, const T* logits, const int* targets, const T* dlogp, int n,
                         int V, T inv_temperature) {
    check_targets(targets, n, V, "logprob_logits_grad");
#pragma omp parallel for schedule(static) if (n >= 1024)
    for (int r = 0; r < n; ++r) {
        T* dz = dlogits + static_cast<std::size_t>(r) * V;
        const int y = targets[r];
        if (y == kIgnoreIndex || dlogp[r] == T(0)) {
            std::fill(dz, dz + V, T(0));
            continue;
        }
        const T* z = logits + static_cast<std::size_t>(r) * V;
        T m = z[0] * inv_temperature;
        for (int v = 1; v < V; ++v) m = std::max(m, z[v] * inv_temperature);
        T sum = 0;
        for (int v = 0; v < V; ++v) {
            dz[v] = std::exp(z[v] * inv_temperature - m);
            sum += dz[v];
        }
        const T scale = -dlogp[r] * inv_temperature / sum;  // -g/tau * p_v = scale * e_v
        for (int v = 0; v < V; ++v) dz[v] *= scale;
        dz[y] += dlogp[r] * inv_temperature;
    }
}

#define TINYSEEK_INSTANTIATE(T)                                                                    \
    template std::vector<T> group_std<T>(const std::vector<T>&, int);                              \
    template std::vector<T> group_advantages<T>(const std::vector<T>&, int, bool);                 \
    template GrpoLossResult<T> grpo_loss<T>(const T*, const T*, const T*, const std::vector<int>&, \
                                            const T*, const GrpoLossParams&);                      \
    template void token_logprobs<T>(T*, T*, const T*, const int*, int, int, T);                    \
    template void logprob_logits_grad<T>(T*, const T*, const int*, const T*, int, int, T);
TINYSEEK_INSTANTIATE(float)
TINYSEEK_INSTANTIATE(double)
#undef TINYSEEK_INSTANTIATE

}  // namespace tinyseek
