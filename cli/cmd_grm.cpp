// Reward-model lab commands (docs/ARCHITECTURE.md "Command line", "Reward-model lab"):
//   tinyseek grm train --db FILE [--out DIR] [--seed N] [--config FILE]
//                      [--init DIR | --init-run ID] [knobs]
//                      [--json]
//   tinyseek grm scale --model DIR [--k 1,2,4,8,16,32] [--n 500] [--db FILE] [--json]
//                      [--temperature T] [--seeds N] [--k-meta N] [--judge judge|judge_sft]
// Plain C++ over training/ (GrmLab, run_grm_scaling); errors propagate to run_command_line.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/json_file.h"
#include "cli/progress.h"
#include "cli/stop_signals.h"
#include "cli/thousands.h"
#include "core/errors.h"
#include "training/grm/experiment.h"
#include "training/grm/lab.h"
#include "training/grm/scaling.h"
#include "training/run_store.h"

namespace tinyseek::cli {

namespace {

void set_threads(const Args& args) {
    const long long threads = args.get_int("threads", 0);
    if (threads < 0 || threads > 1024) throw UsageError("option --threads expects 0..1024");
    if (threads > 0) omp_set_num_threads(static_cast<int>(threads));
}

// A non-negative integer option that must fit an int.
int int_option(const Args& args, const std::string& name, long long lo, long long hi,
               long long fallback) {
    const long long v = args.get_int(name, fallback);
    if (v < lo || v > hi)
        throw UsageError("option --" + name + " expects " + std::to_string(lo) + ".." +
                         std::to_string(hi) + ", got " + std::to_string(v));
    return static_cast<int>(v);
}

float float_option(const Args& args, const std::string& name, double lo, double hi,
                   double fallback) {
    const double v = args.get_double(name, fallback);
    if (!(v >= lo && v <= hi))
        throw UsageError("option --" + name + " expects a number in [" + std::to_string(lo) + ", " +
                         std::to_string(hi) + "]");
    return static_cast<float>(v);
}

// The latest checkpoint of run --init-run in --db: the judge starts from a model that has
// learnt the task, as DeepSeek-GRM starts from a pretrained one.
std::string latest_checkpoint_of(const Args& args) {
    const long long run = args.get_int("init-run", 0);
    if (run <= 0) throw UsageError("option --init-run expects a run id (see: tinyseek runs list)");
    if (!args.has("db")) throw UsageError("--init-run needs --db FILE (the run's database)");
    OpenOptions options;
    options.read_only = true;
    const RunStore store(args.get("db"), options);
    const std::optional<CheckpointInfo> latest = store.latest_checkpoint(run);
    if (!latest)
        throw Error("run " + std::to_string(run) + " in " + args.get("db") +
                    " has no checkpoint to start the judge from");
    return latest->path;
}

// The lab config from `base`, --config and the knobs (each overriding the one before).
GrmLabConfig lab_config(const Args& args, GrmLabConfig c = GrmLabConfig()) {
    if (args.has("config")) {
        const std::string path = args.get("config");
        const nlohmann::json j = read_json_file(path);
        c = GrmLabConfig::from_json(j, path);
    }
    if (args.has("seed"))
        c.seed = static_cast<std::uint64_t>(int_option(args, "seed", 0, 1 << 30, 1));
    if (args.has("name")) c.name = args.get("name");
    if (args.has("init") && args.has("init-run"))
        throw UsageError("give either --init DIR or --init-run ID, not both");
    if (args.has("init")) c.init_checkpoint = args.get("init");
    if (args.has("init-run")) c.init_checkpoint = latest_checkpoint_of(args);
    if (args.has("task")) c.task = args.get("task");
    if (args.has("digits")) c.task_options.digits = int_option(args, "digits", 1, 6, 3);
    if (args.has("cold-steps")) c.cold_start.steps = int_option(args, "cold-steps", 0, 1 << 24, 0);
    if (args.has("decoys")) c.cold_start_decoys = float_option(args, "decoys", 0.0, 0.9, 0.25);
    if (args.has("rft-items")) c.rft.items = int_option(args, "rft-items", 0, 1 << 20, 0);
    if (args.has("rft-samples")) c.rft.samples = int_option(args, "rft-samples", 1, 64, 1);
    if (args.has("rft-keep")) c.rft.keep = args.get("rft-keep");
    if (args.has("rft-no-hints")) c.rft.hints = false;
    if (args.has("rft-steps")) c.rft.train.steps = int_option(args, "rft-steps", 0, 1 << 24, 0);
    if (args.has("rl-steps")) c.rl.steps = int_option(args, "rl-steps", 0, 1 << 24, 0);
    if (args.has("beta")) c.rl.beta = float_option(args, "beta", 0.0, 100.0, 0.04);
    if (args.has("rl-lr")) c.rl.lr = float_option(args, "rl-lr", 1e-8, 1.0, 5e-5);
    if (args.has("meta-items")) c.meta_rm.items = int_option(args, "meta-items", 0, 1 << 20, 0);
    if (args.has("meta-samples")) c.meta_rm.samples = int_option(args, "meta-samples", 1, 64, 8);
    if (args.has("meta-steps")) c.meta_rm.steps = int_option(args, "meta-steps", 0, 1 << 24, 0);
    if (args.has("scalar-steps"))
        c.scalar_rm.steps = int_option(args, "scalar-steps", 0, 1 << 24, 0);
    if (args.has("eval-every")) c.eval_every = int_option(args, "eval-every", 0, 1 << 24, 50);
    c.validate();
    return c;
}

// One progress line per phase: a new phase finishes the previous phase's line.
class PhaseLines {
  public:
    void update(const std::string& phase, long long done, long long total,
                const std::string& extra = "") {
        if (phase != phase_) {
            if (line_) line_->finish();
            phase_ = phase;
            line_ = std::make_unique<ProgressLine>(phase, total);
        }
        line_->update(done, extra);
    }
    void finish() {
        if (line_) line_->finish();
    }

  private:
    std::string phase_;
    std::unique_ptr<ProgressLine> line_;
};

GrmScaleConfig scale_config(const Args& args) {
    GrmScaleConfig config;
    std::vector<int> ks;
    for (long long k : args.get_int_list("k", {1, 2, 4, 8, 16, 32})) {
        if (k < 1 || k > 4096) throw UsageError("option --k expects values in 1..4096");
        ks.push_back(static_cast<int>(k));
    }
    if (!std::is_sorted(ks.begin(), ks.end()) ||
        std::adjacent_find(ks.begin(), ks.end()) != ks.end())
        throw UsageError("option --k expects strictly increasing values, e.g. 1,2,4,8");
    config.ks = ks;
    config.n = int_option(args, "n", 1, 1 << 20, 500);
    config.temperature = float_option(args, "temperature", 1e-3, 10.0, 1.0);
    config.seeds = int_option(args, "seeds", 1, 100, 1);
    config.k_meta = int_option(args, "k-meta", 0, 4096, 0);
    config.examples = int_option(args, "examples", 0, 64, 4);
    config.items_seed = static_cast<std::uint64_t>(int_option(args, "items-seed", 0, 1 << 30, 7));
    const std::string split = args.get("split", "held-out");
    if (split != "held-out" && split != "train")
        throw UsageError("option --split expects held-out or train, got '" + split + "'");
    config.split = split == "train" ? Split::train : Split::held_out;
    config.validate();
    return config;
}

// The rows of one (method, k) over the seeds.
struct SeedSpread {
    double sum = 0, lo = 1e300, hi = -1e300, tokens = 0, strict = 0;
    int n = 0;
};

const std::vector<std::string>& method_order() {
    static const std::vector<std::string> order = {"chance",  "greedy",  "voting",
                                                   "meta_rm", "ceiling", "scalar_rm"};
    return order;
}

// (position in method_order(), k) -> its spread over the seeds.
std::map<std::pair<int, int>, SeedSpread> spread_over_seeds(const GrmScaleResult& result) {
    const std::vector<std::string>& order = method_order();
    std::map<std::pair<int, int>, SeedSpread> cells;
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        const ScalingResult& r = result.rows[i];
        const int m =
            static_cast<int>(std::find(order.begin(), order.end(), r.method) - order.begin());
        SeedSpread& a = cells[{m, r.k}];
        a.sum += r.accuracy;
        a.lo = std::min(a.lo, r.accuracy);
        a.hi = std::max(a.hi, r.accuracy);
        a.tokens += r.tokens_per_item;
        a.strict += result.strict_accuracy.at(i);
        ++a.n;
    }
    return cells;
}

// One line per (method, k): mean over seeds, with the range when there are several. `seeds`
// names what the seeds are ("sampling seeds" of one judge, or "lab seeds").
void print_scaling(const GrmScaleResult& result, const GrmScaleConfig& config,
                   const GrmModels& models, std::int64_t run_id, int seeds,
                   const std::string& seeds_noun) {
    std::cout << "inference-time scaling on " << result.n_items << " "
              << (config.split == Split::train ? "train-split" : "held-out") << " judge items ("
              << models.config.task << ", temperature " << fixed(config.temperature, 2) << ", "
              << seeds << " " << seeds_noun << ")\n\n"
              << "method      k   accuracy" << (seeds > 1 ? "   (min..max)  " : "")
              << "  strict  tokens/item\n";
    for (const auto& [key, a] : spread_over_seeds(result)) {
        char line_buf[160];
        std::snprintf(line_buf, sizeof line_buf, "%-10s %2d   %.3f",
                      method_order()[key.first].c_str(), key.second, a.sum / a.n);
        std::cout << line_buf;
        if (seeds > 1)
            std::cout << (a.n > 1 ? "   (" + fixed(a.lo, 3) + ".." + fixed(a.hi, 3) + ")"
                                  : std::string(16, ' '));
        std::cout << "   " << fixed(a.strict / a.n, 3) << "  " << fixed(a.tokens / a.n, 1) << "\n";
    }
    std::cout << "\naccuracy: ties for the top broken at random (expected value); strict: the "
                 "truth alone on top\nceiling: pass@k of the samples, what a perfect pick among "
                 "k judgments would reach\nchance: a pick at random among each item's "
                 "candidates\ninvalid judgments: "
              << fixed(100.0 * result.invalid_fraction, 1) << "% of samples, "
              << fixed(100.0 * result.greedy_invalid_fraction, 1) << "% greedy; "
              << fixed(result.seconds, 0) << " s";
    if (run_id) std::cout << "; stored as run " << run_id;
    std::cout << "\n";
}

std::string yes_no(bool b) {
    return b ? "yes" : "no";
}

// Per lab seed: the stages' validation (train-split items) and the outcome on held-out items.
void print_seed_outcomes(const GrmExperimentResult& r, int k_max) {
    std::cout << "\nlab seed  val: cold   RFT         RL         | voting@" << k_max
              << " - greedy  meta>=voting (k>=8)  best@" << k_max << " > scalar\n";
    int rft = 0, rl = 0, gain = 0, meta = 0, best = 0;
    for (std::size_t i = 0; i < r.labs.size(); ++i) {
        const GrmLabSummary& s = r.labs[i];
        const GrmSeedOutcome o = r.outcome(static_cast<int>(i), k_max);
        char line[240];
        std::snprintf(line, sizeof line,
                      "%-9s      %.3f  %.3f %-5s  %.3f %-5s |  %+5.1f points     %-19s  %s\n",
                      r.dirs[i].substr(r.dirs[i].rfind("seed-") + 5).c_str(), s.val_accuracy_cold,
                      s.val_accuracy_rft, s.rft_judge_kept ? "kept" : "undone", s.val_accuracy_rl,
                      s.rl_judge_kept ? "kept" : "undone", 100.0 * o.voting_gain,
                      yes_no(o.meta_at_least).c_str(), yes_no(o.best_over_scalar).c_str());
        std::cout << line;
        rft += o.rft_raised;
        rl += o.rl_raised;
        gain += o.voting_gain >= 0.03;
        meta += o.meta_at_least;
        best += o.best_over_scalar;
    }
    const std::string of = " of " + std::to_string(r.labs.size());
    std::cout << "holds on: RFT raises validation " << rft << of << ", GRPO raises it " << rl << of
              << ", voting@" << k_max << " >= greedy + 3 points " << gain << of
              << ", meta RM >= voting at k >= 8 " << meta << of << ", the best at k = " << k_max
              << " beats the scalar RM " << best << of << "\n";
}

// Every (method, k) row per lab seed and their mean.
// "seed N" for a directory ending in seed-N, else "lab i".
std::vector<std::string> seed_labels(const std::vector<std::string>& dirs) {
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        const std::size_t at = dirs[i].rfind("seed-");
        labels.push_back(at == std::string::npos ? "lab " + std::to_string(i + 1)
                                                 : "seed " + dirs[i].substr(at + 5));
    }
    return labels;
}

// `labels` name the lab seeds (their directories' "seed-N" or their index).
void print_rows_by_seed(const GrmScaleResult& scaling, const std::vector<std::string>& labels) {
    const int seeds = static_cast<int>(labels.size());
    std::cout << "\nmethod      k";
    for (const std::string& label : labels) std::cout << "   " << label;
    std::cout << "    mean\n";
    for (const auto& [key, a] : spread_over_seeds(scaling)) {
        char head[32];
        std::snprintf(head, sizeof head, "%-10s %2d", method_order()[key.first].c_str(),
                      key.second);
        std::cout << head;
        for (int i = 0; i < seeds; ++i) {
            const ScalingResult* row = scaling.find(method_order()[key.first], key.second, i);
            std::cout << "   " << (row ? fixed(row->accuracy, 3) : std::string("  -  ")) << " ";
        }
        std::cout << "   " << fixed(a.sum / a.n, 3) << "\n";
    }
}

}  // namespace

int run_grm_train(const Args& args) {
    if (!args.has("db")) throw UsageError("missing --db FILE (the run database)");
    set_threads(args);
    const GrmLabConfig config = lab_config(args);
    const std::string db = args.get("db");
    std::string out = args.get("out");
    if (out.empty()) {
        const std::filesystem::path p(db);
        out = (p.parent_path() / (p.stem().string() + "-grm-seed" + std::to_string(config.seed)))
                  .string();
    }
    GrmLab lab(config, db, out);
    const auto stage_note = [](bool kept) {
        return kept ? std::string() : std::string(" (lowered it: undone)");
    };
    PhaseLines lines;
    lab.set_progress_callback(
        [&](const GrmLabProgress& p) { lines.update(p.phase, p.done, p.total, p.detail); });
    const GrmLabSummary s = lab.run();
    lines.finish();
    if (args.has("json")) {
        nlohmann::json j = s.to_json();
        j["out"] = out;
        j["db"] = db;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::cout << "reward-model lab run " << s.run_id << " in " << fixed(s.seconds, 0) << " s -> "
              << out << "\n"
              << "  judge validation accuracy (greedy, train-split items): cold start "
              << fixed(s.val_accuracy_cold, 3) << ", after RFT " << fixed(s.val_accuracy_rft, 3)
              << stage_note(s.rft_judge_kept) << ", after RL " << fixed(s.val_accuracy_rl, 3)
              << stage_note(s.rl_judge_kept)
              << "; the judge kept: " << fixed(s.val_accuracy_final, 3) << "\n"
              << "  RFT: " << s.rft_right << " of " << s.rft_sampled << " sampled judgments right ("
              << s.rft_right_critiques << " of them with the worked critique, "
              << s.rft_right_traces << " the worked trace word for word; " << s.rft_rounds
              << (s.rft_rounds == 1 ? " round" : " rounds") << "), " << s.rft_kept << " kept, "
              << s.rft_hinted << " of them hints, " << s.rft_items_dropped
              << " items dropped (all samples right), " << s.rft_steps << " fine-tuning steps\n"
              << "  meta RM: " << s.meta_examples << " judgments ("
              << fixed(100.0 * s.meta_positive_fraction, 1) << "% right), validation accuracy "
              << fixed(s.meta_val_accuracy, 3) << "\n"
              << "  scalar RM: validation accuracy " << fixed(s.scalar_val_accuracy, 3) << "\n"
              << "next: tinyseek grm scale --model " << out << " --db " << db << "\n";
    return 0;
}

// Several labs' judges (--model A,B,C) on the same held-out items, the band over them.
int run_grm_scale_labs(const Args& args, const std::vector<std::string>& dirs) {
    if (args.has("judge")) throw UsageError("--judge applies to one --model only");
    const GrmScaleConfig config = scale_config(args);
    PhaseLines lines;
    std::unique_ptr<RunStore> store;
    if (args.has("db")) store = std::make_unique<RunStore>(args.get("db"));
    std::int64_t run_id = 0;
    const GrmScaleResult result =
        scale_labs(dirs, config, store.get(), &run_id, [&](int i, const GrmScaleProgress& p) {
            lines.update("lab " + std::to_string(i + 1) + ": " + p.phase, p.done, p.total);
        });
    lines.finish();
    if (args.has("json")) {
        nlohmann::json j = result.to_json();
        j["config"] = config.to_json();
        j["models"] = dirs;
        if (run_id) j["run_id"] = run_id;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    const GrmModels first = GrmModels::load(dirs.front());
    print_scaling(result, config, first, run_id, static_cast<int>(dirs.size()), "lab seeds");
    print_rows_by_seed(result, seed_labels(dirs));
    return 0;
}

int run_grm_scale(const Args& args) {
    if (!args.has("model"))
        throw UsageError("missing --model DIR (the output directory of `tinyseek grm train`)");
    set_threads(args);
    const std::vector<std::string> dirs = args.get_list("model", {});
    if (dirs.size() > 1) return run_grm_scale_labs(args, dirs);
    const GrmScaleConfig config = scale_config(args);
    GrmModels models = GrmModels::load(args.get("model"), args.get("judge", "judge"));
    PhaseLines lines;
    const GrmScaleResult result = run_grm_scaling(
        models, config, [&](const GrmScaleProgress& p) { lines.update(p.phase, p.done, p.total); });
    lines.finish();
    std::int64_t run_id = 0;
    if (args.has("db")) {
        RunStore store(args.get("db"));
        run_id = store_grm_scaling(store, result, config, models);
    }
    if (args.has("json")) {
        nlohmann::json j = result.to_json();
        j["config"] = config.to_json();
        j["model"] = models.dir;
        if (run_id) j["run_id"] = run_id;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    print_scaling(result, config, models, run_id, config.seeds,
                  config.seeds == 1 ? "sampling seed" : "sampling seeds");
    return 0;
}

int run_grm_experiment(const Args& args) {
    if (!args.has("db")) throw UsageError("missing --db FILE (the run database)");
    set_threads(args);
    GrmExperimentConfig config;
    config.lab = lab_config(args, GrmExperimentConfig::default_lab());
    config.scale = scale_config(args);
    config.lab_seeds = int_option(args, "lab-seeds", 1, 100, 3);
    const std::string db = args.get("db");
    std::string out = args.get("out");
    if (out.empty()) {
        const std::filesystem::path p(db);
        out = (p.parent_path() / (p.stem().string() + "-grm-experiment")).string();
    }
    StopSignals signals;
    std::atomic<bool> cancel{false};
    PhaseLines lines;
    const GrmExperimentResult r = run_grm_experiment(
        config, db, out,
        [&](const GrmExperimentProgress& p) {
            if (stop_signal() != 0) cancel.store(true);
            lines.update("lab seed " + std::to_string(p.lab_index + 1) + "/" +
                             std::to_string(p.lab_seeds) + ": " + p.phase,
                         p.done, p.total, p.detail);
        },
        &cancel);
    lines.finish();
    if (args.has("json")) {
        nlohmann::json j = r.scaling.to_json();
        j["labs"] = nlohmann::json::array();
        for (const GrmLabSummary& s : r.labs) j["labs"].push_back(s.to_json());
        j["dirs"] = r.dirs;
        j["run_id"] = r.run_id;
        j["seconds"] = r.seconds;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::cout << "reward-model experiment: " << config.lab_seeds << " lab seeds in "
              << fixed(r.seconds, 0) << " s -> " << out << "\n";
    const GrmModels first = GrmModels::load(r.dirs.front());
    print_scaling(r.scaling, config.scale, first, r.run_id, config.lab_seeds, "lab seeds");
    print_rows_by_seed(r.scaling, seed_labels(r.dirs));
    print_seed_outcomes(r, config.scale.ks.back());
    return 0;
}

}  // namespace tinyseek::cli
