// Whole-model gradient checks in double precision (central differences, random projection
// of the outputs), as a table of cases: MLA/MHA/GQA, balance modes, MTP, embedding, head,
// padding. (One shard each: ShardCountDoesNotChangeTheResult holds the multi-shard
// reduction equal to it.)
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>

#include "core/model.h"

#include "core/errors.h"
#include "tests/core/grad_check.h"
#include "tests/core/model_fixtures.h"

namespace tinyseek {
namespace {

using testing::check_gradients;
using testing::GradProblem;
using testing::random_params;
using testing::small_config;
using testing::Tensors;

constexpr int kBatch = 3, kTime = 5;
const int kSeqLengths[kBatch] = {5, 3, 4};  // right-padded sequences

// Which outputs enter the loss.
enum class Outputs { main_and_mtp, main_only, mtp_only, hidden_only };

std::vector<int> fixed_tokens(int vocab) {
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<int> id(0, vocab - 1);
    std::vector<int> t(kBatch * kTime);
    for (int& x : t) x = id(rng);
    return t;
}

// Values are the trainable tensors (all, or those named in `only`), checked on up to
// `per_tensor` elements each. The balance loss enters with weight 1 (unit_tail).
GradProblem model_problem(ModelConfig c, Outputs outputs, int shards,
                          std::vector<std::string> only = {}, uint64_t seed = 41) {
    auto model = std::make_shared<BasicModel<double>>(c);
    model->set_num_shards(shards);
    const ParamLayout& layout = model->layout();
    auto base = std::make_shared<std::vector<double>>(random_params(layout, seed));
    auto tokens = std::make_shared<std::vector<int>>(fixed_tokens(c.vocab_size));
    GradProblem p;
    for (const TensorSpec& t : layout.tensors()) {
        if (!t.trainable) continue;
        if (!only.empty() && std::find(only.begin(), only.end(), t.name) == only.end()) continue;
        p.values[t.name].assign(base->begin() + t.offset, base->begin() + t.offset + t.numel);
    }
    auto assemble = [model, base](const Tensors& v) {
        std::vector<double> flat = *base;
        for (const auto& [name, vals] : v)
            std::copy(vals.begin(), vals.end(), flat.begin() + model->layout().at(name).offset);
        return flat;
    };
    const bool with_mtp = outputs != Outputs::main_only;
    const size_t NV = size_t(kBatch) * kTime * c.vocab_size,
                 NC = size_t(kBatch) * kTime * c.hidden_size;
    p.forward = [=](const Tensors& v) {
        const std::vector<double> flat = assemble(v);
        auto out =
            model->forward(flat.data(), tokens->data(), kBatch, kTime, kSeqLengths, with_mtp);
        std::vector<double> y;
        if (outputs == Outputs::main_and_mtp || outputs == Outputs::main_only)
            y.insert(y.end(), out.logits, out.logits + NV);
        if (outputs == Outputs::main_and_mtp || outputs == Outputs::mtp_only)
            y.insert(y.end(), out.mtp_logits, out.mtp_logits + NV);
        if (outputs == Outputs::hidden_only)
            y.insert(y.end(), model->hidden(), model->hidden() + NC);
        y.push_back(out.aux_loss);
        return y;
    };
    p.backward = [=](const Tensors& v, const std::vector<double>& dy, Tensors& g) {
        const std::vector<double> flat = assemble(v);
        model->forward(flat.data(), tokens->data(), kBatch, kTime, kSeqLengths, with_mtp);
        const std::vector<double> zeros(NV, 0.0);
        const double* dlogits = zeros.data();
        const double* dmtp = nullptr;
        const double* dhidden = nullptr;
        switch (outputs) {
            case Outputs::main_and_mtp:
                dlogits = dy.data();
                dmtp = dy.data() + NV;
                break;
            case Outputs::main_only:
                dlogits = dy.data();
                break;
            case Outputs::mtp_only:
                dmtp = dy.data();
                break;
            case Outputs::hidden_only:
                dhidden = dy.data();
                break;
        }
        std::vector<double> grads(flat.size(), 0.0);
        model->backward(flat.data(), dlogits, dmtp, grads.data(), dhidden);
        for (auto& [name, gv] : g) {
            const size_t off = model->layout().at(name).offset;
            for (size_t i = 0; i < gv.size(); ++i) gv[i] += grads[off + i];
        }
    };
    p.unit_tail = 1;
    return p;
}

ModelConfig config_with(AttentionKind attention, BalanceMode mode) {
    ModelConfig c = small_config();
    c.attention = attention;
    c.balance_mode = mode;
    c.aux_loss_alpha = 0.1f;
    c.seq_balance_alpha = 0.1f;
    if (attention == AttentionKind::gqa) {
        c.num_attention_heads = 4;
        c.num_key_value_heads = 2;
    }
    return c;
}

struct ModelCase {
    const char* name;
    std::function<GradProblem()> make;
    int per_tensor = 12;
};

void PrintTo(const ModelCase& c, std::ostream* os) {
    *os << c.name;
}

class ModelGradTest : public ::testing::TestWithParam<ModelCase> {};

TEST_P(ModelGradTest, MatchesCentralDifferences) {
    GradProblem problem = GetParam().make();
    const testing::GradReport r = check_gradients(problem, 7, GetParam().per_tensor);
    EXPECT_GT(r.checked, 0);
    EXPECT_LT(r.worst_error, 1e-5) << "worst: " << r.worst_tensor;
}

const ModelCase kModelCases[] = {
    {"mla_aux_free",
     [] {
         return model_problem(config_with(AttentionKind::mla, BalanceMode::aux_free),
                              Outputs::main_and_mtp, 1);
     }},
    {"mla_aux_loss",
     [] {
         return model_problem(config_with(AttentionKind::mla, BalanceMode::aux_loss),
                              Outputs::main_and_mtp, 1);
     }},
    {"mla_aux_free_seq",
     [] {
         return model_problem(config_with(AttentionKind::mla, BalanceMode::aux_free_seq),
                              Outputs::main_and_mtp, 1);
     }},
    {"mla_no_q_lora",
     [] {
         ModelConfig c = config_with(AttentionKind::mla, BalanceMode::none);
         c.q_lora_rank = 0;
         return model_problem(c, Outputs::main_and_mtp, 1);
     }},
    {"mha",
     [] {
         return model_problem(config_with(AttentionKind::mha, BalanceMode::aux_loss),
                              Outputs::main_and_mtp, 1);
     }},
    {"gqa",
     [] {
         return model_problem(config_with(AttentionKind::gqa, BalanceMode::aux_free),
                              Outputs::main_and_mtp, 1);
     }},
    {"main_loss_without_mtp",
     [] {
         return model_problem(config_with(AttentionKind::mla, BalanceMode::aux_loss),
                              Outputs::main_only, 1);
     }},
    {"mtp_loss_only",
     [] {
         return model_problem(config_with(AttentionKind::mla, BalanceMode::aux_loss),
                              Outputs::mtp_only, 1);
     }},
    {"head_on_hidden_states",
     [] {
         return model_problem(config_with(AttentionKind::mla, BalanceMode::aux_free),
                              Outputs::hidden_only, 1);
     }},
    {"embedding",
     [] {
         return model_problem(config_with(AttentionKind::mla, BalanceMode::aux_free),
                              Outputs::main_and_mtp, 1, {"model.embed_tokens.weight"});
     },
     1000},
    {"lm_head",
     [] {
         return model_problem(config_with(AttentionKind::mla, BalanceMode::aux_free),
                              Outputs::main_and_mtp, 1, {"lm_head.weight", "model.norm.weight"});
     },
     1000},
    {"mtp_module",
     [] {
         const std::string p = layer_prefix(2);
         return model_problem(config_with(AttentionKind::mla, BalanceMode::aux_free),
                              Outputs::main_and_mtp, 1,
                              {p + "enorm.weight", p + "hnorm.weight", p + "eh_proj.weight",
                               p + "shared_head.norm.weight"},
                              43);
     },
     1000},
    // MTP reads model.norm(h_L): its loss alone must reach model.norm and the main blocks
    // through that norm (a backward that skipped it would leave model.norm.weight at zero).
    {"mtp_through_final_norm",
     [] {
         const std::string last = layer_prefix(1);
         return model_problem(config_with(AttentionKind::mla, BalanceMode::aux_free),
                              Outputs::mtp_only, 1,
                              {"model.norm.weight", last + "post_attention_layernorm.weight",
                               last + "mlp.gate.weight", last + "self_attn.o_proj.weight"},
                              47);
     },
     1000},
    {"mtp_pre_norm_contract",
     [] {
         ModelConfig c = config_with(AttentionKind::mla, BalanceMode::aux_loss);
         c.mtp_hidden_input = MtpHiddenInput::pre_norm;
         return model_problem(c, Outputs::main_and_mtp, 1);
     }},
};

INSTANTIATE_TEST_SUITE_P(Model, ModelGradTest, ::testing::ValuesIn(kModelCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Model, ShardCountDoesNotChangeTheResult) {
    const ModelConfig c = config_with(AttentionKind::mla, BalanceMode::aux_loss);
    BasicModel<double> one(c), three(c);
    one.set_num_shards(1);
    three.set_num_shards(3);
    const std::vector<double> params = random_params(one.layout(), 3);
    const std::vector<int> tokens = fixed_tokens(c.vocab_size);
    const auto a = one.forward(params.data(), tokens.data(), kBatch, kTime, kSeqLengths);
    const auto b = three.forward(params.data(), tokens.data(), kBatch, kTime, kSeqLengths);
    const size_t NV = size_t(kBatch) * kTime * c.vocab_size;
    for (size_t i = 0; i < NV; ++i) {
        EXPECT_NEAR(a.logits[i], b.logits[i], 1e-12);
        EXPECT_NEAR(a.mtp_logits[i], b.mtp_logits[i], 1e-12);
    }
    EXPECT_NEAR(a.aux_loss, b.aux_loss, 1e-12);
    std::vector<double> dl(NV, 0.01), ga(params.size(), 0.0), gb(params.size(), 0.0);
    one.backward(params.data(), dl.data(), dl.data(), ga.data());
    three.backward(params.data(), dl.data(), dl.data(), gb.data());
    for (size_t i = 0; i < ga.size(); ++i) ASSERT_NEAR(ga[i], gb[i], 1e-12) << i;
}

TEST(Model, FloatAndDoubleAgree) {
    const ModelConfig c = small_config();
    BasicModel<double> md(c);
    Model mf(c);
    const std::vector<double> pd = random_params(md.layout(), 4);
    const std::vector<float> pf(pd.begin(), pd.end());
    const std::vector<int> tokens = fixed_tokens(c.vocab_size);
    const auto a = md.forward(pd.data(), tokens.data(), kBatch, kTime, kSeqLengths);
    const auto b = mf.forward(pf.data(), tokens.data(), kBatch, kTime, kSeqLengths);
    for (size_t i = 0; i < size_t(kBatch) * kTime * c.vocab_size; ++i) {
        EXPECT_NEAR(a.logits[i], b.logits[i], 1e-4);
        EXPECT_NEAR(a.mtp_logits[i], b.mtp_logits[i], 1e-4);
    }
}

TEST(Model, PaddingDoesNotChangeValidRows) {
    // Causal attention: the valid prefix of a padded sequence gives the same logits as the
    // same prefix on its own.
    const ModelConfig c = small_config();
    BasicModel<double> model(c);
    const std::vector<double> params = random_params(model.layout(), 6);
    std::vector<int> tokens = fixed_tokens(c.vocab_size);
    const int len = 3;
    std::vector<double> padded;
    {
        const int lengths[1] = {len};
        auto out = model.forward(params.data(), tokens.data(), 1, kTime, lengths);
        padded.assign(out.logits, out.logits + len * c.vocab_size);
    }
    tokens[3] = (tokens[3] + 1) % c.vocab_size;  // change the padding itself
    tokens[4] = (tokens[4] + 2) % c.vocab_size;
    auto out = model.forward(params.data(), tokens.data(), 1, len);
    for (int i = 0; i < len * c.vocab_size; ++i) EXPECT_NEAR(out.logits[i], padded[i], 1e-12);
}

// A batch of sequences of different lengths, cut into any number of shards, computes each
// sequence as the model does on that sequence alone (B = 1, no padding): the same logits, MTP
// logits, hidden states and experts on its rows, zeros on the padding rows, and, for output
// gradients on every row, the sum of the sequences' own gradients (padding rows' ignored).
TEST(Model, EachSequenceOfABatchAsIfAlone) {
    ModelConfig c = small_config();
    c.balance_mode = BalanceMode::aux_free;  // no balance loss, which couples the sequences
    const int B = 6, T = 8, V = c.vocab_size, C = c.hidden_size;
    const int lengths[B] = {7, 2, 5, 7, 3, 6};
    std::mt19937_64 rng(9);
    std::vector<int> tokens(B * T);
    for (int& t : tokens) t = static_cast<int>(rng() % V);
    std::normal_distribution<double> normal;
    std::vector<double> dl(B * T * V), dm(B * T * V), dh(B * T * C);
    for (auto* v : {&dl, &dm, &dh})
        for (double& x : *v) x = normal(rng);
    BasicModel<double> alone(c);
    const std::vector<double> params = random_params(alone.layout(), 8);
    std::vector<double> want_grads(params.size(), 0.0);
    std::vector<std::vector<double>> want_logits(B), want_mtp(B), want_hidden(B);
    std::vector<std::vector<int>> want_experts(B);
    for (int b = 0; b < B; ++b) {
        const int L = lengths[b];
        const auto out = alone.forward(params.data(), tokens.data() + b * T, 1, L);
        want_logits[b].assign(out.logits, out.logits + L * V);
        want_mtp[b].assign(out.mtp_logits, out.mtp_logits + L * V);
        want_hidden[b].assign(alone.hidden(), alone.hidden() + L * C);
        want_experts[b] = alone.chosen_experts(1);
        alone.backward(params.data(), dl.data() + b * T * V, dm.data() + b * T * V,
                       want_grads.data(), dh.data() + b * T * C);
    }
    // One model through every plan in turn (0: its own choice), so shards move between
    // threads and the thread count shrinks and grows between forwards.
    BasicModel<double> model(c);
    for (int shards : {6, 1, 4, 0, 2, 6}) {
        SCOPED_TRACE("shards " + std::to_string(shards));
        model.set_num_shards(shards);
        const auto out = model.forward(params.data(), tokens.data(), B, T, lengths);
        const std::vector<int> experts = model.chosen_experts(1);
        for (int b = 0; b < B; ++b)
            for (int t = 0; t < T; ++t) {
                const bool valid = t < lengths[b];
                const size_t row = size_t(b) * T + t;
                for (int v = 0; v < V; ++v) {
                    EXPECT_NEAR(out.logits[row * V + v], valid ? want_logits[b][t * V + v] : 0,
                                1e-12);
                    EXPECT_NEAR(out.mtp_logits[row * V + v], valid ? want_mtp[b][t * V + v] : 0,
                                1e-12);
                }
                for (int j = 0; j < C; ++j)
                    EXPECT_NEAR(model.hidden()[row * C + j], valid ? want_hidden[b][t * C + j] : 0,
                                1e-12);
                for (int k = 0; k < c.num_experts_per_tok; ++k)
                    EXPECT_EQ(experts[row * c.num_experts_per_tok + k],
                              valid ? want_experts[b][t * c.num_experts_per_tok + k] : -1);
            }
        std::vector<double> grads(params.size(), 0.0);
        model.backward(params.data(), dl.data(), dm.data(), grads.data(), dh.data());
        for (size_t i = 0; i < grads.size(); ++i) ASSERT_NEAR(grads[i], want_grads[i], 1e-10) << i;
    }
}

TEST(Model, RejectsBadInput) {
    const ModelConfig c = small_config();
    Model model(c);
    ParamStore params(c);
    std::vector<int> tokens(kTime, 1);
    tokens[2] = c.vocab_size;
    EXPECT_THROW(model.forward(params, tokens.data(), 1, kTime), Error);
    tokens[2] = 0;
    std::vector<int> long_seq(c.max_position_embeddings + 1, 0);
    EXPECT_THROW(model.forward(params, long_seq.data(), 1, c.max_position_embeddings + 1), Error);
    const int bad_length[1] = {kTime + 1};
    EXPECT_THROW(model.forward(params, tokens.data(), 1, kTime, bad_length), Error);
    ModelConfig other = c;
    other.hidden_size = 8;
    ParamStore wrong(other);
    EXPECT_THROW(model.forward(wrong, tokens.data(), 1, kTime), Error);
}

}  // namespace
}  // namespace tinyseek
