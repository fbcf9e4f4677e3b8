// Speculative decoding on a trained model, where the MTP draft is mostly right (on the random
// models of tests/core/test_speculative.cpp it is mostly wrong): the accepted path, with its
// bonus tokens and kept cache cells, carries most of the output here.
#include <gtest/gtest.h>

#include <vector>

#include "core/generator.h"
#include "core/tokenizer.h"
#include "tests/core/generator_fixtures.h"
#include "tests/training/trainer_fixtures.h"
#include "training/task.h"

namespace tinyseek {
namespace {

// `count` problems of the warm start's task as prompts ("<bos>3+4="): 1-digit addition has
// only 6 held-out problems, so training ones are drawn too (greedy equality holds for any).
std::vector<std::vector<int>> addition_prompts(int count) {
    const TrainConfig config = testing::small_train_config();
    const std::unique_ptr<Task> task = make_task(config.task, config.task_options);
    const Tokenizer tokenizer;
    Rng rng(11);
    std::vector<std::vector<int>> prompts;
    for (int i = 0; i < count; ++i) {
        const Split split = i % 4 == 0 ? Split::held_out : Split::train;
        std::vector<int> ids = {Tokenizer::bos_id};
        for (TokenId t : tokenizer.encode(task->sample(split, rng).prompt)) ids.push_back(t);
        prompts.push_back(std::move(ids));
    }
    return prompts;
}

TEST(SpeculativeTrained, GreedyOutputEqualsPlainGreedyWithMostDraftsKept) {
    const testing::Threads one(1);
    const ParamStore& params = testing::sft_warm_start().params;
    const std::vector<std::vector<int>> prompts = addition_prompts(24);
    GenerationOptions plain;
    plain.max_new_tokens = 32;
    plain.sampling.temperature = 0.0f;
    plain.stop_tokens = {Tokenizer::eos_id};
    GenerationOptions spec = plain;
    spec.speculative = true;
    for (CacheMode mode : {CacheMode::latent, CacheMode::expanded}) {
        Generator g(params, mode);
        const GenerationResult a = g.generate(prompts, plain);
        const GenerationResult b = g.generate(prompts, spec);
        for (std::size_t i = 0; i < prompts.size(); ++i) {
            EXPECT_EQ(b.sequences[i].tokens, a.sequences[i].tokens) << to_string(mode) << " " << i;
            const GenerationResult alone = g.generate({prompts[i]}, spec);  // batch 1
            EXPECT_EQ(alone.sequences[0].tokens, a.sequences[i].tokens) << "alone " << i;
        }
        const SpeculationStats s = speculation_stats(b.sequences);
        ASSERT_GT(s.drafted, 100);
        // 143 of 181 drafts are kept (79%); a rejection path taken for most would fall below.
        EXPECT_GT(double(s.accepted) / double(s.drafted), 0.6) << s.accepted << "/" << s.drafted;
        EXPECT_LT(b.main_forwards, a.main_forwards);  // fewer forwards for the same text
    }
}

}  // namespace
}  // namespace tinyseek
