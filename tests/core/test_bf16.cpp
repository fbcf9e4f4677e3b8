// BF16 rounding (core/bf16.h) against the nearest BF16 value chosen in double arithmetic, and
// AdamW's BF16 moments (core/adamw.h) against the update written out by hand.
#include "core/bf16.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/adamw.h"
#include "core/model.h"
#include "core/param_store.h"
#include "core/train_step.h"

using namespace tinyseek;

namespace {

// The BF16 neighbours of x (truncated, and one unit further from zero), then the one nearer
// in double arithmetic; a tie goes to the even pattern.
float nearest_bf16(float x) {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
    const float lo = std::bit_cast<float>(bits & 0xffff0000u);
    const float hi = std::bit_cast<float>((bits & 0xffff0000u) + 0x10000u);
    // Past the largest finite value, IEEE rounding treats infinity as if it were 2^128.
    const double hi_value = std::isinf(hi) ? std::copysign(std::ldexp(1.0, 128), x) : hi;
    const double dlo = std::fabs(double(x) - double(lo));
    const double dhi = std::fabs(hi_value - double(x));
    if (dlo != dhi) return dlo < dhi ? lo : hi;
    return ((bits >> 16) & 1u) ? hi : lo;
}

}  // namespace

TEST(Bf16, RoundsToTheNearestValueTiesToEven) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::uint32_t> any;
    for (int i = 0; i < 200000; ++i) {
        const float x = std::bit_cast<float>(any(rng));
        if (!std::isfinite(x)) continue;
        ASSERT_EQ(std::bit_cast<std::uint32_t>(round_to_bf16(x)),
                  std::bit_cast<std::uint32_t>(nearest_bf16(x)))
            << x;
    }
    // By hand: BF16 keeps 7 mantissa bits, so 1 + 2^-8 is halfway between 1 and 1 + 2^-7.
    EXPECT_EQ(round_to_bf16(1.0f + std::ldexp(1.0f, -8)), 1.0f);  // tie, to the even 1
    EXPECT_EQ(round_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)), 1.0f + std::ldexp(1.0f, -6));
    EXPECT_EQ(round_to_bf16(1.0f + std::ldexp(1.0f, -8) + std::ldexp(1.0f, -20)),
              1.0f + std::ldexp(1.0f, -7));
    EXPECT_EQ(round_to_bf16(-3.0f), -3.0f);
    EXPECT_TRUE(std::isinf(round_to_bf16(std::numeric_limits<float>::max())));
    EXPECT_TRUE(std::isnan(round_to_bf16(std::numeric_limits<float>::quiet_NaN())));
}

TEST(Bf16, AdamWKeepsItsMomentsInBf16) {
    const ModelConfig config = ModelConfig::preset("tiny");
    ParamStore params(config), grads(config);
    init_params(params, 1);
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(0.0f, 1e-2f);
    for (float& g : grads.data()) g = normal(rng);
    const ParamStore before = params;
    AdamW adam(config);
    adam.set_bf16_moments(true);
    const float lr = 1e-3f;
    adam.step(params, grads, lr);
    adam.step(params, grads, lr);
    const AdamWConfig h = adam.hyper();
    for (const TensorSpec& t : params.layout().tensors()) {
        if (!t.trainable) continue;
        const std::size_t i = t.offset + t.numel / 2;
        // Two steps by hand, each moment rounded to BF16 after its update.
        const float g = grads.data()[i];
        float m = 0.0f, v = 0.0f, p = before.data()[i];
        for (int step = 1; step <= 2; ++step) {
            m = round_to_bf16(h.beta1 * m + (1.0f - h.beta1) * g);
            v = round_to_bf16(h.beta2 * v + (1.0f - h.beta2) * g * g);
            const double mhat = m / (1.0 - std::pow(h.beta1, step));
            const double vhat = v / (1.0 - std::pow(h.beta2, step));
            const double decay = t.weight_decay ? 1.0 - double(lr) * h.weight_decay : 1.0;
            p = float(p * decay - lr * mhat / (std::sqrt(vhat) + h.eps));
        }
        EXPECT_EQ(adam.m().data()[i], m) << t.name;
        EXPECT_EQ(adam.v().data()[i], v) << t.name;
        EXPECT_NEAR(params.data()[i], p, 1e-6f * std::fabs(p) + 1e-9f) << t.name;
        // Every moment of the tensor is a BF16 value: its low 16 bits are zero.
        for (std::size_t k = t.offset; k < t.offset + t.numel; ++k)
            ASSERT_EQ(std::bit_cast<std::uint32_t>(adam.m().data()[k]) & 0xffffu, 0u) << t.name;
    }
}

TEST(Bf16, TheTrainingStepKeepsMomentsInBf16WhenTheRecipeAsks) {
    const ModelConfig config = ModelConfig::preset("tiny");
    for (bool bf16 : {false, true}) {
        Model model(config);
        Fp8TrainingRecipe recipe;
        recipe.bf16_moments = bf16;
        model.set_fp8(recipe);
        ParamStore params(config), grads(config);
        init_params(params, 1);
        AdamW adam(config);
        std::vector<int> tokens(2 * 8);
        for (std::size_t i = 0; i < tokens.size(); ++i) tokens[i] = 7 + static_cast<int>(i % 20);
        LmTrainStep step;
        step.run(model, params, grads, adam,
                 LmBatch{.tokens = tokens.data(), .B = 2, .T = 8, .lengths = nullptr}, 1e-3f);
        int low_bits = 0;  // moments with any of the 16 bits BF16 drops
        for (float m : adam.m().data())
            low_bits += (std::bit_cast<std::uint32_t>(m) & 0xffffu) != 0;
        if (bf16)
            EXPECT_EQ(low_bits, 0);
        else
            EXPECT_GT(low_bits, 1000);  // FP32 moments use their full mantissa
    }
}
