// Batched generation with a KV cache: prefill the prompts of many sequences (of different
// lengths), then decode one token per unfinished sequence per step until each one stops on a
// stop token, at max_new_tokens, or at the model's context length.
//
// One row-batched forward (`forward_rows`) serves prefill (many rows per sequence) and decode
// (one row per active sequence); finished sequences simply stop contributing rows. All
// buffers are sized once per batch (reserve), so the decode loop does not allocate.
// Threading: one OpenMP region per forward call; each thread owns a block of rows, with
// barriers only where rows meet (cache writes before attention reads, MoE grouping). Call
// the Generator from outside any parallel region.
//
// The MTP block is not used: plain generation needs only the main layers.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/kv_cache.h"
#include "core/mla_decode.h"
#include "core/moe_decode.h"
#include "core/param_store.h"
#include "core/rope.h"
#include "core/sampler.h"

namespace tinyseek {

struct GenerationOptions {
    int max_new_tokens = 64;  // per sequence, the stop token included
    SamplingParams sampling;
    uint64_t seed = 0;
    // A sequence stops right after emitting one of these (the token is kept in its output),
    // e.g. the tokenizer's <eos> and </answer>.
    std::vector<int> stop_tokens;
    // Random stream of sequence i is (seed, sequence_ids[i]); empty means i. GRPO passes stable
    // ids so a completion's samples do not depend on the batch it was drawn in.
    std::vector<uint64_t> sequence_ids;
    // Record per-token routing (top-k experts and gate weights per MoE layer) of this sequence
    // (index into the prompts); -1 = off, the default, which costs nothing.
    int trace_sequence = -1;
    const std::atomic<bool>* cancel = nullptr;  // checked before every decode step
};

enum class StopReason { stop_token, max_new_tokens, context_full, cancelled };
const char* to_string(StopReason reason);

struct SequenceOutput {
    std::vector<int> tokens;              // generated tokens (a final stop token included)
    std::vector<float> logprob_sampling;  // log q(token) under the sampling distribution
    std::vector<float> logprob_model;     // log softmax(logits)[token]
    StopReason stop_reason = StopReason::max_new_tokens;
};

// Routing of one sequence, per token that went through the model (the prompt and every
// generated token except the last, whose successor was never computed).
struct RoutingTrace {
    std::vector<int> layers;  // (M) block index of each MoE layer
    int top_k = 0;
    std::vector<int> tokens;     // (T) token ids, in position order
    std::vector<int> experts;    // (T, M, K) chosen expert ids, by biased score
    std::vector<float> weights;  // (T, M, K) gate weights
    int expert(int t, int m, int k) const { return experts[(t * layers.size() + m) * top_k + k]; }
    float weight(int t, int m, int k) const { return weights[(t * layers.size() + m) * top_k + k]; }
};

// Logits of a token sequence, (T, V) row-major. Plain std::vector storage on purpose: the
// result crosses into code built without -march=native (gui/), where an Eigen matrix
// allocated here with 64-byte alignment would be freed by a different deallocator.
struct Logits {
    int tokens = 0;
    int vocab = 0;
    std::vector<float> values;  // (T, V)
    const float* row(int t) const { return values.data() + static_cast<size_t>(t) * vocab; }
    float operator()(int t, int v) const { return row(t)[v]; }
};

struct GenerationResult {
    std::vector<SequenceOutput> sequences;
    RoutingTrace routing;  // empty unless options.trace_sequence >= 0
    int prompt_tokens = 0;
    int generated_tokens = 0;
};

class Generator {
  public:
    // Packs the weights of `params` at every call (about 1 ms for tiny), so it follows
    // training updates; `params`
    // must outlive the Generator. Throws ConfigError if `mode` does not fit the model.
    Generator(const ParamStore& params, CacheMode mode);
    ~Generator();

    GenerationResult generate(const std::vector<std::vector<int>>& prompts,
                              const GenerationOptions& options);

    // Logits (T, V) of every position of `tokens` through the cache path: the tokens are fed
    // `chunk` at a time (0 = all at once, 1 = one decode step per token).
    Logits logits(const std::vector<int>& tokens, int chunk = 0);

    CacheMode mode() const { return mode_; }
    const KvCache& cache() const { return cache_; }
    // Rows per forward call during prefill (a prompt longer than this is fed in pieces).
    static constexpr int kPrefillRows = 256;
    // Fewer rows than this run on one thread (a fork/join would cost more than it saves).
    static constexpr int kMinParallelRows = 8;

  private:
    using Buffer = std::vector<float, Eigen::aligned_allocator<float>>;

    void reserve(int sequences, int max_tokens, int rows);
    // Packs the current parameters (decode_gemm layout); reuses the packed buffers.
    void load_weights();
    // logits (n, V) for the rows; positions must already be claimed in the cache.
    void forward_rows(const RowBatch& rows, const int* tokens, float* logits);
    void record_routing(const RowBatch& rows, int r0, int r1, int moe_index);

    // The phases of generate(): its prompts, options, random streams and result travel in a
    // Batch.
    struct Batch;
    // Trace of `sequence` (-1 = none) sized for max_len tokens; finish_trace cuts it to the
    // tokens that went through the model.
    void start_trace(int sequence, int max_len, RoutingTrace& trace);
    void finish_trace(const std::vector<int>& prompt, GenerationResult& result);
    // All prompt tokens, sequence-major, in chunks of at most cap_rows_ rows. A sequence's
    // first new token is sampled from the logits of its last prompt row.
    void prefill(Batch& batch);
    // One row per unfinished sequence; false once every sequence has stopped (or cancelled).
    bool decode_step(Batch& batch);
    // Samples the next token of sequence i from its logits row and decides whether it stops.
    void take(Batch& batch, int i, const float* logits);

    const ParamStore& params_;
    ModelConfig c_;
    CacheMode mode_;
    RopeTable<float> rope_;
    Sampler sampler_;
    KvCache cache_;
    std::unique_ptr<AttentionDecoder> attn_;
    std::unique_ptr<FfnDecoder> ffn_;
    int cap_sequences_ = 0, cap_tokens_ = 0, cap_rows_ = 0, cap_threads_ = 0;

    std::vector<AttentionWeights> attn_w_;
    std::vector<FfnWeights> ffn_w_;
    std::vector<const float*> attn_norm_, ffn_norm_;  // (L) input/post_attention layernorms
    const float* embed_ = nullptr;
    const float* final_norm_ = nullptr;
    PackedMatrix lm_head_;

    Buffer x_;                                      // (N, C) residual stream
    Buffer h_;                                      // (N, C) normalised input of a sub-layer
    Buffer delta_;                                  // (N, C) sub-layer output
    Buffer logits_;                                 // (N, V)
    std::vector<int> row_seq_, row_pos_, row_tok_;  // (N)

    int trace_seq_ = -1;
    RoutingTrace* trace_ = nullptr;
};

}  // namespace tinyseek
