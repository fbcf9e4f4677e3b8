#include "core/model.h"

#include <algorithm>
#include <array>
#include <exception>
#include <span>
#include <string>
#include <utility>

#include <omp.h>

#include "core/errors.h"
#include "core/grad_norm.h"
#include "core/linear.h"
#include "core/rmsnorm.h"
#include "core/rope_scaling.h"
#include "core/shard_plan.h"

namespace tinyseek {

template <typename T>
struct BasicModel<T>::Shard {
    // Its sequences (batch indices, longest first), each cut to seq_len = the longest one's
    // length: the rows b*T + t with t >= seq_len are padding the shard never computes.
    std::vector<int> seqs;
    int seq_len = 0;
    std::vector<int> tokens, lengths;  // (seqs, seq_len) and (seqs), copied from the batch
    std::vector<std::unique_ptr<TransformerBlock<T>>> blocks;  // (num_blocks)
    SequenceBatch<T> batch;

    int rows() const { return static_cast<int>(seqs.size()) * seq_len; }

    // Forward activations (n = seqs * seq_len rows), in its worker's arena, as are the blocks'.
    std::span<int> positions;               // (n)
    std::span<T> resid;                     // (L + 1, n, C) residual stream at each block boundary
    std::span<T> final_rstd;                // (n)
    std::span<T> emb_next;                  // (n, C) emb(t_{i+1}), zero past the end      (MTP)
    std::span<T> en, en_rstd, hh, hh_rstd;  // (n, C), (n): enorm / hnorm    (MTP)
    std::span<T> cat;                       // (n, 2C) [en | hh]             (MTP)
    std::span<T> xm, hm, hmn, hmn_rstd;     // (n, C) block input/output, shared_head.norm
    std::span<T> logits, mtp_logits, hidden;  // (n, V) x2, (n, C): its rows of the outputs

    // Backward buffers.
    std::span<T> d, dn, dm, de, dcat;            // (n, C) x4, (n, 2C)
    std::span<T> dlogits, dmtp_logits, dhidden;  // its valid rows of the caller's gradients
    Scratch<T> scratch;
};

// One OpenMP thread's share of a batch: its shards, run in turn, with their activations one
// after another in one arena (whose size varies less from batch to batch than a shard's).
template <typename T>
struct BasicModel<T>::Worker {
    std::vector<int> shards;
    ActivationArena arena;
    std::vector<std::array<int, 3>> laid_out;  // (shard, sequences, seq_len) the arena holds
    AlignedVector<T> grad;                     // its gradient block (workers 1..)
};

namespace {

// Runs f(0..S-1), one index (a worker) per OpenMP thread (inline when S == 1, so that Eigen
// may use its own threads for a single sequence). Exceptions are carried out of the parallel
// region.
template <typename F>
void run_shards(int S, F&& f) {
    if (S == 1) {
        f(0);
        return;
    }
    std::vector<std::exception_ptr> errors(S);
#pragma omp parallel for num_threads(std::min(S, omp_get_max_threads())) schedule(static, 1)
    for (int s = 0; s < S; ++s) {
        try {
            f(s);
        } catch (...) {
            errors[s] = std::current_exception();
        }
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

// Copies one sequence's `valid` rows of `width` values from src to dst and zeroes the rest of
// its `dst_rows` rows in dst: between a shard's rows and the batch's, either way.
template <typename T>
void copy_valid_rows(T* dst, size_t dst_rows, const T* src, size_t valid, size_t width) {
    std::copy_n(src, valid * width, dst);
    std::fill_n(dst + valid * width, (dst_rows - valid) * width, T(0));
}

const ModelConfig& validated(const ModelConfig& config) {
    config.validate("model config");
    return config;
}

}  // namespace

template <typename T>
BasicModel<T>::BasicModel(const ModelConfig& config)
    : config_(validated(config)), layout_(config_), rope_(rope_table<T>(config_)) {
    w_embed_ = layout_.at("model.embed_tokens.weight").offset;
    w_norm_ = layout_.at("model.norm.weight").offset;
    w_head_ = layout_.at("lm_head.weight").offset;
    has_mtp_ = config_.num_nextn_predict_layers > 0;
    if (has_mtp_) {
        const std::string p = layer_prefix(config_.num_hidden_layers);
        w_enorm_ = layout_.at(p + "enorm.weight").offset;
        w_hnorm_ = layout_.at(p + "hnorm.weight").offset;
        w_eh_ = layout_.at(p + "eh_proj.weight").offset;
        w_mtp_norm_ = layout_.at(p + "shared_head.norm.weight").offset;
    }
}

template <typename T>
BasicModel<T>::~BasicModel() = default;

template <typename T>
void BasicModel<T>::check_store(const ParamStore& store) const {
    if (store.layout().total_floats() != layout_.total_floats())
        throw Error("model: parameter block has " + std::to_string(store.layout().total_floats()) +
                    " floats, this model's layout needs " + std::to_string(layout_.total_floats()));
}

template <typename T>
std::unique_ptr<typename BasicModel<T>::Shard> BasicModel<T>::make_shard() const {
    auto shard = std::make_unique<Shard>();
    for (int l = 0; l < config_.num_blocks(); ++l)
        shard->blocks.push_back(std::make_unique<TransformerBlock<T>>(config_, layout_, l));
    return shard;
}

// One shard's arena for B sequences of T tokens: the model's own buffers, then each block's.
template <typename T>
void BasicModel<T>::lay_out_shard(Shard& s, ArenaPlanner& p, int B, int T_len) const {
    const int64_t n = static_cast<int64_t>(B) * T_len, C = config_.hidden_size,
                  V = config_.vocab_size;
    const int L = config_.num_hidden_layers;
    p.set_scope("model.");
    s.positions = p.take<int>("positions", {n});
    s.resid = p.take<T>("residual", {L + 1, n, C});
    s.final_rstd = p.take<T>("norm_rstd", {n});
    s.hidden = p.take<T>("hidden", {n, C});
    s.logits = p.take<T>("logits", {n, V});
    for (int l = 0; l < L; ++l) s.blocks[l]->lay_out(p, B, T_len);
    if (has_mtp_) {
        p.set_scope(layer_prefix(L));
        s.emb_next = p.take<T>("embed_next", {n, C});
        s.en = p.take<T>("enorm", {n, C});
        s.en_rstd = p.take<T>("enorm_rstd", {n});
        s.hh = p.take<T>("hnorm", {n, C});
        s.hh_rstd = p.take<T>("hnorm_rstd", {n});
        s.cat = p.take<T>("eh_proj_in", {n, 2 * C});
        s.xm = p.take<T>("eh_proj", {n, C});
        s.blocks[L]->lay_out(p, B, T_len);
        p.set_scope(layer_prefix(L));
        s.hm = p.take<T>("block_out", {n, C});
        s.hmn = p.take<T>("shared_head.norm", {n, C});
        s.hmn_rstd = p.take<T>("shared_head.norm_rstd", {n});
        s.mtp_logits = p.take<T>("mtp_logits", {n, V});
    }
    p.set_scope("backward.");
    s.d = p.take<T>("d_residual", {n, C});
    s.dn = p.take<T>("d_normed", {n, C});
    s.dlogits = p.take<T>("d_logits", {n, V});
    s.dhidden = p.take<T>("d_hidden", {n, C});
    if (has_mtp_) {
        s.dm = p.take<T>("d_mtp_block", {n, C});
        s.de = p.take<T>("d_embed_next", {n, C});
        s.dcat = p.take<T>("d_eh_proj_in", {n, 2 * C});
        s.dmtp_logits = p.take<T>("d_mtp_logits", {n, V});
    }
}

// The whole batch's outputs: every shard copies its valid rows in, the rest are zero.
template <typename T>
void BasicModel<T>::lay_out_outputs(Outputs& o, ArenaPlanner& p, int64_t rows) const {
    p.set_scope("output.");
    o.logits = p.take<T>("logits", {rows, config_.vocab_size});
    o.hidden = p.take<T>("hidden", {rows, config_.hidden_size});
    if (has_mtp_) o.mtp_logits = p.take<T>("mtp_logits", {rows, config_.vocab_size});
}

template <typename T>
typename BasicModel<T>::ActivationLayout BasicModel<T>::activation_layout(int B, int T_len) const {
    const int64_t rows = static_cast<int64_t>(B) * T_len;
    const int S = std::clamp(requested_shards_ > 0 ? requested_shards_ : omp_get_max_threads(), 1,
                             std::max(B, 1));
    const int shard_B = (B + S - 1) / S;  // the largest shard
    ActivationLayout out;
    out.shards = S;
    auto shard = make_shard();
    ArenaPlanner shard_plan(nullptr);
    lay_out_shard(*shard, shard_plan, shard_B, T_len);
    out.shard = shard_plan.slots();
    out.shard_sequences = shard_B;
    ArenaPlanner output_plan(nullptr);
    Outputs unused;
    lay_out_outputs(unused, output_plan, rows);
    out.outputs = output_plan.slots();
    return out;
}

template <typename T>
typename BasicModel<T>::Output BasicModel<T>::forward(const T* params, const int* tokens, int B,
                                                      int seq_len, const int* lengths,
                                                      bool with_mtp) {
    const ModelConfig& c = config_;
    if (B <= 0 || seq_len <= 0)
        throw Error("model forward: batch shape must be positive, got B=" + std::to_string(B) +
                    " T=" + std::to_string(seq_len));
    if (seq_len > c.max_position_embeddings)
        throw Error("model forward: sequence length " + std::to_string(seq_len) +
                    " exceeds max_position_embeddings " +
                    std::to_string(c.max_position_embeddings));
    const size_t N = static_cast<size_t>(B) * seq_len;
    for (size_t i = 0; i < N; ++i)
        if (tokens[i] < 0 || tokens[i] >= c.vocab_size)
            throw Error("model forward: token id " + std::to_string(tokens[i]) + " at row " +
                        std::to_string(i) + " outside [0, " + std::to_string(c.vocab_size) + ")");
    int total_sequences = B;
    if (lengths) {
        total_sequences = 0;
        for (int b = 0; b < B; ++b) {
            if (lengths[b] < 0 || lengths[b] > seq_len)
                throw Error("model forward: length " + std::to_string(lengths[b]) +
                            " of sequence " + std::to_string(b) + " outside [0, " +
                            std::to_string(seq_len) + "]");
            total_sequences += lengths[b] > 0 ? 1 : 0;
        }
    }

    B_ = B;
    T_ = seq_len;
    mtp_ran_ = with_mtp && has_mtp_;
    tokens_.assign(tokens, tokens + N);
    // No forward to differentiate or read until this one has run: one that throws (an
    // allocation, a layer) leaves none behind.
    active_shards_ = 0;
    grad_square_sum_.reset();
    const int S = plan_shards(lengths);
    for (int s = 0; s < S; ++s) shards_[s]->batch.total_sequences = total_sequences;
    for (auto& worker : workers_) lay_out_worker(*worker);
    if (output_rows_ != static_cast<int64_t>(N)) {
        outputs_.bind([&](ArenaPlanner& p) { lay_out_outputs(out_, p, static_cast<int64_t>(N)); });
        output_rows_ = static_cast<int64_t>(N);
    }
    run_workers([&](int s) {
        forward_shard(*shards_[s], params, lengths, mtp_ran_);
        scatter_outputs(*shards_[s]);
    });
    active_shards_ = S;

    Output out;
    out.logits = out_.logits.data();
    out.mtp_logits = mtp_ran_ ? out_.mtp_logits.data() : nullptr;
    out.rows = static_cast<int>(N);
    out.vocab = c.vocab_size;
    for (int s = 0; s < active_shards_; ++s)
        for (const auto& block : shards_[s]->blocks)
            if (block->moe()) out.aux_loss += block->moe()->aux_loss();
    return out;
}

// Shards of sequences of similar length, so that each computes few padding rows: the batch
// sorted longest first and cut into S shards, handed to the threads longest first, each to the
// least loaded one (rows computed). More shards than threads only when they save enough rows
// to pay for their smaller GEMMs (kRaggedRowsWorthIt). With one length the shards are the
// batch's contiguous halves, thirds, ...
template <typename T>
int BasicModel<T>::plan_shards(const int* lengths) {
    const int B = B_, threads = std::max(1, omp_get_max_threads());
    std::vector<int> len(B), order(B);
    for (int b = 0; b < B; ++b) {
        len[b] = lengths ? std::max(1, lengths[b]) : T_;
        order[b] = b;
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return len[a] > len[b]; });
    std::vector<int> sorted(B);
    for (int i = 0; i < B; ++i) sorted[i] = len[order[i]];
    int S = std::clamp(requested_shards_ > 0 ? requested_shards_ : threads, 1, B);
    ShardPlan plan = shard_plan(sorted, S, threads);
    if (requested_shards_ == 0 && sorted.front() != sorted.back()) {
        const int ragged = std::min(B, threads * kShardsPerThreadRagged);
        const std::int64_t padded = (static_cast<std::int64_t>(B) + threads - 1) / threads * T_;
        ShardPlan finer = shard_plan(sorted, ragged, threads);
        if (static_cast<double>(finer.most_rows) <=
            kRaggedRowsWorthIt * static_cast<double>(padded)) {
            S = ragged;
            plan = std::move(finer);
        }
    }
    while (static_cast<int>(shards_.size()) < S) shards_.push_back(make_shard());
    const int W = static_cast<int>(plan.worker_shards.size());
    while (static_cast<int>(workers_.size()) < W) workers_.push_back(std::make_unique<Worker>());
    workers_.resize(W);
    for (int w = 0; w < W; ++w) workers_[w]->shards = plan.worker_shards[w];
    for (int k = 0; k < S; ++k) {
        Shard& shard = *shards_[k];
        shard.seqs.assign(order.begin() + plan.first[k], order.begin() + plan.first[k + 1]);
        shard.seq_len = sorted[plan.first[k]];
    }
    return S;
}

// Binds the worker's arena to its shards' shapes, unless it holds them already.
template <typename T>
void BasicModel<T>::lay_out_worker(Worker& w) const {
    std::vector<std::array<int, 3>> shapes;
    for (int s : w.shards)
        shapes.push_back({s, static_cast<int>(shards_[s]->seqs.size()), shards_[s]->seq_len});
    if (shapes == w.laid_out) return;
    w.arena.bind([&](ArenaPlanner& p) {
        for (const auto& [s, B, seq_len] : shapes) lay_out_shard(*shards_[s], p, B, seq_len);
    });
    w.laid_out = std::move(shapes);
}

// Runs f(shard) for every shard: each worker (an OpenMP thread) its own shards in turn.
template <typename T>
template <typename F>
void BasicModel<T>::run_workers(F&& f) {
    run_shards(static_cast<int>(workers_.size()), [&](int w) {
        for (int s : workers_[w]->shards) f(s);
    });
}

// Copies the shard's valid rows into the batch's outputs and zeroes the batch's padding rows
// of its sequences, so no output depends on how the batch was cut.
template <typename T>
void BasicModel<T>::scatter_outputs(const Shard& s) {
    const int V = config_.vocab_size, C = config_.hidden_size;
    for (size_t i = 0; i < s.seqs.size(); ++i) {
        const size_t from = i * s.seq_len, to = static_cast<size_t>(s.seqs[i]) * T_;
        const size_t valid = static_cast<size_t>(s.batch.length(static_cast<int>(i)));
        auto copy = [&](std::span<T> out, std::span<const T> in, size_t width) {
            copy_valid_rows(out.data() + to * width, T_, in.data() + from * width, valid, width);
        };
        copy(out_.logits, s.logits, V);
        copy(out_.hidden, s.hidden, C);
        if (mtp_ran_) copy(out_.mtp_logits, s.mtp_logits, V);
    }
}

// The shard's rows of a gradient of the batch's outputs (null stays null); its padding rows
// get none, as they are no part of any sequence.
template <typename T>
const T* BasicModel<T>::gather_rows(const Shard& s, std::span<T> into, const T* grad,
                                    int width) const {
    if (!grad) return nullptr;
    for (size_t i = 0; i < s.seqs.size(); ++i) {
        const size_t to = i * s.seq_len, from = static_cast<size_t>(s.seqs[i]) * T_;
        const size_t valid = static_cast<size_t>(s.batch.length(static_cast<int>(i)));
        copy_valid_rows(into.data() + to * width, s.seq_len, grad + from * width, valid,
                        static_cast<size_t>(width));
    }
    return into.data();
}

template <typename T>
void BasicModel<T>::forward_shard(Shard& s, const T* params, const int* lengths, bool with_mtp) {
    const ModelConfig& c = config_;
    const int C = c.hidden_size, V = c.vocab_size, L = c.num_hidden_layers;
    const int seq_len = s.seq_len, n = s.rows();
    const size_t nC = static_cast<size_t>(n) * C;
    s.tokens.resize(n);
    s.lengths.resize(s.seqs.size());
    for (size_t i = 0; i < s.seqs.size(); ++i) {
        const int b = s.seqs[i];
        std::copy_n(tokens_.data() + static_cast<size_t>(b) * T_, seq_len,
                    s.tokens.data() + i * seq_len);
        s.lengths[i] = lengths ? lengths[b] : seq_len;
    }
    const int* tok = s.tokens.data();
    for (int r = 0; r < n; ++r) s.positions[r] = r % seq_len;
    s.batch.B = static_cast<int>(s.seqs.size());
    s.batch.T = seq_len;
    s.batch.positions = s.positions.data();
    s.batch.lengths = lengths ? s.lengths.data() : nullptr;
    s.batch.rope = &rope_;
    s.batch.fp8 = fp8_ ? &*fp8_ : nullptr;

    const T* emb = params + w_embed_;
    for (int r = 0; r < n; ++r)
        std::copy_n(emb + static_cast<size_t>(tok[r]) * C, C, s.resid.data() + r * size_t(C));
    for (int l = 0; l < L; ++l)
        s.blocks[l]->forward(s.resid.data() + (l + 1) * nC, s.resid.data() + l * nC, params,
                             s.batch);
    const T* hL = s.resid.data() + L * nC;
    T* hn = s.hidden.data();
    rmsnorm_forward(hn, s.final_rstd.data(), hL, params + w_norm_, n, C,
                    static_cast<T>(c.rms_norm_eps));
    linear_forward(s.logits.data(), hn, params + w_head_, n, C, V);
    if (!with_mtp) return;

    // MTP: row i combines hnorm(model.norm(h_i)) (pre_norm: hnorm(h_i)) with
    // enorm(emb(t_{i+1})); the last token of a sequence has no next token and uses a zero
    // embedding (its target t_{i+2} does not exist), and so do the padding rows.
    const T eps = static_cast<T>(c.rms_norm_eps);
    const T* mtp_h = c.mtp_hidden_input == MtpHiddenInput::final_norm ? hn : hL;
    std::fill(s.emb_next.begin(), s.emb_next.end(), T(0));
    for (int r = 0; r < n; ++r)
        if (has_next_token(s, r))
            std::copy_n(emb + static_cast<size_t>(tok[r + 1]) * C, C,
                        s.emb_next.data() + r * size_t(C));
    rmsnorm_forward(s.en.data(), s.en_rstd.data(), s.emb_next.data(), params + w_enorm_, n, C, eps);
    rmsnorm_forward(s.hh.data(), s.hh_rstd.data(), mtp_h, params + w_hnorm_, n, C, eps);
    for (int r = 0; r < n; ++r) {
        std::copy_n(s.en.data() + r * size_t(C), C, s.cat.data() + r * size_t(2 * C));
        std::copy_n(s.hh.data() + r * size_t(C), C, s.cat.data() + r * size_t(2 * C) + C);
    }
    linear_forward(s.xm.data(), s.cat.data(), params + w_eh_, n, 2 * C, C, false, s.batch.fp8);
    s.blocks[L]->forward(s.hm.data(), s.xm.data(), params, s.batch);
    rmsnorm_forward(s.hmn.data(), s.hmn_rstd.data(), s.hm.data(), params + w_mtp_norm_, n, C, eps);
    linear_forward(s.mtp_logits.data(), s.hmn.data(), params + w_head_, n, C, V);
}

// Whether row r of the shard is a token with a next token in its sequence (MTP's input).
template <typename T>
bool BasicModel<T>::has_next_token(const Shard& s, int r) const {
    return r % s.seq_len + 1 < s.batch.length(r / s.seq_len);
}

template <typename T>
void BasicModel<T>::backward(const T* params, const T* dlogits, const T* dmtp_logits, T* grads,
                             const T* dhidden) {
    if (active_shards_ == 0) throw Error("model backward: no forward to differentiate");
    grad_square_sum_.reset();
    if (!dlogits) throw Error("model backward: dlogits must not be null");
    if (dmtp_logits && !mtp_ran_)
        throw Error(
            "model backward: MTP logits gradient given but the last forward ran "
            "without the MTP module");
    // Worker 0 adds into grads, the others into private blocks summed in at the end.
    const int W = static_cast<int>(workers_.size());
    run_shards(W, [&](int w) {
        T* g = grads;
        if (w > 0) {
            workers_[w]->grad.assign(layout_.total_floats(), T(0));  // keeps its capacity
            g = workers_[w]->grad.data();
        }
        for (int s : workers_[w]->shards) {
            Shard& shard = *shards_[s];
            backward_shard(shard, params,
                           gather_rows(shard, shard.dlogits, dlogits, config_.vocab_size),
                           gather_rows(shard, shard.dmtp_logits, dmtp_logits, config_.vocab_size),
                           g, gather_rows(shard, shard.dhidden, dhidden, config_.hidden_size));
        }
    });
    if (W == 1) return;
    std::vector<const T*> blocks;
    for (int w = 1; w < W; ++w) blocks.push_back(workers_[w]->grad.data());
    grad_square_sum_ = reduce_gradient_blocks<T>(layout_, grads, blocks);
}

// Backward of one shard from its own rows of the output gradients (dmtp_logits and dhidden may
// be null); adds into grads.
template <typename T>
void BasicModel<T>::backward_shard(Shard& s, const T* params, const T* dlogits,
                                   const T* dmtp_logits, T* grads, const T* dhidden) {
    const ModelConfig& c = config_;
    const int C = c.hidden_size, V = c.vocab_size, L = c.num_hidden_layers;
    const int n = s.rows();
    const size_t nC = static_cast<size_t>(n) * C;
    const int* tok = s.tokens.data();
    const T* hL = s.resid.data() + L * nC;
    const T* hn = s.hidden.data();  // model.norm(h_L)
    const bool mtp_reads_hn = c.mtp_hidden_input == MtpHiddenInput::final_norm;
    T* demb = grads + w_embed_;
    std::fill(s.d.begin(), s.d.end(), T(0));  // dL/d(residual stream), walked down the blocks

    // The MTP branch runs when its logits have a gradient, and also without one when the
    // balance loss is on, because the MTP block's balance loss is part of the loss forward()
    // reported. It leaves dL/dhn in dn (final_norm) or adds dL/dh_L to d (pre_norm).
    bool dn_holds_mtp = false;
    if (mtp_ran_ && (dmtp_logits || c.balance_loss_on())) {
        // logits = hmn Whead^T, hmn = norm(hm), hm = block_L(xm), xm = cat Weh^T
        if (dmtp_logits)
            linear_backward(s.dn.data(), grads + w_head_, dmtp_logits, s.hmn.data(),
                            params + w_head_, n, C, V, nullptr, GradWrite::overwrite);
        else
            std::fill(s.dn.begin(), s.dn.end(), T(0));
        std::fill(s.dm.begin(), s.dm.end(), T(0));
        rmsnorm_backward(s.dm.data(), grads + w_mtp_norm_, s.dn.data(), s.hm.data(),
                         params + w_mtp_norm_, s.hmn_rstd.data(), n, C);
        s.blocks[L]->backward(s.dm.data(), s.xm.data(), params, grads, s.batch, s.scratch);
        linear_backward(s.dcat.data(), grads + w_eh_, s.dm.data(), s.cat.data(), params + w_eh_, n,
                        2 * C, C, s.batch.fp8, GradWrite::overwrite);
        // cat = [en | hh]: split the gradient into den (-> dn) and dhh (-> dm).
        for (int r = 0; r < n; ++r) {
            std::copy_n(s.dcat.data() + r * size_t(2 * C), C, s.dn.data() + r * size_t(C));
            std::copy_n(s.dcat.data() + r * size_t(2 * C) + C, C, s.dm.data() + r * size_t(C));
        }
        std::fill(s.de.begin(), s.de.end(), T(0));
        rmsnorm_backward(s.de.data(), grads + w_enorm_, s.dn.data(), s.emb_next.data(),
                         params + w_enorm_, s.en_rstd.data(), n, C);
        for (int r = 0; r < n; ++r) {
            if (!has_next_token(s, r)) continue;
            T* row = demb + static_cast<size_t>(tok[r + 1]) * C;
            const T* g = s.de.data() + r * size_t(C);
            for (int j = 0; j < C; ++j) row[j] += g[j];
        }
        // hh = hnorm(hn) or hnorm(h_L); dn is free again (den went into demb above).
        if (mtp_reads_hn) std::fill(s.dn.begin(), s.dn.end(), T(0));
        rmsnorm_backward(mtp_reads_hn ? s.dn.data() : s.d.data(), grads + w_hnorm_, s.dm.data(),
                         mtp_reads_hn ? hn : hL, params + w_hnorm_, s.hh_rstd.data(), n, C);
        dn_holds_mtp = mtp_reads_hn;
    }

    // logits = hn Whead^T, hn = model.norm(h_L); dn sums the head's, the caller's (dhidden)
    // and MTP's gradient w.r.t. hn before going through model.norm.
    linear_backward(s.dn.data(), grads + w_head_, dlogits, hn, params + w_head_, n, C, V, nullptr,
                    dn_holds_mtp ? GradWrite::add : GradWrite::overwrite);
    if (dhidden)
        for (size_t i = 0; i < nC; ++i) s.dn[i] += dhidden[i];
    rmsnorm_backward(s.d.data(), grads + w_norm_, s.dn.data(), hL, params + w_norm_,
                     s.final_rstd.data(), n, C);
    for (int l = L - 1; l >= 0; --l)
        s.blocks[l]->backward(s.d.data(), s.resid.data() + l * nC, params, grads, s.batch,
                              s.scratch);
    for (int r = 0; r < n; ++r) {
        T* row = demb + static_cast<size_t>(tok[r]) * C;
        const T* g = s.d.data() + r * size_t(C);
        for (int j = 0; j < C; ++j) row[j] += g[j];
    }
}

template <typename T>
RoutingStats BasicModel<T>::routing_stats(const T* params) const {
    RoutingStats st;
    const int E = config_.n_routed_experts;
    st.n_experts = E;
    if (active_shards_ == 0) return st;
    const int last = mtp_ran_ ? config_.num_blocks() : config_.num_hidden_layers;
    for (int l = 0; l < last; ++l) {
        if (!shards_[0]->blocks[l]->moe()) continue;
        st.layers.push_back(l);
        std::vector<int64_t> load(E, 0);
        std::vector<double> wsum(E, 0.0);
        for (int s = 0; s < active_shards_; ++s) {
            const MoeLayer<T>& moe = *shards_[s]->blocks[l]->moe();
            for (int e = 0; e < E; ++e) {
                load[e] += moe.expert_load()[e];
                wsum[e] += moe.gate_weight_sum()[e];
            }
            st.aux_loss += static_cast<double>(moe.aux_loss());
        }
        const T* bias = params + shards_[0]->blocks[l]->moe()->bias_offset();
        for (int e = 0; e < E; ++e) {
            st.tokens_per_expert.push_back(load[e]);
            st.mean_gate_weight.push_back(load[e] ? static_cast<float>(wsum[e] / load[e]) : 0.0f);
            st.bias.push_back(static_cast<float>(bias[e]));
        }
        st.max_vio.push_back(max_violation(load.data(), E));
    }
    return st;
}

template <typename T>
const MoeLayer<T>& BasicModel<T>::moe_of_last_forward(int layer, int shard) const {
    if (active_shards_ == 0 || shard >= active_shards_ || layer < 0 ||
        layer >= config_.num_blocks() || !shards_[0]->blocks[layer]->moe() ||
        (layer >= config_.num_hidden_layers && !mtp_ran_))
        throw Error("model: block " + std::to_string(layer) +
                    " is not an MoE layer of the last forward");
    return *shards_[shard]->blocks[layer]->moe();
}

// Rows (B*T, K) of a per-row MoE output of every shard, in the batch's order; `none` on the
// rows no shard computed.
template <typename T>
template <typename V, typename Get>
std::vector<V> BasicModel<T>::batch_rows(int layer, V none, Get get) const {
    const size_t K = config_.num_experts_per_tok;
    moe_of_last_forward(layer, 0);  // throws when there is no such layer
    std::vector<V> out(static_cast<size_t>(B_) * T_ * K, none);
    for (int s = 0; s < active_shards_; ++s) {
        const Shard& shard = *shards_[s];
        const V* rows = get(moe_of_last_forward(layer, s));
        for (size_t i = 0; i < shard.seqs.size(); ++i)
            std::copy_n(rows + i * shard.seq_len * K, shard.seq_len * K,
                        out.begin() + static_cast<size_t>(shard.seqs[i]) * T_ * K);
    }
    return out;
}

template <typename T>
std::vector<int> BasicModel<T>::chosen_experts(int layer) const {
    return batch_rows<int>(layer, -1, [](const MoeLayer<T>& m) { return m.chosen_experts(); });
}

template <typename T>
std::vector<T> BasicModel<T>::gate_weights(int layer) const {
    return batch_rows<T>(layer, T(0), [](const MoeLayer<T>& m) { return m.gate_weights(); });
}

template <typename T>
typename BasicModel<T>::SequenceInternals BasicModel<T>::sequence_internals() const {
    if (active_shards_ != 1 || B_ != 1)
        throw Error(
            "model: the internals of a forward are kept for one sequence only, the last "
            "forward had " +
            std::to_string(B_));
    const Shard& s = *shards_[0];
    if (s.seq_len != T_)
        throw Error(
            "model: the internals of a forward are kept for an unpadded sequence, the "
            "last one had " +
            std::to_string(s.seq_len) + " of " + std::to_string(T_) + " tokens");
    SequenceInternals out;
    out.residual = s.resid.data();
    for (const auto& block : s.blocks) out.blocks.push_back(block.get());
    return out;
}

template class BasicModel<float>;
template class BasicModel<double>;

}  // namespace tinyseek
