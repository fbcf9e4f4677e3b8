// A scalar reward head on the model's final hidden state, trained with a binary loss. The
// reward-model lab uses it twice:
//   meta RM    input <bos> + item prompt + one sampled judgment; label: the judgment singles
//              out the true best candidate (DeepSeek-GRM's meta RM, §4)
//   scalar RM  input <bos> + question + one candidate answer; label: the candidate is correct
//              (the scalar-RM baseline; an item's pick is its highest-scoring candidate)
//
// Head:   r = w . h_pool + b        h_pool = mean of model.norm(h_L) over a span of the
//                                    sequence's rows: its last token (the scalar RM), or every
//                                    token of the judgment (the meta RM, see below)
// Loss:   L = (1/n) sum_i [ softplus(r_i) - y_i r_i ]      (binary cross-entropy on logits)
// Grads:  dL/dr_i = (sigmoid(r_i) - y_i) / n
//         dL/dh_t = dL/dr_i * w / |span_i| for each row t of span i,
//         dL/dw = sum_i dL/dr_i h_pool_i,  dL/db = sum_i dL/dr_i
// Why the meta RM pools the judgment: a wrong judgment is wrong at one place (a miscopied
// digit, a bad column sum) that a last-token readout has to find by attention. Linear probes
// on the frozen judge's features separated right from wrong sampled judgments with AUC 0.68
// from the last token and 0.75 from the judgment's mean (2,400 judgments, 2-digit addition).
// dL/dh flows into the backbone through Model::backward(..., dhidden) with dlogits = 0 (the LM
// head gets no loss), so the whole transformer is fine-tuned with the head.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/adamw.h"
#include "core/model.h"
#include "core/param_store.h"
#include "core/routing_stats.h"
#include "core/safetensors.h"
#include "core/tokenizer.h"

namespace tinyseek {

inline constexpr const char* kScalarHeadFile = "scalar_head.safetensors";

// The head's forward and backward over a batch. hidden (N, C) final hidden states; sequence i
// pools rows first_rows[i]..last_rows[i] (first_rows null: its last row only); labels (n) in
// {0, 1}; w (C), b the head. Writes scores (n) = r_i. If dhidden is not null it is
// OVERWRITTEN (N, C): zero outside the spans. dw (C) and db, if not null, are OVERWRITTEN with
// dL/dw and dL/db. Returns L.
template <typename T>
double binary_head_loss(T* scores, T* dhidden, T* dw, T* db, const T* hidden, int N, int C,
                        const int* first_rows, const int* last_rows, const float* labels, int n,
                        const T* w, T b);

// A batch of right-padded sequences for the head: tokens (B, T), lengths (B), and the span of
// hidden rows each sequence pools: first_rows (b*T + its pool start) to last_rows (b*T +
// length-1).
struct HeadBatch {
    int B = 0;
    int T = 0;
    std::vector<int> tokens;
    std::vector<int> lengths;
    std::vector<int> first_rows;
    std::vector<int> last_rows;
};
// pool_from (B), optional: position in each sequence where its pooled span starts (e.g. the
// judgment after the prompt); null = the last token only. Throws Error when a sequence is
// empty or longer than max_len, or a start is outside its sequence.
HeadBatch make_head_batch(const std::vector<std::vector<int>>& sequences, int max_len,
                          const std::vector<int>* pool_from = nullptr);

struct HeadStepResult {
    double loss = 0.0;
    double accuracy = 0.0;  // (r > 0) == label, over the batch
    float grad_norm = 0.0f;
    std::int64_t tokens = 0;
    RoutingStats routing;
};

class ScalarRewardModel {
  public:
    // The backbone starts as a copy of `backbone` (e.g. the judge); the head w ~ N(0, 0.02^2),
    // b = 0, drawn from `seed`.
    ScalarRewardModel(const ParamStore& backbone, std::uint64_t seed,
                      const AdamWConfig& hyper = {});

    // r for each sequence (<bos> + text tokens), forward only, `batch` sequences at a time.
    // pool_from as in make_head_batch (a model must be scored with the pooling it was trained
    // with: the lab's meta RM always pools the judgment, its scalar RM the last token).
    std::vector<float> score(const std::vector<std::vector<int>>& sequences, int batch = 64,
                             const std::vector<int>* pool_from = nullptr);
    // One AdamW step on the binary loss (backbone and head), grad-norm clipped to 1 over both.
    // Throws NumericError on a non-finite loss or gradient before anything is updated.
    HeadStepResult train_step(const std::vector<std::vector<int>>& sequences,
                              const std::vector<float>& labels, float lr,
                              const std::vector<int>* pool_from = nullptr);

    // Checkpoint directory (core/checkpoint.h, no optimizer state) + scalar_head.safetensors
    // with "score.weight" (1, C) and "score.bias" (1).
    void save(const std::string& dir, const Tokenizer& tokenizer, const Metadata& metadata) const;
    static ScalarRewardModel load(const std::string& dir);

    const ParamStore& params() const { return params_; }
    const std::vector<float>& head_weight() const { return w_; }
    float head_bias() const { return b_; }
    const ModelConfig& config() const { return params_.config(); }

  private:
    ParamStore params_;
    ParamStore grads_;
    AdamW optimizer_;
    std::unique_ptr<Model> model_;      // behind a pointer: Model is not movable
    std::vector<float> w_, m_w_, v_w_;  // (C) head weight and its Adam moments
    float b_ = 0.0f, m_b_ = 0.0f, v_b_ = 0.0f;
    std::vector<float> dlogits_, dhidden_;
};

}  // namespace tinyseek
