// GrmLab: trains the reward-model lab's models and records the run like any training run.
//
//   cold start     SftTrainer on JudgeTask's synthetic traces of fresh train items (from a
//                  random init, or from config.init_checkpoint)
//   SPCT (1) RFT   sample judgments of fresh train items (rounds until enough are kept); keep
//                  those that single out the true best candidate, drop items whose samples
//                  were all right; SftTrainer on the kept pool, steps scaled to its size
//   SPCT (2) RL    GrpoTrainer with a JudgeEnvironment (rule reward +1 / -1, KL beta knob)
//   (after RFT and RL: a stage that lowered the validation accuracy is undone, keep_best)
//   meta RM        ScalarRewardModel from the final judge, on the final judge's sampled
//                  judgments of fresh train items, label = the judgment singles out the truth
//   scalar RM      ScalarRewardModel from the final judge, on (question + candidate, correct)
//
// Every judge step goes to the RunStore (kind "grm") and the sinks as a StepReport (stage sft
// or grpo), with the validation accuracy of the greedy judge on train-split items
// ("grm/val_accuracy") every eval_every steps and at each stage end. The RM steps are
// reported too ("meta_rm/loss", "scalar_rm/loss", ...). Held-out items are never used here.
//
// Output directory:
//   OUT/judge/       checkpoint of the final judge
//   OUT/judge_sft/   checkpoint after the cold start (for comparisons)
//   OUT/meta_rm/     checkpoint + scalar_head.safetensors
//   OUT/scalar_rm/   checkpoint + scalar_head.safetensors
//   OUT/grm.json     {"config": GrmLabConfig, "run_id": N, "db": path, "summary": {...}}
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/param_store.h"
#include "training/grm/judge_task.h"
#include "training/grm/lab_config.h"
#include "training/grm/sampling.h"
#include "training/step_report.h"

namespace tinyseek {

inline constexpr const char* kGrmManifest = "grm.json";
// grm.json's "version": the judge's prompt and judgment format (training/grm/format.h) it was
// trained on. 1 = question first, "L=V ok" verdicts; 2 = candidates first, digit-pair verdicts. A
// judge only understands its own format, so `grm scale` refuses any other version.
inline constexpr int kGrmFormatVersion = 2;

struct GrmLabProgress {
    std::string phase;  // "cold start", "rft sampling", "rft", "rl", "meta rm data", ...
    std::int64_t done = 0;
    std::int64_t total = 0;
    double elapsed_seconds = 0.0;
    std::string detail;  // e.g. "loss 0.412" or "val 0.63"
};

// What the pipeline measured on its own (train-split) data, for the report and grm.json.
struct GrmLabSummary {
    std::int64_t run_id = 0;         // 0 without a store
    double val_accuracy_cold = 0.0;  // greedy judge after each stage, train-split validation
    double val_accuracy_rft = 0.0;   // (a stage that did not run: the accuracy before it)
    double val_accuracy_rl = 0.0;
    // Whether the judge each stage trained goes on (keep_best: it validated at least as well
    // as the best judge before it); the final judge's accuracy, the best of them.
    bool rft_judge_kept = true;
    bool rl_judge_kept = true;
    double val_accuracy_final = 0.0;
    std::int64_t rft_rounds = 0;           // rounds of fresh items sampled
    std::int64_t rft_sampled = 0;          // judgments sampled for RFT
    std::int64_t rft_right = 0;            // of them singling out the truth
    std::int64_t rft_right_critiques = 0;  // of those, with the item's worked critique
    std::int64_t rft_right_traces = 0;     // ... and principles: the worked trace word for word
    std::int64_t rft_kept = 0;             // kept for fine-tuning (hints included)
    std::int64_t rft_hinted = 0;           // of them, worked traces of items none was kept of
    std::int64_t rft_items_dropped = 0;    // items whose samples were all right (no hints)
    std::int64_t rft_steps = 0;            // fine-tuning steps on what was kept
    std::int64_t meta_examples = 0;        // judgments the meta RM trained on (invalid = wrong)
    double meta_positive_fraction = 0.0;
    double meta_val_accuracy = 0.0;    // per judgment, on the held-aside tenth (train split)
    double scalar_val_accuracy = 0.0;  // per item (top candidate), validation items
    double seconds = 0.0;
    nlohmann::json to_json() const;
};

// An item's worked critique and whole worked trace (format.h), built once for all its samples.
struct WorkedJudgment {
    std::string critique;
    std::string trace;
    static WorkedJudgment of(const JudgeItem& item);
};

// Whether rejective fine-tuning keeps the sampled judgment `s` of `item` under the rule `keep`
// (RejectiveStage::keep): it singles out the truth; for "critique" its critique is the item's
// worked critique, for "trace" its whole text the worked trace.
bool rft_keeps(const std::string& keep, const JudgeItem& item, const WorkedJudgment& worked,
               const SampledJudgment& s);
bool rft_keeps(const std::string& keep, const JudgeItem& item, const SampledJudgment& s);

// What rejective fine-tuning takes from one item's sampled judgments under `r` (keep, hints),
// appended to `pool`; counts them into `summary` (rft_sampled, rft_right, rft_right_critiques,
// rft_right_traces, rft_hinted, rft_items_dropped; rft_kept is the pool's size, set by the lab).
void rft_take_item(const RejectiveStage& r, const JudgeItem& item,
                   const std::vector<SampledJudgment>& samples, std::vector<JudgeExample>& pool,
                   GrmLabSummary& summary);

class GrmLab {
  public:
    // Validates `config`. `db_path` may be empty (no run recorded); `out_dir` must be given.
    GrmLab(GrmLabConfig config, std::string db_path, std::string out_dir);
    ~GrmLab();

    void add_sink(StepSink* sink);  // not owned
    // Replaces the greedy judge's validation (accuracy, valid fraction) on the train-split
    // validation items: for tests of the stage selection, which need a judge that gets worse.
    using Validator = std::function<std::pair<double, double>(const ParamStore& judge)>;
    void set_validator(Validator validator);
    void set_progress_callback(std::function<void(const GrmLabProgress&)> callback);
    void request_cancel();  // thread-safe; run() then throws Cancelled

    // Runs the whole pipeline. On any error the run is marked failed (stopped when
    // cancelled) in the store with the message, its steps kept, and the error is rethrown.
    GrmLabSummary run();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tinyseek
