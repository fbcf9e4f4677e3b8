// The reward-model lab's config, the judge as a Task / RewardEnvironment, and judgment sampling.
#include <gtest/gtest.h>

#include <fstream>

#include <set>

#include "core/errors.h"
#include "core/param_store.h"
#include "core/tokenizer.h"
#include "training/grm/format.h"
#include "training/grm/judge_task.h"
#include "training/grm/lab.h"
#include "training/grm/lab_config.h"
#include "training/grm/question_mix.h"
#include "training/grm/sampling.h"
#include "training/sft_trainer.h"
#include "training/task_arithmetic.h"

namespace tinyseek {
namespace {

ModelConfig small_model() {
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
    return c;
}

// The questions of the default mix (addition, subtraction, multiplication, Countdown).
std::unique_ptr<Task> mix_questions() {
    GrmLabConfig c;
    c.task = "mix";
    return c.make_questions();
}

TEST(GrmLabConfig, JsonRoundTripAndErrors) {
    GrmLabConfig c;
    c.name = "judge run";
    c.task_options.digits = 2;
    c.items.max_candidates = 3;
    c.rl.beta = 0.1f;
    c.rl.scale_rewards = false;
    c.meta_rm.samples = 6;
    c.scalar_rm.steps = 7;
    c.model = small_model();
    const GrmLabConfig back = GrmLabConfig::from_json(c.to_json());
    EXPECT_EQ(back.to_json(), c.to_json());
    EXPECT_EQ(back.rl.beta, 0.1f);
    EXPECT_FALSE(back.rl.scale_rewards);
    EXPECT_EQ(back.model.hidden_size, 32);
    EXPECT_EQ(back.display_name(), "judge run");

    auto expect_error = [](const nlohmann::json& j, const std::string& needle) {
        try {
            GrmLabConfig::from_json(j);
            ADD_FAILURE() << "no error for " << j.dump();
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    expect_error({{"rl", {{"betta", 1}}}}, "rl.betta");
    expect_error({{"bogus", 1}}, "bogus");
    expect_error({{"rl", {{"beta", "x"}}}}, "rl.beta");
    expect_error({{"rl", {{"group_size", 1}}}}, "rl.group_size");
    expect_error({{"cold_start", {{"lr", 0.001}, {"min_lr", 0.01}}}}, "min_lr");
    expect_error({{"task", "mix"}, {"mix", {{"addition", 1}, {"division", 1}}}}, "division");
    expect_error({{"task", "mix"}, {"mix", {{"addition", -1}}}}, "addition");
    expect_error({{"meta_rm", {{"items", 3}}}}, "meta_rm.items");
    expect_error({{"rft", 3}}, "rft");
    expect_error({{"rft", {{"keep", "score"}}}}, "rft.keep");
    expect_error({{"rft", {{"keep", 1}}}}, "rft.keep");
    expect_error({{"max_new_tokens", 300}}, "max_new_tokens");
}

// New configs keep worked critiques; rft.keep is written unless it is "verdict", so the configs
// stored before it existed (every other rft key, no keep) read back as "verdict" and write
// back unchanged.
TEST(GrmLabConfig, RftKeepRuleRoundTripsAndOlderConfigsKeepVerdicts) {
    GrmLabConfig c;
    EXPECT_EQ(c.rft.keep, "critique");
    EXPECT_EQ(c.to_json()["rft"]["keep"], "critique");
    EXPECT_EQ(GrmLabConfig::from_json(c.to_json()).rft.keep, "critique");
    c.rft.keep = "trace";
    EXPECT_EQ(GrmLabConfig::from_json(c.to_json()).rft.keep, "trace");
    c.rft.keep = "verdict";
    nlohmann::json older = c.to_json();
    EXPECT_FALSE(older["rft"].contains("keep"));
    EXPECT_EQ(GrmLabConfig::from_json(older).rft.keep, "verdict");
    EXPECT_EQ(GrmLabConfig::from_json(older).to_json(), older);
    EXPECT_EQ(GrmLabConfig::from_json(nlohmann::json::object()).rft.keep, "verdict");
}

TEST(GrmLabConfig, DecoysRoundTripAndOlderConfigsHaveNone) {
    GrmLabConfig c;
    EXPECT_FLOAT_EQ(c.to_json()["cold_start"]["decoys"].get<float>(), 0.25f);
    EXPECT_FLOAT_EQ(GrmLabConfig::from_json(c.to_json()).cold_start_decoys, 0.25f);
    c.cold_start_decoys = 0.0f;
    const nlohmann::json older = c.to_json();
    EXPECT_FALSE(older["cold_start"].contains("decoys"));
    EXPECT_EQ(GrmLabConfig::from_json(older).to_json(), older);
    EXPECT_EQ(GrmLabConfig::from_json(nlohmann::json::object()).cold_start_decoys, 0.0f);
    nlohmann::json bad = c.to_json();
    bad["cold_start"]["decoys"] = 0.95;
    EXPECT_THROW(GrmLabConfig::from_json(bad).validate(), ConfigError);
}

TEST(GrmLabConfig, FreshOptimizersRoundTripAndOlderConfigsCarryTheMoments) {
    GrmLabConfig c;
    c.rft.fresh_optimizer = true;
    c.rl.fresh_optimizer = true;
    EXPECT_TRUE(c.to_json()["rft"]["fresh_optimizer"].get<bool>());
    EXPECT_TRUE(c.to_json()["rl"]["fresh_optimizer"].get<bool>());
    EXPECT_TRUE(GrmLabConfig::from_json(c.to_json()).rft.fresh_optimizer);
    EXPECT_TRUE(GrmLabConfig::from_json(c.to_json()).rl.fresh_optimizer);
    c.rft.fresh_optimizer = false;
    c.rl.fresh_optimizer = false;
    const nlohmann::json older = c.to_json();
    EXPECT_FALSE(older["rft"].contains("fresh_optimizer"));
    EXPECT_FALSE(older["rl"].contains("fresh_optimizer"));
    EXPECT_EQ(GrmLabConfig::from_json(older).to_json(), older);
    const GrmLabConfig empty = GrmLabConfig::from_json(nlohmann::json::object());
    EXPECT_FALSE(empty.rft.fresh_optimizer);
    EXPECT_FALSE(empty.rl.fresh_optimizer);
    nlohmann::json bad = older;
    bad["rft"]["fresh_optimizer"] = "yes";
    EXPECT_THROW(GrmLabConfig::from_json(bad), ConfigError);
}

// Hand-made judgments of one item (57 + 68, candidates 115 and 125): the worked trace; the
// right verdict over a wrong column sum ("lucky"); the worked critique under principles that
// name a column that does not differ ("loose"); a wrong verdict; a tie.
struct HandJudgments {
    JudgeItem it;
    SampledJudgment trace, lucky, loose, wrong, tie;

    HandJudgments() {
        const auto task = make_task("addition");
        it.problem = dynamic_cast<const ArithmeticTask&>(*task).make(57, 68);
        it.candidates = {"115", "125"};
        it.best = 1;
        trace = sampled(judge_trace(it));
        lucky = sampled(
            "<think>p:exact sum, digits 2\nc:7+8+0=15 5+6+0=11 so 115; a=115: 5/5 1/1 1/1 ok, "
            "b=125: 5/5 2/1 no</think><answer>a:1 b:10</answer>");  // says 115, scores 125 first
        loose = sampled(
            "<think>p:exact sum, digits 1 2\nc:7+8+0=15 5+6+1=12 so 125; a=115: 5/5 1/2 no, "
            "b=125: 5/5 2/2 1/1 ok</think><answer>a:1 b:10</answer>");
        wrong = sampled(
            "<think>p:exact sum, digits 2\nc:7+8+0=15 5+6+0=11 so 115; a=115: 5/5 1/1 1/1 ok, "
            "b=125: 5/5 2/1 no</think><answer>a:10 b:1</answer>");
        tie = sampled(
            "<think>p:exact sum, digits 2\nc:7+8+0=15 5+6+1=12 so 125; a=115: 5/5 1/2 no, "
            "b=125: 5/5 2/2 1/1 ok</think><answer>a:10 b:10</answer>");
    }
    SampledJudgment sampled(const std::string& text) const {
        SampledJudgment s;
        s.text = text;
        s.judgment = parse_judgment(text, it.size());
        return s;
    }
};

// The worked trace is kept under every rule; "lucky" only under "verdict"; "loose" under
// "verdict" and "critique"; a wrong verdict, or a tie, under none.
TEST(GrmLab, RftKeepsVerdictsOrWholeTraces) {
    const HandJudgments h;
    const JudgeItem& it = h.it;
    ASSERT_EQ(h.trace.text,
              "<think>p:exact sum, digits 2\nc:7+8+0=15 5+6+1=12 so 125; a=115: 5/5 1/2 no, "
              "b=125: 5/5 2/2 1/1 ok</think><answer>a:1 b:10</answer>");
    for (const SampledJudgment* s : {&h.lucky, &h.loose, &h.wrong, &h.tie})
        ASSERT_TRUE(s->judgment.valid);
    for (const char* rule : {"verdict", "critique", "trace"})
        EXPECT_TRUE(rft_keeps(rule, it, h.trace)) << rule;
    EXPECT_TRUE(rft_keeps("verdict", it, h.lucky));
    EXPECT_FALSE(rft_keeps("critique", it, h.lucky));
    EXPECT_FALSE(rft_keeps("trace", it, h.lucky));
    EXPECT_TRUE(rft_keeps("verdict", it, h.loose));
    EXPECT_TRUE(rft_keeps("critique", it, h.loose));
    EXPECT_FALSE(rft_keeps("trace", it, h.loose));
    for (const char* rule : {"verdict", "critique", "trace"}) {
        EXPECT_FALSE(rft_keeps(rule, it, h.wrong)) << rule;
        EXPECT_FALSE(rft_keeps(rule, it, h.tie)) << rule;
    }
}

// What RFT takes from one item's samples, by hand: with hints, an item none of whose samples
// is kept teaches its worked trace and an item whose samples are all right keeps them; without
// hints the first teaches nothing and the second is dropped.
TEST(GrmLab, RftHintsTheItemsItKeptNothingOf) {
    const HandJudgments h;
    RejectiveStage hinted;  // keep "critique", hints on
    ASSERT_TRUE(hinted.hints);
    RejectiveStage plain = hinted;
    plain.hints = false;
    struct Taken {
        std::vector<std::string> texts;  // of the pool
        GrmLabSummary counts;
    };
    auto take = [&](const RejectiveStage& r, const std::vector<SampledJudgment>& samples) {
        Taken t;
        std::vector<JudgeExample> pool;
        rft_take_item(r, h.it, samples, pool, t.counts);
        for (const JudgeExample& e : pool) t.texts.push_back(e.judgment);
        EXPECT_EQ(t.counts.rft_sampled, static_cast<std::int64_t>(samples.size()));
        return t;
    };
    using Texts = std::vector<std::string>;
    // Right only by luck, or wrong: nothing kept under "critique"; the hint, or nothing.
    Taken t = take(hinted, {h.lucky, h.wrong});
    EXPECT_EQ(t.texts, Texts{h.trace.text});
    EXPECT_EQ(t.counts.rft_hinted, 1);
    EXPECT_EQ(t.counts.rft_right, 1);
    EXPECT_EQ(t.counts.rft_right_critiques, 0);
    t = take(plain, {h.lucky, h.wrong});
    EXPECT_EQ(t.texts, Texts{});
    EXPECT_EQ(t.counts.rft_hinted + t.counts.rft_items_dropped, 0);
    // All right: kept with hints (no hint added), dropped without.
    t = take(hinted, {h.loose, h.trace});
    EXPECT_EQ(t.texts, (Texts{h.loose.text, h.trace.text}));
    EXPECT_EQ(t.counts.rft_hinted, 0);
    EXPECT_EQ(t.counts.rft_right_critiques, 2);
    EXPECT_EQ(t.counts.rft_right_traces, 1);
    t = take(plain, {h.loose, h.trace});
    EXPECT_EQ(t.texts, Texts{});
    EXPECT_EQ(t.counts.rft_items_dropped, 1);
    // One kept of two: the same with or without hints.
    for (const RejectiveStage* r : {&hinted, &plain}) {
        t = take(*r, {h.tie, h.loose});
        EXPECT_EQ(t.texts, Texts{h.loose.text});
        EXPECT_EQ(t.counts.rft_hinted + t.counts.rft_items_dropped, 0);
    }
    // One sample, the default: a wrong one is replaced by the hint, a right one kept.
    EXPECT_EQ(take(hinted, {h.wrong}).texts, Texts{h.trace.text});
    EXPECT_EQ(take(hinted, {h.loose}).texts, Texts{h.loose.text});
}

TEST(GrmLabConfig, RftHintsRoundTripAndOlderConfigsHaveNone) {
    GrmLabConfig c;
    EXPECT_TRUE(c.to_json()["rft"]["hints"].get<bool>());
    EXPECT_TRUE(GrmLabConfig::from_json(c.to_json()).rft.hints);
    c.rft.hints = false;
    const nlohmann::json older = c.to_json();
    EXPECT_FALSE(older["rft"].contains("hints"));
    EXPECT_EQ(GrmLabConfig::from_json(older).to_json(), older);
    EXPECT_FALSE(GrmLabConfig::from_json(nlohmann::json::object()).rft.hints);
    nlohmann::json bad = older;
    bad["rft"]["hints"] = 1.5;
    EXPECT_THROW(GrmLabConfig::from_json(bad), ConfigError);
}

// The lab config the README's lab results ran with is pinned whole, with the behaviour of
// that time: one RFT round, a fixed 60-step schedule, every stage's judge kept.
TEST(GrmLabConfig, PinnedConfigOfTheReadmeRunsLoadsWhole) {
    std::ifstream in(TINYSEEK_SOURCE_DIR "/assets/experiments/grm/lab-2026-12.json");
    ASSERT_TRUE(in.good());
    const nlohmann::json file = nlohmann::json::parse(in);
    const GrmLabConfig c = GrmLabConfig::from_json(file, "lab-2026-12.json");
    EXPECT_NO_THROW(c.validate());
    EXPECT_EQ(c.to_json(), file);  // every key written out
    EXPECT_FALSE(c.keep_best);
    EXPECT_EQ(c.rft.min_kept, 0);
    EXPECT_EQ(c.rft.steps_for(8), 60);
}

TEST(GrmJudgeTask, SyntheticProblemsKeepTheQuestionSplit) {
    auto base = std::shared_ptr<const Task>(make_task("addition"));
    const JudgeTask task(base, {});
    Rng rng(5);
    for (int i = 0; i < 200; ++i) {
        const Split split = i % 3 == 0 ? Split::held_out : Split::train;
        const Problem p = task.sample(split, rng);
        EXPECT_EQ(p.split, split);
        EXPECT_EQ(base->split_of(p.key), split) << p.key;
        ASSERT_EQ(p.operands.size(), 2u);
        const int n = static_cast<int>(p.operands[0]);
        const int best = static_cast<int>(p.operands[1]);
        // The trace is the synthetic judgment and verifies against its own problem.
        const ParsedCompletion parsed = parse_completion(p.trace);
        ASSERT_TRUE(parsed.has_answer) << p.trace;
        EXPECT_TRUE(task.check(p, parsed.answer).correct) << p.trace;
        EXPECT_TRUE(parse_judgment(p.trace, n).valid);
        EXPECT_EQ(p.answer, std::string(1, candidate_label(best)));
    }
}

// A decoy share of the cold start's draws: every candidate wrong by the task's verifier, the
// trace computes the truth and marks each candidate "no", scores all 1; without decoys the
// draws are exactly those of a task built before decoys existed.
TEST(GrmJudgeTask, DecoysHaveNoRightCandidateAndTheirTraceSaysSo) {
    auto base = std::shared_ptr<const Task>(mix_questions());
    const JudgeTask plain(base, {});
    const JudgeTask none(base, {}, 0.0);
    const JudgeTask task(base, {}, 0.25);
    Rng a(9), b(9), rng(9);
    for (int i = 0; i < 50; ++i)
        EXPECT_EQ(plain.sample(Split::train, a).trace, none.sample(Split::train, b).trace);
    int decoys = 0, arithmetic = 0;
    const int n = 800;
    for (int i = 0; i < n; ++i) {
        const Problem p = task.sample(Split::train, rng);
        arithmetic += p.prompt.find(" to ") == std::string::npos;  // Countdown: "... to 27:"
        if (p.operands[1] >= 0) continue;
        ++decoys;
        EXPECT_EQ(p.answer, "none");
        const int size = static_cast<int>(p.operands[0]);
        ASSERT_GE(size, 2) << p.prompt;
        const Judgment j = parse_judgment(p.trace, size);
        ASSERT_TRUE(j.valid) << p.trace;
        EXPECT_EQ(j.scores, std::vector<int>(std::size_t(size), kMinJudgeScore)) << p.trace;
        EXPECT_EQ(j.critique.find(" ok"), std::string::npos) << p.trace;
        EXPECT_FALSE(task.check(p, "a:1 b:1").correct);
    }
    // 25% of the ~600 arithmetic draws: ~150 expected, sd ~11.
    EXPECT_GT(arithmetic, 500);
    EXPECT_GT(decoys, arithmetic / 4 - 45);
    EXPECT_LT(decoys, arithmetic / 4 + 45);
    EXPECT_THROW(JudgeTask(base, {}, 1.0), ConfigError);
    EXPECT_THROW(JudgeTask(base, {}, -0.1), ConfigError);
}

TEST(GrmItems, DecoyCandidatesAreAllWrongAndDistinct) {
    const auto base = mix_questions();
    Rng rng(4);
    std::vector<int> sizes(5, 0);
    int countdown = 0;
    for (int i = 0; i < 400; ++i) {
        const JudgeItem it = sample_decoy_item(*base, Split::train, rng, {});
        const Task& question = question_task(*base, it.problem);
        if (it.problem.task == "countdown") {  // an ordinary item: one right candidate
            ++countdown;
            ASSERT_GE(it.best, 0);
            EXPECT_TRUE(question.check(it.problem, it.candidates[it.best]).correct) << it.key;
            continue;
        }
        EXPECT_EQ(it.best, -1);
        ASSERT_GE(it.size(), 2);
        ASSERT_LE(it.size(), 3);  // one of the n + 1 drawn (n <= 3 wrong ones) is taken out
        ++sizes[it.size()];
        for (int c = 0; c < it.size(); ++c) {
            EXPECT_FALSE(question.check(it.problem, it.candidates[c]).correct) << it.key;
            EXPECT_NE(it.kinds[c], "correct");
            EXPECT_NE(it.key.find(it.candidates[c]), std::string::npos);
        }
        EXPECT_EQ(std::set<std::string>(it.candidates.begin(), it.candidates.end()).size(),
                  it.candidates.size());
    }
    EXPECT_GT(countdown, 50);
    EXPECT_GT(sizes[2], 50);
    EXPECT_GT(sizes[3], 50);
}

TEST(GrmJudgeTask, CheckReadsTheScores) {
    auto base = std::shared_ptr<const Task>(make_task("addition"));
    const JudgeTask task(base, {});
    Problem p;
    p.operands = {3, 1};
    EXPECT_TRUE(task.check(p, "a:4 b:10 c:7").correct);
    EXPECT_TRUE(task.check(p, "a:4 b:10 c:7").parsed);
    EXPECT_FALSE(task.check(p, "a:10 b:4 c:7").correct);
    EXPECT_FALSE(task.check(p, "a:10 b:10 c:7").correct);  // tie
    EXPECT_FALSE(task.check(p, "a:10 b:4").parsed);
    EXPECT_FALSE(task.check(p, "garbage").parsed);
    EXPECT_FALSE(task.check(Problem{}, "a:1").parsed);
}

TEST(GrmJudgeTask, PoolHoldsTrainItemsOnly) {
    auto base = std::shared_ptr<const Task>(make_task("addition"));
    const auto train = judge_items(*base, Split::train, 3, 1, {});
    const auto held = judge_items(*base, Split::held_out, 1, 1, {});
    std::vector<JudgeExample> pool;
    for (const JudgeItem& it : train) pool.push_back({it, judge_trace(it)});
    const JudgeTask task(base, {}, pool);
    Rng rng(2);
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) seen.insert(task.sample(Split::train, rng).key);
    EXPECT_EQ(seen.size(), 3u);
    pool.push_back({held[0], judge_trace(held[0])});
    EXPECT_THROW(JudgeTask(base, {}, pool), Error);
    EXPECT_THROW(JudgeTask(base, {}, std::vector<JudgeExample>{}), Error);
    // A judge task's own problems are not questions a judge can be trained on.
    EXPECT_THROW(JudgeTask(std::make_shared<JudgeTask>(base, JudgeItemOptions{}), {}), ConfigError);
}

TEST(GrmJudgeTask, SftTrainerTrainsOnJudgeTraces) {
    auto base = std::shared_ptr<const Task>(make_task("addition"));
    const JudgeTask task(base, {});
    TrainConfig tc;
    tc.model = small_model();
    tc.sft.batch_size = 4;
    const SftTrainer trainer(tc, task);
    const Tokenizer tok;
    const SftBatch b = trainer.make_batch(0, tok);
    ASSERT_EQ(b.B, 4);
    for (int s = 0; s < b.B; ++s) {
        // <bos> + judge prompt, then the judgment: the first completion token is <think>.
        EXPECT_EQ(b.tokens[std::size_t(s) * b.T + b.prompt_lengths[s]], Tokenizer::think_open_id);
        const std::vector<int> row(b.tokens.begin() + std::ptrdiff_t(s) * b.T,
                                   b.tokens.begin() + std::ptrdiff_t(s) * b.T + b.lengths[s]);
        const std::string text = tok.decode(row);
        EXPECT_EQ(text.rfind("<bos>a:", 0), 0u) << text;  // the candidates, then the question
        EXPECT_NE(text.find("</think><answer>a:"), std::string::npos) << text;
    }
}

TEST(GrmJudgeEnvironment, RuleRewardOfTraces) {
    auto base = std::shared_ptr<const Task>(make_task("addition"));
    const JudgeEnvironment env(base, {});
    Rng rng(3);
    for (int i = 0; i < 20; ++i) {
        const RewardEnvironment::Item handle = env.sample_train(rng);
        const JudgeItem it = env.item(handle);
        EXPECT_EQ(handle.prompt, judge_prompt(it));
        EXPECT_EQ(handle.key, it.key);
        EXPECT_EQ(it.problem.split, Split::train);
        const RewardBreakdown good = env.score(handle, judge_trace(it));
        EXPECT_EQ(good.total, 1.0);
        EXPECT_EQ(good.accuracy, 1.0);
        EXPECT_EQ(good.format, 1.0);
        EXPECT_FALSE(good.malformed);
        // The same judgment with the scores of the truth and another candidate swapped.
        std::vector<int> scores = reference_scores(it);
        const int other = it.best == 0 ? 1 : 0;
        std::swap(scores[it.best], scores[other]);
        const RewardBreakdown bad =
            env.score(handle, format_judgment(judge_principles(it), judge_critique(it), scores));
        EXPECT_EQ(bad.total, -1.0);
        EXPECT_EQ(bad.accuracy, 0.0);
        EXPECT_EQ(bad.format, 1.0);
        const RewardBreakdown broken = env.score(handle, "<think>no</think><answer>a</answer>");
        EXPECT_EQ(broken.total, -1.0);
        EXPECT_TRUE(broken.malformed);
    }
}

TEST(GrmSampling, PrefixesAndBatchingDoNotChangeSamples) {
    ParamStore params(small_model());
    init_params(params, 3);
    const Tokenizer tok;
    auto base = std::shared_ptr<const Task>(make_task("addition"));
    const auto items = judge_items(*base, Split::held_out, 5, 2, {});
    JudgmentSamplingOptions o;
    o.sampling.temperature = 1.0f;
    o.seed = 11;
    o.max_new_tokens = 24;
    o.samples_per_item = 4;
    const auto four = sample_judgments(params, tok, items, o);
    o.samples_per_item = 2;
    o.batch_sequences = 3;  // one item per Generator call
    const auto two = sample_judgments(params, tok, items, o);
    // Items 2.. alone, with first_item telling their position in the full list.
    const std::vector<JudgeItem> tail(items.begin() + 2, items.end());
    o.first_item = 2;
    const auto tail_two = sample_judgments(params, tok, tail, o);
    ASSERT_EQ(four.size(), 5u);
    for (std::size_t i = 0; i < items.size(); ++i) {
        ASSERT_EQ(four[i].size(), 4u);
        for (std::size_t j = 0; j < 2; ++j) {
            EXPECT_EQ(two[i][j].tokens, four[i][j].tokens) << i << "," << j;
            if (i >= 2) {
                EXPECT_EQ(tail_two[i - 2][j].tokens, four[i][j].tokens);
            }
            EXPECT_EQ(two[i][j].text, tok.decode(two[i][j].tokens));
            EXPECT_LE(two[i][j].generated, 24);
        }
    }
    o.sampling.temperature = 0.0f;
    EXPECT_THROW(sample_judgments(params, tok, items, o), ConfigError);  // greedy with k = 2
}

// A judge that stops at once (an immediate <eos>) still gives the meta RM a span to read: the
// scaling experiment once failed on such a sample.
TEST(GrmSampling, AnEmptyJudgmentLeavesTheMetaRmATokenToRead) {
    const Tokenizer tok;
    const auto task = make_task("addition");
    const JudgeItem item = judge_items(*task, Split::train, 1, 3, {}).front();
    SampledJudgment empty;
    const std::vector<int> seq = meta_rm_tokens(item, empty, tok);
    const int from = meta_rm_pool_from(item, tok);
    ASSERT_LT(from, static_cast<int>(seq.size()));
    EXPECT_EQ(seq.back(), Tokenizer::eos_id);
    EXPECT_EQ(seq.size(), judge_prompt_tokens(item, tok).size() + 1);
}

}  // namespace
}  // namespace tinyseek
