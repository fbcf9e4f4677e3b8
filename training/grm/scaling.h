// The inference-time scaling experiment of the reward-model lab (DeepSeek-GRM §5.3, in small).
//
// On n held-out judge items (judge_items(task, held_out, n, items_seed), never seen in
// training; train-split items instead when config.split says so, for choosing knobs), for each seed
// s: sample k_max = max(ks) judgments per item once at the given temperature, then for every k in
// ks evaluate on the first k samples (the streams make a prefix of a k_max draw exactly a k draw,
// training/grm/sampling.h):
//   voting@k    sum of scores over the valid samples (training/grm/pooling.h)
//   meta_rm@k   the meta RM scores every sample; the top k_meta valid ones vote
//               (k_meta = k/2 by default, at least 1)
//   ceiling@k   pass@k of the k_max samples (training/pass_at_k.h): the share of items where
//               k samples hold a judgment that singles out the truth, what a perfect pick
//               among them would reach (the unbiased estimator, so every k uses all k_max)
// plus, once: chance (a random pick among each item's candidates, the mean of 1/candidates),
// the greedy judgment (k = 1) and the scalar RM (each candidate scored once, the
// item's pick is the highest; k = 1, 0 tokens generated). Accuracy is the expected accuracy
// with ties for the top broken at random (1/t credit; all-invalid is a miss;
// training/grm/pooling.h); the strict accuracy (the truth alone on top) is kept beside it.
// tokens_per_item = judge tokens generated per item (k samples; the meta RM reads them but
// generates nothing).
//
// Rows use ScalingResult (run_store.h): method "chance" | "greedy" | "voting" | "meta_rm" |
// "ceiling" | "scalar_rm", one row per (method, k, seed); chance, greedy and scalar_rm only
// for seed 0.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/param_store.h"
#include "core/tokenizer.h"
#include "training/grm/lab_config.h"
#include "training/grm/sampling.h"
#include "training/grm/scalar_head.h"
#include "training/run_store.h"

namespace tinyseek {

struct GrmScaleConfig {
    std::vector<int> ks = {1, 2, 4, 8, 16, 32};  // ascending, >= 1
    int n = 500;                                 // held-out items
    float temperature = 1.0f;                    // of the k samples
    int seeds = 1;                               // independent k_max draws (the band)
    std::uint64_t items_seed = 7;                // of the held-out item set
    std::uint64_t sample_seed = 1;  // seed s samples with step_seed(sample_seed, s, ...)
    int k_meta = 0;                 // 0 = default_k_meta(k)
    int examples = 4;               // items whose k_max judgments are kept for the view
    int max_new_tokens = 0;         // 0 = the lab's max_new_tokens
    int batch_sequences = 512;      // sequences per Generator call
    // Where the items come from: held-out (what results report) or train-split items (to choose
    // a knob such as the temperature without looking at held-out items).
    Split split = Split::held_out;

    void validate() const;  // ConfigError naming the field
    nlohmann::json to_json() const;
};

// The trained models of a lab output directory (training/grm/lab.h): the judge, and the meta RM and
// scalar RM when they were trained.
struct GrmModels {
    GrmLabConfig config;
    std::int64_t run_id = 0;  // the training run (0 if none was recorded)
    std::string dir;
    Tokenizer tokenizer;
    ParamStore judge;
    std::unique_ptr<ScalarRewardModel> meta_rm;    // null when OUT/meta_rm is absent
    std::unique_ptr<ScalarRewardModel> scalar_rm;  // null when OUT/scalar_rm is absent

    // Reads OUT/grm.json and the checkpoints. Throws CheckpointError / ConfigError naming the
    // file. `judge` picks the judge checkpoint ("judge" or "judge_sft").
    static GrmModels load(const std::string& dir, const std::string& judge = "judge");
};

// One item's samples as the Reward Model page shows them.
struct ScalingExample {
    JudgeItem item;
    std::vector<SampledJudgment> samples;  // k_max of seed 0
    std::vector<float> meta_scores;        // (k_max), 0 where no meta RM
};

struct GrmScaleResult {
    std::vector<ScalingResult> rows;      // run_id 0 until stored
    std::vector<double> strict_accuracy;  // (rows) the truth alone on top
    std::vector<ScalingExample> examples;
    std::int64_t n_items = 0;
    double invalid_fraction = 0.0;  // of all sampled judgments
    double greedy_invalid_fraction = 0.0;
    double seconds = 0.0;

    // The row of (method, k, seed), or null.
    const ScalingResult* find(const std::string& method, int k, std::int64_t seed = 0) const;
    nlohmann::json to_json() const;  // {"rows": [...], "n_items", ...}
};

struct GrmScaleProgress {
    std::string phase;  // "greedy", "sampling seed 1/2", "scalar rm"
    std::int64_t done = 0;
    std::int64_t total = 0;
};

GrmScaleResult run_grm_scaling(GrmModels& models, const GrmScaleConfig& config,
                               const std::function<void(const GrmScaleProgress&)>& progress = {},
                               const std::atomic<bool>* cancel = nullptr);

// Stores the experiment as a run of kind "grm_scale" (parent: the training run when it is in
// the same database): the scaling rows, and for example e a step e (stage grpo) whose
// rollouts are its samples (prompt, judgment, reward.accuracy = singles out the truth,
// reward.format = valid, reward.total = SPCT reward, advantage = meta RM score, length =
// generated tokens) and whose scalars hold "grm/best" (index of the true best candidate),
// "grm/candidates", "grm/k_meta" (at k_max) and "grm/k_max". Returns the run id.
// `extra` keys are added to the stored config (the experiment's lab seeds and runs).
std::int64_t store_grm_scaling(RunStore& store, const GrmScaleResult& result,
                               const GrmScaleConfig& config, const GrmModels& models,
                               const nlohmann::json& extra = nlohmann::json::object());

}  // namespace tinyseek
