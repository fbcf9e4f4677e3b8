// The scalar reward head: gradient of the binary loss through the whole model against finite
// differences (double), learning a separable labelling, and save/load.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>

#include "core/model.h"
#include "core/tokenizer.h"
#include "tests/core/grad_check.h"
#include "tests/core/model_fixtures.h"
#include "training/grm/scalar_head.h"

namespace tinyseek {
namespace {

using testing::check_gradients;
using testing::GradProblem;
using testing::random_params;
using testing::small_config;
using testing::Tensors;

TEST(GrmScalarHead, GradientThroughTheModelMatchesFiniteDifferences) {
    const ModelConfig c = small_config();
    auto model = std::make_shared<BasicModel<double>>(c);
    const ParamLayout& layout = model->layout();
    auto base = std::make_shared<std::vector<double>>(random_params(layout, 17));
    constexpr int B = 3, T = 6;
    const std::vector<int> lengths = {6, 4, 5};
    auto tokens = std::make_shared<std::vector<int>>(B * T, 0);
    std::mt19937_64 rng(3);
    for (int& t : *tokens) t = static_cast<int>(rng() % c.vocab_size);
    // Sequence 0 pools its last token; 1 and 2 pool spans (the meta RM's judgment pooling).
    const std::vector<int> first_rows = {0 * T + 5, 1 * T + 1, 2 * T + 2};
    const std::vector<int> rows = {0 * T + 5, 1 * T + 3, 2 * T + 4};
    const std::vector<float> labels = {1.0f, 0.0f, 1.0f};
    const int C = c.hidden_size;

    GradProblem p;
    for (const TensorSpec& t : layout.tensors())
        if (t.trainable)
            p.values[t.name].assign(base->begin() + t.offset, base->begin() + t.offset + t.numel);
    p.values["head.w"] = testing::random_vector(C, rng, 0.5);
    p.values["head.b"] = {0.1};
    auto assemble = [model, base](const Tensors& v) {
        std::vector<double> flat = *base;
        for (const auto& [name, vals] : v) {
            if (name.rfind("head.", 0) == 0) continue;
            std::copy(vals.begin(), vals.end(), flat.begin() + model->layout().at(name).offset);
        }
        return flat;
    };
    // y = [L, aux]: the loss of the head; the balance loss (0 in aux-free mode) as unit tail.
    p.forward = [=](const Tensors& v) {
        const std::vector<double> flat = assemble(v);
        const auto out = model->forward(flat.data(), tokens->data(), B, T, lengths.data(), false);
        std::vector<double> scores(B);
        const double loss =
            binary_head_loss<double>(scores.data(), nullptr, nullptr, nullptr, model->hidden(),
                                     out.rows, C, first_rows.data(), rows.data(), labels.data(), B,
                                     v.at("head.w").data(), v.at("head.b")[0]);
        return std::vector<double>{loss, out.aux_loss};
    };
    p.backward = [=](const Tensors& v, const std::vector<double>& dy, Tensors& g) {
        const std::vector<double> flat = assemble(v);
        const auto out = model->forward(flat.data(), tokens->data(), B, T, lengths.data(), false);
        std::vector<double> scores(B), dhidden(std::size_t(out.rows) * C), dw(C);
        double db = 0;
        binary_head_loss<double>(scores.data(), dhidden.data(), dw.data(), &db, model->hidden(),
                                 out.rows, C, first_rows.data(), rows.data(), labels.data(), B,
                                 v.at("head.w").data(), v.at("head.b")[0]);
        for (double& x : dhidden) x *= dy[0];
        const std::vector<double> zeros(std::size_t(out.rows) * out.vocab, 0.0);
        std::vector<double> grads(flat.size(), 0.0);
        model->backward(flat.data(), zeros.data(), nullptr, grads.data(), dhidden.data());
        for (auto& [name, gv] : g) {
            if (name == "head.w") {
                for (int i = 0; i < C; ++i) gv[i] += dy[0] * dw[i];
            } else if (name == "head.b") {
                gv[0] += dy[0] * db;
            } else {
                const size_t off = model->layout().at(name).offset;
                for (size_t i = 0; i < gv.size(); ++i) gv[i] += grads[off + i];
            }
        }
    };
    p.unit_tail = 1;
    const auto report = check_gradients(p, 5, 12);
    EXPECT_GT(report.checked, 100);
    EXPECT_LT(report.worst_error, 1e-5) << report.worst_tensor;
}

TEST(GrmScalarHead, LossAndGradientOfTheHeadAlone) {
    // Two rows, C = 2: r = w.h + b. h0 = (1, 2), h1 = (-1, 0.5); w = (0.5, -1), b = 0.25.
    const std::vector<double> hidden = {1, 2, -1, 0.5};
    const std::vector<double> w = {0.5, -1};
    const int rows[] = {0, 1};
    const float labels[] = {1.0f, 0.0f};
    std::vector<double> scores(2), dh(4), dw(2);
    double db = 0;
    const double loss =
        binary_head_loss<double>(scores.data(), dh.data(), dw.data(), &db, hidden.data(), 2, 2,
                                 nullptr, rows, labels, 2, w.data(), 0.25);
    EXPECT_DOUBLE_EQ(scores[0], 0.5 - 2 + 0.25);
    EXPECT_DOUBLE_EQ(scores[1], -0.5 - 0.5 + 0.25);
    auto sig = [](double x) { return 1 / (1 + std::exp(-x)); };
    const double l0 = -std::log(sig(scores[0])), l1 = -std::log(1 - sig(scores[1]));
    EXPECT_NEAR(loss, (l0 + l1) / 2, 1e-12);
    const double g0 = (sig(scores[0]) - 1) / 2, g1 = sig(scores[1]) / 2;
    EXPECT_NEAR(db, g0 + g1, 1e-12);
    EXPECT_NEAR(dw[0], g0 * 1 + g1 * -1, 1e-12);
    EXPECT_NEAR(dh[1], g0 * -1, 1e-12);
    EXPECT_NEAR(dh[2], g1 * 0.5, 1e-12);

    // Pooling rows 0..1 into one sequence: h = mean = (0, 1.25), r = -1.25 + 0.25; each row
    // gets half of dL/dh.
    const int first[] = {0}, last[] = {1};
    double pooled_score = 0;
    binary_head_loss<double>(&pooled_score, dh.data(), dw.data(), &db, hidden.data(), 2, 2, first,
                             last, labels, 1, w.data(), 0.25);
    EXPECT_DOUBLE_EQ(pooled_score, -1.0);
    const double g = sig(-1.0) - 1;
    EXPECT_NEAR(dw[1], g * 1.25, 1e-12);
    EXPECT_NEAR(dh[0], g * 0.5 * 0.5, 1e-12);
    EXPECT_NEAR(dh[3], g * -1 * 0.5, 1e-12);
    // A span that runs backwards or off the rows is an error, not a read out of bounds.
    const int bad_first[] = {1}, bad_last[] = {0}, off[] = {2};
    EXPECT_THROW(binary_head_loss<double>(&pooled_score, nullptr, nullptr, nullptr, hidden.data(),
                                          2, 2, bad_first, bad_last, labels, 1, w.data(), 0.25),
                 Error);
    EXPECT_THROW(binary_head_loss<double>(&pooled_score, nullptr, nullptr, nullptr, hidden.data(),
                                          2, 2, nullptr, off, labels, 1, w.data(), 0.25),
                 Error);
}

TEST(GrmScalarHead, LearnsASeparableLabellingAndSurvivesSaveLoad) {
    // Label = whether the sequence's first digit is even: the head must read an early token
    // through attention, not just the last one.
    ModelConfig c = ModelConfig::preset("tiny");
    c.hidden_size = 32;
    c.num_hidden_layers = 2;
    c.intermediate_size = 64;
    c.q_lora_rank = 16;
    c.kv_lora_rank = 16;
    c.qk_nope_head_dim = 8;
    c.qk_rope_head_dim = 8;
    c.v_head_dim = 8;
    c.moe_intermediate_size = 32;
    c.n_routed_experts = 4;
    ParamStore backbone(c);
    init_params(backbone, 2);
    ScalarRewardModel rm(backbone, 1);
    const Tokenizer tok;
    std::mt19937_64 rng(4);
    auto make = [&](int n, std::vector<std::vector<int>>& seqs, std::vector<float>& labels) {
        seqs.clear();
        labels.clear();
        for (int i = 0; i < n; ++i) {
            std::string text;
            for (int k = 0; k < 6; ++k) text += static_cast<char>('0' + rng() % 10);
            std::vector<int> s{Tokenizer::bos_id};
            const auto ids = tok.encode(text);
            s.insert(s.end(), ids.begin(), ids.end());
            seqs.push_back(s);
            labels.push_back((text[0] - '0') % 2 == 0 ? 1.0f : 0.0f);
        }
    };
    std::vector<std::vector<int>> seqs, test_seqs;
    std::vector<float> labels, test_labels;
    make(64, test_seqs, test_labels);
    double first_loss = 0, last_loss = 0;
    for (int step = 0; step < 120; ++step) {
        make(32, seqs, labels);
        const HeadStepResult r = rm.train_step(seqs, labels, 3e-3f);
        ASSERT_TRUE(std::isfinite(r.loss));
        if (step == 0) first_loss = r.loss;
        last_loss = r.loss;
    }
    EXPECT_LT(last_loss, 0.5 * first_loss);
    const std::vector<float> scores = rm.score(test_seqs, 16);
    int right = 0;
    for (std::size_t i = 0; i < scores.size(); ++i)
        right += (scores[i] > 0) == (test_labels[i] > 0.5f);
    EXPECT_GE(right, 58) << "of 64";

    const std::string dir = std::string(TINYSEEK_TEST_TMP) + "/grm_scalar_head_rm";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(TINYSEEK_TEST_TMP);
    rm.save(dir, tok, {{"role", "test"}});
    ScalarRewardModel loaded = ScalarRewardModel::load(dir);
    EXPECT_EQ(loaded.head_weight(), rm.head_weight());
    EXPECT_EQ(loaded.head_bias(), rm.head_bias());
    EXPECT_EQ(loaded.params().data(), rm.params().data());
    // Same weights, but a fresh Model's buffers may sit at another alignment than those of the
    // trained one, which changes Eigen's summation order in the last bits.
    const std::vector<float> a = loaded.score(test_seqs, 64), b = rm.score(test_seqs, 64);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-4f * std::abs(b[i])) << i;
}

}  // namespace
}  // namespace tinyseek
