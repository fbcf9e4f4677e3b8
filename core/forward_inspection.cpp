#include "core/forward_inspection.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/errors.h"
#include "core/linear.h"
#include "core/model.h"
#include "core/moe_router.h"

#include <nlohmann/json.hpp>
#include "core/rmsnorm.h"

namespace tinyseek {

float RoutingMap::gate(int t, int e) const {
    for (int k = 0; k < top_k; ++k)
        if (chosen_at(t, k) == e) return weight_at(t, k);
    return 0.0f;
}

int RoutingMap::top_expert(int t) const {
    int best = -1;
    for (int k = 0; k < top_k; ++k)
        if (best < 0 || weight_at(t, k) > weight_at(t, best)) best = k;
    return best < 0 ? -1 : chosen_at(t, best);
}

namespace {

int argmax(const float* v, int n) {
    return static_cast<int>(std::max_element(v, v + n) - v);
}

// softmax(v) in place, with the max-shift.
void softmax(std::vector<float>& v) {
    const float m = *std::max_element(v.begin(), v.end());
    double sum = 0;
    for (float& x : v) sum += (x = std::exp(x - m));
    for (float& x : v) x = static_cast<float>(x / sum);
}

// Every boundary of the residual stream through model.norm and lm_head.
void fill_logit_lens(ForwardInspection& out, const Model& model, const float* params,
                     const float* residual, int rows) {
    const ModelConfig& c = model.config();
    const int n = static_cast<int>(out.tokens.size()), C = c.hidden_size, V = c.vocab_size;
    const float* norm = params + model.layout().at("model.norm.weight").offset;
    const float* head = params + model.layout().at("lm_head.weight").offset;
    out.boundaries = c.num_hidden_layers + 1;
    out.lens.assign(static_cast<size_t>(out.boundaries) * n, {});
    std::vector<float> normed(static_cast<size_t>(n) * C), logits(static_cast<size_t>(n) * V);
    std::vector<float> row(V);
    std::vector<int> final_top(n);
    for (int b = out.boundaries - 1; b >= 0; --b) {  // the last first: its top tokens are needed
        rmsnorm_forward(normed.data(), static_cast<float*>(nullptr),
                        residual + static_cast<size_t>(b) * rows * C, norm, n, C,
                        static_cast<float>(c.rms_norm_eps));
        linear_forward(logits.data(), normed.data(), head, n, C, V);
        for (int t = 0; t < n; ++t) {
            row.assign(logits.begin() + static_cast<size_t>(t) * V,
                       logits.begin() + static_cast<size_t>(t + 1) * V);
            softmax(row);
            const int top = argmax(row.data(), V);
            if (b == out.boundaries - 1) final_top[t] = top;
            out.lens[static_cast<size_t>(b) * n + t] = {top, row[top], row[final_top[t]]};
        }
    }
}

AttentionMap attention_map(const AttentionInternals<float>& a, int layer, int n, int rows) {
    AttentionMap m;
    m.layer = layer;
    m.heads = a.heads;
    m.tokens = n;
    m.probs.assign(static_cast<size_t>(a.heads) * n * n, 0.0f);
    m.rope_share.assign(m.probs.size(), 0.0f);
    const int Dqk = a.nope_dim + a.rope_dim, group = a.heads / a.kv_heads;
    for (int h = 0; h < a.heads; ++h) {
        for (int i = 0; i < n; ++i) {
            const float* q = a.q + (static_cast<size_t>(i) * a.heads + h) * Dqk;
            const float* p = a.probs + (static_cast<size_t>(h) * rows + i) * rows;
            for (int j = 0; j <= i; ++j) {
                const float* k = a.k + (static_cast<size_t>(j) * a.kv_heads + h / group) * Dqk;
                double nope = 0, rope = 0;
                for (int d = 0; d < a.nope_dim; ++d) nope += double(q[d]) * k[d];
                for (int d = a.nope_dim; d < Dqk; ++d) rope += double(q[d]) * k[d];
                const double total = std::abs(nope) + std::abs(rope);
                m.probs[m.index(h, i, j)] = p[j];
                m.rope_share[m.index(h, i, j)] =
                    total > 0 ? static_cast<float>(std::abs(rope) / total) : 0.0f;
            }
        }
    }
    return m;
}

RoutingMap routing_map(const MoeLayer<float>& moe, const float* params, int layer, int n) {
    const RouterConfig& rc = moe.router();
    RoutingMap m;
    m.layer = layer;
    m.experts = rc.n_experts;
    m.top_k = rc.top_k;
    const size_t nK = static_cast<size_t>(n) * rc.top_k;
    m.chosen.assign(moe.chosen_experts(), moe.chosen_experts() + nK);
    m.weight.assign(moe.gate_weights(), moe.gate_weights() + nK);
    m.score.assign(moe.scores(), moe.scores() + static_cast<size_t>(n) * rc.n_experts);
    m.bias.assign(params + moe.bias_offset(), params + moe.bias_offset() + rc.n_experts);
    m.pushed_in.assign(nK, -1);
    m.pushed_out.assign(nK, -1);
    // The choice without the bias: the same routing (groups included) with b = 0.
    const std::vector<float> no_bias(rc.n_experts, 0.0f);
    std::vector<int> unbiased(rc.top_k);
    std::vector<float> weight(rc.top_k), score(rc.n_experts);
    for (int t = 0; t < n; ++t) {
        route_token(unbiased.data(), weight.data(), score.data(),
                    moe.logits() + static_cast<size_t>(t) * rc.n_experts, no_bias.data(), rc);
        const auto chosen = m.chosen.begin() + static_cast<size_t>(t) * rc.top_k;
        int in = 0, out = 0;
        for (int k = 0; k < rc.top_k; ++k) {
            if (std::find(unbiased.begin(), unbiased.end(), chosen[k]) == unbiased.end())
                m.pushed_in[static_cast<size_t>(t) * rc.top_k + in++] = chosen[k];
            if (std::find(chosen, chosen + rc.top_k, unbiased[k]) == chosen + rc.top_k)
                m.pushed_out[static_cast<size_t>(t) * rc.top_k + out++] = unbiased[k];
        }
    }
    return m;
}

void fill_token_probs(ForwardInspection& out, const float* logits, int n, int V) {
    out.token_prob.assign(n, std::numeric_limits<float>::quiet_NaN());
    std::vector<float> row(V);
    for (int t = 1; t < n; ++t) {
        row.assign(logits + static_cast<size_t>(t - 1) * V, logits + static_cast<size_t>(t) * V);
        softmax(row);
        out.token_prob[t] = row[out.tokens[t]];
    }
}

}  // namespace

ForwardInspection inspect_forward(Model& model, const float* params, std::span<const int> tokens) {
    const ModelConfig& c = model.config();
    const int n = static_cast<int>(tokens.size()), V = c.vocab_size;
    if (n == 0) throw Error("inspect: the text has no tokens");
    if (n > c.max_position_embeddings)
        throw Error("inspect: the text has " + std::to_string(n) +
                    " tokens, the model reads at most " +
                    std::to_string(c.max_position_embeddings));
    ForwardInspection out;
    out.tokens.assign(tokens.begin(), tokens.end());
    out.vocab = V;

    // Pass 1 finds the most likely next token; pass 2 appends it so the MTP row n-1 can guess
    // the token after it. Both run over n + 1 tokens (pass 1 with a stand-in last token,
    // which no row before it sees), so the model keeps one buffer layout between them.
    const bool with_mtp = c.num_nextn_predict_layers > 0 && n < c.max_position_embeddings;
    const int rows = with_mtp ? n + 1 : n;
    std::vector<int> fed = out.tokens;
    if (with_mtp) fed.push_back(0);
    auto result = model.forward(params, fed.data(), 1, rows, nullptr, false);
    if (with_mtp) {
        fed.back() = argmax(result.logits + static_cast<size_t>(n - 1) * V, V);
        result = model.forward(params, fed.data(), 1, rows, nullptr, true);
        out.mtp_assumed_next = fed.back();
        const float* mtp = result.mtp_logits + static_cast<size_t>(n - 1) * V;
        out.mtp_logits.assign(mtp, mtp + V);
    }
    const float* next = result.logits + static_cast<size_t>(n - 1) * V;
    out.next_logits.assign(next, next + V);
    fill_token_probs(out, result.logits, n, V);

    const auto inside = model.sequence_internals();
    fill_logit_lens(out, model, params, inside.residual, rows);
    for (int l = 0; l < c.num_hidden_layers; ++l) {
        const TransformerBlock<float>& block = *inside.blocks[l];
        out.attention.push_back(attention_map(block.attention().internals(), l, n, rows));
        if (block.moe()) out.routing.push_back(routing_map(*block.moe(), params, l, n));
    }
    out.shared_experts = c.n_shared_experts;
    return out;
}

ForwardInspector::ForwardInspector(const ModelConfig& config)
    : model_(std::make_unique<Model>(config)) {}

ForwardInspector::~ForwardInspector() = default;

const ModelConfig& ForwardInspector::config() const {
    return model_->config();
}

ForwardInspection ForwardInspector::inspect(const ParamStore& params, std::span<const int> tokens) {
    if (params.config().to_json() != model_->config().to_json())
        throw Error("inspect: the weights are of another model config than the inspector's");
    return inspect_forward(*model_, params.data().data(), tokens);
}

}  // namespace tinyseek
