#include "training/run_pass_at_k.h"

#include "core/checkpoint.h"
#include "core/errors.h"
#include "training/run_checkpoints.h"
#include "training/task.h"

namespace tinyseek {

CheckpointInfo run_checkpoint(const RunStore& store, std::int64_t run,
                              std::optional<std::int64_t> step) {
    const std::vector<CheckpointInfo> all = store.checkpoints(store.run(run).id);
    if (all.empty())
        throw Error("run " + std::to_string(run) + " of '" + store.path() + "' has no checkpoint");
    if (!step) return all.back();
    std::string steps;
    for (const CheckpointInfo& c : all) {
        if (c.step == *step) return c;
        steps += (steps.empty() ? "" : ", ") + std::to_string(c.step);
    }
    throw Error("run " + std::to_string(run) + " has no checkpoint at step " +
                std::to_string(*step) + " (it has: " + steps + ")");
}

PassAtKCurve measure_pass_at_k(const Checkpoint& checkpoint, const Task& task,
                               const PassAtKSettings& settings, const std::atomic<bool>* cancel,
                               const PassAtKProgress& progress) {
    const std::vector<Problem> set =
        held_out_prefix(task, static_cast<std::size_t>(settings.problems), settings.seed);
    SamplingParams sampling;
    sampling.temperature = static_cast<float>(settings.temperature);
    return measure_pass_at_k(checkpoint.params, checkpoint.tokenizer, task, set, sampling,
                             settings.seed, settings.samples, settings.max_new_tokens, settings.ks,
                             cancel, progress);
}

StoredPassAtK stored_pass_at_k(std::int64_t run, std::int64_t step, const PassAtKSettings& settings,
                               const PassAtKCurve& curve) {
    return {run,
            step,
            settings.temperature,
            curve.problems,
            curve.samples,
            static_cast<std::int64_t>(settings.seed),
            curve.ks,
            curve.pass,
            curve.majority,
            {}};
}

StoredPassAtK measure_run_pass_at_k(const std::string& db, std::int64_t run,
                                    std::optional<std::int64_t> step,
                                    const PassAtKSettings& settings,
                                    const std::atomic<bool>* cancel,
                                    const PassAtKProgress& progress) {
    // Opened for writing from the start: a file of an older schema migrates before anything
    // is measured (an open connection holds no lock between transactions).
    RunStore store(db);
    const CheckpointInfo checkpoint = run_checkpoint(store, run, step);
    CheckpointLoadOptions load;
    load.optimizer = false;
    const Checkpoint ck = load_checkpoint(checkpoint.path, load);
    const CheckpointTask trained_on = checkpoint_task(ck.metadata, checkpoint.path);
    const PassAtKCurve curve = measure_pass_at_k(
        ck, *make_task(trained_on.name, trained_on.options), settings, cancel, progress);
    const StoredPassAtK stored = stored_pass_at_k(run, checkpoint.step, settings, curve);
    store.add_pass_at_k(stored);
    return stored;
}

}  // namespace tinyseek
