// The inside of one forward pass of one text, for looking at (the Explore page and
// `tinyseek inspect`): what the model predicts next, how each token was routed, what each head
// attended to and how much of each score came from MLA's decoupled RoPE part, and, through
// the logit lens, at which layer the prediction forms.
//
// One training forward (core/model.h, B = 1) over the text plus, when the model has an MTP
// module and a position is left, the main model's most likely next token: rows 0..n-1 are
// exactly those of a forward over the text alone (attention is causal, routing per token),
// and the MTP row n-1 then reads (h_{n-1}, that token), its guess for the token after next.
//
// Definitions:
//   logit lens   boundary b = 0 (the embeddings) .. L (the last block's output): the residual
//                stream at b through model.norm and lm_head, softmax; the top token, its
//                probability, and the probability of the final prediction's top token. At
//                b = L this is the model's own prediction.
//   rope share   per head, query i and key j <= i: the score is
//                scale * (q_nope . k_nope + q_rope . k_rope); share = |rope| / (|nope| + |rope|)
//                (0 when both are 0): 0 when position plays no part, 1 when only position does.
//   bias effect  per MoE layer and token: experts chosen only because of the router bias
//                (in the routed top-k, not in the top-k the same routing, node limit included,
//                makes with b = 0) were pushed in, and the ones it displaced pushed out.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/model_config.h"
#include "core/param_store.h"

namespace tinyseek {

template <typename T>
class BasicModel;
using Model = BasicModel<float>;

struct LensCell {
    int token = -1;              // most likely token at this boundary
    float prob = 0;              // its probability
    float final_token_prob = 0;  // probability of the last boundary's top token
};

struct AttentionMap {
    int layer = 0;
    int heads = 0;
    int tokens = 0;
    std::vector<float> probs;       // (heads, n, n) softmax rows, zero above the diagonal
    std::vector<float> rope_share;  // (heads, n, n), zero above the diagonal
    float prob(int h, int i, int j) const { return probs[index(h, i, j)]; }
    float share(int h, int i, int j) const { return rope_share[index(h, i, j)]; }
    size_t index(int h, int i, int j) const {
        return (static_cast<size_t>(h) * tokens + i) * tokens + j;
    }
};

struct RoutingMap {
    int layer = 0;
    int experts = 0;              // routed experts E
    int top_k = 0;                // K
    std::vector<int> chosen;      // (n, K) by biased score, highest first
    std::vector<float> weight;    // (n, K) gate weights of the chosen experts
    std::vector<float> score;     // (n, E) unbiased affinities
    std::vector<float> bias;      // (E) e_score_correction_bias
    std::vector<int> pushed_in;   // (n, K) chosen only because of the bias, -1 padded
    std::vector<int> pushed_out;  // (n, K) displaced by the bias, -1 padded
    int chosen_at(int t, int k) const { return chosen[static_cast<size_t>(t) * top_k + k]; }
    float weight_at(int t, int k) const { return weight[static_cast<size_t>(t) * top_k + k]; }
    // Gate weight of expert e for token t (0 when it was not chosen).
    float gate(int t, int e) const;
    int top_expert(int t) const;  // the chosen expert with the largest gate weight
};

struct ForwardInspection {
    std::vector<int> tokens;  // (n)
    int vocab = 0;
    std::vector<float> next_logits;  // (V) the prediction after the last token
    // MTP: its logits for the token after next, given that the next is `mtp_assumed_next`
    // (the main model's most likely); empty without an MTP module or a free position.
    int mtp_assumed_next = -1;
    std::vector<float> mtp_logits;  // (V)
    std::vector<float> token_prob;  // (n) probability the model gave token t at t-1 (t = 0: NaN)
    int boundaries = 0;             // L + 1
    std::vector<LensCell> lens;     // (boundaries, n)
    std::vector<AttentionMap> attention;  // one per main layer
    std::vector<RoutingMap> routing;      // one per MoE layer of the main model
    int shared_experts = 0;               // always-on experts in every MoE layer
    const LensCell& lens_at(int boundary, int t) const {
        return lens[static_cast<size_t>(boundary) * tokens.size() + t];
    }
};

// Throws Error for an empty text, bad ids or more tokens than max_position_embeddings.
ForwardInspection inspect_forward(Model& model, const float* params, std::span<const int> tokens);

// A model kept for repeated inspections of one config (the Explore page inspects after every
// appended token): its buffers are reused, and it is made and freed inside core/, so code
// built without -march=native (gui/) never allocates its aligned members.
class ForwardInspector {
  public:
    explicit ForwardInspector(const ModelConfig& config);  // ConfigError on a bad config
    ~ForwardInspector();
    ForwardInspector(const ForwardInspector&) = delete;
    ForwardInspector& operator=(const ForwardInspector&) = delete;

    const ModelConfig& config() const;
    // inspect_forward with `params` of this config (Error otherwise).
    ForwardInspection inspect(const ParamStore& params, std::span<const int> tokens);

  private:
    std::unique_ptr<Model> model_;
};

}  // namespace tinyseek
