// Checkpoint directories:
//
//   DIR/config.json             ModelConfig::save (Hugging Face DeepSeek-V3 keys + extensions)
//   DIR/model.safetensors       every ParamLayout tensor (incl. the non-trainable
//                               e_score_correction_bias), F32, HF DeepSeek-V3 names;
//                               __metadata__: {"format": "pt"} + the caller's metadata
//   DIR/tokenizer.json          Tokenizer::save
//   DIR/optimizer.safetensors   optional: AdamW moments of every *trainable* tensor, named
//                               "<name>.exp_avg" and "<name>.exp_avg_sq" (PyTorch's names);
//                               __metadata__: {"step": "<n>"} + the optimizer's scalars
//
// Writing is atomic as a whole: everything goes into a fresh "<DIR>.tmp-XXXXXX" next to
// DIR, each file fsync'ed; then the temp dir replaces DIR in one step (renameat2 with
// RENAME_EXCHANGE when DIR exists, so there is no instant without a complete DIR; on file
// systems without it, DIR is first renamed to a backup, then removed after). A crash or
// error at any point leaves either the old complete checkpoint or the new one under DIR.
// An existing DIR that is not a checkpoint (no config.json + model.safetensors) and not
// empty is never replaced: that is an error, so no user data can be lost.
//
// The optimizer state is plain data so this file does not depend on the optimizer's class:
// the trainer passes views of its moment buffers (ParamStores with the model's layout).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/model_config.h"
#include "core/param_store.h"
#include "core/safetensors.h"
#include "core/tokenizer.h"

namespace tinyseek {

inline constexpr const char* kConfigFile = "config.json";
inline constexpr const char* kModelFile = "model.safetensors";
inline constexpr const char* kTokenizerFile = "tokenizer.json";
inline constexpr const char* kOptimizerFile = "optimizer.safetensors";

// What the trainer hands to save_checkpoint: AdamW's first and second moments in the
// model's layout (entries of non-trainable tensors are ignored), the step count, and any
// scalars worth restoring (e.g. "lr", "beta1"), stored as strings in __metadata__.
struct OptimizerStateView {
    const ParamStore* exp_avg = nullptr;     // m
    const ParamStore* exp_avg_sq = nullptr;  // v
    int64_t step = 0;
    Metadata scalars;  // must not use the key "step"
};

// What load_checkpoint returns for optimizer.safetensors. Entries of non-trainable tensors
// are zero.
struct OptimizerState {
    ParamStore exp_avg;
    ParamStore exp_avg_sq;
    int64_t step = 0;
    Metadata scalars;
};

struct Checkpoint {
    ModelConfig config;
    ParamStore params;
    Tokenizer tokenizer;
    Metadata metadata;  // model.safetensors' __metadata__ without "format"
    std::optional<OptimizerState> optimizer;
};

struct CheckpointSaveOptions {
    // Called after each file is written into the temp directory (with its file name) and
    // once with "" just before the temp directory replaces DIR. Tests throw from it to
    // simulate a crash or a failing disk at that point.
    std::function<void(std::string_view file)> on_progress;
    // false forces the two-rename replacement used on file systems without
    // RENAME_EXCHANGE (old -> backup, new -> DIR, backup removed), so tests can cover it.
    bool allow_rename_exchange = true;
};

struct CheckpointLoadOptions {
    // Inference needs no optimizer state: skip reading optimizer.safetensors.
    bool optimizer = true;
};

// Throws CheckpointError (or ConfigError for a tokenizer larger than the config's vocab).
// `metadata` goes into model.safetensors' __metadata__ (e.g. training step, run id); the
// key "format" is reserved.
void save_checkpoint(const std::string& dir, const ParamStore& params, const Tokenizer& tokenizer,
                     const OptimizerStateView* optimizer, const Metadata& metadata = {},
                     const CheckpointSaveOptions& options = {});

// Reads and checks everything (config validation, tokenizer size <= vocab_size, every
// tensor's dtype, shape and byte range). Missing optimizer.safetensors -> no optimizer
// state; a present but corrupt one is an error.
Checkpoint load_checkpoint(const std::string& dir, const CheckpointLoadOptions& options = {});

// True when `dir` holds config.json and model.safetensors.
bool is_checkpoint_dir(const std::string& dir);

}  // namespace tinyseek
