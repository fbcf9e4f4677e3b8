// Token classes (core/token_class.h), the acceptance measurement (core/speculation_measure.h)
// and the throughput measurement (core/throughput_measure.h): classes by hand, counts equal to
// speculation_stats() over a direct generate() call, results independent of the batch,
// cancellation, a model without MTP refused, and the Wilson interval against published values.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <vector>

#include "core/errors.h"
#include "core/proportion.h"
#include "core/speculation_measure.h"
#include "core/throughput_measure.h"
#include "core/token_class.h"
#include "tests/core/generator_fixtures.h"

using namespace tinyseek;
using tinyseek::testing::random_model;
using tinyseek::testing::Threads;

namespace {

std::vector<int> encode(const std::string& text) {
    const std::vector<TokenId> ids = Tokenizer().encode(text);
    return std::vector<int>(ids.begin(), ids.end());
}

std::vector<std::vector<int>> some_prompts(int n) {
    std::vector<std::vector<int>> out;
    for (int i = 0; i < n; ++i)
        out.push_back(encode("<bos>" + std::to_string(10 + 7 * i) + "+" + std::to_string(i) + "="));
    return out;
}

}  // namespace

TEST(TokenClass, ClassesByHand) {
    const Tokenizer tok;
    // <think>1+2=3</think><answer>3</answer><eos>
    const std::vector<int> completion = encode("<think>1+2=3</think><answer>3</answer><eos>");
    using C = TokenClass;
    const std::vector<C> want = {C::tag, C::digit, C::other,        C::digit, C::other, C::digit,
                                 C::tag, C::tag,   C::answer_digit, C::tag,   C::tag};
    EXPECT_EQ(classify_completion(tok, encode("<bos>1+2="), completion), want);
    // A prompt that ends inside an open answer makes the first digits answer digits.
    const std::vector<C> inside = {C::answer_digit, C::answer_digit, C::tag, C::digit};
    EXPECT_EQ(classify_completion(tok, encode("<bos><answer>"), encode("42</answer>7")), inside);
    EXPECT_STREQ(to_string(TokenClass::answer_digit), "answer_digit");
}

TEST(TokenClass, SpeculationByClassCountsDraftedPositions) {
    const Tokenizer tok;
    SequenceOutput s;
    s.tokens = encode("<think>12</think><answer>3</answer>");  // tag d d tag tag a tag
    s.draft_outcome = {SequenceOutput::kNotDrafted,    SequenceOutput::kDraftAccepted,
                       SequenceOutput::kDraftRejected, SequenceOutput::kDraftAccepted,
                       SequenceOutput::kNotDrafted,    SequenceOutput::kDraftRejected,
                       SequenceOutput::kDraftAccepted};
    SequenceOutput plain;  // no draft outcomes: counts nothing
    plain.tokens = encode("123");
    const SpeculationByClass c =
        speculation_by_class(tok, {encode("<bos>"), encode("<bos>")}, {s, plain});
    EXPECT_EQ(c.drafted[int(TokenClass::digit)], 2);
    EXPECT_EQ(c.accepted[int(TokenClass::digit)], 1);
    EXPECT_EQ(c.drafted[int(TokenClass::tag)], 2);
    EXPECT_EQ(c.accepted[int(TokenClass::tag)], 2);
    EXPECT_EQ(c.drafted[int(TokenClass::answer_digit)], 1);
    EXPECT_EQ(c.accepted[int(TokenClass::answer_digit)], 0);
    EXPECT_EQ(c.drafted[int(TokenClass::other)], 0);
}

TEST(SpeculationMeasure, WilsonIntervalMatchesPublishedValues) {
    // Newcombe (1998), Statistics in Medicine 17, table I: 81/263 -> 0.2553 to 0.3662;
    // 15/148 -> 0.0624 to 0.1605; 0/20 -> 0 to 0.1611.
    const Proportion a = wilson_interval(81, 263);
    EXPECT_NEAR(a.rate, 81.0 / 263, 1e-12);
    EXPECT_NEAR(a.low, 0.2553, 5e-5);
    EXPECT_NEAR(a.high, 0.3662, 5e-5);
    const Proportion b = wilson_interval(15, 148);
    EXPECT_NEAR(b.low, 0.0624, 5e-5);
    EXPECT_NEAR(b.high, 0.1605, 5e-5);
    const Proportion c = wilson_interval(0, 20);
    EXPECT_EQ(c.low, 0.0);
    EXPECT_NEAR(c.high, 0.1611, 5e-5);
    EXPECT_TRUE(std::isnan(wilson_interval(0, 0).rate));
    // The ends hold the rate exactly at 0 and 1 (n = 1..200).
    for (long n = 1; n <= 200; ++n) {
        EXPECT_EQ(wilson_interval(0, n).low, 0.0);
        EXPECT_EQ(wilson_interval(n, n).high, 1.0);
        EXPECT_LE(wilson_interval(n, n).low, 1.0);
    }
}

TEST(SpeculationMeasure, CountsEqualSpeculationStatsOfOneGenerateCall) {
    const Threads one(1);
    const ParamStore p = random_model(ModelConfig::preset("tiny"), 31);
    const Tokenizer tok;
    const std::vector<std::vector<int>> prompts = some_prompts(7);
    AcceptanceOptions o;
    o.max_new_tokens = 20;
    o.stop_tokens = {Tokenizer::eos_id};
    o.batch = 3;  // three generate() calls, 3 + 3 + 1
    int last_done = 0, last_total = 0;
    const AcceptanceMeasurement m =
        measure_acceptance(p, tok, prompts, o, nullptr, [&](int done, int total) {
            last_done = done;
            last_total = total;
        });
    EXPECT_EQ(last_done, 3);
    EXPECT_EQ(last_total, 3);

    Generator g(p, CacheMode::latent);
    GenerationOptions gen;
    gen.max_new_tokens = 20;
    gen.sampling.temperature = 0.0f;
    gen.stop_tokens = {Tokenizer::eos_id};
    gen.speculative = true;
    const GenerationResult r = g.generate(prompts, gen);
    const SpeculationStats want = speculation_stats(r.sequences);
    ASSERT_GT(want.drafted, 0);
    EXPECT_EQ(m.stats.drafted, want.drafted);
    EXPECT_EQ(m.stats.accepted, want.accepted);
    EXPECT_EQ(m.stats.drafted_at, want.drafted_at);
    EXPECT_EQ(m.stats.accepted_at, want.accepted_at);
    ASSERT_EQ(m.sequences.size(), prompts.size());
    long forwards = 0;
    for (std::size_t i = 0; i < prompts.size(); ++i) {
        EXPECT_EQ(m.sequences[i].tokens, r.sequences[i].tokens);
        EXPECT_EQ(m.sequences[i].draft_outcome, r.sequences[i].draft_outcome);
        forwards += r.sequences[i].main_forwards;
    }
    EXPECT_EQ(m.main_forwards, forwards);
    EXPECT_EQ(m.generated_tokens, r.generated_tokens);
    // Every draft has exactly one class.
    long drafted = 0, accepted = 0;
    for (int c = 0; c < kTokenClassCount; ++c) {
        drafted += m.by_class.drafted[c];
        accepted += m.by_class.accepted[c];
    }
    EXPECT_EQ(drafted, want.drafted);
    EXPECT_EQ(accepted, want.accepted);
}

TEST(SpeculationMeasure, CancelAndModelsWithoutMtp) {
    const Threads one(1);
    const ParamStore p = random_model(ModelConfig::preset("tiny"), 32);
    const std::atomic<bool> raised{true};
    AcceptanceOptions o;
    EXPECT_THROW(measure_acceptance(p, Tokenizer(), some_prompts(2), o, &raised), Cancelled);
    ModelConfig no_mtp = ModelConfig::preset("tiny");
    no_mtp.num_nextn_predict_layers = 0;
    const ParamStore q = random_model(no_mtp, 33);
    EXPECT_THROW(measure_acceptance(q, Tokenizer(), some_prompts(2), o), ConfigError);
    ThroughputRequest request;
    request.speculative = {true};
    EXPECT_THROW(measure_throughput(q, request), ConfigError);
}

TEST(ThroughputMeasure, PointsPerModeBatchAndKindWithEqualGreedyTokens) {
    const Threads one(1);
    const ParamStore p = random_model(ModelConfig::preset("tiny"), 34);
    ThroughputRequest request;
    request.modes = {CacheMode::latent, CacheMode::expanded};
    request.batches = {1, 3};
    request.speculative = {false, true};
    request.prompts = some_prompts(2);  // batch 3 cycles them
    request.generation.max_new_tokens = 12;
    request.generation.sampling.temperature = 0.0f;
    request.repeats = 2;
    int ticks = 0, total = 0;
    const std::vector<ThroughputPoint> points =
        measure_throughput(p, request, nullptr, [&](int done, int all) {
            EXPECT_EQ(done, ticks + 1);
            ticks = done;
            total = all;
        });
    EXPECT_EQ(total, 2 * (2 + 2 * 2 * 2));  // per mode: 2 warm-ups, batches x kinds x repeats
    EXPECT_EQ(ticks, total);
    ASSERT_EQ(points.size(), 8u);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const ThroughputPoint& pt = points[i];
        EXPECT_EQ(pt.mode, i < 4 ? CacheMode::latent : CacheMode::expanded);
        EXPECT_EQ(pt.batch, (i / 2) % 2 == 0 ? 1 : 3);
        EXPECT_EQ(pt.speculative, i % 2 == 1);
        EXPECT_GT(pt.seconds, 0.0);
        EXPECT_EQ(pt.tokens, 12 * pt.batch);  // no stop tokens: every sequence runs to the end
        // Greedy speculative decoding emits the same tokens with at most as many forwards.
        if (pt.speculative) {
            EXPECT_LE(pt.main_forwards, points[i - 1].main_forwards);
        } else {
            EXPECT_EQ(pt.main_forwards, pt.tokens);
        }
    }
}

TEST(ThroughputMeasure, SamplesLastAtLeastTheMinimumTime) {
    const Threads one(1);
    const ParamStore p = random_model(ModelConfig::preset("tiny"), 36);
    ThroughputRequest request;
    request.batches = {2};
    request.generation.max_new_tokens = 4;  // a few milliseconds per call
    request.repeats = 1;
    request.min_seconds = 0.2;
    const std::vector<ThroughputPoint> points = measure_throughput(p, request);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_GE(points[0].seconds, 0.2);
    EXPECT_GT(points[0].calls, 1);
    EXPECT_EQ(points[0].tokens, 4 * 2 * points[0].calls);  // every call generates 2 x 4 tokens
    EXPECT_EQ(points[0].main_forwards, points[0].tokens);
}

TEST(ThroughputMeasure, CancelLeavesUnfinishedPointsOut) {
    const Threads one(1);
    const ParamStore p = random_model(ModelConfig::preset("tiny"), 35);
    ThroughputRequest request;
    request.batches = {1, 2};
    request.generation.max_new_tokens = 8;
    std::atomic<bool> cancel{false};
    // Raised after the first timed run: the first point is finished, the rest are not.
    int runs = 0;
    const std::vector<ThroughputPoint> points =
        measure_throughput(p, request, &cancel, [&](int, int) {
            if (++runs == 1 + request.repeats) cancel = true;  // warm-up + batch 1's repeats
        });
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(points[0].batch, 1);
}
