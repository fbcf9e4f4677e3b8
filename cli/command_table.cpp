// The table of headless commands, in the order `tinyseek --help` lists them. Add a command by
// declaring its function in commands.h and adding one entry here (a command that needs Qt is
// added from the Qt side with add_command()).
#include <utility>

#include "cli/commands.h"

namespace tinyseek::cli {

namespace {

// function-length: data table
std::vector<Command> headless_commands() {
    return {
        {"demo",
         "show the bundled tiny model, then train it for a few minutes (no display needed)",
         {{"db", "FILE", "run database (default: the workbench's, in the user's data directory)"},
          {"config", "FILE", "training config JSON instead of the default pipeline"}},
         run_demo},
        {"model-info",
         "print a model's config and its parameter count per group (total and active)",
         {{"preset", "NAME", "tiny (default), deepseek-v2 or deepseek-v3"},
          {"config", "FILE", "read this config.json instead of a preset"},
          {"json", "", "one JSON document on stdout"}},
         run_model_info},
        {"init",
         "write a randomly initialised checkpoint directory (config, weights, tokenizer)",
         {{"preset", "NAME", "model preset (default tiny)"},
          {"config", "FILE", "use this config.json instead of a preset"},
          {"out", "DIR", "checkpoint directory to create"},
          {"seed", "N", "initialisation seed (default 0)"},
          {"force", "", "replace an existing checkpoint directory"}},
         run_init},
        {"kv-report",
         "KV-cache bytes per token for MHA, GQA, MQA and MLA from the config formula",
         {{"preset", "NAME", "tiny (default), deepseek-v2 or deepseek-v3"},
          {"config", "FILE", "read this config.json instead of a preset"},
          {"dtype", "TYPE", "cache element type: fp32, bf16 (default) or fp8"},
          {"seq", "N", "tokens per sequence (default max_position_embeddings)"},
          {"gqa-heads", "N", "KV heads of the GQA row (default: config or stated assumption)"},
          {"include-mtp", "", "count the MTP block's cache as one more layer"},
          {"budget-gib", "X", "also show the largest batch whose caches fit in X GiB"},
          {"json", "", "one JSON document on stdout"}},
         run_kv_report},
        {"logits",
         "print the model's logits at every position of a text (through the KV-cache path)",
         {{"model", "DIR", "checkpoint directory (from init or training)"},
          {"text", "STR", "input text; special tags such as <bos> become their tokens"},
          {"cache", "MODE", "latent (default for MLA) or expanded"},
          {"json", "", "one JSON document: {\"tokens\": [...], \"logits\": [[...], ...]}"}},
         run_logits},
        {"generate",
         "continue a prompt with the model (KV cache; stops at <eos> or --max-new)",
         {{"model", "DIR", "checkpoint directory (from init or training)"},
          {"prompt", "STR", "prompt text; special tags such as <bos> become their tokens"},
          {"max-new", "N", "most tokens to generate (default 64)"},
          {"temperature", "T", "sampling temperature, 0 = greedy (default 1)"},
          {"top-k", "K", "sample from the K most likely tokens (default 0 = off)"},
          {"top-p", "P", "sample from the smallest set with mass >= P (default 1 = off)"},
          {"seed", "N", "random seed (default 0)"},
          {"cache", "MODE", "latent (default for MLA) or expanded"},
          {"json", "", "one JSON document with tokens, text, stop reason and log-probs"}},
         run_generate},
        {"train",
         "train the model: cold-start SFT then GRPO on a verifiable task, stored in a database",
         {{"db", "FILE", "run database to write (created if missing)"},
          {"config", "FILE",
           "training config JSON (TrainConfig keys); the flags below override it"},
          {"task", "NAME", "addition (default), subtraction, multiplication or countdown"},
          {"pipeline", "LIST", "stages in order (default sft,grpo)"},
          {"sft-steps", "N", "optimizer steps of the SFT stage (default 2000)"},
          {"grpo-steps", "N", "optimizer steps of the GRPO stage (default 200)"},
          {"cold-start-pool", "N", "SFT draws from N unique worked traces (default 0 = unlimited)"},
          {"control", "sft", "also run the control arm: SFT continued for the GRPO stage's time"},
          {"out", "DIR", "checkpoint directory (default: <db stem>-checkpoints next to the db)"},
          {"resume", "RUN_ID", "continue a stopped or crashed run from its last checkpoint"},
          {"seed", "N", "run seed (default 1)"},
          {"threads", "N", "OpenMP threads (default 0 = all cores)"},
          {"lr", "X", "SFT peak learning rate (default 4e-3)"},
          {"grpo-lr", "X", "GRPO learning rate (default 1e-4)"},
          {"beta", "X", "GRPO KL weight (default 0.04)"},
          {"group-size", "N", "GRPO completions per prompt (default 8)"},
          {"temperature", "T", "GRPO rollout temperature (default 1)"},
          {"eval-n", "N", "held-out problems per evaluation (default 500; 0 = none)"},
          {"name", "TEXT", "run name (default '<task> <stages>')"},
          {"json", "", "print the final summary as one JSON document"}},
         run_train},
        {"eval",
         "held-out accuracy of a checkpoint on a task (greedy unless --temperature)",
         {{"model", "DIR", "checkpoint directory"},
          {"task", "NAME", "task (default: the one the checkpoint was trained on, else addition)"},
          {"n", "N", "held-out problems (default 500)"},
          {"temperature", "T", "sampling temperature, 0 = greedy (default 0)"},
          {"max-new", "N", "completion budget in tokens (default 64)"},
          {"seed", "N", "seed of the held-out set and of sampling (default 7, as training uses)"},
          {"json", "", "one JSON document on stdout"}},
         run_eval},
        {"runs list",
         "list the runs of a database with status, steps and best held-out accuracy",
         {{"db", "FILE", "run database"}, {"json", "", "one JSON document on stdout"}},
         run_runs_list},
        {"export",
         "write a run's metrics, expert load and rollouts as files",
         {{"db", "FILE", "run database"},
          {"run", "ID", "run id (see: tinyseek runs list)"},
          {"out", "DIR", "output directory (created if missing)"},
          {"formats", "LIST", "comma-separated formats (default csv)"},
          {"json", "", "list the written files as one JSON document"}},
         run_export},
        {"grm train",
         "reward-model lab: train a judge (cold start, SPCT rejective FT + GRPO), meta RM, scalar "
         "RM",
         {{"db", "FILE", "run database to write (created if missing)"},
          {"out", "DIR", "output directory (default: <db stem>-grm-seed<N> next to the db)"},
          {"config", "FILE", "lab config JSON (GrmLabConfig keys); the flags below override it"},
          {"seed", "N", "run seed (default 1)"},
          {"init", "DIR", "start the judge from this checkpoint (same model config)"},
          {"init-run", "ID",
           "start the judge from run ID's latest checkpoint in --db (e.g. an addition run)"},
          {"name", "TEXT", "run name (default 'grm <task>')"},
          {"task", "NAME", "addition (default), subtraction or multiplication"},
          {"digits", "N", "operand digits of addition/subtraction (default 2)"},
          {"cold-steps", "N", "cold-start SFT steps on synthetic judge traces"},
          {"rft-items", "N", "train items sampled for rejective fine-tuning"},
          {"rft-samples", "N", "judgments sampled per RFT item"},
          {"rft-steps", "N", "fine-tuning steps on the kept judgments"},
          {"rl-steps", "N", "GRPO steps with the rule reward (0 = no RL stage)"},
          {"beta", "X", "GRPO KL weight"},
          {"rl-lr", "X", "GRPO learning rate"},
          {"meta-items", "N", "train items whose sampled judgments train the meta RM"},
          {"meta-samples", "N", "judgments sampled per meta-RM item"},
          {"meta-steps", "N", "meta-RM training steps (0 = no meta RM)"},
          {"scalar-steps", "N", "scalar-RM baseline training steps (0 = none)"},
          {"eval-every", "N", "judge steps between validations (train-split items)"},
          {"threads", "N", "OpenMP threads (default 0 = all cores)"},
          {"json", "", "print the summary as one JSON document"}},
         run_grm_train},
        {"grm scale",
         "reward-model lab: accuracy vs samples k for greedy, voting, meta RM and scalar RM",
         {{"model", "DIR", "output directory of `tinyseek grm train`"},
          {"k", "LIST", "sample counts, increasing (default 1,2,4,8,16,32)"},
          {"n", "N", "held-out judge items (default 500)"},
          {"temperature", "T", "sampling temperature of the k judgments (default 1)"},
          {"seeds", "N", "independent draws of the k samples, for the band (default 1)"},
          {"k-meta", "N", "judgments the meta RM keeps (default 0 = k/2)"},
          {"judge", "NAME", "judge (default) or judge_sft (the cold-start judge)"},
          {"examples", "N", "items whose judgments are stored for the view (default 4)"},
          {"items-seed", "N", "seed of the held-out item set (default 7)"},
          {"db", "FILE", "store the rows and examples as a run in this database"},
          {"threads", "N", "OpenMP threads (default 0 = all cores)"},
          {"json", "", "one JSON document on stdout"}},
         run_grm_scale},
    };
}

std::vector<Command>& command_list() {
    static std::vector<Command> commands = headless_commands();
    return commands;
}

}  // namespace

const std::vector<Command>& all_commands() {
    return command_list();
}

void add_command(Command command) {
    command_list().push_back(std::move(command));
}

}  // namespace tinyseek::cli
