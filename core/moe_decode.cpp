#include "core/moe_decode.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <omp.h>

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

FfnDecoder::FfnDecoder(const ModelConfig& c, int max_rows, int max_threads)
    : c_(c), router_(RouterConfig::from(c)), max_rows_(max_rows) {
    const size_t N = max_rows;
    const size_t C = c.hidden_size;
    const size_t E = c.n_routed_experts, K = c.num_experts_per_tok;
    const size_t F = c.moe_intermediate_size;
    const size_t wide = scratch_width();
    gu_.resize(N * 2 * wide);
    act_.resize(N * wide);
    y_shared_.resize(N * C);
    logit_.resize(N * E);
    score_.resize(N * E);
    expert_.resize(N * K);
    weight_.resize(N * K);
    x_routed_.resize(N * K * C);
    gu_routed_.resize(N * K * 2 * F);
    act_routed_.resize(N * K * F);
    y_routed_.resize(N * K * C);
    groupings_.resize(std::max(1, max_threads));
    for (Grouping& g : groupings_) {
        g.count.resize(E);
        g.start.resize(E + 1);
        g.slot_of.resize(N * K);
        g.row_of_slot.resize(N * K);
        g.tasks.reserve(N * K / kRowBlock + E + 1);  // never reallocates in forward()
    }
}

void FfnDecoder::group(Grouping& g, int n) const {
    // Counting sort of the n*K expert ids: rows stay in order within an expert.
    const int E = c_.n_routed_experts, K = c_.num_experts_per_tok;
    std::fill(g.count.begin(), g.count.end(), 0);
    for (int i = 0; i < n * K; ++i) ++g.count[expert_[i]];
    g.start[0] = 0;
    for (int e = 0; e < E; ++e) g.start[e + 1] = g.start[e] + g.count[e];
    std::fill(g.count.begin(), g.count.end(), 0);
    for (int i = 0; i < n * K; ++i) {
        const int e = expert_[i];
        const int s = g.start[e] + g.count[e]++;
        g.slot_of[i] = s;
        g.row_of_slot[s] = i / K;
    }
    g.tasks.clear();
    for (int e = 0; e < E; ++e)  // idle experts get no task
        for (int s = g.start[e]; s < g.start[e + 1]; s += kRowBlock)
            g.tasks.push_back({e, s, std::min(kRowBlock, g.start[e + 1] - s)});
}

void FfnDecoder::mlp(float* y, const float* x, float* gu, float* act, const PackedMatrix& gate_up,
                     const PackedMatrix& down, int f, int rows) const {
    if (rows <= 0) return;
    const int C = c_.hidden_size;
    packed_gemm(gu, 2 * f, x, C, rows, gate_up);  // (rows, 2F) = [gate | up]
    swiglu_forward(act, gu, rows, f);             // (rows, F)
    packed_gemm(y, C, act, f, rows, down);        // (rows, C)
}

void FfnDecoder::forward(float* out, const float* h, const FfnWeights& w, int n, int r0, int r1) {
    if (w.moe) {
        forward_moe(out, h, w, n, r0, r1);
        return;
    }
    // Scratch rows use the stride of the wider of the dense and shared MLPs in both paths, so
    // a thread's rows own the same slice whichever layer kind each thread is in: without a
    // barrier in decode attention, one thread may run layer 0's dense MLP while another
    // already runs layer 1's shared expert.
    const size_t C = c_.hidden_size, W = scratch_width();
    mlp(out + r0 * C, h + r0 * C, gu_.data() + r0 * 2 * W, act_.data() + r0 * W, w.gate_up, w.down,
        c_.intermediate_size, r1 - r0);
}

void FfnDecoder::forward_moe(float* out, const float* h, const FfnWeights& w, int n, int r0,
                             int r1) {
    const int C = c_.hidden_size, E = c_.n_routed_experts, K = c_.num_experts_per_tok;
    const int F = c_.moe_intermediate_size;
    const size_t R0 = r0;
    const int m = r1 - r0;
    if (m > 0) {
        // Route the own rows: affinities, top-k on affinity + bias, weights from the
        // unbiased affinities (core/moe_router.h).
        packed_gemm(logit_.data() + R0 * E, E, h + R0 * C, C, m, w.router);  // (m, E)
        route_tokens(expert_.data() + R0 * K, weight_.data() + R0 * K, score_.data() + R0 * E,
                     logit_.data() + R0 * E, w.router_bias, router_, m);
        // Shared experts see every token: row-local, no grouping needed.
        if (w.has_shared) {
            const size_t S = static_cast<size_t>(c_.n_shared_experts) * F;
            const size_t W = scratch_width();  // same row stride as the dense path
            mlp(y_shared_.data() + R0 * C, h + R0 * C, gu_.data() + R0 * 2 * W,
                act_.data() + R0 * W, w.shared_gate_up, w.shared_down, static_cast<int>(S), m);
        }
    }
#pragma omp barrier
    Grouping& g = groupings_[omp_get_thread_num()];
    group(g, n);
    const int n_tasks = static_cast<int>(g.tasks.size());
#pragma omp for schedule(dynamic, 1)
    for (int i = 0; i < n_tasks; ++i) {
        const Task& t = g.tasks[i];
        const size_t s0 = t.slot0;
        for (int s = t.slot0; s < t.slot0 + t.rows; ++s)  // gather the expert's input rows
            std::memcpy(x_routed_.data() + static_cast<size_t>(s) * C,
                        h + static_cast<size_t>(g.row_of_slot[s]) * C, C * sizeof(float));
        mlp(y_routed_.data() + s0 * C, x_routed_.data() + s0 * C, gu_routed_.data() + s0 * 2 * F,
            act_routed_.data() + s0 * F, w.expert_gate_up[t.expert], w.expert_down[t.expert], F,
            t.rows);
    }  // implicit barrier: every expert output is written
    // out = shared(h) + sum_k w_k expert_k(h), own rows.
    for (int r = r0; r < r1; ++r) {
        float* o = out + static_cast<size_t>(r) * C;
        if (w.has_shared)
            std::memcpy(o, y_shared_.data() + static_cast<size_t>(r) * C, C * sizeof(float));
        else
            std::fill(o, o + C, 0.0f);
        for (int k = 0; k < K; ++k) {
            const float gate = weight_[r * K + k];
            const float* y = y_routed_.data() + static_cast<size_t>(g.slot_of[r * K + k]) * C;
#pragma omp simd
            for (int j = 0; j < C; ++j) o[j] += gate * y[j];
        }
    }
}

}  // namespace tinyseek
