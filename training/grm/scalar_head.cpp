#include "training/grm/scalar_head.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include "core/checkpoint.h"
#include "core/errors.h"
#include "core/grad_norm.h"
#include "core/train_step.h"

namespace tinyseek {

namespace {

template <typename T>
T sigmoid(T x) {
    return x >= 0 ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x));
}

// softplus(x) = log(1 + e^x), stable for large |x|.
double softplus(double x) {
    return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

}  // namespace

template <typename T>
double binary_head_loss(T* scores, T* dhidden, T* dw, T* db, const T* hidden, int N, int C,
                        const int* first_rows, const int* last_rows, const float* labels, int n,
                        const T* w, T b) {
    if (dhidden) std::fill(dhidden, dhidden + static_cast<std::size_t>(N) * C, T(0));
    if (dw) std::fill(dw, dw + C, T(0));
    if (db) *db = T(0);
    std::vector<T> pooled(static_cast<std::size_t>(C));
    double loss = 0.0;
    for (int i = 0; i < n; ++i) {
        const int last = last_rows[i];
        const int first = first_rows ? first_rows[i] : last;
        if (first < 0 || last >= N || first > last)
            throw Error("scalar head: rows " + std::to_string(first) + ".." + std::to_string(last) +
                        " of sequence " + std::to_string(i) + " are outside the " +
                        std::to_string(N) + " hidden rows");
        const T inv = T(1) / static_cast<T>(last - first + 1);
        std::fill(pooled.begin(), pooled.end(), T(0));
        for (int row = first; row <= last; ++row) {
            const T* h = hidden + static_cast<std::size_t>(row) * C;  // (C)
            for (int c = 0; c < C; ++c) pooled[c] += h[c] * inv;
        }
        T r = b;
        for (int c = 0; c < C; ++c) r += w[c] * pooled[c];
        scores[i] = r;
        const double y = labels[i];
        loss += softplus(static_cast<double>(r)) - y * static_cast<double>(r);
        // dL/dr = (sigmoid(r) - y) / n
        const T g = (sigmoid(r) - static_cast<T>(y)) / static_cast<T>(n);
        if (dhidden)
            for (int row = first; row <= last; ++row) {
                T* dh = dhidden + static_cast<std::size_t>(row) * C;
                for (int c = 0; c < C; ++c) dh[c] += g * w[c] * inv;
            }
        if (dw)
            for (int c = 0; c < C; ++c) dw[c] += g * pooled[c];
        if (db) *db += g;
    }
    return n > 0 ? loss / n : 0.0;
}

template double binary_head_loss<float>(float*, float*, float*, float*, const float*, int, int,
                                        const int*, const int*, const float*, int, const float*,
                                        float);
template double binary_head_loss<double>(double*, double*, double*, double*, const double*, int,
                                         int, const int*, const int*, const float*, int,
                                         const double*, double);

namespace {

void check_pool_starts(const std::vector<int>* pool_from, std::size_t sequences) {
    if (pool_from && pool_from->size() != sequences)
        throw Error("scalar head: " + std::to_string(pool_from->size()) + " pool starts for " +
                    std::to_string(sequences) + " sequences");
}

}  // namespace

HeadBatch make_head_batch(const std::vector<std::vector<int>>& sequences, int max_len,
                          const std::vector<int>* pool_from) {
    check_pool_starts(pool_from, sequences.size());
    HeadBatch batch;
    batch.B = static_cast<int>(sequences.size());
    for (std::size_t i = 0; i < sequences.size(); ++i) {
        const int len = static_cast<int>(sequences[i].size());
        if (len == 0 || len > max_len)
            throw Error("scalar head: sequence " + std::to_string(i) + " has " +
                        std::to_string(len) + " tokens, expected 1.." + std::to_string(max_len));
        if (pool_from && ((*pool_from)[i] < 0 || (*pool_from)[i] >= len))
            throw Error("scalar head: sequence " + std::to_string(i) + " pools from position " +
                        std::to_string((*pool_from)[i]) + " of its " + std::to_string(len) +
                        " tokens");
        batch.T = std::max(batch.T, len);
    }
    batch.tokens.assign(static_cast<std::size_t>(batch.B) * batch.T, Tokenizer::pad_id);
    for (int i = 0; i < batch.B; ++i) {
        const std::vector<int>& s = sequences[static_cast<std::size_t>(i)];
        std::copy(s.begin(), s.end(), batch.tokens.begin() + std::ptrdiff_t(i) * batch.T);
        const int len = static_cast<int>(s.size());
        batch.lengths.push_back(len);
        batch.last_rows.push_back(i * batch.T + len - 1);
        batch.first_rows.push_back(
            i * batch.T + (pool_from ? (*pool_from)[static_cast<std::size_t>(i)] : len - 1));
    }
    return batch;
}

ScalarRewardModel::ScalarRewardModel(const ParamStore& backbone, std::uint64_t seed,
                                     const AdamWConfig& hyper)
    : params_(backbone),
      grads_(backbone.config()),
      optimizer_(backbone.config(), hyper),
      model_(std::make_unique<Model>(backbone.config())) {
    const int C = backbone.config().hidden_size;
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    w_.resize(static_cast<std::size_t>(C));
    for (float& x : w_) x = normal(rng);
    m_w_.assign(w_.size(), 0.0f);
    v_w_.assign(w_.size(), 0.0f);
}

std::vector<float> ScalarRewardModel::score(const std::vector<std::vector<int>>& sequences,
                                            int batch, const std::vector<int>* pool_from) {
    if (batch < 1) throw Error("scalar head: batch must be >= 1");
    check_pool_starts(pool_from, sequences.size());  // before slicing it per chunk
    std::vector<float> out(sequences.size());
    const int C = config().hidden_size;
    for (std::size_t start = 0; start < sequences.size(); start += std::size_t(batch)) {
        const std::size_t end = std::min(sequences.size(), start + std::size_t(batch));
        const std::vector<std::vector<int>> part(sequences.begin() + std::ptrdiff_t(start),
                                                 sequences.begin() + std::ptrdiff_t(end));
        std::vector<int> part_from;
        if (pool_from)
            part_from.assign(pool_from->begin() + std::ptrdiff_t(start),
                             pool_from->begin() + std::ptrdiff_t(end));
        const HeadBatch hb = make_head_batch(part, config().max_position_embeddings,
                                             pool_from ? &part_from : nullptr);
        const auto fwd = model_->forward(params_, hb.tokens.data(), hb.B, hb.T, hb.lengths.data(),
                                         /*with_mtp=*/false);
        // The loss's forward half computes exactly the scores (labels are irrelevant to them).
        const std::vector<float> no_labels(static_cast<std::size_t>(hb.B), 0.0f);
        binary_head_loss<float>(out.data() + start, nullptr, nullptr, nullptr, model_->hidden(),
                                fwd.rows, C, hb.first_rows.data(), hb.last_rows.data(),
                                no_labels.data(), hb.B, w_.data(), b_);
    }
    return out;
}

HeadStepResult ScalarRewardModel::train_step(const std::vector<std::vector<int>>& sequences,
                                             const std::vector<float>& labels, float lr,
                                             const std::vector<int>* pool_from) {
    if (labels.size() != sequences.size())
        throw Error("scalar head: " + std::to_string(labels.size()) + " labels for " +
                    std::to_string(sequences.size()) + " sequences");
    const int C = config().hidden_size;
    const HeadBatch hb = make_head_batch(sequences, config().max_position_embeddings, pool_from);
    const auto out = model_->forward(params_, hb.tokens.data(), hb.B, hb.T, hb.lengths.data(),
                                     /*with_mtp=*/false);
    const int N = out.rows;
    std::vector<float> scores(static_cast<std::size_t>(hb.B));
    std::vector<float> dw(static_cast<std::size_t>(C));
    float db = 0.0f;
    dhidden_.resize(static_cast<std::size_t>(N) * C);
    const double loss = binary_head_loss(scores.data(), dhidden_.data(), dw.data(), &db,
                                         model_->hidden(), N, C, hb.first_rows.data(),
                                         hb.last_rows.data(), labels.data(), hb.B, w_.data(), b_);
    if (!std::isfinite(loss) || !std::isfinite(out.aux_loss))
        throw NumericError("scalar head: loss is " + std::to_string(loss));
    const RoutingStats routing = model_->routing_stats(params_);

    // The LM head gets no loss: dlogits = 0, the gradient enters through dhidden only.
    dlogits_.assign(static_cast<std::size_t>(N) * out.vocab, 0.0f);
    grads_.set_zero();
    model_->backward(params_, dlogits_.data(), nullptr, grads_, dhidden_.data());

    // One global norm over backbone and head, clipped to kMaxGradNorm (max_norm 0: no clipping
    // inside clip_grad_norm, which still throws on NaN/Inf).
    const float backbone_norm = clip_grad_norm(grads_, 0.0f);
    double head_sq = double(db) * db;
    for (float g : dw) head_sq += double(g) * g;
    if (!std::isfinite(head_sq)) throw NumericError("scalar head: head gradient is not finite");
    const float norm =
        static_cast<float>(std::sqrt(double(backbone_norm) * backbone_norm + head_sq));
    if (norm > kMaxGradNorm) {
        const float scale = kMaxGradNorm / norm;
        for (float& g : grads_.data()) g *= scale;
        for (float& g : dw) g *= scale;
        db *= scale;
    }
    optimizer_.step(params_, grads_, lr);
    apply_aux_free_update(params_, routing);

    // Adam on the head with the optimizer's betas and step count (bias correction), no
    // weight decay: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2, p -= lr m_hat / (sqrt(v_hat)+eps).
    const AdamWConfig& h = optimizer_.hyper();
    const double t = static_cast<double>(optimizer_.step_count());
    const float c1 = static_cast<float>(1.0 - std::pow(double(h.beta1), t));
    const float c2 = static_cast<float>(1.0 - std::pow(double(h.beta2), t));
    auto adam = [&](float& p, float& m, float& v, float g) {
        m = h.beta1 * m + (1.0f - h.beta1) * g;
        v = h.beta2 * v + (1.0f - h.beta2) * g * g;
        p -= lr * (m / c1) / (std::sqrt(v / c2) + h.eps);
    };
    for (int c = 0; c < C; ++c) adam(w_[c], m_w_[c], v_w_[c], dw[c]);
    adam(b_, m_b_, v_b_, db);

    HeadStepResult result;
    result.loss = loss;
    int right = 0;
    for (int i = 0; i < hb.B; ++i) right += (scores[i] > 0.0f) == (labels[i] > 0.5f);
    result.accuracy = hb.B ? double(right) / hb.B : 0.0;
    result.grad_norm = norm;
    for (int len : hb.lengths) result.tokens += len;
    result.routing = routing;
    return result;
}

void ScalarRewardModel::save(const std::string& dir, const Tokenizer& tokenizer,
                             const Metadata& metadata) const {
    save_checkpoint(dir, params_, tokenizer, nullptr, metadata);
    const int C = config().hidden_size;
    const std::vector<TensorRef> head = {{"score.weight", {1, C}, w_.data()},
                                         {"score.bias", {1}, &b_}};
    write_safetensors((std::filesystem::path(dir) / kScalarHeadFile).string(), head, metadata);
}

ScalarRewardModel ScalarRewardModel::load(const std::string& dir) {
    CheckpointLoadOptions options;
    options.optimizer = false;
    const Checkpoint ckpt = load_checkpoint(dir, options);
    ScalarRewardModel rm(ckpt.params, 0);
    const int C = rm.config().hidden_size;
    const SafetensorsFile file =
        SafetensorsFile::read((std::filesystem::path(dir) / kScalarHeadFile).string());
    const std::vector<TensorSlot> slots = {{"score.weight", {1, C}, rm.w_.data()},
                                           {"score.bias", {1}, &rm.b_}};
    file.load_into(slots);
    return rm;
}

}  // namespace tinyseek
