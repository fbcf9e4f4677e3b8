#include "training/speculation_eval.h"

#include "core/checkpoint.h"
#include "core/errors.h"
#include "training/evaluator.h"
#include "training/task.h"

namespace tinyseek {

namespace {
constexpr int kSteps = 100;  // progress steps per checkpoint
}  // namespace

SpeculationEval evaluate_speculation(const ParamStore& params, const Tokenizer& tokenizer,
                                     const CheckpointTask& task,
                                     const SpeculationEvalOptions& options,
                                     const std::atomic<bool>* cancel,
                                     const MeasureProgress& progress) {
    SpeculationEval out;
    out.task = task;
    const std::unique_ptr<Task> built = make_task(task.name, task.options);
    out.prompts = held_out_prompts(*built, tokenizer, options.prompts, options.seed);
    AcceptanceOptions acceptance;
    acceptance.max_new_tokens = options.max_new_tokens;
    acceptance.stop_tokens = evaluation_stop_tokens();
    acceptance.mode = options.mode;
    out.measurement =
        measure_acceptance(params, tokenizer, out.prompts, acceptance, cancel, progress);
    return out;
}

std::vector<CheckpointAcceptance> acceptance_over_checkpoints(
    const std::vector<CheckpointRef>& checkpoints, const SpeculationEvalOptions& options,
    const std::atomic<bool>* cancel, const MeasureProgress& progress) {
    std::vector<CheckpointAcceptance> out;
    const int total = static_cast<int>(checkpoints.size());
    for (const CheckpointRef& ref : checkpoints) {
        if (cancel && cancel->load())
            throw Cancelled("acceptance over checkpoints cancelled after " +
                            std::to_string(out.size()) + " of " + std::to_string(total));
        CheckpointAcceptance point;
        point.step = ref.step;
        point.dir = ref.dir;
        try {
            CheckpointLoadOptions load;
            load.optimizer = false;
            const Checkpoint ck = load_checkpoint(ref.dir, load);
            // Progress inside a checkpoint too: each is kSteps of the total.
            const int index = static_cast<int>(out.size());
            const MeasureProgress within = [&](int done, int parts) {
                if (progress) progress(index * kSteps + kSteps * done / parts, total * kSteps);
            };
            const SpeculationEval eval =
                evaluate_speculation(ck.params, ck.tokenizer, checkpoint_task(ck.metadata, ref.dir),
                                     options, cancel, within);
            point.drafted = eval.measurement.stats.drafted;
            point.accepted = eval.measurement.stats.accepted;
            point.tokens_per_forward = eval.measurement.tokens_per_forward();
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            point.error = e.what();
        }
        out.push_back(point);
        if (progress) progress(static_cast<int>(out.size()) * kSteps, total * kSteps);
    }
    return out;
}

}  // namespace tinyseek
