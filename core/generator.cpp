#include "core/generator.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>

#include "core/errors.h"
#include "core/rmsnorm.h"

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
      rope_(c_.qk_rope_head_dim, c_.max_position_embeddings, c_.rope_theta),
      sampler_(c_.vocab_size) {
    KvCacheGeometry::of(c_, mode);  // throws ConfigError for latent on an MHA/GQA model
}

Generator::~Generator() = default;

void Generator::reserve(int sequences, int max_tokens, int rows) {
    const int threads = std::max(1, omp_get_max_threads());
    if (sequences <= cap_sequences_ && max_tokens <= cap_tokens_ && rows <= cap_rows_ &&
        threads <= cap_threads_) {
        cache_.clear_all();
        return;
    }
    cap_sequences_ = std::max(sequences, cap_sequences_);
    cap_tokens_ = std::max(max_tokens, cap_tokens_);
    cap_rows_ = std::max(rows, cap_rows_);
    cap_threads_ = std::max(threads, cap_threads_);
    cache_ = KvCache(c_, mode_, cap_sequences_, cap_tokens_);
    attn_ = std::make_unique<AttentionDecoder>(c_, mode_, cap_rows_, cap_tokens_, cap_threads_);
    ffn_ = std::make_unique<FfnDecoder>(c_, cap_rows_, cap_threads_);
    const size_t N = cap_rows_;
    x_.resize(N * c_.hidden_size);
    h_.resize(N * c_.hidden_size);
    delta_.resize(N * c_.hidden_size);
    logits_.resize(N * c_.vocab_size);
    row_seq_.resize(N);
    row_pos_.resize(N);
    row_tok_.resize(N);
}

void Generator::load_weights() {
    const int L = c_.num_hidden_layers;
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
}

void Generator::forward_rows(const RowBatch& rows, const int* tokens, float* logits) {
    const int n = rows.n;
    const int C = c_.hidden_size;
    const float eps = c_.rms_norm_eps;
    // One parallel region for the whole forward; each thread owns a contiguous block of rows
    // and meets the others only at the barriers inside attention (cache written before it is
    // read) and the MoE (grouping rows by expert). A handful of rows stays on one thread.
    const bool parallel = n >= kMinParallelRows && cap_threads_ > 1;
#pragma omp parallel num_threads(cap_threads_) if (parallel)
    {
        const int parts = omp_get_num_threads(), part = omp_get_thread_num();
        const int r0 = static_cast<int>(static_cast<long>(n) * part / parts);
        const int r1 = static_cast<int>(static_cast<long>(n) * (part + 1) / parts);
        const int m = r1 - r0;
        const size_t at = static_cast<size_t>(r0) * C;
        float* x = x_.data() + at;  // own rows (m, C)
        float* h = h_.data() + at;
        const float* d = delta_.data() + at;
        for (int r = 0; r < m; ++r)
            std::memcpy(x + static_cast<size_t>(r) * C,
                        embed_ + static_cast<size_t>(tokens[r0 + r]) * C, C * sizeof(float));
        int moe_index = 0;
        for (int l = 0; l < c_.num_hidden_layers; ++l) {
            // x += attn(rmsnorm(x));  x += mlp(rmsnorm(x))   (pre-norm residual block)
            rmsnorm_forward(h, static_cast<float*>(nullptr), x, attn_norm_[l], m, C, eps);
            attn_->forward(delta_.data(), h_.data(), attn_w_[l], l, rows, r0, r1, cache_, rope_);
            for (size_t i = 0; i < static_cast<size_t>(m) * C; ++i) x[i] += d[i];
            rmsnorm_forward(h, static_cast<float*>(nullptr), x, ffn_norm_[l], m, C, eps);
            ffn_->forward(delta_.data(), h_.data(), ffn_w_[l], n, r0, r1);
            for (size_t i = 0; i < static_cast<size_t>(m) * C; ++i) x[i] += d[i];
            if (ffn_w_[l].moe) {
                if (trace_) record_routing(rows, r0, r1, moe_index);
                ++moe_index;
            }
        }
        if (m > 0) {
            rmsnorm_forward(h, static_cast<float*>(nullptr), x, final_norm_, m, C, eps);
            packed_gemm(logits + static_cast<size_t>(r0) * c_.vocab_size, c_.vocab_size, h, C, m,
                        lm_head_);  // (m, V)
        }
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
}  // namespace

GenerationResult Generator::generate(const std::vector<std::vector<int>>& prompts,
                                     const GenerationOptions& opt) {
    opt.sampling.validate();
    const int B = static_cast<int>(prompts.size());
    const int max_pos = c_.max_position_embeddings;
    if (opt.max_new_tokens < 0)
        throw ConfigError("generate: max_new_tokens must be >= 0, got " +
                          std::to_string(opt.max_new_tokens));
    if (!opt.sequence_ids.empty() && static_cast<int>(opt.sequence_ids.size()) != B)
        throw ConfigError("generate: " + std::to_string(opt.sequence_ids.size()) +
                          " sequence ids for " + std::to_string(B) + " prompts");
    if (opt.trace_sequence >= B)
        throw ConfigError("generate: trace_sequence " + std::to_string(opt.trace_sequence) +
                          " but only " + std::to_string(B) + " prompts");
    int longest = 0, total_prompt = 0;
    for (int i = 0; i < B; ++i) {
        const std::string what = "prompt " + std::to_string(i);
        if (prompts[i].empty()) throw Error(what + " is empty (start it with <bos>)");
        if (static_cast<int>(prompts[i].size()) >= max_pos)
            throw Error(what + " has " + std::to_string(prompts[i].size()) +
                        " tokens, the model's context is " + std::to_string(max_pos));
        check_tokens(prompts[i], c_.vocab_size, what);
        longest = std::max(longest, static_cast<int>(prompts[i].size()));
        total_prompt += static_cast<int>(prompts[i].size());
    }
    GenerationResult result;
    result.sequences.resize(B);
    result.prompt_tokens = total_prompt;
    if (B == 0 || opt.max_new_tokens == 0) return result;

    const int max_len = std::min(max_pos, longest + opt.max_new_tokens);
    reserve(B, max_len, std::max(B, std::min(total_prompt, kPrefillRows)));
    load_weights();

    // Routing trace of one sequence (off by default).
    trace_seq_ = opt.trace_sequence;
    trace_ = nullptr;
    if (trace_seq_ >= 0) {
        RoutingTrace& t = result.routing;
        for (int l = 0; l < c_.num_hidden_layers; ++l)
            if (c_.is_moe_layer(l)) t.layers.push_back(l);
        t.top_k = c_.num_experts_per_tok;
        const size_t cells = static_cast<size_t>(max_len) * t.layers.size() * t.top_k;
        t.experts.assign(cells, -1);
        t.weights.assign(cells, 0.0f);
        trace_ = &t;
    }

    std::vector<SequenceRng> rng(B);
    for (int i = 0; i < B; ++i)
        rng[i] = SequenceRng(opt.seed, opt.sequence_ids.empty() ? i : opt.sequence_ids[i]);
    std::vector<int> last(B, -1);  // token to feed next
    std::vector<char> done(B, 0);

    // Samples the next token of sequence i from its logits row and decides whether it stops.
    auto take = [&](int i, const float* logits) {
        const SampledToken t = sampler_.sample(logits, opt.sampling, rng[i]);
        SequenceOutput& out = result.sequences[i];
        out.tokens.push_back(t.token);
        out.logprob_sampling.push_back(t.logprob_sampling);
        out.logprob_model.push_back(t.logprob_model);
        ++result.generated_tokens;
        last[i] = t.token;
        const bool stop = std::find(opt.stop_tokens.begin(), opt.stop_tokens.end(), t.token) !=
                          opt.stop_tokens.end();
        if (stop) {
            out.stop_reason = StopReason::stop_token;
        } else if (static_cast<int>(out.tokens.size()) >= opt.max_new_tokens) {
            out.stop_reason = StopReason::max_new_tokens;
        } else if (cache_.length(i) >= max_pos) {
            out.stop_reason = StopReason::context_full;  // no position left for the token
        } else {
            return;
        }
        done[i] = 1;
    };

    // Prefill: all prompt tokens, sequence-major, in chunks of at most cap_rows_ rows. A
    // sequence's first new token is sampled from the logits of its last prompt row.
    {
        int seq = 0, t = 0;
        while (seq < B) {
            int n = 0;
            while (seq < B && n < cap_rows_) {
                const int take_n =
                    std::min(static_cast<int>(prompts[seq].size()) - t, cap_rows_ - n);
                const int pos0 = cache_.append(seq, take_n);
                for (int j = 0; j < take_n; ++j, ++n) {
                    row_seq_[n] = seq;
                    row_pos_[n] = pos0 + j;
                    row_tok_[n] = prompts[seq][t + j];
                }
                t += take_n;
                if (t == static_cast<int>(prompts[seq].size())) {
                    ++seq;
                    t = 0;
                }
            }
            const RowBatch rows{n, row_seq_.data(), row_pos_.data()};
            forward_rows(rows, row_tok_.data(), logits_.data());
            for (int r = 0; r < n; ++r) {
                const int s = row_seq_[r];
                if (row_pos_[r] == static_cast<int>(prompts[s].size()) - 1)
                    take(s, logits_.data() + static_cast<size_t>(r) * c_.vocab_size);
            }
        }
    }

    // Decode: one row per unfinished sequence per step.
    for (;;) {
        int n = 0;
        for (int i = 0; i < B; ++i)
            if (!done[i]) row_seq_[n++] = i;
        if (n == 0) break;
        if (opt.cancel && opt.cancel->load(std::memory_order_relaxed)) {
            for (int r = 0; r < n; ++r)
                result.sequences[row_seq_[r]].stop_reason = StopReason::cancelled;
            break;
        }
        for (int r = 0; r < n; ++r) {
            const int s = row_seq_[r];
            row_pos_[r] = cache_.append(s);
            row_tok_[r] = last[s];
        }
        const RowBatch rows{n, row_seq_.data(), row_pos_.data(), /*one_row_per_sequence=*/true};
        forward_rows(rows, row_tok_.data(), logits_.data());
        for (int r = 0; r < n; ++r)
            take(row_seq_[r], logits_.data() + static_cast<size_t>(r) * c_.vocab_size);
    }

    if (trace_) {
        RoutingTrace& t = result.routing;
        const int fed = cache_.length(trace_seq_);
        const std::vector<int>& prompt = prompts[trace_seq_];
        const std::vector<int>& gen = result.sequences[trace_seq_].tokens;
        t.tokens.assign(prompt.begin(), prompt.end());
        t.tokens.insert(t.tokens.end(), gen.begin(), gen.begin() + (fed - prompt.size()));
        const size_t cells = static_cast<size_t>(fed) * t.layers.size() * t.top_k;
        t.experts.resize(cells);
        t.weights.resize(cells);
        trace_ = nullptr;
    }
    return result;
}

Logits Generator::logits(const std::vector<int>& tokens, int chunk) {
    const int T = static_cast<int>(tokens.size());
    if (T == 0) throw Error("logits: empty token sequence");
    if (T > c_.max_position_embeddings)
        throw Error("logits: " + std::to_string(T) + " tokens, the model's context is " +
                    std::to_string(c_.max_position_embeddings));
    check_tokens(tokens, c_.vocab_size, "logits");
    if (chunk <= 0) chunk = T;
    chunk = std::min(chunk, kPrefillRows);
    reserve(1, T, chunk);
    load_weights();
    trace_ = nullptr;
    Logits out;
    out.tokens = T;
    out.vocab = c_.vocab_size;
    out.values.resize(static_cast<size_t>(T) * c_.vocab_size);
    for (int t0 = 0; t0 < T; t0 += chunk) {
        const int n = std::min(chunk, T - t0);
        const int pos0 = cache_.append(0, n);
        for (int j = 0; j < n; ++j) {
            row_seq_[j] = 0;
            row_pos_[j] = pos0 + j;
        }
        const RowBatch rows{n, row_seq_.data(), row_pos_.data()};
        forward_rows(rows, tokens.data() + t0,
                     out.values.data() + static_cast<size_t>(t0) * c_.vocab_size);
    }
    return out;
}

}  // namespace tinyseek
