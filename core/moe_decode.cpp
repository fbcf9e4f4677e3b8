#include "core/moe_decode.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/errors.h"
#include "core/swiglu.h"

namespace tinyseek {

namespace {
// [gate; up] stacked into one packed (2f, c) matrix.
void pack_gate_up(PackedMatrix& m, const ParamStore& params, const std::string& prefix, int f,
                  int c) {
    m.resize(2 * f, c);
    m.set_rows(0, params.ptr(prefix + "gate_proj.weight"), f, c);
    m.set_rows(f, params.ptr(prefix + "up_proj.weight"), f, c);
}

void pack(PackedMatrix& m, const ParamStore& params, const std::string& name, int out, int in) {
    m.resize(out, in);
    m.set_rows(0, params.ptr(name), out, in);
}
}  // namespace

void FfnWeights::load(const ParamStore& params, int layer) {
    const ModelConfig& c = params.config();
    const std::string p = layer_prefix(layer) + "mlp.";
    const int C = c.hidden_size, F = c.moe_intermediate_size;
    moe = c.is_moe_layer(layer);
    if (!moe) {
        pack_gate_up(gate_up, params, p, c.intermediate_size, C);
        pack(down, params, p + "down_proj.weight", C, c.intermediate_size);
        return;
    }
    pack(router, params, p + "gate.weight", c.n_routed_experts, C);
    router_bias = params.ptr(p + "gate.e_score_correction_bias");
    expert_gate_up.resize(c.n_routed_experts);
    expert_down.resize(c.n_routed_experts);
    for (int e = 0; e < c.n_routed_experts; ++e) {
        const std::string ep = p + "experts." + std::to_string(e) + ".";
        pack_gate_up(expert_gate_up[e], params, ep, F, C);
        pack(expert_down[e], params, ep + "down_proj.weight", C, F);
    }
    has_shared = c.n_shared_experts > 0;
    if (has_shared) {
        const int S = c.n_shared_experts * F;
        pack_gate_up(shared_gate_up, params, p + "shared_experts.", S, C);
        pack(shared_down, params, p + "shared_experts.down_proj.weight", C, S);
    }
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

void FfnDecoder::add_tasks(const PackedMatrix& gate_up, const PackedMatrix& down, int f,
                           const float* x, float* gu, float* act, float* y, int rows) {
    const size_t C = c_.hidden_size;
    for (int r0 = 0; r0 < rows; r0 += kRowBlock) {
        Task t{&gate_up,
               &down,
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
    long work = 0;  // multiply-adds of all tasks: 3 GEMMs of rows x C x f each
    for (const Task& t : tasks_) work += 3L * t.rows * C * t.f;
        // Each task is independent (its own rows of x, gu, act, y), so no synchronisation inside.
#pragma omp parallel for schedule(dynamic, 1) if (n_tasks > 1 && work >= kParallelMacs)
    for (int i = 0; i < n_tasks; ++i) {
        const Task& t = tasks_[i];
        packed_gemm(t.gu, 2 * t.f, t.x, C, t.rows, *t.gate_up);  // (rows, 2F)
        swiglu_forward(t.act, t.gu, t.rows, t.f);                // (rows, F)
        packed_gemm(t.y, C, t.act, t.f, t.rows, *t.down);        // (rows, C)
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
    packed_gemm(logit_.data(), E, h, C, n, w.router);  // (n, E)
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
    if (w.has_shared) {
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
        if (w.has_shared)
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
