// next_token_distribution against the sampler's own draws: the drawn frequencies of 200,000
// samples agree with the shown sampler probabilities, and the model probabilities with a
// softmax computed here.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "core/next_token.h"

namespace tinyseek {
namespace {

const std::vector<float> kLogits = {2.0f, 1.5f, 1.4f, 0.3f, -0.2f, -1.0f, -1.1f, -3.0f};

std::map<int, double> drawn_frequencies(const SamplingParams& params, int draws) {
    Sampler sampler(static_cast<int>(kLogits.size()));
    SequenceRng rng(42, 0);
    std::map<int, double> freq;
    for (int i = 0; i < draws; ++i) freq[sampler.sample(kLogits.data(), params, rng).token] += 1;
    for (auto& [token, f] : freq) f /= draws;
    return freq;
}

TEST(NextToken, SamplerProbabilitiesAreWhatTheSamplerDraws) {
    for (const SamplingParams params :
         {SamplingParams{0.7f, 0, 1.0f}, SamplingParams{1.3f, 4, 1.0f},
          SamplingParams{1.0f, 0, 0.8f}}) {
        const NextTokenDistribution d = next_token_distribution(kLogits, params, 5);
        const auto freq = drawn_frequencies(params, 200000);
        double shown_sampler = 0;
        for (const NextTokenEntry& e : d.top) {
            const double f = freq.count(e.token) ? freq.at(e.token) : 0.0;
            // 200,000 draws: the standard error of a frequency is at most 0.0011.
            EXPECT_NEAR(e.sampler_prob, f, 0.005) << "token " << e.token;
            shown_sampler += e.sampler_prob;
        }
        EXPECT_NEAR(shown_sampler + d.rest_sampler, 1.0, 1e-12);
        int drawn = 0;
        for (const auto& [token, f] : freq) drawn += f > 0 ? 1 : 0;
        EXPECT_EQ(d.kept, drawn);
    }
}

TEST(NextToken, ModelProbabilitiesAreTheSoftmaxAndTopKKeepsK) {
    const NextTokenDistribution d = next_token_distribution(kLogits, {1.0f, 3, 1.0f}, 10);
    double z = 0;
    for (float l : kLogits) z += std::exp(double(l));
    ASSERT_EQ(d.top.size(), kLogits.size());  // fewer tokens than shown: no rest
    EXPECT_EQ(d.rest_model, 0.0);
    double h = 0;
    for (size_t i = 0; i < d.top.size(); ++i) {
        EXPECT_EQ(d.top[i].token, static_cast<int>(i));  // the logits are sorted
        const double p = std::exp(double(kLogits[i])) / z;
        EXPECT_NEAR(d.top[i].model_prob, p, 1e-12);
        h -= p * std::log(p);
        EXPECT_EQ(d.top[i].sampler_prob > 0, i < 3);
    }
    EXPECT_NEAR(d.entropy_model, h, 1e-12);
    EXPECT_EQ(d.kept, 3);
}

TEST(NextToken, GreedyIsAPointMassOnTheArgmax) {
    const NextTokenDistribution d = next_token_distribution(kLogits, {0.0f, 0, 1.0f}, 2);
    EXPECT_EQ(d.top[0].sampler_prob, 1.0);
    EXPECT_EQ(d.top[1].sampler_prob, 0.0);
    EXPECT_EQ(d.rest_sampler, 0.0);
    EXPECT_EQ(d.entropy_sampler, 0.0);
    EXPECT_EQ(d.kept, 1);
    EXPECT_GT(d.rest_model, 0.0);
}

}  // namespace
}  // namespace tinyseek
