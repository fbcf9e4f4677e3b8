// Writes the seed files committed under fuzz/corpus/<target>/, each made by the code that
// writes such a file in the program, so every seed starts out valid: safetensors files,
// config.json and tokenizer.json, training and lab configs, judge completions, task
// completions and run databases. Usage: fuzz_make_seeds CORPUS_DIR. Seeds stay small so that
// mutations are cheap: the small fuzz config instead of the tiny preset, and run databases
// compacted to 512-byte pages. (The training configs in assets/experiments/ are copied in by
// hand as further train_config seeds.)
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/param_store.h"
#include "core/safetensors.h"
#include "core/tokenizer.h"
#include "fuzz/fuzz_configs.h"
#include "training/grm/format.h"
#include "training/grm/lab_config.h"
#include "training/run_store.h"
#include "training/task_arithmetic.h"
#include "training/train_config.h"

using namespace tinyseek;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

void write_json_seeds(const fs::path& corpus) {
    write(corpus / "model_config" / "tiny.json", ModelConfig::preset("tiny").to_json().dump(2));
    write(corpus / "model_config" / "small.json", fuzz_small_config().to_json().dump(2));
    write(corpus / "model_config" / "deepseek-v3.json",
          ModelConfig::preset("deepseek-v3").to_json().dump(2));
    write(corpus / "tokenizer" / "default.json", Tokenizer().to_json().dump(2));
    write(corpus / "tokenizer" / "digits.json", Tokenizer("0123456789+=").to_json().dump(2));
    write(corpus / "train_config" / "default.json", TrainConfig().to_json().dump(2));
    TrainConfig grpo;
    grpo.task = "countdown";
    grpo.pipeline = {Stage::grpo};
    write(corpus / "train_config" / "countdown_grpo.json", grpo.to_json().dump());
    write(corpus / "lab_config" / "default.json", GrmLabConfig().to_json().dump(2));
}

// Byte 0: the number of candidates plus one (fuzz_judgment's encoding), then a judge's
// completion: the worked trace of items with 2, 3 and 4 candidates.
void write_judgment_seeds(const fs::path& dir) {
    const AdditionTask task{TaskOptions{}};
    for (int n = 2; n <= kMaxJudgeCandidates; ++n) {
        Rng rng(n);
        const Problem p = task.sample(Split::train, rng);
        const std::string trace = judge_trace(make_judge_item(task, p, n, rng));
        write(dir / ("trace_" + std::to_string(n) + ".txt"), std::string(1, char(n + 1)) + trace);
    }
}

// Byte 0: the task's index in task_names(), byte 1: the problem's seed (fuzz_task_answers'
// encoding), then the worked trace that problem's task writes.
void write_task_seeds(const fs::path& dir) {
    const std::vector<std::string> names = task_names();
    for (std::size_t i = 0; i < names.size(); ++i) {
        const char seed = 3;
        Rng rng(seed);
        const Problem p = make_task(names[i])->sample(Split::held_out, rng);
        write(dir / (names[i] + ".txt"), std::string{char(i), seed} + p.trace);
    }
}

void write_safetensors_seeds(const fs::path& dir) {
    ParamStore small(fuzz_small_config());
    init_params(small, 1);
    write(dir / "small_model.safetensors",
          serialize_safetensors(tensor_refs(small), {{"format", "pt"}}));
    write(dir / "empty.safetensors", serialize_safetensors({}, {}));
    write(dir / "metadata_only.safetensors", serialize_safetensors({}, {{"step", "3"}}));
    const float x[2] = {1.0f, -2.0f};
    const std::vector<TensorRef> refs = {{"z", {0, 3}, nullptr}, {"x", {2, 1}, x}};
    write(dir / "zero_sized.safetensors", serialize_safetensors(refs, {}));
}

// One run with two steps holding every kind of row: metrics (a NaN among them), expert
// matrices, a rollout, a checkpoint and a scaling result.
void fill_store(const std::string& path) {
    RunStore store(path);
    const std::int64_t run = store.create_run({"seed run", "grpo", R"({"task":"addition"})"});
    for (std::int64_t step = 1; step <= 2; ++step) {
        StepReport r;
        r.run_id = run;
        r.step = step;
        r.wall_time = 0.5 * double(step);
        r.stage = Stage::grpo;
        r.scalars = {{metric::kLoss, 1.0 / double(step)}, {metric::kKl, std::nan("")}};
        r.expert_load = ExpertMatrix({1}, 2, 0.5f);
        r.router_bias = ExpertMatrix({1}, 2, -0.001f);
        r.gate_weight = ExpertMatrix({1}, 2, 0.25f);
        RolloutSample sample;
        sample.prompt = "1+2=";
        sample.completion = "<think>1+2</think><answer>3</answer>";
        sample.reward = {1, 1, 1.1, false};
        sample.advantage = 0.5;
        sample.length = 3;
        sample.group = 0;
        sample.member = 0;
        sample.tokens = {{5, 12, 6}, {-0.5f, -0.25f, -0.125f}, {0.5f, 1.0f, 0.25f}};
        sample.mean_logprob = -0.875 / 3;
        sample.mean_entropy = 1.75 / 3;
        r.rollouts.push_back(sample);
        store.append_step(r);
    }
    store.add_checkpoint(run, 2, "runs-checkpoints/run-1/step-2");
    store.add_scaling_result({run, "voting", 4, 0.75, 120.0, 7, 16});
    store.finish(run, RunStatus::completed);
}

// Rewrites the file with 512-byte pages and a rollback journal (a WAL file cannot change its
// page size), so the whole database is a few KB.
void compact(const std::string& path) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=DELETE; PRAGMA page_size=512; VACUUM;", nullptr, nullptr,
                 nullptr);
    sqlite3_close(db);
}

void write_run_store_seeds(const fs::path& dir) {
    const std::string full = (dir / "one_run.db").string();
    fs::remove(full);
    fill_store(full);
    compact(full);
    const std::string empty = (dir / "empty_store.db").string();
    fs::remove(empty);
    RunStore{empty};
    compact(empty);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    const fs::path corpus = argv[1];
    for (const char* target : {"safetensors", "model_config", "tokenizer", "train_config",
                               "lab_config", "judgment", "task_answers", "run_store"})
        fs::create_directories(corpus / target);
    write_safetensors_seeds(corpus / "safetensors");
    write_json_seeds(corpus);
    write_judgment_seeds(corpus / "judgment");
    write_task_seeds(corpus / "task_answers");
    write_run_store_seeds(corpus / "run_store");
    std::printf("wrote the seeds under %s\n", corpus.c_str());
    return 0;
}
