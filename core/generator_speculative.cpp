// Speculative decoding with the MTP module as the draft model (core/generator.h describes
// the step; core/speculative.h the acceptance rule when sampling).
#include <algorithm>
#include <cmath>
#include <cstring>

#include <omp.h>

#include "core/errors.h"
#include "core/generator.h"
#include "core/generator_batch.h"
#include "core/rmsnorm.h"
#include "core/speculative.h"

namespace tinyseek {

SpeculationStats speculation_stats(const std::vector<SequenceOutput>& sequences) {
    SpeculationStats s;
    for (const SequenceOutput& out : sequences) {
        const size_t n = out.draft_outcome.size();
        s.tokens += static_cast<long>(out.tokens.size());
        s.main_forwards += out.main_forwards;
        if (s.drafted_at.size() < n) {
            s.drafted_at.resize(n, 0);
            s.accepted_at.resize(n, 0);
        }
        for (size_t k = 0; k < n; ++k) {
            if (out.draft_outcome[k] == SequenceOutput::kNotDrafted) continue;
            const bool kept = out.draft_outcome[k] == SequenceOutput::kDraftAccepted;
            ++s.drafted;
            ++s.drafted_at[k];
            s.accepted += kept;
            s.accepted_at[k] += kept;
        }
    }
    return s;
}

void Generator::load_mtp_weights() {
    const std::string p = layer_prefix(c_.num_hidden_layers);
    const int C = c_.hidden_size;
    enorm_ = params_.ptr(p + "enorm.weight");
    hnorm_ = params_.ptr(p + "hnorm.weight");
    mtp_head_norm_ = params_.ptr(p + "shared_head.norm.weight");
    eh_proj_.resize(C, 2 * C);
    eh_proj_.set_rows(0, params_.ptr(p + "eh_proj.weight"), C, 2 * C);
}

void Generator::mtp_forward(const RowBatch& rows, const int* next_tokens, const float* hidden,
                            float* logits) {
    const int n = rows.n, C = c_.hidden_size;
    const float eps = c_.rms_norm_eps;
#pragma omp parallel num_threads(cap_threads_) if (n >= kMinParallelRows && cap_threads_ > 1)
    {
        const auto [r0, r1] = own_rows(n);
        const int m = r1 - r0;
        float* cat = cat_.data() + static_cast<size_t>(r0) * 2 * C;  // own rows (m, 2C)
        for (int r = 0; r < m; ++r) {
            float* row = cat + static_cast<size_t>(r) * 2 * C;
            const float* emb = embed_ + static_cast<size_t>(next_tokens[r0 + r]) * C;
            rmsnorm_forward(row, static_cast<float*>(nullptr), emb, enorm_, 1, C, eps);
            rmsnorm_forward(row + C, static_cast<float*>(nullptr),
                            hidden + static_cast<size_t>(r0 + r) * C, hnorm_, 1, C, eps);
        }
        if (m > 0)  // h'_i, the block's input
            packed_gemm(x_.data() + static_cast<size_t>(r0) * C, C, cat, 2 * C, m, eh_proj_);
        block_rows(c_.num_hidden_layers, rows, r0, r1);
        head_rows(mtp_head_norm_, logits, r0, r1);  // shared_head.norm, the shared lm_head
    }
}

Logits Generator::mtp_logits(const std::vector<int>& tokens, int chunk) {
    if (c_.num_nextn_predict_layers < 1)
        throw ConfigError("mtp_logits: model '" + c_.name + "' has no MTP module");
    if (tokens.size() < 2) throw Error("mtp_logits: needs at least two tokens");
    return feed(tokens, chunk, /*mtp=*/true, "mtp_logits");
}

void Generator::prefill_mtp(Batch& b, int n) {
    // MTP row i pairs h_i with t_{i+1}: the next prompt token, or for the prompt's last row
    // the token just sampled from it.
    for (int r = 0; r < n; ++r) {
        const std::vector<int>& prompt = b.prompts[row_seq_[r]];
        const int next = row_pos_[r] + 1;
        row_tok_[r] = next < static_cast<int>(prompt.size()) ? prompt[next] : b.last[row_seq_[r]];
    }
    run_mtp(b, n, row_tok_.data());
}

void Generator::run_mtp(Batch& b, int n, const int* next_tokens) {
    if (n == 0) return;
    const RowBatch rows{n, row_seq_.data(), row_pos_.data()};
    mtp_forward(rows, next_tokens, hidden_.data(), logits_.data());
    for (int r = 0; r < n; ++r) {
        const int s = row_seq_[r];
        const int len = cache_.length(s);
        // The sequence's last cached row drafts; a prompt cut across prefill chunks drafts
        // only from its final chunk, so random streams do not depend on the chunking.
        if (!b.done[s] && row_pos_[r] + 1 == len && len >= static_cast<int>(b.prompts[s].size()))
            draft(b, s, logits_.data() + static_cast<size_t>(r) * c_.vocab_size);
    }
}

void Generator::draft(Batch& b, int i, const float* mtp_logits) {
    const int pending = cache_.length(i);  // position of the token the next step feeds
    b.draft[i] = -1;
    // A draft needs a cell after the pending token (a bonus token beyond max_new_tokens is
    // simply not taken).
    if (pending + 1 >= std::min(c_.max_position_embeddings, cache_.max_tokens())) return;
    const SamplingParams& sp = b.opt.sampling;
    if (sp.greedy()) {
        b.draft[i] =
            static_cast<int>(std::max_element(mtp_logits, mtp_logits + c_.vocab_size) - mtp_logits);
        return;
    }
    b.draft[i] = sampler_.sample(mtp_logits, sp, b.rng[i]).token;
    sampler_.distribution(mtp_logits, sp, b.q.data() + static_cast<size_t>(i) * c_.vocab_size);
}

void Generator::verify(Batch& b, int i, int r) {
    const int V = c_.vocab_size;
    const float* logits = logits_.data() + static_cast<size_t>(r) * V;
    const int d = b.draft[i];
    b.draft[i] = -1;
    cache_.truncate(i, row_pos_[r] + 1);  // drop the draft's cell until it is accepted
    if (d < 0) {
        take(b, i, logits);
        return;
    }
    bool accepted = false;
    if (b.opt.sampling.greedy()) {
        take(b, i, logits);
        accepted = b.last[i] == d;
    } else {
        sampler_.distribution(logits, b.opt.sampling, b.p.data());
        const DraftVerdict v =
            verify_draft(b.p.data(), b.q.data() + static_cast<size_t>(i) * V, V, d, b.rng[i]);
        SampledToken t;
        t.token = v.token;
        t.logprob_sampling = static_cast<float>(std::log(b.p[v.token]));
        const ModelTokenStats stats = model_token_stats(logits, V, v.token);
        t.logprob_model = stats.logprob;
        t.entropy_model = stats.entropy;
        emit(b, i, t);
        accepted = v.accepted;
    }
    b.result.sequences[i].draft_outcome.back() =
        accepted ? SequenceOutput::kDraftAccepted : SequenceOutput::kDraftRejected;
    if (accepted && !b.done[i]) {
        cache_.append(i, 1);     // the draft's cell, already written, is kept
        take(b, i, logits + V);  // the bonus token, from the draft's row
    }
}

bool Generator::speculative_step(Batch& b) {
    std::vector<int>& first = b.first_row;
    int active = 0;
    for (int i = 0; i < b.size(); ++i) active += !b.done[i];
    if (active == 0) return false;
    if (b.opt.cancel && b.opt.cancel->load(std::memory_order_relaxed)) {
        for (int i = 0; i < b.size(); ++i)
            if (!b.done[i]) b.result.sequences[i].stop_reason = StopReason::cancelled;
        return false;
    }
    int n = 0;
    for (int i = 0; i < b.size(); ++i) {
        if (b.done[i]) continue;
        first[i] = n;
        const int rows = b.draft[i] >= 0 ? 2 : 1;  // the pending token, then the draft
        const int pos0 = cache_.append(i, rows);
        for (int j = 0; j < rows; ++j, ++n) {
            row_seq_[n] = i;
            row_pos_[n] = pos0 + j;
            row_tok_[n] = j == 0 ? b.last[i] : b.draft[i];
        }
    }
    const RowBatch rows{n, row_seq_.data(), row_pos_.data()};
    forward_rows(rows, row_tok_.data(), logits_.data(), hidden_.data());
    ++b.result.main_forwards;
    for (int r = 0; r < n; ++r) {
        const int s = row_seq_[r];
        if (first[s] != r) continue;
        ++b.result.sequences[s].main_forwards;
        verify(b, s, r);
    }
    // The kept cells go through the MTP block (finished sequences too, so every cached cell
    // has its MTP cell), compacted in place (row m <= r): MTP row p pairs h_p with t_{p+1},
    // the token emitted for position p + 1.
    const int C = c_.hidden_size;
    int m = 0;
    for (int r = 0; r < n; ++r) {
        const int s = row_seq_[r], pos = row_pos_[r];
        if (pos >= cache_.length(s)) continue;
        row_seq_[m] = s;
        row_pos_[m] = pos;
        row_tok_[m] = b.result.sequences[s].tokens[pos + 1 - b.prompts[s].size()];
        if (m != r)
            std::memcpy(hidden_.data() + static_cast<size_t>(m) * C,
                        hidden_.data() + static_cast<size_t>(r) * C, C * sizeof(float));
        ++m;
    }
    run_mtp(b, m, row_tok_.data());
    return true;
}

}  // namespace tinyseek
