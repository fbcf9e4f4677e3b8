#include "core/generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include <omp.h>

#include "core/errors.h"
#include "core/model.h"
#include "tests/core/generator_fixtures.h"

using namespace tinyseek;
using tinyseek::testing::random_model;
using tinyseek::testing::random_tokens;
using tinyseek::testing::Threads;

namespace {

RowMatrix mat(const Logits& l) {
    return Eigen::Map<const RowMatrix>(l.values.data(), l.tokens, l.vocab);
}

float max_abs_diff(const RowMatrix& a, const RowMatrix& b) {
    EXPECT_EQ(a.rows(), b.rows());
    EXPECT_EQ(a.cols(), b.cols());
    return (a - b).cwiseAbs().maxCoeff();
}

int argmax(const float* x, int n) {
    return static_cast<int>(std::max_element(x, x + n) - x);
}

float log_softmax(const float* x, int n, int i) {
    const float m = *std::max_element(x, x + n);
    double s = 0.0;
    for (int j = 0; j < n; ++j) s += std::exp(double(x[j] - m));
    return float(x[i] - m - std::log(s));
}

GenerationOptions greedy(int max_new) {
    GenerationOptions o;
    o.max_new_tokens = max_new;
    o.sampling.temperature = 0.0f;
    return o;
}

}  // namespace

TEST(Generator, LatentAndExpandedCachesGiveTheSameLogits) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 1);
    Generator latent(p, CacheMode::latent), expanded(p, CacheMode::expanded);
    for (int len : {1, 5, 17, 60}) {
        const std::vector<int> tokens = random_tokens(len, c.vocab_size, 100 + len);
        for (int chunk : {0, 1}) {
            const RowMatrix a = mat(latent.logits(tokens, chunk));
            const RowMatrix b = mat(expanded.logits(tokens, chunk));
            EXPECT_LT(max_abs_diff(a, b), 1e-4f) << "length " << len << " chunk " << chunk;
            // The comparison means something only if the logits are far from constant.
            EXPECT_GT(a.row(len - 1).maxCoeff() - a.row(len - 1).minCoeff(), 0.5f);
        }
    }
}

TEST(Generator, PrefillChunksAndSingleStepsAgree) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 2);
    for (CacheMode mode : {CacheMode::latent, CacheMode::expanded}) {
        Generator g(p, mode);
        const std::vector<int> tokens = random_tokens(33, c.vocab_size, 7);
        const RowMatrix all = mat(g.logits(tokens));
        EXPECT_LT(max_abs_diff(all, mat(g.logits(tokens, 1))), 1e-5f) << to_string(mode);
        EXPECT_LT(max_abs_diff(all, mat(g.logits(tokens, 7))), 1e-5f) << to_string(mode);
        // Causality: the logits of a prefix do not depend on what follows it.
        const std::vector<int> prefix(tokens.begin(), tokens.begin() + 12);
        EXPECT_LT(max_abs_diff(all.topRows(12), mat(g.logits(prefix))), 1e-5f);
    }
}

// Greedy generation through the cache must pick, at every step, the argmax of the logits
// that a fresh full forward over prompt + generated-so-far gives.
void expect_cached_equals_recompute(const ModelConfig& c, CacheMode mode, uint64_t seed) {
    const ParamStore p = random_model(c, seed);
    Generator g(p, mode);
    const std::vector<int> prompt = random_tokens(6, c.vocab_size, seed + 10);
    const GenerationResult r = g.generate({prompt}, greedy(24));
    const SequenceOutput& out = r.sequences[0];
    ASSERT_EQ(out.tokens.size(), 24u);
    EXPECT_EQ(out.stop_reason, StopReason::max_new_tokens);
    Generator fresh(p, mode);
    std::vector<int> tokens = prompt;
    for (size_t i = 0; i < out.tokens.size(); ++i) {
        const Logits l = fresh.logits(tokens);
        const float* last = l.row(l.tokens - 1);
        ASSERT_EQ(out.tokens[i], argmax(last, c.vocab_size)) << "step " << i;
        EXPECT_NEAR(out.logprob_model[i], log_softmax(last, c.vocab_size, out.tokens[i]), 1e-4);
        EXPECT_EQ(out.logprob_sampling[i], 0.0f);
        tokens.push_back(out.tokens[i]);
    }
    // Not a degenerate repetition of one token.
    EXPECT_GT(std::set<int>(out.tokens.begin(), out.tokens.end()).size(), 2u);
}

TEST(Generator, CachedGenerationEqualsFullRecompute) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    expect_cached_equals_recompute(c, CacheMode::latent, 3);
    expect_cached_equals_recompute(c, CacheMode::expanded, 3);
}

TEST(Generator, MhaAndGqaModelsUseTheirOwnCache) {
    const Threads one(1);
    ModelConfig mha = ModelConfig::preset("tiny");
    mha.attention = AttentionKind::mha;
    ModelConfig gqa = mha;
    gqa.attention = AttentionKind::gqa;
    gqa.num_key_value_heads = 2;
    for (const ModelConfig& c : {mha, gqa}) {
        expect_cached_equals_recompute(c, CacheMode::expanded, 4);
        const ParamStore p = random_model(c, 5);
        Generator g(p, CacheMode::expanded);
        const std::vector<int> tokens = random_tokens(20, c.vocab_size, 9);
        EXPECT_LT(max_abs_diff(mat(g.logits(tokens)), mat(g.logits(tokens, 1))), 1e-5f);
        EXPECT_THROW(Generator(p, CacheMode::latent), ConfigError);
    }
}

TEST(Generator, BatchOfDifferentLengthsEqualsEachAlone) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 6);
    std::vector<std::vector<int>> prompts;
    for (int len : {3, 9, 1, 14, 6, 2})
        prompts.push_back(random_tokens(len, c.vocab_size, 200 + len));
    GenerationOptions o;
    o.max_new_tokens = 30;
    o.sampling.temperature = 0.9f;
    o.sampling.top_k = 24;
    o.sampling.top_p = 0.95f;
    o.seed = 11;
    o.stop_tokens = {2, 5, 7, 11, 13};
    o.sequence_ids = {40, 41, 42, 43, 44, 45};
    Generator g(p, CacheMode::latent);
    const GenerationResult batch = g.generate(prompts, o);
    std::set<size_t> lengths;
    int stopped = 0;
    for (size_t i = 0; i < prompts.size(); ++i) {
        GenerationOptions alone = o;
        alone.sequence_ids = {o.sequence_ids[i]};
        const GenerationResult single = g.generate({prompts[i]}, alone);
        const SequenceOutput& a = batch.sequences[i];
        const SequenceOutput& b = single.sequences[0];
        EXPECT_EQ(a.tokens, b.tokens) << "sequence " << i;
        EXPECT_EQ(a.stop_reason, b.stop_reason);
        ASSERT_EQ(a.logprob_model.size(), b.logprob_model.size());
        for (size_t t = 0; t < a.tokens.size(); ++t) {
            EXPECT_NEAR(a.logprob_model[t], b.logprob_model[t], 1e-4);
            EXPECT_NEAR(a.logprob_sampling[t], b.logprob_sampling[t], 1e-4);
            EXPECT_LE(a.logprob_model[t], 0.0f);
        }
        lengths.insert(a.tokens.size());
        if (a.stop_reason == StopReason::stop_token) {
            ++stopped;
            EXPECT_TRUE(std::count(o.stop_tokens.begin(), o.stop_tokens.end(), a.tokens.back()));
        }
    }
    // The batch really had sequences finishing at different steps.
    EXPECT_GE(stopped, 1);
    EXPECT_GE(lengths.size(), 3u);
    int generated = 0;
    for (const SequenceOutput& s : batch.sequences) generated += int(s.tokens.size());
    EXPECT_EQ(batch.generated_tokens, generated);
    EXPECT_EQ(batch.prompt_tokens, 3 + 9 + 1 + 14 + 6 + 2);

    // Reordering the batch (ids travel with their prompts) changes nothing either.
    std::vector<std::vector<int>> reversed(prompts.rbegin(), prompts.rend());
    GenerationOptions rev = o;
    rev.sequence_ids.assign(o.sequence_ids.rbegin(), o.sequence_ids.rend());
    const GenerationResult back = g.generate(reversed, rev);
    for (size_t i = 0; i < prompts.size(); ++i)
        EXPECT_EQ(back.sequences[prompts.size() - 1 - i].tokens, batch.sequences[i].tokens);
}

TEST(Generator, StopsOnStopTokenAndAtContextEnd) {
    const Threads one(1);
    ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 8);
    Generator g(p, CacheMode::latent);
    const std::vector<int> prompt = random_tokens(4, c.vocab_size, 3);
    const std::vector<int> free_run = g.generate({prompt}, greedy(12)).sequences[0].tokens;
    GenerationOptions o = greedy(12);
    o.stop_tokens = {free_run[5]};
    const SequenceOutput s = g.generate({prompt}, o).sequences[0];
    const size_t first =
        std::find(free_run.begin(), free_run.end(), free_run[5]) - free_run.begin();
    EXPECT_EQ(s.stop_reason, StopReason::stop_token);
    EXPECT_EQ(s.tokens, std::vector<int>(free_run.begin(), free_run.begin() + first + 1));

    // A 12-position model: an 8-token prompt leaves room for 4 more inputs, so 5 new tokens
    // (the last one needs no position of its own).
    c.max_position_embeddings = 12;
    const ParamStore small = random_model(c, 8);
    Generator gs(small, CacheMode::expanded);
    const SequenceOutput full =
        gs.generate({random_tokens(8, c.vocab_size, 1)}, greedy(50)).sequences[0];
    EXPECT_EQ(full.stop_reason, StopReason::context_full);
    EXPECT_EQ(full.tokens.size(), 5u);
    EXPECT_THROW(gs.generate({random_tokens(12, c.vocab_size, 1)}, greedy(1)), Error);
}

TEST(Generator, RoutingTraceOfOneSequence) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 9);
    Generator g(p, CacheMode::latent);
    std::vector<std::vector<int>> prompts = {random_tokens(5, c.vocab_size, 1),
                                             random_tokens(8, c.vocab_size, 2)};
    GenerationOptions o = greedy(10);
    o.trace_sequence = 1;
    const GenerationResult r = g.generate(prompts, o);
    const RoutingTrace& t = r.routing;
    ASSERT_EQ(t.layers, (std::vector<int>{1, 2, 3}));  // first_k_dense_replace = 1
    ASSERT_EQ(t.top_k, 2);
    std::vector<int> fed = prompts[1];
    fed.insert(fed.end(), r.sequences[1].tokens.begin(), r.sequences[1].tokens.end() - 1);
    EXPECT_EQ(t.tokens, fed);
    ASSERT_EQ(t.experts.size(), fed.size() * 3 * 2);
    std::set<int> used;
    for (size_t tok = 0; tok < fed.size(); ++tok)
        for (int m = 0; m < 3; ++m) {
            const int e0 = t.expert(tok, m, 0), e1 = t.expert(tok, m, 1);
            EXPECT_GE(e0, 0);
            EXPECT_LT(e1, c.n_routed_experts);
            EXPECT_NE(e0, e1);
            used.insert(e0);
            // norm_topk_prob: the gate weights of a token sum to routed_scaling_factor.
            EXPECT_NEAR(t.weight(tok, m, 0) + t.weight(tok, m, 1), c.routed_scaling_factor, 1e-5);
        }
    EXPECT_GT(used.size(), 1u);
    // The trace does not depend on the other sequences of the batch.
    GenerationOptions alone = o;
    alone.trace_sequence = 0;
    alone.sequence_ids = {1};
    const GenerationResult single = g.generate({prompts[1]}, alone);
    EXPECT_EQ(single.routing.experts, t.experts);
    // Off by default.
    EXPECT_TRUE(g.generate(prompts, greedy(3)).routing.experts.empty());
}

TEST(Generator, RejectsBadInput) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 10);
    Generator g(p, CacheMode::latent);
    EXPECT_THROW(g.generate({{}}, greedy(4)), Error);
    EXPECT_THROW(g.generate({{1, c.vocab_size}}, greedy(4)), Error);
    EXPECT_THROW(g.logits({}), Error);
    GenerationOptions o;
    o.sampling.top_p = 0.0f;
    EXPECT_THROW(g.generate({{1}}, o), ConfigError);
    o = greedy(2);
    o.sequence_ids = {1, 2};
    EXPECT_THROW(g.generate({{1}}, o), ConfigError);
    std::atomic<bool> cancel{true};
    o = greedy(5);
    o.cancel = &cancel;
    const SequenceOutput s = g.generate({{1, 2}}, o).sequences[0];
    EXPECT_EQ(s.stop_reason, StopReason::cancelled);
    EXPECT_EQ(s.tokens.size(), 1u);  // the prefill's token; no decode step ran
}

TEST(Generator, ResultsDoNotDependOnTheThreadCount) {
    // Packed GEMMs accumulate each output in k order inside one kernel call, attention and
    // expert tasks own whole rows: 1 and 2 threads give bit-identical logits and tokens.
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 12);
    std::vector<std::vector<int>> prompts;
    for (int i = 0; i < 24; ++i) prompts.push_back(random_tokens(8 + i % 5, c.vocab_size, 300 + i));
    GenerationOptions o;
    o.max_new_tokens = 8;
    o.seed = 4;
    std::vector<GenerationResult> runs;
    std::vector<Logits> logits;
    for (int threads : {1, 2}) {
        const Threads t(threads);
        Generator g(p, CacheMode::latent);
        runs.push_back(g.generate(prompts, o));
        logits.push_back(g.logits(random_tokens(150, c.vocab_size, 5)));
    }
    EXPECT_EQ(logits[0].values, logits[1].values);
    for (size_t i = 0; i < prompts.size(); ++i) {
        EXPECT_EQ(runs[0].sequences[i].tokens, runs[1].sequences[i].tokens);
        EXPECT_EQ(runs[0].sequences[i].logprob_model, runs[1].sequences[i].logprob_model);
    }
}

// An independent implementation: the training path's full-sequence forward (core/model.h),
// written separately (no KV cache, no absorption, Eigen GEMMs), must give the same logits.
TEST(Generator, MatchesTheTrainingForward) {
    const Threads one(1);
    ModelConfig mha = ModelConfig::preset("tiny");
    mha.attention = AttentionKind::mha;
    ModelConfig gqa = mha;
    gqa.attention = AttentionKind::gqa;
    gqa.num_key_value_heads = 2;
    ModelConfig no_q_lora = ModelConfig::preset("tiny");
    no_q_lora.q_lora_rank = 0;
    for (const ModelConfig& c : {ModelConfig::preset("tiny"), no_q_lora, mha, gqa}) {
        const ParamStore p = random_model(c, 13);
        BasicModel<float> model(c);
        // Two right-padded sequences of different lengths in one training batch.
        const int T = 40;
        std::vector<int> tokens = random_tokens(2 * T, c.vocab_size, 21);
        const int lengths[2] = {T, 23};
        const BasicModel<float>::Output ref =
            model.forward(p, tokens.data(), 2, T, lengths, /*with_mtp=*/false);
        const std::vector<CacheMode> modes =
            c.attention == AttentionKind::mla
                ? std::vector<CacheMode>{CacheMode::latent, CacheMode::expanded}
                : std::vector<CacheMode>{CacheMode::expanded};
        for (CacheMode mode : modes) {
            Generator g(p, mode);
            for (int b = 0; b < 2; ++b) {
                const std::vector<int> seq(tokens.begin() + b * T,
                                           tokens.begin() + b * T + lengths[b]);
                for (int chunk : {0, 1}) {
                    const Logits l = g.logits(seq, chunk);
                    float diff = 0.0f, spread = 0.0f;
                    for (int t = 0; t < lengths[b]; ++t)
                        for (int v = 0; v < c.vocab_size; ++v) {
                            const float r = ref.logits[(size_t(b) * T + t) * c.vocab_size + v];
                            diff = std::max(diff, std::abs(l(t, v) - r));
                            spread = std::max(spread, std::abs(r));
                        }
                    EXPECT_LT(diff, 1e-4f)
                        << to_string(c.attention) << " q_lora " << c.q_lora_rank << " "
                        << to_string(mode) << " seq " << b << " chunk " << chunk;
                    EXPECT_GT(spread, 0.5f);
                }
            }
        }
        // Routing of sequence 0 in every MoE layer matches the training forward's choice.
        if (c.attention != AttentionKind::mla) continue;
        Generator g(p, CacheMode::latent);
        GenerationOptions o = greedy(1);
        o.trace_sequence = 0;
        const RoutingTrace trace =
            g.generate({std::vector<int>(tokens.begin(), tokens.begin() + T)}, o).routing;
        ASSERT_EQ(trace.tokens.size(), size_t(T));
        for (size_t m = 0; m < trace.layers.size(); ++m) {
            const std::vector<int> chosen = model.chosen_experts(trace.layers[m]);
            const std::vector<float> weights = model.gate_weights(trace.layers[m]);
            for (int t = 0; t < T; ++t)
                for (int k = 0; k < trace.top_k; ++k) {
                    EXPECT_EQ(trace.expert(t, m, k), chosen[t * trace.top_k + k]);
                    EXPECT_NEAR(trace.weight(t, m, k), weights[t * trace.top_k + k], 1e-5);
                }
        }
    }
}

// The packed weights are kept across calls (packing costs as much as a batch-1 completion):
// a change of the parameters is seen only after reload_weights(), and then exactly as a
// fresh Generator sees it. Logits compared against Model's forward would not show the
// difference between kept and re-packed weights; two generators do.
TEST(Generator, KeepsItsPackedWeightsUntilReloaded) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    ParamStore p = random_model(c, 3);
    const std::vector<int> tokens = random_tokens(12, c.vocab_size, 5);
    Generator kept(p, CacheMode::latent);
    const RowMatrix before = mat(kept.logits(tokens));

    float* head = p.ptr("lm_head.weight");
    for (int i = 0; i < c.vocab_size * c.hidden_size; ++i) head[i] *= -2.0f;
    Generator fresh(p, CacheMode::latent);
    const RowMatrix after = mat(fresh.logits(tokens));
    ASSERT_GT(max_abs_diff(before, after), 1e-3f);  // the change shows in the logits

    EXPECT_EQ(max_abs_diff(mat(kept.logits(tokens)), before), 0.0f);
    kept.reload_weights();
    EXPECT_EQ(max_abs_diff(mat(kept.logits(tokens)), after), 0.0f);
}
