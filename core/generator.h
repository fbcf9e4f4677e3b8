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
// Speculative decoding (GenerationOptions::speculative; DeepSeek-V3 §2.2 and §5.4.3): the
// depth-1 MTP block drafts one token and the main model verifies it in the same forward that
// decodes the pending token, so a sequence advances by one or two tokens per main-model
// forward. State of an active sequence between steps: cells 0..n-1 cached in every layer
// (the MTP layer included), the pending token t_n, and a draft d for t_{n+1} taken from the
// MTP block's row n-1 (h_{n-1}, t_n). A step feeds rows (t_n at n, d at n+1); row n's
// logits decide d (greedy: d == argmax; sampling: core/speculative.h), and when d is kept
// row n+1's logits give a bonus token. The cache is rolled back to the kept cells, the MTP
// block runs over the new cells (h_i, t_{i+1}) and its last row drafts the next d. Greedy
// output is token-for-token that of plain decoding; sampled output has its distribution.
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
    // Draft with the MTP module and verify with the main model (see above). Needs a model
    // with num_nextn_predict_layers = 1 (ConfigError otherwise).
    // The MTP module reads the hidden state its checkpoint was trained on
    // (ModelConfig::mtp_hidden_input).
    bool speculative = false;
};

enum class StopReason { stop_token, max_new_tokens, context_full, cancelled };
const char* to_string(StopReason reason);

struct SequenceOutput {
    std::vector<int> tokens;              // generated tokens (a final stop token included)
    std::vector<float> logprob_sampling;  // log q(token) under the sampling distribution
    std::vector<float> logprob_model;     // log softmax(logits)[token]
    std::vector<float> entropy_model;     // entropy of softmax(logits) at that token, nats
    StopReason stop_reason = StopReason::max_new_tokens;
    // Speculative decoding only (empty otherwise): per generated token, kDraftAccepted when
    // it is a kept draft, kDraftRejected when it replaced a rejected draft, kNotDrafted for
    // the rest (the first token, bonus tokens, steps without room for a draft).
    std::vector<signed char> draft_outcome;
    static constexpr signed char kNotDrafted = -1, kDraftRejected = 0, kDraftAccepted = 1;
    // Main-model forwards that produced this sequence's tokens (the prefill counts once), so
    // tokens.size() / main_forwards is its tokens per forward (1 without speculation).
    int main_forwards = 0;
};

// Drafts and acceptances of speculative decoding, overall and by the index of the drafted
// token in its completion.
struct SpeculationStats {
    long drafted = 0;
    long accepted = 0;
    std::vector<long> drafted_at;   // (longest completion) drafts per completion index
    std::vector<long> accepted_at;  // (longest completion)
    long tokens = 0;                // generated, over all sequences
    long main_forwards = 0;         // summed over sequences (SequenceOutput::main_forwards)
    double acceptance_rate() const { return drafted ? double(accepted) / drafted : 0.0; }
    double tokens_per_forward() const {
        return main_forwards ? double(tokens) / main_forwards : 0.0;
    }
};
SpeculationStats speculation_stats(const std::vector<SequenceOutput>& sequences);

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
    int main_forwards = 0;  // forward calls of the main model (prefill chunks included)
};

class Generator {
  public:
    // Packs the weights of `params` on first use (about 1 ms for tiny, as long as a batch-1
    // completion takes) and keeps them: call reload_weights() after changing `params`, or
    // build a Generator per training step. `params` must outlive the Generator. Throws
    // ConfigError if `mode` does not fit the model.
    Generator(const ParamStore& params, CacheMode mode);
    ~Generator();

    // The next call packs the parameters again (they were changed since the last call).
    void reload_weights() { packed_blocks_ = 0; }

    GenerationResult generate(const std::vector<std::vector<int>>& prompts,
                              const GenerationOptions& options);

    // Logits (T, V) of every position of `tokens` through the cache path: the tokens are fed
    // `chunk` at a time (0 = all at once, 1 = one decode step per token).
    Logits logits(const std::vector<int>& tokens, int chunk = 0);

    // MTP logits (T - 1, V) of `tokens` through the cache path: row i is the MTP module's
    // prediction of t_{i+2} from h_i and t_{i+1} (the draft a speculative step would take),
    // fed `chunk` positions at a time as logits() does. Throws ConfigError without MTP.
    Logits mtp_logits(const std::vector<int>& tokens, int chunk = 0);

    CacheMode mode() const { return mode_; }
    const KvCache& cache() const { return cache_; }
    // Rows per forward call during prefill (a prompt longer than this is fed in pieces).
    static constexpr int kPrefillRows = 256;
    // Fewer rows than this run on one thread (a fork/join would cost more than it saves).
    static constexpr int kMinParallelRows = 8;

  private:
    using Buffer = std::vector<float, Eigen::aligned_allocator<float>>;

    // With `mtp`, the cache gets the MTP layer and the MTP weights are loaded.
    void reserve(int sequences, int max_tokens, int rows, bool mtp = false);
    // Packs the parameters (decode_gemm layout) unless the blocks needed are packed already.
    void load_weights();
    // logits (n, V) for the rows; positions must already be claimed in the cache. With
    // `hidden`, also the rows' hidden state the MTP module reads (n, C).
    void forward_rows(const RowBatch& rows, const int* tokens, float* logits,
                      float* hidden = nullptr);
    // Block l (a main layer, or the MTP block at num_hidden_layers) on the residual rows
    // x_ [r0, r1); called by every thread of the forward's team.
    void block_rows(int l, const RowBatch& rows, int r0, int r1);
    // logits rows [r0, r1) = lm_head(rmsnorm(x_ rows) * norm); h_ keeps the normed rows.
    void head_rows(const float* norm, float* logits, int r0, int r1);
    // MTP module over the rows: h'_i = eh_proj([enorm(emb(next_i)) ; hnorm(hidden_i)]), block
    // L (its cache layer), shared_head.norm, lm_head -> logits (n, V).
    void mtp_forward(const RowBatch& rows, const int* next_tokens, const float* hidden,
                     float* logits);
    void load_mtp_weights();
    // logits() and mtp_logits(): `tokens` through the cache, `chunk` rows at a time.
    Logits feed(const std::vector<int>& tokens, int chunk, bool mtp, const char* what);
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
    // Appends `t` to sequence i's output and decides whether it stops.
    void emit(Batch& batch, int i, const SampledToken& t);
    // Speculative phases (core/generator_speculative.cpp).
    void prefill_mtp(Batch& batch, int n);  // MTP rows of the prefill chunk just run
    bool speculative_step(Batch& batch);
    // Decides the draft of sequence i from main-model logits row r (and r + 1 for a bonus).
    void verify(Batch& batch, int i, int r);
    // Runs the MTP block over rows [0, n) of row_* / hidden_ and drafts for sequences whose
    // last row is among them.
    void run_mtp(Batch& batch, int n, const int* next_tokens);
    void draft(Batch& batch, int i, const float* mtp_logits);

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
    // MTP module (speculative decoding): attn_w_/ffn_w_/norms then hold L + 1 blocks.
    bool with_mtp_ = false;
    int packed_blocks_ = 0;  // blocks whose weights are packed (the MTP block is the last)
    const float *enorm_ = nullptr, *hnorm_ = nullptr, *mtp_head_norm_ = nullptr;
    PackedMatrix eh_proj_;  // (C, 2C)

    Buffer x_;                                      // (N, C) residual stream
    Buffer h_;                                      // (N, C) normalised input of a sub-layer
    Buffer delta_;                                  // (N, C) sub-layer output
    Buffer logits_;                                 // (N, V)
    Buffer hidden_;                                 // (N, C) MTP input rows (speculative)
    Buffer cat_;                                    // (N, 2C) [enorm(emb) | hnorm(hidden)]
    std::vector<int> row_seq_, row_pos_, row_tok_;  // (N)

    int trace_seq_ = -1;
    RoutingTrace* trace_ = nullptr;
};

}  // namespace tinyseek
