#include "training/grm/experiment.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "core/errors.h"
#include "training/run_store.h"

namespace tinyseek {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void check_cancel(const std::atomic<bool>* cancel) {
    if (cancel && cancel->load()) throw Cancelled("reward-model experiment cancelled");
}

// One lab's scaling with a single sampling draw.
GrmScaleResult scale_one(const std::string& dir, GrmScaleConfig config, int index,
                         const std::function<void(int, const GrmScaleProgress&)>& progress,
                         const std::atomic<bool>* cancel) {
    config.seeds = 1;
    GrmModels models = GrmModels::load(dir);
    return run_grm_scaling(
        models, config,
        [&](const GrmScaleProgress& p) {
            if (progress) progress(index, p);
        },
        cancel);
}

// The rows of lab `index` of `labs`, relabelled with its index; its invalid fractions join
// the mean over the labs.
void append_rows(GrmScaleResult& all, const GrmScaleResult& one, int index, int labs) {
    all.invalid_fraction += one.invalid_fraction / labs;
    all.greedy_invalid_fraction += one.greedy_invalid_fraction / labs;
    for (std::size_t i = 0; i < one.rows.size(); ++i) {
        ScalingResult r = one.rows[i];
        r.seed = index;
        all.rows.push_back(r);
        all.strict_accuracy.push_back(one.strict_accuracy.at(i));
    }
    if (all.examples.empty()) all.examples = one.examples;
    all.n_items = one.n_items;
    all.seconds += one.seconds;
}

// Stores the merged rows as one run named after the first lab, with the labs' runs and dirs.
std::int64_t store_labs(RunStore& store, const GrmScaleResult& merged,
                        const std::vector<std::string>& dirs, const GrmScaleConfig& config) {
    std::vector<std::int64_t> lab_runs;
    for (const std::string& dir : dirs) lab_runs.push_back(GrmModels::load(dir).run_id);
    GrmScaleConfig stored = config;
    stored.seeds = 1;
    const GrmModels first = GrmModels::load(dirs.front());
    const nlohmann::json extra = {
        {"lab_seeds", static_cast<int>(dirs.size())}, {"lab_runs", lab_runs}, {"lab_dirs", dirs}};
    return store_grm_scaling(store, merged, stored, first, extra);
}

}  // namespace

GrmScaleResult scale_labs(const std::vector<std::string>& dirs, const GrmScaleConfig& config,
                          RunStore* store, std::int64_t* stored_run,
                          const std::function<void(int, const GrmScaleProgress&)>& progress,
                          const std::atomic<bool>* cancel) {
    if (dirs.empty()) throw ConfigError("grm scale: no lab directory given");
    config.validate();
    GrmScaleResult merged;
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        const int index = static_cast<int>(i);
        const GrmScaleResult one = scale_one(dirs[i], config, index, progress, cancel);
        append_rows(merged, one, index, static_cast<int>(dirs.size()));
    }
    const std::int64_t id = store ? store_labs(*store, merged, dirs, config) : 0;
    if (stored_run) *stored_run = id;
    return merged;
}

GrmLabConfig GrmExperimentConfig::default_lab() {
    GrmLabConfig c;
    c.task = "mix";
    c.task_options.digits = 2;
    c.val_items = 512;
    c.eval_every = 400;
    c.cold_start.steps = 4000;
    c.cold_start.batch_size = 16;
    c.rl.steps = 60;
    return c;
}

void GrmExperimentConfig::validate() const {
    lab.validate();
    scale.validate();
    if (lab_seeds < 1 || lab_seeds > 100)
        throw ConfigError("grm experiment: field 'lab_seeds' is " + std::to_string(lab_seeds) +
                          ", expected 1..100");
}

GrmSeedOutcome GrmExperimentResult::outcome(int index, int k_max) const {
    GrmSeedOutcome o;
    const GrmLabSummary& s = labs.at(static_cast<std::size_t>(index));
    o.rft_raised = s.val_accuracy_rft > s.val_accuracy_cold;
    const double before_rl = s.rft_judge_kept ? s.val_accuracy_rft : s.val_accuracy_cold;
    o.rl_raised = s.val_accuracy_rl > before_rl;
    auto accuracy = [&](const char* method, int k) {
        const ScalingResult* r = scaling.find(method, k, index);
        return r ? r->accuracy : -1.0;
    };
    o.voting_gain = accuracy("voting", k_max) - accuracy("greedy", 1);
    o.meta_at_least = true;
    for (const ScalingResult& r : scaling.rows)
        if (r.seed == index && r.method == "voting" && r.k >= 8)
            o.meta_at_least = o.meta_at_least && accuracy("meta_rm", r.k) >= r.accuracy;
    o.best_over_scalar =
        std::max(accuracy("voting", k_max), accuracy("meta_rm", k_max)) > accuracy("scalar_rm", 1);
    return o;
}

GrmExperimentResult run_grm_experiment(
    const GrmExperimentConfig& config, const std::string& db, const std::string& out_dir,
    const std::function<void(const GrmExperimentProgress&)>& progress,
    const std::atomic<bool>* cancel) {
    config.validate();
    const auto t0 = std::chrono::steady_clock::now();
    GrmExperimentResult result;
    auto tell = [&](int index, const std::string& phase, std::int64_t done, std::int64_t total,
                    const std::string& detail) {
        if (progress)
            progress({index, config.lab_seeds, phase, done, total, detail, seconds_since(t0)});
    };
    for (int i = 0; i < config.lab_seeds; ++i) {
        check_cancel(cancel);
        GrmLabConfig lab_config = config.lab;
        lab_config.seed = config.lab.seed + static_cast<std::uint64_t>(i);
        const std::string dir =
            (std::filesystem::path(out_dir) / ("seed-" + std::to_string(lab_config.seed))).string();
        GrmLab lab(lab_config, db, dir);
        lab.set_progress_callback([&](const GrmLabProgress& p) {
            if (cancel && cancel->load()) lab.request_cancel();
            tell(i, p.phase, p.done, p.total, p.detail);
        });
        result.labs.push_back(lab.run());
        result.dirs.push_back(dir);
        const GrmScaleResult one = scale_one(
            dir, config.scale, i,
            [&](int index, const GrmScaleProgress& p) {
                tell(index, p.phase, p.done, p.total, "");
            },
            cancel);
        append_rows(result.scaling, one, i, config.lab_seeds);
    }
    if (!db.empty()) {
        RunStore store(db);
        result.run_id = store_labs(store, result.scaling, result.dirs, config.scale);
    }
    result.seconds = seconds_since(t0);
    return result;
}

}  // namespace tinyseek
