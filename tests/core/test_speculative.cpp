// Speculative decoding with the MTP draft (core/generator.h, core/speculative.h): greedy
// output identical to plain decoding, the cache after a rejected draft identical to a fresh
// prefill, sampled output distributed as the main model's, and a model without MTP refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/generator.h"
#include "core/model.h"
#include "core/speculative.h"
#include "tests/core/generator_fixtures.h"

using namespace tinyseek;
using tinyseek::testing::random_model;
using tinyseek::testing::random_tokens;
using tinyseek::testing::Threads;

namespace {

GenerationOptions greedy(int max_new, bool speculative) {
    GenerationOptions o;
    o.max_new_tokens = max_new;
    o.sampling.temperature = 0.0f;
    o.speculative = speculative;
    return o;
}

// Chi-square critical values at significance 0.001 for 1..12 degrees of freedom.
double chi2_critical_0001(int df) {
    static const double table[] = {10.83, 13.82, 16.27, 18.47, 20.52, 22.46,
                                   24.32, 26.12, 27.88, 29.59, 31.26, 32.91};
    return table[std::clamp(df, 1, 12) - 1];
}

// Pearson's statistic over cells with expected count >= 5; the rest are pooled into one.
// Returns {statistic, degrees of freedom}.
std::pair<double, int> chi_square(const std::vector<double>& expected,
                                  const std::vector<double>& observed) {
    double stat = 0.0, pooled_e = 0.0, pooled_o = 0.0;
    int cells = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
        if (expected[i] < 5.0) {
            pooled_e += expected[i];
            pooled_o += observed[i];
            continue;
        }
        stat += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
        ++cells;
    }
    if (pooled_e >= 1.0) {
        stat += (pooled_o - pooled_e) * (pooled_o - pooled_e) / pooled_e;
        ++cells;
    } else {
        EXPECT_EQ(pooled_o, 0.0) << "samples where the model puts (almost) no mass";
    }
    return {stat, cells - 1};
}

}  // namespace

TEST(Speculative, VerifyDraftReproducesTheTargetDistribution) {
    // Draws d ~ q, then the rule; the emitted tokens must follow p. q puts mass where p has
    // none (token 3) and p where q has none (token 0), so both branches run. 20000 draws,
    // fixed seed; a random seed would fail at the 0.001 level.
    const std::vector<double> p = {0.3, 0.4, 0.3, 0.0}, q = {0.0, 0.2, 0.5, 0.3};
    SequenceRng rng(5, 1);
    const int draws = 20000;
    std::vector<double> count(4, 0.0);
    int accepted = 0;
    for (int i = 0; i < draws; ++i) {
        const double u = rng.uniform();
        const int d = u < 0.2 ? 1 : u < 0.7 ? 2 : 3;  // inverse CDF of q
        const DraftVerdict v = verify_draft(p.data(), q.data(), 4, d, rng);
        ASSERT_GE(v.token, 0);
        count[v.token] += 1.0;
        accepted += v.accepted;
        if (v.accepted) {
            EXPECT_EQ(v.token, d);
        }
    }
    std::vector<double> expected(4);
    for (int i = 0; i < 4; ++i) expected[i] = p[i] * draws;
    const auto [stat, df] = chi_square(expected, count);
    EXPECT_LT(stat, chi2_critical_0001(df)) << "df " << df;
    // Acceptance probability sum_x min(p, q) = 0 + 0.2 + 0.3 + 0 = 0.5.
    EXPECT_NEAR(double(accepted) / draws, 0.5, 0.02);
}

TEST(Speculative, MtpPathMatchesTheTrainingForward) {
    // Under either contract of hnorm's input (ModelConfig::mtp_hidden_input), the generator's
    // MTP path must give the training forward's MTP logits, in both cache modes, prefilled at
    // once or one position at a time.
    const Threads one(1);
    const int T = 30;
    std::vector<float> first_logits;  // (3, 0..1) of each contract, which must differ
    for (MtpHiddenInput input : {MtpHiddenInput::pre_norm, MtpHiddenInput::final_norm}) {
        SCOPED_TRACE(to_string(input));
        ModelConfig c = ModelConfig::preset("tiny");
        c.mtp_hidden_input = input;
        const ParamStore p = random_model(c, 25);
        BasicModel<float> model(c);
        const std::vector<int> tokens = random_tokens(T, c.vocab_size, 61);
        const BasicModel<float>::Output ref = model.forward(p, tokens.data(), 1, T, nullptr, true);
        ASSERT_NE(ref.mtp_logits, nullptr);
        for (CacheMode mode : {CacheMode::latent, CacheMode::expanded})
            for (int chunk : {0, 1, 7}) {
                Generator g(p, mode);
                const Logits l = g.mtp_logits(tokens, chunk);
                ASSERT_EQ(l.tokens, T - 1);
                float diff = 0.0f, spread = 0.0f;
                for (int t = 0; t < T - 1; ++t)
                    for (int v = 0; v < c.vocab_size; ++v) {
                        const float r = ref.mtp_logits[static_cast<size_t>(t) * c.vocab_size + v];
                        diff = std::max(diff, std::abs(l(t, v) - r));
                        spread = std::max(spread, std::abs(r));
                    }
                EXPECT_LT(diff, 1e-4f) << to_string(mode) << " chunk " << chunk;
                EXPECT_GT(spread, 0.5f);
                if (mode == CacheMode::latent && chunk == 0)
                    first_logits.insert(first_logits.end(), {l(3, 0), l(3, 1)});
            }
    }
    // The two contracts read different states, so they must give different logits.
    ASSERT_EQ(first_logits.size(), 4u);
    EXPECT_GT(
        std::abs(first_logits[0] - first_logits[2]) + std::abs(first_logits[1] - first_logits[3]),
        1e-4f);
}

TEST(Speculative, GreedyOutputEqualsPlainGreedy) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 21);
    std::vector<std::vector<int>> prompts;
    for (int len : {1, 4, 9, 2, 14, 6, 3, 11})
        prompts.push_back(random_tokens(len, c.vocab_size, 300 + len));
    long drafted = 0, accepted = 0;
    for (CacheMode mode : {CacheMode::latent, CacheMode::expanded}) {
        Generator g(p, mode);
        GenerationOptions plain = greedy(28, false), spec = greedy(28, true);
        plain.stop_tokens = spec.stop_tokens = {3, 17};
        const GenerationResult a = g.generate(prompts, plain);
        const GenerationResult b = g.generate(prompts, spec);
        for (size_t i = 0; i < prompts.size(); ++i) {
            EXPECT_EQ(a.sequences[i].tokens, b.sequences[i].tokens) << to_string(mode) << " " << i;
            EXPECT_EQ(a.sequences[i].stop_reason, b.sequences[i].stop_reason);
            EXPECT_EQ(b.sequences[i].draft_outcome.size(), b.sequences[i].tokens.size());
            // Every forward gives one token, plus a bonus for each accepted draft that did not
            // end the sequence.
            const SequenceOutput& o = b.sequences[i];
            const long kept = std::count(o.draft_outcome.begin(), o.draft_outcome.end(),
                                         SequenceOutput::kDraftAccepted);
            const long bonus = static_cast<long>(o.tokens.size()) - o.main_forwards;
            EXPECT_LE(bonus, kept);
            EXPECT_GE(bonus, kept - 1);
            // One at a time (batch 1) gives the same tokens again.
            const GenerationResult alone = g.generate({prompts[i]}, spec);
            EXPECT_EQ(alone.sequences[0].tokens, a.sequences[i].tokens) << "alone " << i;
        }
        {  // Two threads split the rows of a sequence between them: the same tokens again.
            const Threads two(2);
            Generator g2(p, mode);
            const GenerationResult b2 = g2.generate(prompts, spec);
            for (size_t i = 0; i < prompts.size(); ++i)
                EXPECT_EQ(b2.sequences[i].tokens, a.sequences[i].tokens) << "2 threads " << i;
        }
        const SpeculationStats s = speculation_stats(b.sequences);
        drafted += s.drafted;
        accepted += s.accepted;
    }
    // Both outcomes of the verification were exercised.
    EXPECT_GT(drafted, 0);
    EXPECT_GT(accepted, 0);
    EXPECT_LT(accepted, drafted);
}

TEST(Speculative, CacheAfterARejectionEqualsAFreshPrefill) {
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 22);
    const std::vector<int> prompt = random_tokens(5, c.vocab_size, 41);
    for (CacheMode mode : {CacheMode::latent, CacheMode::expanded}) {
        Generator g(p, mode);
        // The shortest completion whose last step rejected its draft.
        GenerationResult r;
        int k = 2;
        for (; k <= 40; ++k) {
            r = g.generate({prompt}, greedy(k, true));
            if (r.sequences[0].draft_outcome.back() == SequenceOutput::kDraftRejected) break;
        }
        ASSERT_LE(k, 40) << "no rejected draft";
        const std::vector<int>& out = r.sequences[0].tokens;
        std::vector<int> text = prompt;
        text.insert(text.end(), out.begin(), out.end() - 1);  // the last token is pending
        const KvCache& cache = g.cache();
        ASSERT_EQ(cache.length(0), static_cast<int>(text.size()));
        ASSERT_EQ(cache.layers(), c.num_hidden_layers + 1);

        Generator fresh(p, mode);
        const GenerationResult f = fresh.generate({text}, greedy(1, true));
        EXPECT_EQ(f.sequences[0].tokens[0], out.back());
        const KvCache& want = fresh.cache();
        ASSERT_EQ(want.length(0), cache.length(0));
        const KvCacheGeometry& geo = cache.geometry();
        float worst = 0.0f;
        for (int l = 0; l < cache.layers(); ++l)
            for (int t = 0; t < cache.length(0); ++t) {
                for (int j = 0; j < geo.k_width; ++j)
                    worst =
                        std::max(worst, std::abs(cache.k_row(l, 0, t)[j] - want.k_row(l, 0, t)[j]));
                for (int j = 0; j < geo.v_width; ++j)
                    worst =
                        std::max(worst, std::abs(cache.v_row(l, 0, t)[j] - want.v_row(l, 0, t)[j]));
            }
        EXPECT_LT(worst, 1e-5f) << to_string(mode);
    }
}

TEST(Speculative, SampledOutputHasTheMainModelsDistribution) {
    // Joint distribution of the first two tokens (the second one goes through the draft and
    // the acceptance rule) against the exact p(t1) p(t2 | t1) of the main model. 3000
    // samples with fixed seeds, so the outcome is deterministic; with a random seed this
    // test would fail with probability 0.001 (the critical value's level).
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 23);
    const std::vector<int> prompt = random_tokens(4, c.vocab_size, 51);
    GenerationOptions o;
    o.max_new_tokens = 2;
    o.sampling.temperature = 1.0f;
    o.sampling.top_k = 6;  // few cells, and draft and target supports differ
    o.seed = 7;
    o.speculative = true;
    const int V = c.vocab_size, per_batch = 500, batches = 6;

    Generator ref(p, CacheMode::latent);
    Sampler sampler(V);
    std::vector<double> p1(V), p2(V), expected(V * V, 0.0), observed(V * V, 0.0);
    sampler.distribution(ref.logits(prompt).row(static_cast<int>(prompt.size()) - 1), o.sampling,
                         p1.data());
    for (int t1 = 0; t1 < V; ++t1) {
        if (p1[t1] == 0.0) continue;
        std::vector<int> text = prompt;
        text.push_back(t1);
        sampler.distribution(ref.logits(text).row(static_cast<int>(prompt.size())), o.sampling,
                             p2.data());
        for (int t2 = 0; t2 < V; ++t2)
            expected[t1 * V + t2] = p1[t1] * p2[t2] * per_batch * batches;
    }
    Generator g(p, CacheMode::expanded);
    long drafted = 0, accepted = 0;
    for (int b = 0; b < batches; ++b) {
        o.sequence_ids.resize(per_batch);
        for (int i = 0; i < per_batch; ++i)
            o.sequence_ids[i] = static_cast<uint64_t>(b) * per_batch + i;
        const GenerationResult r = g.generate(std::vector<std::vector<int>>(per_batch, prompt), o);
        for (const SequenceOutput& s : r.sequences) {
            ASSERT_EQ(s.tokens.size(), 2u);
            observed[s.tokens[0] * V + s.tokens[1]] += 1.0;
        }
        const SpeculationStats s = speculation_stats(r.sequences);
        drafted += s.drafted;
        accepted += s.accepted;
    }
    const auto [stat, df] = chi_square(expected, observed);
    EXPECT_GE(df, 3);
    EXPECT_LT(stat, chi2_critical_0001(df)) << "df " << df;
    EXPECT_EQ(drafted, per_batch * batches);  // every second token was drafted
    EXPECT_GT(accepted, 0);
    EXPECT_LT(accepted, drafted);
}

TEST(Speculative, RefusesAModelWithoutMtp) {
    ModelConfig c = ModelConfig::preset("tiny");
    c.num_nextn_predict_layers = 0;
    const ParamStore p = random_model(c, 24);
    Generator g(p, CacheMode::latent);
    try {
        g.generate({{1, 2, 3}}, greedy(4, true));
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("num_nextn_predict_layers = 0"), std::string::npos)
            << e.what();
    }
    // Plain generation still works on it.
    EXPECT_EQ(g.generate({{1, 2, 3}}, greedy(4, false)).sequences[0].tokens.size(), 4u);
}

TEST(Speculative, StopsAtTheContextEndLikePlainDecoding) {
    // The last cell leaves no room for a draft: the final steps verify nothing, and the
    // sequence ends with context_full at the same token as plain decoding.
    const Threads one(1);
    const ModelConfig c = ModelConfig::preset("tiny");
    const ParamStore p = random_model(c, 26);
    const std::vector<int> prompt = random_tokens(c.max_position_embeddings - 9, c.vocab_size, 71);
    for (CacheMode mode : {CacheMode::latent, CacheMode::expanded}) {
        Generator g(p, mode);
        const GenerationResult a = g.generate({prompt}, greedy(40, false));
        const GenerationResult b = g.generate({prompt}, greedy(40, true));
        EXPECT_EQ(a.sequences[0].stop_reason, StopReason::context_full);
        EXPECT_EQ(b.sequences[0].stop_reason, StopReason::context_full);
        EXPECT_EQ(a.sequences[0].tokens, b.sequences[0].tokens) << to_string(mode);
        EXPECT_EQ(b.sequences[0].draft_outcome.back(), SequenceOutput::kNotDrafted);
    }
}
