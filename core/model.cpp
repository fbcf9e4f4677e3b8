#include "core/model.h"

#include <algorithm>
#include <exception>
#include <span>
#include <string>

#include <omp.h>

#include "core/errors.h"
#include "core/linear.h"
#include "core/rmsnorm.h"
#include "core/rope_scaling.h"

namespace tinyseek {

template <typename T>
struct BasicModel<T>::Shard {
    int b0 = 0, b1 = 0;                                        // sequences [b0, b1) of the batch
    std::vector<std::unique_ptr<TransformerBlock<T>>> blocks;  // (num_blocks)
    SequenceBatch<T> batch;
    ActivationArena arena;               // every span below and the blocks' saved activations
    int laid_out_B = 0, laid_out_T = 0;  // the batch shape the arena is laid out for

    // Forward activations (n = (b1 - b0) * T rows).
    std::span<int> positions;               // (n)
    std::span<T> resid;                     // (L + 1, n, C) residual stream at each block boundary
    std::span<T> final_rstd;                // (n)
    std::span<T> emb_next;                  // (n, C) emb(t_{i+1}), zero past the end      (MTP)
    std::span<T> en, en_rstd, hh, hh_rstd;  // (n, C), (n): enorm / hnorm    (MTP)
    std::span<T> cat;                       // (n, 2C) [en | hh]             (MTP)
    std::span<T> xm, hm, hmn, hmn_rstd;     // (n, C) block input/output, shared_head.norm

    // Backward buffers.
    std::span<T> d, dn, dm, de, dcat;  // (n, C) x4, (n, 2C)
    AlignedVector<T> grad;             // private gradient block (shards > 0)
    Scratch<T> scratch;
};

namespace {

// Runs f(0..S-1), one shard per OpenMP thread (inline when S == 1, so that Eigen may use its
// own threads for a single sequence). Exceptions are carried out of the parallel region.
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
    const int64_t n = static_cast<int64_t>(B) * T_len, C = config_.hidden_size;
    const int L = config_.num_hidden_layers;
    p.set_scope("model.");
    s.positions = p.take<int>("positions", {n});
    s.resid = p.take<T>("residual", {L + 1, n, C});
    s.final_rstd = p.take<T>("norm_rstd", {n});
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
    }
    p.set_scope("backward.");
    s.d = p.take<T>("d_residual", {n, C});
    s.dn = p.take<T>("d_normed", {n, C});
    if (has_mtp_) {
        s.dm = p.take<T>("d_mtp_block", {n, C});
        s.de = p.take<T>("d_embed_next", {n, C});
        s.dcat = p.take<T>("d_eh_proj_in", {n, 2 * C});
    }
}

// The whole batch's outputs, written by every shard at its own rows.
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
    const int S =
        std::clamp(requested_shards_ > 0 ? requested_shards_ : omp_get_max_threads(), 1, B);
    while (static_cast<int>(shards_.size()) < S) shards_.push_back(make_shard());
    active_shards_ = S;
    for (int s = 0; s < S; ++s) {
        Shard& shard = *shards_[s];
        shard.b0 = static_cast<int>(static_cast<int64_t>(B) * s / S);
        shard.b1 = static_cast<int>(static_cast<int64_t>(B) * (s + 1) / S);
        shard.batch.total_sequences = total_sequences;
        if (shard.laid_out_B != shard.b1 - shard.b0 || shard.laid_out_T != seq_len) {
            shard.arena.bind(
                [&](ArenaPlanner& p) { lay_out_shard(shard, p, shard.b1 - shard.b0, seq_len); });
            shard.laid_out_B = shard.b1 - shard.b0;
            shard.laid_out_T = seq_len;
        }
    }
    if (output_rows_ != static_cast<int64_t>(N)) {
        outputs_.bind([&](ArenaPlanner& p) { lay_out_outputs(out_, p, static_cast<int64_t>(N)); });
        output_rows_ = static_cast<int64_t>(N);
    }
    run_shards(S, [&](int s) {
        forward_shard(*shards_[s], params, tokens_.data(), seq_len, lengths, mtp_ran_);
    });

    Output out;
    out.logits = out_.logits.data();
    out.mtp_logits = mtp_ran_ ? out_.mtp_logits.data() : nullptr;
    out.rows = static_cast<int>(N);
    out.vocab = c.vocab_size;
    for (int s = 0; s < S; ++s)
        for (const auto& block : shards_[s]->blocks)
            if (block->moe()) out.aux_loss += block->moe()->aux_loss();
    return out;
}

template <typename T>
void BasicModel<T>::forward_shard(Shard& s, const T* params, const int* tokens, int seq_len,
                                  const int* lengths, bool with_mtp) {
    const ModelConfig& c = config_;
    const int C = c.hidden_size, V = c.vocab_size, L = c.num_hidden_layers;
    const int n = (s.b1 - s.b0) * seq_len;
    const size_t nC = static_cast<size_t>(n) * C;
    const size_t row0 = static_cast<size_t>(s.b0) * seq_len;
    const int* tok = tokens + row0;
    for (int r = 0; r < n; ++r) s.positions[r] = r % seq_len;
    s.batch.B = s.b1 - s.b0;
    s.batch.T = seq_len;
    s.batch.positions = s.positions.data();
    s.batch.lengths = lengths ? lengths + s.b0 : nullptr;
    s.batch.rope = &rope_;
    s.batch.fp8 = fp8_ ? &*fp8_ : nullptr;

    const T* emb = params + w_embed_;
    for (int r = 0; r < n; ++r)
        std::copy_n(emb + static_cast<size_t>(tok[r]) * C, C, s.resid.data() + r * size_t(C));
    for (int l = 0; l < L; ++l)
        s.blocks[l]->forward(s.resid.data() + (l + 1) * nC, s.resid.data() + l * nC, params,
                             s.batch);
    const T* hL = s.resid.data() + L * nC;
    T* hn = out_.hidden.data() + row0 * C;
    rmsnorm_forward(hn, s.final_rstd.data(), hL, params + w_norm_, n, C,
                    static_cast<T>(c.rms_norm_eps));
    linear_forward(out_.logits.data() + row0 * V, hn, params + w_head_, n, C, V);
    if (!with_mtp) return;

    // MTP: row i combines hnorm(model.norm(h_i)) (pre_norm: hnorm(h_i)) with
    // enorm(emb(t_{i+1})); the last row of a sequence has no next token and uses a zero
    // embedding (its target t_{i+2} does not exist).
    const T eps = static_cast<T>(c.rms_norm_eps);
    const T* mtp_h = c.mtp_hidden_input == MtpHiddenInput::final_norm ? hn : hL;
    std::fill(s.emb_next.begin(), s.emb_next.end(), T(0));
    for (int r = 0; r < n; ++r)
        if (r % seq_len + 1 < seq_len)
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
    linear_forward(out_.mtp_logits.data() + row0 * V, s.hmn.data(), params + w_head_, n, C, V);
}

template <typename T>
void BasicModel<T>::backward(const T* params, const T* dlogits, const T* dmtp_logits, T* grads,
                             const T* dhidden) {
    if (active_shards_ == 0) throw Error("model backward: no forward to differentiate");
    if (!dlogits) throw Error("model backward: dlogits must not be null");
    if (dmtp_logits && !mtp_ran_)
        throw Error(
            "model backward: MTP logits gradient given but the last forward ran "
            "without the MTP module");
    const int S = active_shards_;
    run_shards(S, [&](int s) {
        backward_shard(*shards_[s], params, dlogits, dmtp_logits, s == 0 ? grads : nullptr,
                       dhidden);
    });
    if (S == 1) return;
    // Sum the private gradient blocks of shards 1..S-1 into grads.
    const int64_t total = static_cast<int64_t>(layout_.total_floats());
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < total; ++i) {
        T sum = grads[i];
        for (int s = 1; s < S; ++s) sum += shards_[s]->grad[i];
        grads[i] = sum;
    }
}

template <typename T>
void BasicModel<T>::backward_shard(Shard& s, const T* params, const T* dlogits,
                                   const T* dmtp_logits, T* grads, const T* dhidden) {
    const ModelConfig& c = config_;
    const int C = c.hidden_size, V = c.vocab_size, L = c.num_hidden_layers;
    const int seq_len = T_;
    const int n = (s.b1 - s.b0) * seq_len;
    const size_t nC = static_cast<size_t>(n) * C;
    const size_t row0 = static_cast<size_t>(s.b0) * seq_len;
    const int* tok = tokens_.data() + row0;
    const T* hL = s.resid.data() + L * nC;
    const T* hn = out_.hidden.data() + row0 * C;  // model.norm(h_L)
    const bool mtp_reads_hn = c.mtp_hidden_input == MtpHiddenInput::final_norm;
    if (!grads) {
        s.grad.assign(layout_.total_floats(), T(0));  // allocated once: assign keeps capacity
        grads = s.grad.data();
    }
    T* demb = grads + w_embed_;
    std::fill(s.d.begin(), s.d.end(), T(0));  // dL/d(residual stream), walked down the blocks

    // The MTP branch runs when its logits have a gradient, and also without one when the
    // balance loss is on, because the MTP block's balance loss is part of the loss forward()
    // reported. It leaves dL/dhn in dn (final_norm) or adds dL/dh_L to d (pre_norm).
    bool dn_holds_mtp = false;
    if (mtp_ran_ && (dmtp_logits || c.balance_loss_on())) {
        // logits = hmn Whead^T, hmn = norm(hm), hm = block_L(xm), xm = cat Weh^T
        std::fill(s.dn.begin(), s.dn.end(), T(0));
        if (dmtp_logits)
            linear_backward(s.dn.data(), grads + w_head_, dmtp_logits + row0 * V, s.hmn.data(),
                            params + w_head_, n, C, V);
        std::fill(s.dm.begin(), s.dm.end(), T(0));
        rmsnorm_backward(s.dm.data(), grads + w_mtp_norm_, s.dn.data(), s.hm.data(),
                         params + w_mtp_norm_, s.hmn_rstd.data(), n, C);
        s.blocks[L]->backward(s.dm.data(), s.xm.data(), params, grads, s.batch, s.scratch);
        std::fill(s.dcat.begin(), s.dcat.end(), T(0));
        linear_backward(s.dcat.data(), grads + w_eh_, s.dm.data(), s.cat.data(), params + w_eh_, n,
                        2 * C, C, s.batch.fp8);
        // cat = [en | hh]: split the gradient into den (-> dn) and dhh (-> dm).
        for (int r = 0; r < n; ++r) {
            std::copy_n(s.dcat.data() + r * size_t(2 * C), C, s.dn.data() + r * size_t(C));
            std::copy_n(s.dcat.data() + r * size_t(2 * C) + C, C, s.dm.data() + r * size_t(C));
        }
        std::fill(s.de.begin(), s.de.end(), T(0));
        rmsnorm_backward(s.de.data(), grads + w_enorm_, s.dn.data(), s.emb_next.data(),
                         params + w_enorm_, s.en_rstd.data(), n, C);
        for (int r = 0; r < n; ++r) {
            if (r % seq_len + 1 >= seq_len) continue;
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
    if (!dn_holds_mtp) std::fill(s.dn.begin(), s.dn.end(), T(0));
    linear_backward(s.dn.data(), grads + w_head_, dlogits + row0 * V, hn, params + w_head_, n, C,
                    V);
    if (dhidden)
        for (size_t i = 0; i < nC; ++i) s.dn[i] += dhidden[row0 * C + i];
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

template <typename T>
std::vector<int> BasicModel<T>::chosen_experts(int layer) const {
    const size_t K = config_.num_experts_per_tok;
    moe_of_last_forward(layer, 0);  // throws when there is no such layer
    std::vector<int> out;
    for (int s = 0; s < active_shards_; ++s) {
        const int* ex = moe_of_last_forward(layer, s).chosen_experts();
        out.insert(out.end(), ex, ex + size_t(shards_[s]->b1 - shards_[s]->b0) * T_ * K);
    }
    return out;
}

template <typename T>
std::vector<T> BasicModel<T>::gate_weights(int layer) const {
    const size_t K = config_.num_experts_per_tok;
    moe_of_last_forward(layer, 0);
    std::vector<T> out;
    for (int s = 0; s < active_shards_; ++s) {
        const T* w = moe_of_last_forward(layer, s).gate_weights();
        out.insert(out.end(), w, w + size_t(shards_[s]->b1 - shards_[s]->b0) * T_ * K);
    }
    return out;
}

template <typename T>
typename BasicModel<T>::SequenceInternals BasicModel<T>::sequence_internals() const {
    if (active_shards_ != 1 || B_ != 1)
        throw Error(
            "model: the internals of a forward are kept for one sequence only, the last "
            "forward had " +
            std::to_string(B_));
    const Shard& s = *shards_[0];
    SequenceInternals out;
    out.residual = s.resid.data();
    for (const auto& block : s.blocks) out.blocks.push_back(block.get());
    return out;
}

template class BasicModel<float>;
template class BasicModel<double>;

}  // namespace tinyseek
