#include "core/generator.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>

#include "core/errors.h"
#include "core/generator_batch.h"
#include "core/rmsnorm.h"
#include "core/rope_scaling.h"

#include <omp.h>

namespace tinyseek {

const char* to_string(StopReason reason) {
    switch (reason) {
        case StopReason::stop_token:
            return "stop_token";
        case StopReason::max_new_tokens:
            return "max_new_tokens";
        case StopReason::context_full:
            return "context_full";
        case StopReason::cancelled:
            return "cancelled";
    }
    return "?";
}

Generator::Generator(const ParamStore& params, CacheMode mode)
    : params_(params),
      c_(params.config()),
      mode_(mode),
      rope_(rope_table<float>(c_)),
      sampler_(c_.vocab_size) {
    KvCacheGeometry::of(c_, mode);  // throws ConfigError for latent on an MHA/GQA model
}

Generator::~Generator() = default;

void Generator::reserve(int sequences, int max_tokens, int rows, bool mtp) {
    const int threads = std::max(1, omp_get_max_threads());
    with_mtp_ = mtp;
    const bool cache_fits = !mtp || cache_.layers() > c_.num_hidden_layers;
    if (sequences <= cap_sequences_ && max_tokens <= cap_tokens_ && rows <= cap_rows_ &&
        threads <= cap_threads_ && cache_fits) {
        cache_.clear_all();
        return;
    }
    cap_sequences_ = std::max(sequences, cap_sequences_);
    cap_tokens_ = std::max(max_tokens, cap_tokens_);
    cap_rows_ = std::max(rows, cap_rows_);
    cap_threads_ = std::max(threads, cap_threads_);
    // The MTP layer, once allocated, stays: plain generation simply leaves it unused.
    cache_ = KvCache(c_, mode_, cap_sequences_, cap_tokens_,
                     mtp || cache_.layers() > c_.num_hidden_layers);
    attn_ = std::make_unique<AttentionDecoder>(c_, mode_, cap_rows_, cap_tokens_, cap_threads_);
    ffn_ = std::make_unique<FfnDecoder>(c_, cap_rows_, cap_threads_);
    const size_t N = cap_rows_;
    x_.resize(N * c_.hidden_size);
    h_.resize(N * c_.hidden_size);
    delta_.resize(N * c_.hidden_size);
    logits_.resize(N * c_.vocab_size);
    hidden_.resize(N * c_.hidden_size);
    cat_.resize(N * 2 * c_.hidden_size);
    row_seq_.resize(N);
    row_pos_.resize(N);
    row_tok_.resize(N);
}

void Generator::load_weights() {
    const int L = c_.num_hidden_layers + (with_mtp_ ? 1 : 0);  // the MTP block is block L
    if (packed_blocks_ >= L) return;
    attn_w_.resize(L);
    ffn_w_.resize(L);
    attn_norm_.resize(L);
    ffn_norm_.resize(L);
    // Packing touches every weight once (~2M floats for tiny): one layer per thread. An
    // exception must not leave the parallel region, so it is carried out and rethrown.
    std::vector<std::exception_ptr> errors(L);
#pragma omp parallel for schedule(dynamic, 1)
    for (int l = 0; l < L; ++l) {
        try {
            attn_norm_[l] = params_.ptr(layer_prefix(l) + "input_layernorm.weight");
            ffn_norm_[l] = params_.ptr(layer_prefix(l) + "post_attention_layernorm.weight");
            attn_w_[l].load(params_, l, mode_);
            ffn_w_[l].load(params_, l);
        } catch (...) {
            errors[l] = std::current_exception();
        }
    }
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
    embed_ = params_.ptr("model.embed_tokens.weight");
    final_norm_ = params_.ptr("model.norm.weight");
    lm_head_.resize(c_.vocab_size, c_.hidden_size);
    lm_head_.set_rows(0, params_.ptr("lm_head.weight"), c_.vocab_size, c_.hidden_size);
    if (with_mtp_) load_mtp_weights();
    packed_blocks_ = L;
}

void Generator::forward_rows(const RowBatch& rows, const int* tokens, float* logits,
                             float* hidden) {
    const int n = rows.n;
    const int C = c_.hidden_size;
    // One parallel region for the whole forward; each thread owns a contiguous block of rows
    // and meets the others only at the barriers inside attention (cache written before it is
    // read) and the MoE (grouping rows by expert). A handful of rows stays on one thread.
#pragma omp parallel num_threads(cap_threads_) if (n >= kMinParallelRows && cap_threads_ > 1)
    {
        const auto [r0, r1] = own_rows(n);
        const int m = r1 - r0;
        const size_t at = static_cast<size_t>(r0) * C;
        float* x = x_.data() + at;  // own rows (m, C)
        for (int r = 0; r < m; ++r)
            std::memcpy(x + static_cast<size_t>(r) * C,
                        embed_ + static_cast<size_t>(tokens[r0 + r]) * C, C * sizeof(float));
        for (int l = 0; l < c_.num_hidden_layers; ++l) block_rows(l, rows, r0, r1);
        head_rows(final_norm_, logits, r0, r1);
        if (hidden && m > 0)  // the one place that picks the MTP module's hnorm input
            std::memcpy(hidden + at,
                        c_.mtp_hidden_input == MtpHiddenInput::final_norm ? h_.data() + at : x,
                        static_cast<size_t>(m) * C * sizeof(float));
    }
}

void Generator::head_rows(const float* norm, float* logits, int r0, int r1) {
    // h = rmsnorm(x) * norm; logits = h lm_head^T, own rows (m, V).
    const int C = c_.hidden_size, m = r1 - r0;
    if (m == 0) return;
    const size_t at = static_cast<size_t>(r0) * C;
    rmsnorm_forward(h_.data() + at, static_cast<float*>(nullptr), x_.data() + at, norm, m, C,
                    c_.rms_norm_eps);
    packed_gemm(logits + static_cast<size_t>(r0) * c_.vocab_size, c_.vocab_size, h_.data() + at, C,
                m, lm_head_);
}

void Generator::block_rows(int l, const RowBatch& rows, int r0, int r1) {
    // x += attn(rmsnorm(x));  x += mlp(rmsnorm(x))   (pre-norm residual block)
    const int C = c_.hidden_size, m = r1 - r0;
    const float eps = c_.rms_norm_eps;
    const size_t at = static_cast<size_t>(r0) * C;
    float* x = x_.data() + at;
    float* h = h_.data() + at;
    const float* d = delta_.data() + at;
    rmsnorm_forward(h, static_cast<float*>(nullptr), x, attn_norm_[l], m, C, eps);
    attn_->forward(delta_.data(), h_.data(), attn_w_[l], l, rows, r0, r1, cache_, rope_);
    for (size_t i = 0; i < static_cast<size_t>(m) * C; ++i) x[i] += d[i];
    rmsnorm_forward(h, static_cast<float*>(nullptr), x, ffn_norm_[l], m, C, eps);
    ffn_->forward(delta_.data(), h_.data(), ffn_w_[l], rows.n, r0, r1);
    for (size_t i = 0; i < static_cast<size_t>(m) * C; ++i) x[i] += d[i];
    // MoE layers are numbered among the main layers; the MTP block is not traced.
    if (trace_ && ffn_w_[l].moe && l < c_.num_hidden_layers) {
        const auto& layers = trace_->layers;
        const int moe_index =
            static_cast<int>(std::find(layers.begin(), layers.end(), l) - layers.begin());
        record_routing(rows, r0, r1, moe_index);
    }
}

void Generator::record_routing(const RowBatch& rows, int r0, int r1, int moe_index) {
    const int K = trace_->top_k;
    const size_t M = trace_->layers.size();
    for (int r = r0; r < r1; ++r) {
        if (rows.seq[r] != trace_seq_) continue;
        const size_t at = (static_cast<size_t>(rows.pos[r]) * M + moe_index) * K;
        std::copy_n(ffn_->experts() + r * K, K, trace_->experts.begin() + at);
        std::copy_n(ffn_->gate_weights() + r * K, K, trace_->weights.begin() + at);
    }
}

namespace {
void check_tokens(const std::vector<int>& tokens, int vocab, const std::string& what) {
    for (size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i] < 0 || tokens[i] >= vocab)
            throw Error(what + ": token " + std::to_string(i) + " is id " +
                        std::to_string(tokens[i]) + ", outside the vocabulary [0, " +
                        std::to_string(vocab) + ")");
}

struct PromptTotals {
    int longest = 0;
    int tokens = 0;
};

// Throws for options or prompts the model cannot run; the prompts' sizes otherwise.
PromptTotals check_request(const std::vector<std::vector<int>>& prompts,
                           const GenerationOptions& opt, const ModelConfig& c) {
    opt.sampling.validate();
    const int B = static_cast<int>(prompts.size());
    const int max_pos = c.max_position_embeddings;
    if (opt.max_new_tokens < 0)
        throw ConfigError("generate: max_new_tokens must be >= 0, got " +
                          std::to_string(opt.max_new_tokens));
    if (!opt.sequence_ids.empty() && static_cast<int>(opt.sequence_ids.size()) != B)
        throw ConfigError("generate: " + std::to_string(opt.sequence_ids.size()) +
                          " sequence ids for " + std::to_string(B) + " prompts");
    if (opt.trace_sequence >= B)
        throw ConfigError("generate: trace_sequence " + std::to_string(opt.trace_sequence) +
                          " but only " + std::to_string(B) + " prompts");
    if (opt.speculative && c.num_nextn_predict_layers < 1)
        throw ConfigError("generate: speculative decoding drafts with the MTP module, and model '" +
                          c.name + "' has none (num_nextn_predict_layers = 0)");
    PromptTotals totals;
    for (int i = 0; i < B; ++i) {
        const std::string what = "prompt " + std::to_string(i);
        if (prompts[i].empty()) throw Error(what + " is empty (start it with <bos>)");
        if (static_cast<int>(prompts[i].size()) >= max_pos)
            throw Error(what + " has " + std::to_string(prompts[i].size()) +
                        " tokens, the model's context is " + std::to_string(max_pos));
        check_tokens(prompts[i], c.vocab_size, what);
        totals.longest = std::max(totals.longest, static_cast<int>(prompts[i].size()));
        totals.tokens += static_cast<int>(prompts[i].size());
    }
    return totals;
}
}  // namespace

GenerationResult Generator::generate(const std::vector<std::vector<int>>& prompts,
                                     const GenerationOptions& opt) {
    const PromptTotals totals = check_request(prompts, opt, c_);
    const int B = static_cast<int>(prompts.size());
    GenerationResult result;
    result.sequences.resize(B);
    result.prompt_tokens = totals.tokens;
    if (B == 0 || opt.max_new_tokens == 0) return result;

    const int max_len = std::min(c_.max_position_embeddings, totals.longest + opt.max_new_tokens);
    // A speculative step feeds two rows per sequence.
    const int step_rows = opt.speculative ? 2 * B : B;
    reserve(B, max_len, std::max(step_rows, std::min(totals.tokens, kPrefillRows)),
            opt.speculative);
    load_weights();
    start_trace(opt.trace_sequence, max_len, result.routing);
    Batch batch(prompts, opt, result, c_.vocab_size);
    prefill(batch);
    if (opt.speculative)
        while (speculative_step(batch)) continue;
    else
        while (decode_step(batch)) continue;
    if (trace_) finish_trace(prompts[trace_seq_], result);
    return result;
}

void Generator::start_trace(int sequence, int max_len, RoutingTrace& t) {
    trace_seq_ = sequence;
    trace_ = nullptr;
    if (trace_seq_ < 0) return;
    for (int l = 0; l < c_.num_hidden_layers; ++l)
        if (c_.is_moe_layer(l)) t.layers.push_back(l);
    t.top_k = c_.num_experts_per_tok;
    const size_t cells = static_cast<size_t>(max_len) * t.layers.size() * t.top_k;
    t.experts.assign(cells, -1);
    t.weights.assign(cells, 0.0f);
    trace_ = &t;
}

void Generator::finish_trace(const std::vector<int>& prompt, GenerationResult& result) {
    RoutingTrace& t = result.routing;
    const int fed = cache_.length(trace_seq_);
    const std::vector<int>& gen = result.sequences[trace_seq_].tokens;
    t.tokens.assign(prompt.begin(), prompt.end());
    t.tokens.insert(t.tokens.end(), gen.begin(), gen.begin() + (fed - prompt.size()));
    const size_t cells = static_cast<size_t>(fed) * t.layers.size() * t.top_k;
    t.experts.resize(cells);
    t.weights.resize(cells);
    trace_ = nullptr;
}

void Generator::take(Batch& b, int i, const float* logits) {
    emit(b, i, sampler_.sample(logits, b.opt.sampling, b.rng[i]));
}

void Generator::emit(Batch& b, int i, const SampledToken& t) {
    SequenceOutput& out = b.result.sequences[i];
    out.tokens.push_back(t.token);
    out.logprob_sampling.push_back(t.logprob_sampling);
    out.logprob_model.push_back(t.logprob_model);
    out.entropy_model.push_back(t.entropy_model);
    if (b.opt.speculative) out.draft_outcome.push_back(SequenceOutput::kNotDrafted);
    ++b.result.generated_tokens;
    b.last[i] = t.token;
    const std::vector<int>& stops = b.opt.stop_tokens;
    if (std::find(stops.begin(), stops.end(), t.token) != stops.end()) {
        out.stop_reason = StopReason::stop_token;
    } else if (static_cast<int>(out.tokens.size()) >= b.opt.max_new_tokens) {
        out.stop_reason = StopReason::max_new_tokens;
    } else if (cache_.length(i) >= c_.max_position_embeddings) {
        out.stop_reason = StopReason::context_full;  // no position left for the token
    } else {
        return;
    }
    b.done[i] = 1;
}

void Generator::prefill(Batch& b) {
    const int B = b.size();
    int seq = 0, t = 0;
    while (seq < B) {
        int n = 0;
        while (seq < B && n < cap_rows_) {
            const std::vector<int>& prompt = b.prompts[seq];
            const int take_n = std::min(static_cast<int>(prompt.size()) - t, cap_rows_ - n);
            const int pos0 = cache_.append(seq, take_n);
            for (int j = 0; j < take_n; ++j, ++n) {
                row_seq_[n] = seq;
                row_pos_[n] = pos0 + j;
                row_tok_[n] = prompt[t + j];
            }
            t += take_n;
            if (t == static_cast<int>(prompt.size())) {
                ++seq;
                t = 0;
            }
        }
        const RowBatch rows{n, row_seq_.data(), row_pos_.data()};
        forward_rows(rows, row_tok_.data(), logits_.data(), with_mtp_ ? hidden_.data() : nullptr);
        ++b.result.main_forwards;
        for (int r = 0; r < n; ++r) {
            const int s = row_seq_[r];
            if (row_pos_[r] == static_cast<int>(b.prompts[s].size()) - 1) {
                ++b.result.sequences[s].main_forwards;
                take(b, s, logits_.data() + static_cast<size_t>(r) * c_.vocab_size);
            }
        }
        if (with_mtp_) prefill_mtp(b, n);
    }
}

bool Generator::decode_step(Batch& b) {
    int n = 0;
    for (int i = 0; i < b.size(); ++i)
        if (!b.done[i]) row_seq_[n++] = i;
    if (n == 0) return false;
    if (b.opt.cancel && b.opt.cancel->load(std::memory_order_relaxed)) {
        for (int r = 0; r < n; ++r)
            b.result.sequences[row_seq_[r]].stop_reason = StopReason::cancelled;
        return false;
    }
    for (int r = 0; r < n; ++r) {
        const int s = row_seq_[r];
        row_pos_[r] = cache_.append(s);
        row_tok_[r] = b.last[s];
    }
    const RowBatch rows{n, row_seq_.data(), row_pos_.data(), /*one_row_per_sequence=*/true};
    forward_rows(rows, row_tok_.data(), logits_.data());
    ++b.result.main_forwards;
    for (int r = 0; r < n; ++r) {
        ++b.result.sequences[row_seq_[r]].main_forwards;
        take(b, row_seq_[r], logits_.data() + static_cast<size_t>(r) * c_.vocab_size);
    }
    return true;
}

Logits Generator::logits(const std::vector<int>& tokens, int chunk) {
    return feed(tokens, chunk, /*mtp=*/false, "logits");
}

Logits Generator::feed(const std::vector<int>& tokens, int chunk, bool mtp, const char* what) {
    const int T = static_cast<int>(tokens.size());
    const std::string name = what;
    if (T == 0) throw Error(name + ": empty token sequence");
    if (T > c_.max_position_embeddings)
        throw Error(name + ": " + std::to_string(T) + " tokens, the model's context is " +
                    std::to_string(c_.max_position_embeddings));
    check_tokens(tokens, c_.vocab_size, name);
    if (chunk <= 0) chunk = T;
    chunk = std::min(chunk, kPrefillRows);
    reserve(1, T, chunk, mtp);
    load_weights();
    trace_ = nullptr;
    Logits out;
    out.tokens = mtp ? T - 1 : T;  // MTP: the last position has no t_{i+1}
    out.vocab = c_.vocab_size;
    out.values.resize(static_cast<size_t>(out.tokens) * c_.vocab_size);
    for (int t0 = 0; t0 < T; t0 += chunk) {
        const int n = std::min(chunk, T - t0);
        const int pos0 = cache_.append(0, n);
        for (int j = 0; j < n; ++j) {
            row_seq_[j] = 0;
            row_pos_[j] = pos0 + j;
        }
        float* rows_out = out.values.data() + static_cast<size_t>(t0) * c_.vocab_size;
        forward_rows(RowBatch{n, row_seq_.data(), row_pos_.data()}, tokens.data() + t0,
                     mtp ? logits_.data() : rows_out, mtp ? hidden_.data() : nullptr);
        const int m = std::min(n, T - 1 - t0);
        if (mtp && m > 0)
            mtp_forward(RowBatch{m, row_seq_.data(), row_pos_.data()}, tokens.data() + t0 + 1,
                        hidden_.data(), rows_out);
    }
    return out;
}

}  // namespace tinyseek
