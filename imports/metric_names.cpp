#include "imports/metric_names.h"

#include <unordered_map>

#include "training/step_report.h"

namespace tinyseek::imports {

const std::vector<NameMapping>& name_mappings() {
    static const std::vector<NameMapping> table = {
        // verl v0.6 (verl/trainer/ppo/metric_utils.py, workers/actor/dp_actor.py).
        {"critic/score/mean", metric::kReward, "verl"},
        {"actor/pg_loss", metric::kLoss, "verl"},
        {"actor/kl_loss", metric::kKl, "verl"},
        {"actor/entropy", metric::kEntropy, "verl"},
        {"actor/pg_clipfrac", metric::kClipRatio, "verl"},
        {"actor/grad_norm", metric::kGradNorm, "verl"},
        {"actor/lr", metric::kLearningRate, "verl"},
        {"response_length/mean", metric::kMeanLength, "verl"},
        {"perf/throughput", metric::kTokensPerSecond, "verl"},
        // TRL's GRPOTrainer (v0.19 on) without the Liger loss, which logs "clip_ratio" itself.
        {"clip_ratio/region_mean", metric::kClipRatio, "TRL"},
        // verl's SFT trainer (verl/trainer/sft_trainer.py, "train/lr" with "train/" dropped).
        {"lr", metric::kLearningRate, "verl"},
        // OpenRLHF v0.11's PPO trainer (keys after "train/" is dropped).
        {"policy_loss", metric::kLoss, "OpenRLHF"},
        {"response_length", metric::kMeanLength, "OpenRLHF"},
    };
    return table;
}

std::string workbench_name(std::string_view source_key) {
    static const std::unordered_map<std::string_view, std::string_view> renames = [] {
        std::unordered_map<std::string_view, std::string_view> m;
        for (const NameMapping& n : name_mappings()) m.emplace(n.source_key, n.workbench_key);
        return m;
    }();
    std::string key(source_key);
    if (key.starts_with("train/") && key.size() > 6)
        key.erase(0, 6);
    else if (key.starts_with("eval_"))
        key.replace(0, 5, "eval/");
    const auto it = renames.find(key);
    return it == renames.end() ? key : std::string(it->second);
}

}  // namespace tinyseek::imports
