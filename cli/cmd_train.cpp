// Training commands (docs/ARCHITECTURE.md "Command line"):
//   tinyseek train --db FILE [--config FILE] [--task NAME] [--pipeline sft,grpo]
//                  [--sft-steps N] [--grpo-steps N] [--cold-start-pool N] [--styles LIST]
//                  [--control sft]
//                  [--out DIR] [--seed N] [--threads N] [--lr X] [--grpo-lr X] [--beta X]
//                  [--group-size N] [--temperature T] [--eval-n N] [--name S]
//                  [--speculative-rollouts] [--no-mtp]
//                  [--checkpoint-every N] [--checkpoint-every-seconds S] [--checkpoint-keep N]
//                  [--json]
//   tinyseek train --db FILE --resume RUN_ID [--json]
//   tinyseek eval --model DIR [--task NAME] [--n 500] [--temperature T] [--bucket-min 20]
//                 [--json]
//   tinyseek passk --model DIR [--problems 100] [--samples 64] [--k 1,2,4,...] [--temperature 1]
//   tinyseek passk --db FILE --run ID [--step N] [...]   (measures and stores the run's curve)
// The flags override the --config file, which overrides the defaults of TrainConfig.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/json_file.h"
#include "cli/thousands.h"
#include "cli/train_runner.h"
#include "core/checkpoint.h"
#include "core/errors.h"
#include "core/sampler.h"
#include "training/difficulty.h"
#include "training/evaluator.h"
#include "training/pass_at_k.h"
#include "training/run_checkpoints.h"
#include "training/run_loop.h"
#include "training/run_pass_at_k.h"
#include "training/run_store.h"
#include "training/speculation_eval.h"
#include "training/task.h"

namespace tinyseek::cli {

namespace {

// Flags that change the configuration; --resume continues with the stored one instead.
const std::vector<std::string> kConfigFlags = {
    "config",
    "task",
    "pipeline",
    "sft-steps",
    "grpo-steps",
    "cold-start-pool",
    "styles",
    "control",
    "out",
    "seed",
    "threads",
    "lr",
    "grpo-lr",
    "beta",
    "name",
    "eval-n",
    "group-size",
    "temperature",
    "speculative-rollouts",
    "no-mtp",
    "precision",
    "fp8-tile",
    "fp8-scaling",
    "fp8-grad-format",
    "fp8-accumulator",
    "fp8-promote-every",
    "fp8-moments",
};
const std::vector<std::string> kCheckpointFlags = {"checkpoint-every", "checkpoint-every-seconds",
                                                   "checkpoint-keep"};

std::string known_tasks() {
    std::string out;
    for (const std::string& t : task_names()) {
        if (!out.empty()) out += ", ";
        out += t;
    }
    return out;
}

void check_task(const std::string& name, const std::string& option) {
    for (const std::string& t : task_names())
        if (t == name) return;
    throw UsageError("option --" + option + ": unknown task '" + name +
                     "' (known: " + known_tasks() + ")");
}

long long positive_int(const Args& args, const std::string& name, long long min) {
    const long long v = args.get_int(name, 0);
    if (v < min)
        throw UsageError("option --" + name + " expects an integer >= " + std::to_string(min) +
                         ", got " + args.get(name));
    return v;
}

float number(const Args& args, const std::string& name) {
    return static_cast<float>(args.get_double(name, 0.0));
}

// The value of option `name`, one of two words (a usage error names both otherwise).
std::string one_of(const Args& args, const std::string& name, const std::string& a,
                   const std::string& b) {
    const std::string v = args.get(name);
    if (v != a && v != b)
        throw UsageError("option --" + name + " expects '" + a + "' or '" + b + "', got '" + v +
                         "'");
    return v;
}

// --precision and the FP8 recipe's ablations (core/fp8_training.h).
void apply_precision_flags(const Args& args, TrainConfig& c) {
    if (args.has("precision")) c.precision = one_of(args, "precision", "fp32", "fp8");
    if (args.has("fp8-tile")) c.fp8.tile = static_cast<int>(positive_int(args, "fp8-tile", 1));
    if (args.has("fp8-scaling"))
        c.fp8.per_tensor = one_of(args, "fp8-scaling", "tiles", "tensor") == "tensor";
    if (args.has("fp8-grad-format"))
        c.fp8.grad_format = fp8_format_from_string(one_of(args, "fp8-grad-format", "e4m3", "e5m2"));
    if (args.has("fp8-accumulator"))
        c.fp8.limited_accumulator = one_of(args, "fp8-accumulator", "fp32", "limited") == "limited";
    if (args.has("fp8-promote-every")) {
        const long long n = args.get_int("fp8-promote-every", 128);
        if (n < 0 || n > 65536)
            throw UsageError("option --fp8-promote-every expects 0 (never) .. 65536, got " +
                             std::to_string(n));
        c.fp8.promote_every = static_cast<int>(n);
    }
    if (args.has("fp8-moments"))
        c.fp8.bf16_moments = one_of(args, "fp8-moments", "fp32", "bf16") == "bf16";
}

// --styles worked=1,direct=1[,partial=S][,search=S][,partial_steps=K]: the cold-start mixture;
// the shares not named are 0, partial_steps keeps the config's unless named.
StyleMix style_mix(const Args& args, const StyleMix& base) {
    nlohmann::json j = {{"worked", 0.0},
                        {"partial", 0.0},
                        {"search", 0.0},
                        {"direct", 0.0},
                        {"partial_steps", base.partial_steps}};
    for (const std::string& item : args.get_list("styles", {})) {
        const auto eq = item.find('=');
        const std::string key = item.substr(0, eq);
        if (eq == std::string::npos || !j.contains(key))
            throw UsageError(
                "option --styles expects NAME=SHARE items of worked, partial, search, "
                "direct (and partial_steps=K), e.g. --styles worked=1,direct=1; "
                "got '" +
                item + "'");
        const std::string value = item.substr(eq + 1);
        const bool whole = key == "partial_steps";
        double v = 0.0;
        std::size_t used = 0;
        try {
            v = std::stod(value, &used);
        } catch (const std::logic_error&) {
            used = 0;
        }
        // A whole number must also fit before it is cast (partial_steps is checked to 1..64).
        if (used == 0 || used != value.size() ||
            (whole && (v != std::floor(v) || std::abs(v) > 1e9)))
            throw UsageError("option --styles: '" + key + "' expects " +
                             (whole ? "a whole number" : "a number") + ", got '" + value + "'");
        j[key] = whole ? nlohmann::json(static_cast<long long>(v)) : nlohmann::json(v);
    }
    try {
        return StyleMix::from_json(j, "option --styles");
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
}

TrainConfig config_from_args(const Args& args) {
    TrainConfig c;
    if (args.has("config")) {
        const std::string path = args.get("config");
        c = TrainConfig::from_json(read_json_file(path), path);
    }
    if (args.has("task")) {
        check_task(args.get("task"), "task");
        c.task = args.get("task");
    }
    if (args.has("pipeline")) {
        c.pipeline.clear();
        for (const std::string& s : args.get_list("pipeline", {})) {
            if (s != "sft" && s != "grpo")
                throw UsageError("option --pipeline: unknown stage '" + s +
                                 "' (stages: sft, grpo; e.g. --pipeline sft,grpo)");
            c.pipeline.push_back(parse_stage(s));
        }
    }
    if (args.has("sft-steps")) c.sft.steps = positive_int(args, "sft-steps", 1);
    if (args.has("grpo-steps")) c.grpo.steps = positive_int(args, "grpo-steps", 1);
    if (args.has("cold-start-pool"))
        c.sft.cold_start_pool = static_cast<int>(positive_int(args, "cold-start-pool", 0));
    if (args.has("styles")) c.task_options.styles = style_mix(args, c.task_options.styles);
    if (args.has("control")) {
        const std::string v = args.get("control");
        if (v != "sft" && v != "none")
            throw UsageError("option --control expects 'sft' (or 'none'), got '" + v + "'");
        c.control = v == "sft" ? "sft" : "";
    }
    if (args.has("out")) c.out_dir = args.get("out");
    if (args.has("seed")) c.seed = static_cast<std::uint64_t>(positive_int(args, "seed", 0));
    if (args.has("threads")) c.threads = static_cast<int>(positive_int(args, "threads", 0));
    if (args.has("lr")) c.sft.lr = number(args, "lr");
    if (args.has("grpo-lr")) c.grpo.lr = number(args, "grpo-lr");
    if (args.has("beta")) c.grpo.beta = number(args, "beta");
    if (args.has("group-size")) c.grpo.group_size = static_cast<int>(args.get_int("group-size", 0));
    if (args.has("temperature")) c.grpo.temperature = number(args, "temperature");
    if (args.has("eval-n")) c.eval.n = static_cast<int>(positive_int(args, "eval-n", 0));
    if (args.has("name")) c.name = args.get("name");
    if (args.has("speculative-rollouts")) c.grpo.speculative_rollouts = true;
    if (args.has("no-mtp")) c.model.num_nextn_predict_layers = 0;
    apply_precision_flags(args, c);
    if (args.has("checkpoint-every"))
        c.checkpoint_every = positive_int(args, "checkpoint-every", 0);
    if (args.has("checkpoint-every-seconds"))
        c.checkpoint_every_seconds = positive_int(args, "checkpoint-every-seconds", 0);
    if (args.has("checkpoint-keep")) c.checkpoint_keep = positive_int(args, "checkpoint-keep", 0);
    // --lr above the default floor of the cosine would be refused; keep the ratio instead.
    if (args.has("lr") && c.sft.min_lr > c.sft.lr) c.sft.min_lr = c.sft.lr / 10.0f;
    c.validate();
    return c;
}

// What a resume is about to do, before the progress line: which steps are trained again.
void say_where_it_resumes(std::int64_t id, const ResumePoint& point) {
    const std::string run = "run " + std::to_string(id);
    const std::string redo = point.stored_after == 0
                                 ? ""
                                 : "; the " + grouped(point.stored_after) + " step" +
                                       (point.stored_after == 1 ? "" : "s") +
                                       " stored after it are deleted and trained again";
    if (point.checkpoint.empty())
        std::cerr << run << " has no checkpoint: training it again from step 0 with its stored "
                  << "configuration" << redo << "\n";
    else
        std::cerr << run << ": resuming from the checkpoint at step " << grouped(point.step) << " ("
                  << point.checkpoint << ")" << redo << "\n";
}

}  // namespace

int run_train(const Args& args) {
    if (!args.has("db")) throw UsageError("missing --db FILE (the run database to write)");
    const std::string db = args.get("db");
    const bool json = args.has("json");
    if (args.has("resume")) {
        for (const auto* flags : {&kConfigFlags, &kCheckpointFlags})
            for (const std::string& flag : *flags)
                if (args.has(flag))
                    throw UsageError(
                        "--resume continues with the run's stored configuration; "
                        "drop --" +
                        flag);
        const long long id = positive_int(args, "resume", 1);
        RunLoop loop = RunLoop::resume(db, id);
        if (loop.resume_point()) say_where_it_resumes(id, *loop.resume_point());
        return drive_run(loop, db, json, std::cout).exit_code;
    }
    RunLoop loop(config_from_args(args), db);
    return drive_run(loop, db, json, std::cout).exit_code;
}

namespace {

// eval --draft-acceptance: greedy speculative decoding of the problems just evaluated.
SpeculationEval measure_drafts(const Checkpoint& ck, const CheckpointTask& task, int problems,
                               long long seed, long long max_new) {
    SpeculationEvalOptions options;
    options.prompts = problems;
    options.seed = static_cast<std::uint64_t>(seed);
    options.max_new_tokens = static_cast<int>(max_new);
    return evaluate_speculation(ck.params, ck.tokenizer, task, options);
}

void add_drafts(nlohmann::json& j, const SpeculationEval& drafts) {
    const SpeculationStats& s = drafts.measurement.stats;
    j["drafts"] = s.drafted;
    j["drafts_accepted"] = s.accepted;
    j["draft_acceptance"] = s.acceptance_rate();
    j["tokens_per_forward"] = drafts.measurement.tokens_per_forward();
}

void print_drafts(const SpeculationEval& drafts) {
    const SpeculationStats& s = drafts.measurement.stats;
    char line[256];
    std::snprintf(line, sizeof line,
                  "MTP draft (greedy speculative decoding of the same problems): %.1f%% of %ld "
                  "drafts accepted, %.2f tokens per main-model forward\n",
                  100.0 * s.acceptance_rate(), s.drafted, drafts.measurement.tokens_per_forward());
    std::cout << line;
}

}  // namespace

namespace {

// What eval and passk measure: the checkpoint of --model and the task it is evaluated on (the
// one it was trained on, with its options, unless --task says otherwise).
struct EvalTarget {
    std::string dir;
    Checkpoint ck;
    std::string task_name;
    TaskOptions options;
    std::unique_ptr<Task> task;
};

EvalTarget load_eval_target(const Args& args, const std::string& dir) {
    EvalTarget t;
    t.dir = dir;
    if (!is_checkpoint_dir(t.dir))
        throw CheckpointError("'" + t.dir +
                              "' is not a checkpoint directory (expected config.json and "
                              "model.safetensors in it)");
    CheckpointLoadOptions load;
    load.optimizer = false;
    t.ck = load_checkpoint(t.dir, load);
    CheckpointTask trained_on = checkpoint_task(t.ck.metadata, t.dir);
    t.task_name = trained_on.name;
    t.options = trained_on.options;
    if (args.has("task")) {
        check_task(args.get("task"), "task");
        if (args.get("task") != t.task_name) t.options = TaskOptions();
        t.task_name = args.get("task");
    }
    t.task = make_task(t.task_name, t.options);
    return t;
}

EvalTarget load_eval_target(const Args& args) {
    if (!args.has("model")) throw UsageError("missing --model DIR (a checkpoint directory)");
    return load_eval_target(args, args.get("model"));
}

// passk --db FILE --run ID [--step N]: the run's checkpoint at N (default: its latest), where
// the curve is stored after it is measured.
struct StoredTarget {
    std::unique_ptr<RunStore> store;  // open for writing (an older file migrates first)
    std::int64_t run = 0;
    CheckpointInfo checkpoint;
};

std::optional<StoredTarget> stored_target(const Args& args) {
    if (!args.has("db")) {
        if (args.has("run") || args.has("step"))
            throw UsageError("options --run and --step need --db FILE");
        return std::nullopt;
    }
    if (args.has("model") || args.has("task"))
        throw UsageError(
            "--db FILE --run ID measures the run's checkpoint on its own task: "
            "give neither --model nor --task with it");
    StoredTarget t{std::make_unique<RunStore>(args.get("db")), args.get_int("run", 0), {}};
    if (t.run < 1) throw UsageError("option --run expects a run id >= 1 (see: tinyseek runs list)");
    std::optional<std::int64_t> step;
    if (args.has("step")) step = args.get_int("step", -1);
    try {
        t.checkpoint = run_checkpoint(*t.store, t.run, step);
    } catch (const StoreError&) {
        throw;  // a missing run or an unreadable file: the store's own message and exit code
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    return t;
}

double temperature_option(const Args& args, double fallback) {
    const double temperature = args.get_double("temperature", fallback);
    if (!(temperature >= 0.0) || temperature > 10.0)
        throw UsageError("option --temperature expects a number in [0, 10] (0 = greedy)");
    return temperature;
}

int bucket_min_option(const Args& args) {
    const long long n = args.get_int("bucket-min", 20);
    if (n < 0 || n > 10'000) throw UsageError("option --bucket-min expects 0..10000");
    return static_cast<int>(n);
}

// Accuracy by difficulty of an evaluation: its problems' buckets, with the rare buckets topped
// up to `bucket_min` problems as a training run's evaluations do (training/difficulty.h).
BucketTallies bucket_accuracy(const Checkpoint& ck, const Task& task, Split split,
                              const std::vector<Problem>& set, const EvalResult& r,
                              const SamplingParams& sampling, long long seed, long long max_new,
                              int bucket_min) {
    if (bucket_min == 0) return {};
    BucketTallies buckets = r.buckets;
    evaluate_top_up(
        ck.params, ck.tokenizer, task,
        difficulty_top_up(task, set, bucket_min, static_cast<std::uint64_t>(seed) + 1, split),
        sampling, static_cast<std::uint64_t>(seed), static_cast<int>(max_new), buckets);
    return buckets;
}

}  // namespace

int run_eval(const Args& args) {
    const int problems = args.has("n") ? static_cast<int>(positive_int(args, "n", 1)) : 500;
    const double temperature = temperature_option(args, 0.0);
    const long long max_new = args.has("max-new") ? positive_int(args, "max-new", 1) : 64;
    const long long seed = args.has("seed") ? positive_int(args, "seed", 0) : 7;
    const EvalTarget target = load_eval_target(args);
    const std::string& dir = target.dir;
    const Checkpoint& ck = target.ck;
    const std::string& task_name = target.task_name;
    const TaskOptions& options = target.options;
    const Task* task = target.task.get();
    const Split split = parse_split(args.get("split", "held_out"), "option --split");
    const std::vector<Problem> set = evaluation_set(
        *task, split, static_cast<std::size_t>(problems), static_cast<std::uint64_t>(seed));
    SamplingParams sampling;
    sampling.temperature = static_cast<float>(temperature);
    const auto t0 = std::chrono::steady_clock::now();
    const EvalResult r = evaluate(ck.params, ck.tokenizer, *task, set, sampling,
                                  static_cast<std::uint64_t>(seed), static_cast<int>(max_new));
    const BucketTallies buckets =
        bucket_accuracy(ck, *task, split, set, r, sampling, seed, max_new, bucket_min_option(args));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::optional<SpeculationEval> drafts;
    if (args.has("draft-acceptance"))
        drafts = measure_drafts(ck, {task_name, options}, problems, seed, max_new);
    if (args.has("json")) {
        nlohmann::json j = {{"model", dir},
                            {"task", task_name},
                            {"task_options", options.to_json()},
                            {"n", r.n},
                            {"split", to_string(split)},
                            {"seed", seed},
                            {"temperature", temperature},
                            {"max_new_tokens", max_new},
                            {"accuracy", r.accuracy},
                            {"format", r.format},
                            {"mean_length", r.mean_length},
                            {"malformed", r.malformed},
                            {"seconds", seconds}};
        if (drafts) add_drafts(j, *drafts);
        for (const auto& [label, t] : buckets)
            j["buckets"][label] = {{"n", t.n}, {"accuracy", t.accuracy()}};
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    char decoding[64] = "greedy";
    if (temperature > 0) std::snprintf(decoding, sizeof decoding, "temperature %g", temperature);
    char line[512];
    std::snprintf(line, sizeof line,
                  "%s on %d %s %s problems (%s, seed %lld): accuracy %.1f%%, "
                  "well-formed %.1f%%, malformed %lld, %.1f tokens per answer, %.1fs\n",
                  dir.c_str(), r.n, evaluation_set_name(split), task_name.c_str(), decoding, seed,
                  100.0 * r.accuracy, 100.0 * r.format, static_cast<long long>(r.malformed),
                  r.mean_length, seconds);
    std::cout << line;
    if (!buckets.empty()) {
        std::printf("%-20s %6s %9s\n", "bucket", "n", "accuracy");
        for (const auto& [label, t] : buckets)
            std::printf("%-20s %6d %8.1f%%\n", label.c_str(), t.n, 100.0 * t.accuracy());
    }
    if (drafts) print_drafts(*drafts);
    return 0;
}

// passk: pass@k and maj@k of a checkpoint on held-out problems (training/pass_at_k.h).
int run_passk(const Args& args) {
    PassAtKSettings settings;
    if (args.has("problems"))
        settings.problems = static_cast<int>(positive_int(args, "problems", 1));
    if (args.has("samples")) settings.samples = static_cast<int>(positive_int(args, "samples", 1));
    settings.temperature = temperature_option(args, 1.0);
    if (args.has("max-new"))
        settings.max_new_tokens = static_cast<int>(positive_int(args, "max-new", 1));
    const long long seed = args.has("seed") ? positive_int(args, "seed", 0) : 7;
    settings.seed = static_cast<std::uint64_t>(seed);
    settings.ks.clear();
    for (long long k : args.get_int_list("k", {1, 2, 4, 8, 16, 32, 64})) {
        if (k < 1 || k > settings.samples)
            throw UsageError("option --k: every k must be in [1, --samples = " +
                             std::to_string(settings.samples) + "], got " + std::to_string(k));
        settings.ks.push_back(static_cast<int>(k));
    }
    const std::optional<StoredTarget> stored = stored_target(args);
    const EvalTarget target =
        stored ? load_eval_target(args, stored->checkpoint.path) : load_eval_target(args);
    const auto t0 = std::chrono::steady_clock::now();
    const PassAtKCurve curve = measure_pass_at_k(target.ck, *target.task, settings);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (stored)
        stored->store->add_pass_at_k(
            stored_pass_at_k(stored->run, stored->checkpoint.step, settings, curve));
    if (args.has("json")) {
        nlohmann::json j = {{"model", target.dir},
                            {"task", target.task_name},
                            {"problems", curve.problems},
                            {"samples", curve.samples},
                            {"temperature", settings.temperature},
                            {"seed", seed},
                            {"k", curve.ks},
                            {"pass_at_k", curve.pass},
                            {"maj_at_k", curve.majority},
                            {"seconds", seconds}};
        if (stored) {
            j["db"] = stored->store->path();
            j["run"] = stored->run;
            j["step"] = stored->checkpoint.step;
        }
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::printf(
        "%s: %d held-out %s problems, %d samples each at temperature %g (seed %lld), "
        "%.1fs\n",
        target.dir.c_str(), curve.problems, target.task_name.c_str(), curve.samples,
        settings.temperature, seed, seconds);
    std::printf("%6s %8s %8s\n", "k", "pass@k", "maj@k");
    for (std::size_t i = 0; i < curve.ks.size(); ++i)
        std::printf("%6d %7.1f%% %7.1f%%\n", curve.ks[i], 100.0 * curve.pass[i],
                    100.0 * curve.majority[i]);
    if (stored)
        std::printf("stored as the pass@k curve of run %lld step %lld in %s\n",
                    static_cast<long long>(stored->run),
                    static_cast<long long>(stored->checkpoint.step), stored->store->path().c_str());
    return 0;
}

}  // namespace tinyseek::cli
