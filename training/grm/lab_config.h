// GrmLabConfig: every knob of the reward-model lab's training pipeline, as one plain value
// that round-trips through JSON (stored as the run's config_json and as grm.json next to the
// trained models, so `grm scale` knows the task and item options the judge was trained on).
//
// Pipeline (DeepSeek-GRM §3, in small): cold start (SFT on synthetic judge traces) ->
// SPCT (1) rejective fine-tuning -> SPCT (2) rule-based online RL (GRPO) -> meta RM and
// scalar-RM baseline (scalar heads trained with a binary loss). Defaults are sized for a
// few minutes on two CPU cores with the tiny model.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/model_config.h"
#include "training/grm/items.h"
#include "training/grm/question_mix.h"
#include "training/task.h"

namespace tinyseek {

// A stage that fine-tunes the judge with next-token loss (cold start, rejective FT).
// Defaults are the cold start's: from the addition checkpoint at 4e-3, the judge singled out
// the right answer in 50% of train-split validation items (2-digit addition) after 1,000
// steps and in 77% after 2,000 (10 min on two cores); at 1e-3 it had learned almost nothing
// after 750 steps.
struct JudgeSftStage {
    std::int64_t steps = 2000;
    int batch_size = 32;
    float lr = 4e-3f;  // peak of warm-up + cosine
    float min_lr = 4e-4f;
    std::int64_t warmup_steps = 20;
};

// SPCT (1): sample `samples` judgments for each of `items` fresh train items at
// `temperature`; keep the judgments that single out the true best answer and fine-tune on
// what is kept. Without hints, the items whose samples were all right are dropped (too easy
// to teach anything) and so are those never right. With `hints` (DeepSeek-GRM's hinted
// sampling taken all the way: the rule verifier's worked judgment is the hint), an item none of
// whose samples is kept contributes its worked trace (format.h judge_trace) instead, and no
// item is dropped: every item teaches, by the judge's own right judgment or by the hint.
// Rounds of fresh items follow until `min_kept` judgments are kept (at most `max_rounds`), and
// the stage trains for `epochs` passes over what it kept (at most train.steps steps).
// epochs = 0 trains train.steps steps whatever was kept.
//
// Why one sample of 1,920 items, hints and one pass by default: the stage used to sample 4
// judgments of 256 items and train 8 passes over the ~300 kept, and it lowered the judge's
// validation (the three cold-start judges of experiment-cold16: -1.6 / -3.1 / +0.8 points).
// 60 steps over a fixed pool of 256 *worked* traces lowered it as much (-4.3 / -4.5 / +1.8),
// while 60 steps of fresh worked traces raised it (+3.5 / +1.2 / +5.7): what hurt was the
// passes over a small pool, not the judge's own samples. One pass over one judgment per item
// (a quarter the judge's own, the rest hints) raised it by +3.1 / +0.4 / +6.1, no more than
// the fresh worked traces did (README).
//
// Which right judgments are kept (`keep`): "verdict" keeps every judgment that singles out the
// truth, as DeepSeek-GRM rejects only wrong predicted rewards; "critique" keeps only those whose
// critique is the item's worked critique (format.h judge_critique: every column sum and every
// digit comparison right), "trace" only those whose whole text is the worked trace (the
// principles too). Why: sampled from a cold-start judge of the 3-digit mix at temperature 1, 76%
// of the judgments that singled out the truth did so over a critique with a wrong step, 73%
// over a wrong recomputation (46*9=464 46*20=880 464+880=1334): the tiny judge often matches
// the answer without computing it, and "verdict" trains on those critiques.
struct RejectiveStage {
    int items = 1920;
    int samples = 1;
    float temperature = 1.0f;
    int min_kept = 256;
    int max_rounds = 4;
    float epochs = 1.0f;
    // A config read from JSON without the key has no hints (every config stored before the
    // key existed); written whenever true.
    bool hints = true;
    // "verdict", "critique" or "trace". A config read from JSON without the key keeps
    // "verdict", the rule of every config stored before the key existed; the key is written
    // whenever it is not "verdict".
    std::string keep = "critique";
    // Start the fine-tuning with zero AdamW moments (step 0), as a separate training run does,
    // rather than carrying the cold start's. A config read from JSON without the key carries
    // them (every config stored before the key existed); written whenever true. Fresh by
    // default: on the same kept judgments of the three cold-start judges of the decoy
    // experiment, RFT with fresh moments validated 5.1 / 5.1 / 2.3 points above RFT carrying
    // the cold start's.
    bool fresh_optimizer = true;
    JudgeSftStage train{60, 32, 5e-4f, 5e-5f, 5};

    // Steps of the fine-tuning on `kept` judgments: ceil(epochs x kept / batch), 1..train.steps.
    std::int64_t steps_for(std::int64_t kept) const;
};

// SPCT (2): GRPO with the rule reward (+1 / -1) through a JudgeEnvironment.
struct JudgeRlStage {
    std::int64_t steps = 20;
    int prompts_per_step = 8;
    int group_size = 8;
    float lr = 5e-5f;
    std::int64_t warmup_steps = 2;
    float beta = 0.04f;  // KL weight to the judge the stage started from
    float epsilon = 0.2f;
    float temperature = 1.0f;
    bool scale_rewards = true;
    // Start GRPO with zero AdamW moments (step 0) rather than the previous stage's; as
    // rft.fresh_optimizer (absent from JSON = false; written whenever true). Fresh by default,
    // as the arms that chose rl.steps measured it (a judge loaded from a checkpoint).
    bool fresh_optimizer = true;
};

// A scalar head trained with a binary loss (meta RM, scalar RM). For the meta RM, `items`
// fresh train items get `samples` judgments each at `temperature` from the final judge; a
// tenth of the items is kept aside for validation. The scalar RM draws fresh train items for
// every batch (one correct and one wrong candidate each), so it ignores items/samples.
struct HeadStage {
    int items = 384;
    int samples = 8;
    float temperature = 1.0f;
    std::int64_t steps = 150;
    int batch_size = 32;
    float lr = 5e-4f;
};

struct GrmLabConfig {
    std::string name;               // shown in the run list; empty = "grm <task>"
    std::string task = "addition";  // a task that can be judged, or "mix" (of `mix`)
    TaskOptions task_options;       // 2-digit operands by default; every part of a mix uses them
    QuestionWeights mix = {
        {"addition", 1.0}, {"subtraction", 1.0}, {"multiplication", 1.0}, {"countdown", 1.0}};
    JudgeItemOptions items;
    std::string model_preset = "tiny";
    ModelConfig model;  // the judge (and the RMs' backbone); from the preset by default
    std::uint64_t seed = 1;
    // The judge starts from this checkpoint's weights (its config must equal `model`), as
    // DeepSeek-GRM starts from a pretrained model; "" = a random init from `seed`.
    std::string init_checkpoint;
    // Per judgment: the longest synthetic one of the 3-digit mix is 2x2-digit multiplication
    // with four candidates (209 tokens with <eos>).
    int max_new_tokens = 224;
    // After RFT and after RL the judge validates; a stage that lowered the accuracy is undone
    // (the judge before it goes on) and the summary says so. false keeps every stage's judge.
    bool keep_best = true;
    int val_items = 128;           // validation items from the TRAIN split (never held-out)
    std::int64_t eval_every = 50;  // judge steps between validations (and at every stage end)

    JudgeSftStage cold_start;
    // Share of the cold start's synthetic arithmetic items that are decoys (no right candidate,
    // every candidate marked "no"; items.h sample_decoy_item). Without decoys, a cold-start
    // judge of the mix recomputed the true result in only ~40% of its greedy critiques yet
    // restated a candidate as its result in most of the rest, so its samples agreed on wrong
    // picks and voting@16 fell below its greedy verdict on 500 train-split items (44.4 vs
    // 55.6%). With decoys (Countdown's too, in that trial) it computed the truth as often, but a
    // sample that computed no candidate's value tied and abstained: voting@16 47.6% vs greedy
    // 31.6%. Countdown decoys made it mark nearly every Countdown candidate "no", hence
    // arithmetic only. Absent from JSON = 0, the rule of every config stored before the key
    // existed; written only when not 0.
    float cold_start_decoys = 0.25f;
    RejectiveStage rft;
    JudgeRlStage rl;
    HeadStage meta_rm;
    HeadStage scalar_rm{0, 0, 1.0f, 150, 32, 5e-4f};

    GrmLabConfig();  // model = the tiny preset

    // Throws ConfigError naming the field, the value and what was expected.
    void validate() const;
    nlohmann::json to_json() const;
    // Absent keys keep their defaults; unknown keys and wrong types are ConfigErrors naming
    // `source` and the key (nested keys as "rl.beta").
    static GrmLabConfig from_json(const nlohmann::json& j,
                                  const std::string& source = "grm config");
    std::string display_name() const;
    // The questions judge items are made from: the task, or the mix (question_mix.h).
    std::unique_ptr<Task> make_questions() const;
};

}  // namespace tinyseek
