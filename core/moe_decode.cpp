#include "core/moe_decode.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/errors.h"
#include "core/linear.h"
#include "core/swiglu.h"

namespace tinyseek {

namespace {
// [gate; up] as one (2f, c) weight: the layout puts up_proj right after gate_proj.
const float* gate_up_pair(const ParamStore& params, const std::string& prefix, int f, int c) {
    const float* gate = params.ptr(prefix + "gate_proj.weight");
    const float* up = params.ptr(prefix + "up_proj.weight");
    if (up != gate + static_cast<size_t>(f) * c)
        throw CheckpointError("tensor '" + prefix +
                              "up_proj.weight' does not follow gate_proj.weight in the "
                              "parameter layout");
    return gate;
}
}  // namespace

FfnWeights FfnWeights::resolve(const ParamStore& params, int layer) {
    const ModelConfig& c = params.config();
    const std::string p = layer_prefix(layer) + "mlp.";
    const int C = c.hidden_size;
    FfnWeights w;
    w.moe = c.is_moe_layer(layer);
    if (!w.moe) {
        w.gate_up = gate_up_pair(params, p, c.intermediate_size, C);
        w.down = params.ptr(p + "down_proj.weight");
        return w;
    }
    w.router = params.ptr(p + "gate.weight");
    w.router_bias = params.ptr(p + "gate.e_score_correction_bias");
    for (int e = 0; e < c.n_routed_experts; ++e) {
        const std::string ep = p + "experts." + std::to_string(e) + ".";
        w.expert_gate_up.push_back(gate_up_pair(params, ep, c.moe_intermediate_size, C));
        w.expert_down.push_back(params.ptr(ep + "down_proj.weight"));
    }
    if (c.n_shared_experts > 0) {
        const int S = c.n_shared_experts * c.moe_intermediate_size;
        w.shared_gate_up = gate_up_pair(params, p + "shared_experts.", S, C);
        w.shared_down = params.ptr(p + "shared_experts.down_proj.weight");
    }
    return w;
}

FfnDecoder::FfnDecoder(const ModelConfig& c, int max_rows)
    : c_(c), router_(RouterConfig::from(c)), max_rows_(max_rows) {
    const size_t N = max_rows;
    const size_t C = c.hidden_size;
    const size_t E = c.n_routed_experts, K = c.num_experts_per_tok;
    const size_t F = c.moe_intermediate_size;
    const size_t wide =
        std::max<size_t>(c.intermediate_size, static_cast<size_t>(c.n_shared_experts) * F);
    gu_.resize(N * 2 * wide);
    act_.resize(N * wide);
    y_shared_.resize(N * C);
    logit_.resize(N * E);
    score_.resize(N * E);
    expert_.resize(N * K);
    weight_.resize(N * K);
    count_.resize(E);
    start_.resize(E + 1);
    slot_.resize(N * K);
    x_routed_.resize(N * K * C);
    gu_routed_.resize(N * K * 2 * F);
    act_routed_.resize(N * K * F);
    y_routed_.resize(N * K * C);
    tasks_.reserve(N / kRowBlock + N * K / kRowBlock + E + 2);
}

void FfnDecoder::add_tasks(const float* gate_up, const float* down, int f, const float* x,
                           float* gu, float* act, float* y, int rows) {
    const size_t C = c_.hidden_size;
    for (int r0 = 0; r0 < rows; r0 += kRowBlock) {
        Task t{gate_up,
               down,
               f,
               x + r0 * C,
               gu + r0 * 2 * static_cast<size_t>(f),
               act + r0 * static_cast<size_t>(f),
               y + r0 * C,
               std::min(kRowBlock, rows - r0)};
        tasks_.push_back(t);
    }
}

void FfnDecoder::run_tasks() {
    const int C = c_.hidden_size;
    const int n_tasks = static_cast<int>(tasks_.size());
    // Each task is independent (its own rows of x, gu, act, y), so no synchronisation inside.
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < n_tasks; ++i) {
        const Task& t = tasks_[i];
        linear_forward(t.gu, t.x, t.gate_up, t.rows, C, 2 * t.f);  // (rows, 2F)
        swiglu_forward(t.act, t.gu, t.rows, t.f);                  // (rows, F)
        linear_forward(t.y, t.act, t.down, t.rows, t.f, C);        // (rows, C)
    }
    tasks_.clear();
}

void FfnDecoder::forward(float* out, const float* h, const FfnWeights& w, int n) {
    if (n > max_rows_)
        throw Error("ffn: " + std::to_string(n) + " rows, workspace holds " +
                    std::to_string(max_rows_));
    if (n == 0) return;
    if (w.moe) {
        forward_moe(out, h, w, n);
        return;
    }
    tasks_.clear();
    add_tasks(w.gate_up, w.down, c_.intermediate_size, h, gu_.data(), act_.data(), out, n);
    run_tasks();
}

void FfnDecoder::forward_moe(float* out, const float* h, const FfnWeights& w, int n) {
    const int C = c_.hidden_size, E = c_.n_routed_experts, K = c_.num_experts_per_tok;
    const int F = c_.moe_intermediate_size;
    // Route: affinities, top-k on affinity + bias, weights from the unbiased affinities.
    linear_forward(logit_.data(), h, w.router, n, C, E);  // (n, E)
    route_tokens(expert_.data(), weight_.data(), score_.data(), logit_.data(), w.router_bias,
                 router_, n);
    // Group (row, k) pairs per expert: counting sort, rows stay in order within an expert.
    std::fill(count_.begin(), count_.end(), 0);
    for (int i = 0; i < n * K; ++i) ++count_[expert_[i]];
    start_[0] = 0;
    for (int e = 0; e < E; ++e) start_[e + 1] = start_[e] + count_[e];
    std::fill(count_.begin(), count_.end(), 0);
    for (int r = 0; r < n; ++r)
        for (int k = 0; k < K; ++k) {
            const int e = expert_[r * K + k];
            const int s = start_[e] + count_[e]++;
            slot_[r * K + k] = s;
            std::memcpy(x_routed_.data() + static_cast<size_t>(s) * C,
                        h + static_cast<size_t>(r) * C, C * sizeof(float));
        }
    tasks_.clear();
    if (w.shared_gate_up) {
        const int S = c_.n_shared_experts * F;
        add_tasks(w.shared_gate_up, w.shared_down, S, h, gu_.data(), act_.data(), y_shared_.data(),
                  n);
    }
    for (int e = 0; e < E; ++e) {
        if (count_[e] == 0) continue;  // idle expert: no work at all
        const size_t s0 = start_[e];
        add_tasks(w.expert_gate_up[e], w.expert_down[e], F, x_routed_.data() + s0 * C,
                  gu_routed_.data() + s0 * 2 * F, act_routed_.data() + s0 * F,
                  y_routed_.data() + s0 * C, count_[e]);
    }
    run_tasks();
    // out = shared(h) + sum_k w_k expert_k(h), per row.
    for (int r = 0; r < n; ++r) {
        float* o = out + static_cast<size_t>(r) * C;
        if (w.shared_gate_up)
            std::memcpy(o, y_shared_.data() + static_cast<size_t>(r) * C, C * sizeof(float));
        else
            std::fill(o, o + C, 0.0f);
        for (int k = 0; k < K; ++k) {
            const float g = weight_[r * K + k];
            const float* y = y_routed_.data() + static_cast<size_t>(slot_[r * K + k]) * C;
#pragma omp simd
            for (int j = 0; j < C; ++j) o[j] += g * y[j];
        }
    }
}

}  // namespace tinyseek
