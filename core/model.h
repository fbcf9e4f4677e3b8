// The whole DeepSeek-V3-style model for training: embedding, num_hidden_layers blocks,
// final RMSNorm and lm_head, plus the depth-1 MTP module (DeepSeek-V3 §2.2):
//   h'_i = eh_proj([enorm(emb(t_{i+1})) ; hnorm(model.norm(h_i))])   h_i = last main block's output
// (model.norm(h_i) as the released DeepSeek-V3 checkpoints and inference engines feed it;
// configs of earlier versions of this program say mtp_hidden_input = pre_norm: hnorm(h_i)),
//   MTP logits_i = lm_head(shared_head.norm(block_L(h'))), predicting t_{i+2}
// with the embedding and lm_head shared with the main model.
//
// Usage for one training step (the CALLER owns the loss, so SFT and GRPO share the model):
//   auto out = model.forward(params, tokens, B, T, lengths);       // keeps activations
//   cross_entropy(dlogits, ..., out.logits, targets, ...);         // or GRPO's own dlogits
//   cross_entropy(dmtp, ..., out.mtp_logits, mtp_targets, ..., lambda);
//   grads.set_zero();  model.backward(params, dlogits, dmtp, grads);
//   auto clip = gradient_clip(grads, 1.0, model.grad_square_sum());
//   adamw.step(params, grads, lr, clip.scale);
//   apply_aux_free_update(params, model.routing_stats(params));
//
// Threading: the batch is split into shards of whole sequences (one per OpenMP thread, or, when
// the lengths differ enough, four per thread of similar lengths, each only as long as its
// longest); each thread runs its shards' full forward/backward with single-threaded kernels
// (no synchronisation inside a step) into its own gradient block, summed at the end.
// Templated on the scalar so the whole model can be checked against finite differences in
// double.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "core/activation_arena.h"
#include "core/eigen.h"  // first Eigen include of the TU (see eigen.h)
#include "core/fp8_training.h"
#include "core/layer_context.h"
#include "core/param_store.h"
#include "core/routing_stats.h"
#include "core/transformer_block.h"

namespace tinyseek {

template <typename T>
class BasicModel {
  public:
    // Validates the config (ConfigError).
    explicit BasicModel(const ModelConfig& config);
    ~BasicModel();

    struct Output {
        const T* logits = nullptr;      // (B*T, V): row b*T+t predicts token t+1
        const T* mtp_logits = nullptr;  // (B*T, V): row b*T+t predicts token t+2; null if no MTP
        int rows = 0;
        int vocab = 0;
        T aux_loss = 0;  // balance loss summed over MoE layers (when on), in the total loss
    };

    // tokens (B, T) row-major ids in [0, V); lengths (B) valid tokens of each right-padded
    // sequence (null: all T). Positions are 0..T-1 in every sequence, attention is causal, so
    // padding never changes valid rows. Padding rows (t >= lengths[b]) are no part of the
    // model: their logits, MTP logits and hidden() rows are zero, backward ignores their
    // gradients, they are not routed, and most are not computed at all. `params` is a
    // flat block laid out by layout(). with_mtp = false skips the MTP module (evaluation).
    // Buffers stay valid until the next forward. Throws Error on bad ids or T beyond
    // max_position_embeddings.
    Output forward(const T* params, const int* tokens, int B, int seq_len,
                   const int* lengths = nullptr, bool with_mtp = true);

    // Backward of the last forward. dlogits (B*T, V) = dL/dlogits; dmtp_logits likewise or
    // null (no MTP loss: the MTP module then only gets its balance-loss gradient); dhidden
    // (B*T, C), optional, = dL/d of the final normalised hidden states (a head on hidden()).
    // Gradients ACCUMULATE into `grads` (same layout as params). The balance-loss gradient of
    // every MoE layer that ran is included when the balance loss is on (weight 1, part of the
    // loss).
    void backward(const T* params, const T* dlogits, const T* dmtp_logits, T* grads,
                  const T* dhidden = nullptr);

    // Convenience overloads on ParamStore (float only). Templates, because clang 14 also
    // instantiates constrained non-template members in `template class BasicModel<double>`.
    template <typename U = T>
    Output forward(const ParamStore& params, const int* tokens, int B, int seq_len,
                   const int* lengths = nullptr, bool with_mtp = true) {
        static_assert(std::is_same_v<U, float>, "a ParamStore holds floats");
        check_store(params);
        return forward(params.data().data(), tokens, B, seq_len, lengths, with_mtp);
    }
    template <typename U = T>
    void backward(const ParamStore& params, const T* dlogits, const T* dmtp_logits,
                  ParamStore& grads, const T* dhidden = nullptr) {
        static_assert(std::is_same_v<U, float>, "a ParamStore holds floats");
        check_store(params);
        check_store(grads);
        backward(params.data().data(), dlogits, dmtp_logits, grads.data().data(), dhidden);
    }

    // The sum of squares of the trainable gradients in `grads` after the last backward, in
    // core/grad_norm.h's order, when that backward summed several workers' blocks and measured
    // it on the way (gradient_clip takes it instead of reading the gradients again); else
    // nullopt.
    std::optional<double> grad_square_sum() const { return grad_square_sum_; }

    // Final normalised hidden states of the last forward (B*T, C): model.norm(h_L).
    const T* hidden() const { return out_.hidden.data(); }
    // Routing of the last forward, for every MoE layer (the MTP block last when it ran).
    RoutingStats routing_stats(const T* params) const;
    template <typename U = T>
    RoutingStats routing_stats(const ParamStore& params) const {
        static_assert(std::is_same_v<U, float>, "a ParamStore holds floats");
        return routing_stats(params.data().data());
    }
    // Chosen experts (B*T, K; -1 = not routed) of MoE layer `layer` in the last forward.
    std::vector<int> chosen_experts(int layer) const;
    // Their gate weights (B*T, K; 0 where not routed), e.g. for a token x expert heatmap.
    std::vector<T> gate_weights(int layer) const;

    // The inside of the last forward when it ran one sequence (B = 1; looking at a forward,
    // core/forward_inspection.h). Throws Error after a forward of several sequences.
    struct SequenceInternals {
        const T* residual = nullptr;  // (L + 1, T, C): embeddings, then each main block's output
        std::vector<const TransformerBlock<T>*> blocks;  // (num_blocks) the MTP block last
    };
    SequenceInternals sequence_internals() const;

    // Number of sequence shards (0 = one per OpenMP thread, or four per thread when the
    // sequences differ enough in length; at most B). Results depend on the shard count only through
    // float summation order.
    void set_num_shards(int shards) { requested_shards_ = shards; }

    // Train the linear layers in FP8 (core/fp8_training.h) from the next forward on; nullopt
    // = FP32. The output head, the router, norms and attention's softmax stay FP32.
    void set_fp8(std::optional<Fp8TrainingRecipe> recipe) { fp8_ = recipe; }
    const std::optional<Fp8TrainingRecipe>& fp8() const { return fp8_; }

    // The activation memory of a forward and backward of B sequences of T tokens: the table of
    // one shard's arena (the largest shard when B does not split evenly) and of the outputs
    // shared by all shards. With the current shard setting; nothing is allocated.
    struct ActivationLayout {
        int shards = 0;
        int shard_sequences = 0;
        std::vector<ActivationSlot> shard;
        std::vector<ActivationSlot> outputs;
    };
    ActivationLayout activation_layout(int B, int seq_len) const;

    const ModelConfig& config() const { return config_; }
    const ParamLayout& layout() const { return layout_; }

  private:
    struct Shard;
    struct Worker;
    struct Outputs {
        std::span<T> logits, mtp_logits;  // (B*T, V)
        std::span<T> hidden;              // (B*T, C)
    };
    std::unique_ptr<Shard> make_shard() const;
    void lay_out_shard(Shard& s, ArenaPlanner& p, int B, int seq_len) const;
    void lay_out_outputs(Outputs& o, ArenaPlanner& p, int64_t rows) const;
    void check_store(const ParamStore& store) const;
    const MoeLayer<T>& moe_of_last_forward(int layer, int shard) const;
    int plan_shards(const int* lengths);  // the number of shards
    void lay_out_worker(Worker& w) const;
    template <typename F>
    void run_workers(F&& f);
    void forward_shard(Shard& s, const T* params, const int* lengths, bool with_mtp);
    bool has_next_token(const Shard& s, int r) const;
    void scatter_outputs(const Shard& s);
    const T* gather_rows(const Shard& s, std::span<T> into, const T* grad, int width) const;
    void backward_shard(Shard& s, const T* params, const T* dlogits, const T* dmtp_logits, T* grads,
                        const T* dhidden);
    template <typename V, typename Get>
    std::vector<V> batch_rows(int layer, V none, Get get) const;

    // Shards per thread when the sequences of a batch differ in length: more shards of more
    // even lengths compute fewer padding rows, but each runs smaller GEMMs (packing the
    // weights again), so they are taken only when the busiest thread's rows fall to this
    // share of a padded batch's. bench_train_step's ragged batches (16 of 100..230 tokens)
    // need 0.76 of the rows and ran 12% faster; bench_grpo_step's rollouts (11% padding) ran 7%
    // slower.
    static constexpr int kShardsPerThreadRagged = 4;
    static constexpr double kRaggedRowsWorthIt = 0.85;

    ModelConfig config_;
    ParamLayout layout_;
    RopeTable<T> rope_;
    // Float offsets of the non-block tensors (MTP ones only when num_nextn_predict_layers).
    size_t w_embed_ = 0, w_norm_ = 0, w_head_ = 0;
    size_t w_enorm_ = 0, w_hnorm_ = 0, w_eh_ = 0, w_mtp_norm_ = 0;
    bool has_mtp_ = false;
    int requested_shards_ = 0;
    std::optional<double> grad_square_sum_;
    std::optional<Fp8TrainingRecipe> fp8_;
    std::vector<std::unique_ptr<Shard>> shards_;
    int active_shards_ = 0;
    std::vector<std::unique_ptr<Worker>> workers_;  // (threads, at most active_shards_)

    int B_ = 0, T_ = 0;
    bool mtp_ran_ = false;
    std::vector<int> tokens_;  // (B, T) of the last forward
    ActivationArena outputs_;  // holds out_
    Outputs out_;
    int64_t output_rows_ = 0;
};

using Model = BasicModel<float>;

}  // namespace tinyseek
