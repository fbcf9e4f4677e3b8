// The table of commands, in the order `tinyseek --help` lists them. Add a command by
// declaring its function in commands.h and adding one entry here.
#include "gui/cli/commands.h"

namespace tinyseek::cli {

const std::vector<Command>& all_commands() {
    static const std::vector<Command> commands = {
        {"demo",
         "show what the workbench does and the bundled tiny model (no display needed)",
         {},
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
    };
    return commands;
}

}  // namespace tinyseek::cli
