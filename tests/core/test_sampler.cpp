#include "core/sampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include "core/errors.h"

using namespace tinyseek;

namespace {
std::vector<float> random_logits(int v, uint64_t seed, float scale = 2.0f) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> n(0.0f, scale);
    std::vector<float> out(v);
    for (float& x : out) x = n(rng);
    return out;
}

// softmax(logits / t) in double, the reference the sampler must agree with.
std::vector<double> softmax(const std::vector<float>& logits, double t = 1.0) {
    double m = *std::max_element(logits.begin(), logits.end());
    std::vector<double> p(logits.size());
    double s = 0.0;
    for (size_t i = 0; i < logits.size(); ++i) s += p[i] = std::exp((logits[i] - m) / t);
    for (double& x : p) x /= s;
    return p;
}

std::vector<float> logits_from_probs(const std::vector<double>& p) {
    std::vector<float> out;
    for (double x : p) out.push_back(static_cast<float>(std::log(x)));
    return out;
}
}  // namespace

TEST(Sampler, GreedyPicksArgmaxAndFirstOnTies) {
    Sampler s(6);
    SequenceRng rng(1, 0);
    SamplingParams greedy;
    greedy.temperature = 0.0f;
    std::vector<float> logits = {0.1f, 2.0f, -1.0f, 2.5f, 0.0f, 2.5f};
    SampledToken t = s.sample(logits.data(), greedy, rng);
    EXPECT_EQ(t.token, 3);
    EXPECT_FLOAT_EQ(t.logprob_sampling, 0.0f);
    EXPECT_NEAR(t.logprob_model, std::log(softmax(logits)[3]), 1e-6);
}

TEST(Sampler, EmpiricalFrequenciesMatchTemperedSoftmax) {
    const int V = 8;
    std::vector<float> logits = random_logits(V, 7, 1.0f);
    Sampler s(V);
    SequenceRng rng(42, 3);
    SamplingParams p;
    p.temperature = 1.5f;
    const std::vector<double> q = softmax(logits, 1.5);
    const std::vector<double> model = softmax(logits, 1.0);
    std::vector<int> counts(V, 0);
    const int n = 40000;
    for (int i = 0; i < n; ++i) {
        SampledToken t = s.sample(logits.data(), p, rng);
        ASSERT_GE(t.token, 0);
        ASSERT_LT(t.token, V);
        ++counts[t.token];
        // Both log-probabilities are exact, not estimates.
        ASSERT_NEAR(t.logprob_sampling, std::log(q[t.token]), 1e-5);
        ASSERT_NEAR(t.logprob_model, std::log(model[t.token]), 1e-5);
    }
    for (int i = 0; i < V; ++i) {
        // 4 standard deviations of a binomial frequency.
        const double sd = std::sqrt(q[i] * (1 - q[i]) / n);
        EXPECT_NEAR(counts[i] / double(n), q[i], 4 * sd + 1e-4) << "token " << i;
    }
}

TEST(Sampler, TopKNeverLeavesTheTopK) {
    const int V = 32;
    std::vector<float> logits = random_logits(V, 11);
    std::vector<int> order(V);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return logits[a] > logits[b]; });
    const std::set<int> top(order.begin(), order.begin() + 3);

    Sampler s(V);
    SequenceRng rng(5, 0);
    SamplingParams p;
    p.temperature = 3.0f;  // flatten, so outside tokens would show up if allowed
    p.top_k = 3;
    std::set<int> seen;
    double kept_mass = 0.0;
    const std::vector<double> q = softmax(logits, 3.0);
    for (int i : top) kept_mass += q[i];
    for (int i = 0; i < 3000; ++i) {
        SampledToken t = s.sample(logits.data(), p, rng);
        ASSERT_TRUE(top.count(t.token)) << "picked " << t.token << " outside the top 3";
        ASSERT_NEAR(t.logprob_sampling, std::log(q[t.token] / kept_mass), 1e-5);
        seen.insert(t.token);
    }
    EXPECT_EQ(seen, top);
}

TEST(Sampler, TopPKeepsSmallestPrefixReachingTheMass) {
    const std::vector<double> probs = {0.05, 0.5, 0.15, 0.3};
    const std::vector<float> logits = logits_from_probs(probs);
    Sampler s(4);
    SequenceRng rng(9, 1);
    SamplingParams p;
    p.top_p = 0.7f;  // 0.5 < 0.7 <= 0.5 + 0.3: keeps tokens 1 and 3
    std::vector<int> counts(4, 0);
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        SampledToken t = s.sample(logits.data(), p, rng);
        ++counts[t.token];
        const double expected = t.token == 1 ? 0.5 / 0.8 : 0.3 / 0.8;
        ASSERT_NEAR(t.logprob_sampling, std::log(expected), 1e-5);
        ASSERT_NEAR(t.logprob_model, std::log(probs[t.token]), 1e-5);
    }
    EXPECT_EQ(counts[0], 0);
    EXPECT_EQ(counts[2], 0);
    EXPECT_NEAR(counts[1] / double(n), 0.625, 0.015);

    // A top_p at or below the largest probability keeps exactly the argmax.
    p.top_p = 0.4f;
    for (int i = 0; i < 100; ++i) {
        SampledToken t = s.sample(logits.data(), p, rng);
        ASSERT_EQ(t.token, 1);
        ASSERT_NEAR(t.logprob_sampling, 0.0f, 1e-6);
    }
}

TEST(Sampler, LowTemperatureApproachesGreedy) {
    Sampler s(64);
    SamplingParams cold;
    cold.temperature = 1e-3f;
    SamplingParams greedy;
    greedy.temperature = 0.0f;
    for (uint64_t seed = 0; seed < 50; ++seed) {
        std::vector<float> logits = random_logits(64, 100 + seed);
        SequenceRng rng(seed, 0);
        SampledToken a = s.sample(logits.data(), cold, rng);
        SampledToken b = s.sample(logits.data(), greedy, rng);
        EXPECT_EQ(a.token, b.token);
        EXPECT_GT(a.logprob_sampling, -1e-3f);  // nearly a point mass
        EXPECT_FLOAT_EQ(a.logprob_model, b.logprob_model);
    }
}

TEST(Sampler, PerSequenceStreamsIgnoreBatchOrder) {
    const int V = 64;
    const int seqs = 8, steps = 20;
    SamplingParams p;
    p.temperature = 1.0f;
    p.top_k = 20;
    p.top_p = 0.9f;
    std::vector<std::vector<float>> logits;
    for (int i = 0; i < seqs * steps; ++i) logits.push_back(random_logits(V, 1000 + i));
    auto at = [&](int seq, int step) { return logits[step * seqs + seq].data(); };

    // Forward order, one sampler.
    Sampler s(V);
    std::vector<SequenceRng> rngs;
    for (int i = 0; i < seqs; ++i) rngs.emplace_back(77, i);
    std::vector<std::vector<int>> forward(seqs);
    for (int step = 0; step < steps; ++step)
        for (int i = 0; i < seqs; ++i)
            forward[i].push_back(s.sample(at(i, step), p, rngs[i]).token);

    // Reverse order, other sampler, and sequence 3 sampled alone first.
    Sampler s2(V);
    std::vector<std::vector<int>> reverse(seqs);
    SequenceRng alone(77, 3);
    for (int step = 0; step < steps; ++step)
        reverse[3].push_back(s2.sample(at(3, step), p, alone).token);
    std::vector<SequenceRng> rngs2;
    for (int i = 0; i < seqs; ++i) rngs2.emplace_back(77, i);
    for (int step = 0; step < steps; ++step)
        for (int i = seqs - 1; i >= 0; --i)
            if (i != 3) reverse[i].push_back(s2.sample(at(i, step), p, rngs2[i]).token);
    EXPECT_EQ(forward, reverse);

    // Different sequence ids (and seeds) give different streams.
    SequenceRng a(77, 0), b(77, 1), c(78, 0);
    const uint64_t xa = a.next();
    EXPECT_NE(xa, b.next());
    EXPECT_NE(xa, c.next());
}

TEST(Sampler, UniformIsInUnitInterval) {
    SequenceRng rng(3, 4);
    double sum = 0.0;
    for (int i = 0; i < 100000; ++i) {
        const double u = rng.uniform();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        sum += u;
    }
    EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

TEST(Sampler, RejectsInvalidParams) {
    SamplingParams p;
    p.temperature = -1.0f;
    EXPECT_THROW(p.validate(), ConfigError);
    p = SamplingParams{};
    p.top_k = -2;
    EXPECT_THROW(p.validate(), ConfigError);
    p = SamplingParams{};
    p.top_p = 0.0f;
    EXPECT_THROW(p.validate(), ConfigError);
    p.top_p = 1.5f;
    EXPECT_THROW(p.validate(), ConfigError);
    p = SamplingParams{};
    EXPECT_NO_THROW(p.validate());
    EXPECT_THROW(Sampler(0), ConfigError);
}

// The log-prob and entropy every sampled token carries, against hand-computed values: uniform
// logits have entropy ln V; two tokens at logits ln 3 and 0 have p = 3/4, 1/4.
TEST(Sampler, ModelTokenStatsMatchHandComputedValues) {
    const std::vector<float> uniform(8, 0.7f);
    const ModelTokenStats u = model_token_stats(uniform.data(), 8, 3);
    EXPECT_NEAR(u.entropy, std::log(8.0), 1e-6);
    EXPECT_NEAR(u.logprob, -std::log(8.0), 1e-6);
    const std::vector<float> two = {static_cast<float>(std::log(3.0)), 0.0f};
    const ModelTokenStats t = model_token_stats(two.data(), 2, 1);
    EXPECT_NEAR(t.logprob, std::log(0.25), 1e-6);
    EXPECT_NEAR(t.entropy, -(0.75 * std::log(0.75) + 0.25 * std::log(0.25)), 1e-6);
    EXPECT_NEAR(t.logprob, log_softmax_at(two.data(), 2, 1), 1e-7);
    // A sampled token carries the same numbers, greedy or not.
    Sampler sampler(2);
    SequenceRng rng(1, 0);
    const SampledToken g = sampler.sample(two.data(), SamplingParams{.temperature = 0.0f}, rng);
    EXPECT_EQ(g.token, 0);
    EXPECT_NEAR(g.entropy_model, t.entropy, 1e-6);
    EXPECT_NEAR(g.logprob_model, std::log(0.75), 1e-6);
}
