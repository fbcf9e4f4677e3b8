// The table of headless commands, in the order `tinyseek --help` lists them. Add a command by
// declaring its function in commands.h and adding one entry here. What needs Qt (the image
// formats of export) is registered from the Qt side (gui/figures/render_commands.cpp).
#include "cli/commands.h"

namespace tinyseek::cli {

namespace {

// Three option lists as one, in order.
std::vector<OptionSpec> joined(std::vector<OptionSpec> a, const std::vector<OptionSpec>& b,
                               const std::vector<OptionSpec>& c) {
    a.insert(a.end(), b.begin(), b.end());
    a.insert(a.end(), c.begin(), c.end());
    return a;
}

// The reward-model lab's training knobs (grm train, grm experiment).
std::vector<OptionSpec> lab_knobs() {
    return {
        {"config", "FILE", "lab config JSON (GrmLabConfig keys); the flags below override it"},
        {"init", "DIR", "start the judge from this checkpoint (same model config)"},
        {"init-run", "ID",
         "start the judge from run ID's latest checkpoint in --db (e.g. an addition run)"},
        {"name", "TEXT", "run name (default 'grm <task>')"},
        {"task", "NAME",
         "questions to judge: addition (default), subtraction, multiplication, countdown, or mix "
         "(all four, weights in the config's 'mix')"},
        {"digits", "N", "operand digits of addition/subtraction (default 2)"},
        {"cold-steps", "N", "cold-start SFT steps on synthetic judge traces"},
        {"decoys", "X",
         "share of the cold start's arithmetic items with no right candidate (default 0.25; "
         "0 = none)"},
        {"rft-items", "N", "train items sampled for rejective fine-tuning"},
        {"rft-samples", "N", "judgments sampled per RFT item"},
        {"rft-keep", "RULE",
         "right judgments RFT keeps: verdict (every one that singles out the truth), critique "
         "(only those with the item's worked critique) or trace (the worked trace word for "
         "word)"},
        {"rft-no-hints", "",
         "RFT without hints: items none of whose judgments is kept teach nothing (and items "
         "whose judgments are all right are dropped) instead of contributing their worked trace"},
        {"rft-steps", "N",
         "at most N fine-tuning steps (rft.epochs passes over the kept judgments, 1 by default)"},
        {"rl-steps", "N", "GRPO steps with the rule reward (0 = no RL stage)"},
        {"beta", "X", "GRPO KL weight"},
        {"rl-lr", "X", "GRPO learning rate"},
        {"meta-items", "N", "train items whose sampled judgments train the meta RM"},
        {"meta-samples", "N", "judgments sampled per meta-RM item"},
        {"meta-steps", "N", "meta-RM training steps (0 = no meta RM)"},
        {"scalar-steps", "N", "scalar-RM baseline training steps (0 = none)"},
        {"eval-every", "N", "judge steps between validations (train-split items)"}};
}

// The scaling experiment's knobs (grm scale, grm experiment).
std::vector<OptionSpec> scale_knobs() {
    return {{"k", "LIST", "sample counts, increasing (default 1,2,4,8,16,32)"},
            {"n", "N", "held-out judge items (default 500)"},
            {"temperature", "T", "sampling temperature of the k judgments (default 1)"},
            {"k-meta", "N", "judgments the meta RM keeps (default 0 = k/2)"},
            {"examples", "N", "items whose judgments are stored for the view (default 4)"},
            {"items-seed", "N", "seed of the held-out item set (default 7)"},
            {"split", "NAME",
             "held-out (default) or train: train-split items, to choose a knob such as "
             "--temperature without looking at held-out items"}};
}

// function-length: data table
std::vector<Command> headless_commands() {
    return {
        {"demo",
         "show the bundled tiny model, then train it for a few minutes (no display needed)",
         {{"db", "FILE", "run database (default: the workbench's, in the user's data directory)"},
          {"config", "FILE", "training config JSON instead of the default pipeline"}},
         run_demo},
        {"model-info",
         "print a model's config, its parameter count per group (total and active) and the "
         "activation memory of a training step",
         {{"preset", "NAME", "tiny (default), small, medium, deepseek-v2 or deepseek-v3"},
          {"config", "FILE", "read this config.json instead of a preset"},
          {"batch", "B", "sequences per step for the activation table (default 32)"},
          {"seq", "T", "tokens per sequence for the activation table (default 128)"},
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
         {{"preset", "NAME", "tiny (default), small, medium, deepseek-v2 or deepseek-v3"},
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
        {"inspect",
         "look inside one forward of a text: next-token distribution, logit lens, attention "
         "with its RoPE share, per-token routing (CSV files, and figures in the window's build)",
         {{"model", "DIR", "checkpoint directory (from init or training)"},
          {"text", "STR", "input text; special tags such as <bos> become their tokens"},
          {"out", "DIR", "folder for the files (created)"},
          {"temperature", "T", "for the sampler's distribution, 0 = greedy (default 1)"},
          {"top-k", "K", "keep the K most likely tokens (default 0 = off)"},
          {"top-p", "P", "keep the smallest set with mass >= P (default 1 = off)"}},
         run_inspect},
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
          {"json", "", "one JSON document with tokens, text, stop reason and log-probs"},
          {"speculative", "",
           "draft each next token with the MTP module and verify it with the main model "
           "(same output when greedy); prints the acceptance rate"}},
         run_generate},
        {"train",
         "train the model: cold-start SFT then GRPO on a verifiable task, stored in a database",
         {{"db", "FILE", "run database to write (created if missing)"},
          {"config", "FILE",
           "training config JSON (TrainConfig keys); the flags below override it"},
          {"task", "NAME", "addition (default), subtraction, multiplication or countdown"},
          {"pipeline", "LIST", "stages in order (default sft,grpo)"},
          {"sft-steps", "N", "optimizer steps of the SFT stage (default 1100)"},
          {"grpo-steps", "N", "optimizer steps of the GRPO stage (default 60)"},
          {"cold-start-pool", "N", "SFT draws from N unique worked traces (default 0 = unlimited)"},
          {"styles", "LIST",
           "cold-start trace styles and their shares, e.g. worked=1,direct=1 (a 50/50 mixture "
           "of worked traces and direct answers; also partial=S with partial_steps=K, and "
           "search=S for countdown; default worked only)"},
          {"control", "sft", "also run the control arm: SFT continued for the GRPO stage's time"},
          {"out", "DIR", "checkpoint directory (default: <db stem>-checkpoints next to the db)"},
          {"resume", "RUN_ID",
           "continue a stopped or crashed run from its last checkpoint (from step 0 if none)"},
          {"seed", "N", "run seed (default 1)"},
          {"threads", "N", "OpenMP threads (default 0 = all cores)"},
          {"lr", "X", "SFT peak learning rate (default 4e-3)"},
          {"grpo-lr", "X", "GRPO learning rate (default 3e-5)"},
          {"beta", "X", "GRPO KL weight (default 0: no KL term, no reference pass)"},
          {"group-size", "N", "GRPO completions per prompt (default 8)"},
          {"temperature", "T", "GRPO rollout temperature (default 1)"},
          {"speculative-rollouts", "",
           "sample GRPO rollouts by speculative decoding with the MTP module as the draft"},
          {"no-mtp", "", "train without the MTP module (num_nextn_predict_layers = 0)"},
          {"precision", "P",
           "fp32 (default) or fp8: the linear layers' forward and backward GEMMs from E4M3 "
           "operands with tile scales, FP32 master weights (DeepSeek-V3's recipe, simulated)"},
          {"fp8-tile", "T", "FP8 scale tile: 1xT activations, TxT weights (default 128)"},
          {"fp8-scaling", "S", "tiles (default) or tensor: one scale per operand (ablation)"},
          {"fp8-grad-format", "F", "format of the output gradient: e4m3 (default) or e5m2"},
          {"fp8-accumulator", "A",
           "fp32 (default) or limited: the GEMMs through the simulated Hopper register (13 "
           "bits, truncation), bit-exact and about 100x slower"},
          {"fp8-promote-every", "NC",
           "limited accumulator: promote to FP32 every NC elements (default 128; 0 = only "
           "where a scale tile ends, with --fp8-scaling tensor never: the ablation)"},
          {"fp8-moments", "M", "AdamW moments: fp32 (default) or bf16 (DeepSeek-V3's)"},
          {"eval-n", "N", "held-out problems per evaluation (default 500; 0 = none)"},
          {"name", "TEXT", "run name (default '<task> <stages>')"},
          {"checkpoint-every", "N", "steps between periodic checkpoints (default 200; 0 = off)"},
          {"checkpoint-every-seconds", "S",
           "training seconds between periodic checkpoints (default 120; 0 = off)"},
          {"checkpoint-keep", "N",
           "periodic checkpoints kept, the newest (default 3; 0 = all; stage ends always)"},
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
          {"split", "NAME",
           "held_out (default) or train: a validation set of train-split problems drawn as the "
           "held-out set is, to choose a recipe on"},
          {"bucket-min", "N",
           "accuracy by difficulty: top rare buckets up to N problems each, 0 = off (default "
           "20, as training does)"},
          {"draft-acceptance", "",
           "also decode the same problems greedily with the MTP draft: acceptance rate and "
           "tokens per main-model forward"},
          {"json", "", "one JSON document on stdout"}},
         run_eval},
        {"passk",
         "pass@k and maj@k of a checkpoint: n samples per held-out problem, the unbiased "
         "pass@k estimator and majority voting over k samples",
         {{"model", "DIR", "checkpoint directory (or --db, --run and --step)"},
          {"db", "FILE", "run database: measure a run's checkpoint and store the curve there"},
          {"run", "ID", "with --db: the run (see: tinyseek runs list)"},
          {"step", "N", "with --db: the checkpoint's step (default: the run's latest)"},
          {"task", "NAME", "task (default: the one the checkpoint was trained on)"},
          {"problems", "N", "held-out problems (default 100)"},
          {"samples", "N", "samples per problem, n >= every k (default 64)"},
          {"k", "LIST", "values of k (default 1,2,4,8,16,32,64)"},
          {"temperature", "T", "sampling temperature (default 1, the rollouts')"},
          {"max-new", "N", "completion budget in tokens (default 64)"},
          {"seed", "N", "seed of the held-out set and of sampling (default 7)"},
          {"json", "", "one JSON document on stdout"}},
         run_passk},
        {"runs list",
         "list the runs of a database with status, steps and best held-out accuracy",
         {{"db", "FILE", "run database"}, {"json", "", "one JSON document on stdout"}},
         run_runs_list},
        {"import",
         "read runs trained elsewhere (verl, TRL, TensorBoard event files) into a database",
         {{"", "PATH",
           "a log file, or a folder searched for them (a verl metrics JSONL with its generation "
           "dumps, a TRL output folder, a TensorBoard log folder)"},
          {"db", "FILE", "run database to write (created if missing)"},
          {"follow", "", "keep reading what the sources add (a run still training) until Ctrl-C"},
          {"interval", "S", "with --follow: seconds between reads (default 1)"},
          {"names", "", "print the table of metric names mapped to the workbench's and exit"}},
         run_import},
        {"export",
         "write a run's metrics, expert load and rollouts as files",
         {{"db", "FILE", "run database"},
          {"run", "ID", "run id (see: tinyseek runs list)"},
          {"out", "DIR", "output directory (created if missing)"},
          {"formats", "LIST", "comma-separated formats (default csv)"},
          {"measure-throughput", "",
           "image formats: also time plain and speculative decoding on this machine (a minute "
           "or more) for the throughput charts"},
          {"json", "", "list the written files as one JSON document"}},
         run_export},
        {"grm train",
         "reward-model lab: train a judge (cold start, SPCT rejective FT + GRPO), meta RM, scalar "
         "RM",
         joined({{"db", "FILE", "run database to write (created if missing)"},
                 {"out", "DIR", "output directory (default: <db stem>-grm-seed<N> next to the db)"},
                 {"seed", "N", "run seed (default 1)"}},
                lab_knobs(),
                {{"threads", "N", "OpenMP threads (default 0 = all cores)"},
                 {"json", "", "print the summary as one JSON document"}}),
         run_grm_train},
        {"grm scale",
         "reward-model lab: accuracy vs samples k for greedy, voting, meta RM and scalar RM",
         joined({{"model", "DIR[,DIR...]",
                  "output directory of `tinyseek grm train`; several: each lab's judge with one "
                  "sampling draw on the same items, stored as one run banded over them"}},
                scale_knobs(),
                {{"seeds", "N", "independent draws of the k samples, for the band (default 1)"},
                 {"judge", "NAME", "judge (default) or judge_sft (the cold-start judge)"},
                 {"db", "FILE", "store the rows and examples as a run in this database"},
                 {"threads", "N", "OpenMP threads (default 0 = all cores)"},
                 {"json", "", "one JSON document on stdout"}}),
         run_grm_scale},
        {"grm experiment",
         "reward-model lab over several lab seeds: each trains its own judge, meta RM and scalar "
         "RM, then accuracy vs samples k on the same held-out items; one stored run whose band "
         "is the spread over lab seeds, and DeepSeek-GRM's effects checked per seed",
         joined({{"db", "FILE", "run database to write (created if missing)"},
                 {"out", "DIR",
                  "output directory, one seed-<N> folder per lab seed (default: <db "
                  "stem>-grm-experiment next to the db)"},
                 {"seed", "N", "first lab seed (default 1)"},
                 {"lab-seeds", "N",
                  "lab seeds, each with its own judge training (default 3; about 12 minutes "
                  "each on two cores)"}},
                joined(lab_knobs(), scale_knobs(), {}),
                {{"threads", "N", "OpenMP threads (default 0 = all cores)"},
                 {"json", "", "one JSON document on stdout"}}),
         run_grm_experiment},
        {"fp8 gemm-error",
         "FP8 lab: error of the tensor core's limited accumulator against K, with and without "
         "FP32 promotion (DeepSeek-V3's N_C), and of plain FP32",
         {{"k-list", "LIST", "inner dimensions K (default 256,1024,4096,16384)"},
          {"m", "M", "rows of A (default 64)"},
          {"n", "N", "rows of W, i.e. outputs per row (default 64)"},
          {"entries", "DIST", "random entries: uniform [0,1) (default) or normal"},
          {"outliers", "", "multiply about one entry in 1000 by 100"},
          {"seed", "S", "random seed (default 0)"},
          {"acc-bits", "B", "mantissa bits the tensor core keeps (default 13, Hopper's e8m13)"},
          {"rounding", "MODE", "truncate (default, as Hopper) or nearest"},
          {"fused-terms", "G", "products per tensor-core step (default 32, wgmma FP8 k)"},
          {"promote-every", "NC", "promote to FP32 every NC elements of K (default 128)"},
          {"json", "", "one JSON document on stdout"}},
         run_fp8_gemm_error},
        {"fp8 quant-error",
         "FP8 lab: quantisation error of a checkpoint's weights and activations with one scale "
         "per tensor vs per tile (TxT weight blocks, 1xT activation tiles), with and without "
         "injected outliers",
         {{"model", "DIR", "checkpoint directory (from init or training)"},
          {"tile", "T", "tile size: 16, 32, 64 or 128 (default, DeepSeek-V3's)"},
          {"format", "FMT", "e4m3 (default) or e5m2"},
          {"outliers", "N",
           "entries per matrix multiplied by 1000 in the outlier rows (default "
           "4, 0 = none)"},
          {"prompts", "N", "held-out addition problems run for the activations (default 16)"},
          {"seed", "S", "seed of the problems and outlier positions (default 0)"},
          {"json", "", "one JSON document on stdout"}},
         run_fp8_quant_error},
        {"fp8 memory",
         "FP8 lab: training-state bytes (weights, scales, master weights, gradients, AdamW "
         "moments) under FP32, BF16 and DeepSeek-V3's FP8 recipe, computed from the config",
         {{"preset", "NAME", "tiny (default), small, medium, deepseek-v2 or deepseek-v3"},
          {"config", "FILE", "read this config.json instead of a preset"},
          {"json", "", "one JSON document on stdout"}},
         run_fp8_memory},
        {"fp8 loss-gap",
         "FP8 lab: an FP8 run's SFT loss against its FP32 twin (same config and seed) and, as "
         "the noise, an FP32 run of another seed, from a run database",
         {{"db", "FILE", "run database holding the runs"},
          {"run", "ID", "the FP8 run or its FP32 twin"},
          {"json", "", "one JSON document on stdout"}},
         run_fp8_loss_gap},
    };
}

}  // namespace

const std::vector<Command>& all_commands() {
    static const std::vector<Command> commands = headless_commands();
    return commands;
}

}  // namespace tinyseek::cli
