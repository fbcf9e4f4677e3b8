// Where a RunLoop keeps its checkpoints and how a TrainingState goes into and out of one.
//
//   <root>/run-<id>/step-<N>/   a core checkpoint directory (core/checkpoint.h) after N global
//                               steps: config, weights, tokenizer and the AdamW moments, with
//                               metadata run_id, step, stage, task, task_options (JSON) and
//                               seed, so `tinyseek eval` can rebuild the run's task.
//   <root> = TrainConfig::out_dir, or "<database dir>/<database stem>-checkpoints" when empty,
//            so several databases in one folder never share checkpoint directories.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/safetensors.h"
#include "training/step_report.h"
#include "training/train_config.h"
#include "training/trainer.h"

namespace tinyseek {

// Absolute root directory of a run database's checkpoints (see above).
std::string checkpoint_root(const TrainConfig& config, const std::string& db_path);
// <root>/run-<run_id>/step-<step>
std::string checkpoint_dir(const std::string& root, std::int64_t run_id, std::int64_t step);

// A checkpoint directory and the global step it was written after.
struct CheckpointRef {
    std::int64_t step = 0;
    std::string dir;
};

// The checkpoints of the run folder `dir` is in: when `dir` is named step-<N>, every
// step-<M> checkpoint directory beside it (itself included), by step; otherwise `dir` alone
// (step 0). So a checkpoint picked from disk brings its run's other checkpoints along.
std::vector<CheckpointRef> checkpoints_beside(const std::string& dir);

// Removes what a kill can leave in <root>/run-<run_id>/ besides the checkpoints the database
// lists (`listed`: directory paths, matched by name): a step-<N> directory that was written
// but not yet recorded, or unrecorded and not yet deleted by pruning, and the step-<N>.tmp-*
// / .old-* directories of an interrupted save. Nothing else in the folder is touched (the
// folder belongs to one run of one database). Best effort; returns the paths removed.
std::vector<std::string> remove_unlisted_checkpoint_dirs(const std::string& root,
                                                         std::int64_t run_id,
                                                         const std::vector<std::string>& listed);

// Writes `state` (parameters, tokenizer, optimizer moments and step count) atomically to
// `dir`, with the metadata above (from `config`). Throws CheckpointError.
void save_training_checkpoint(const std::string& dir, const TrainingState& state,
                              std::int64_t run_id, Stage stage, const TrainConfig& config);

// The task a checkpoint was trained on, from its metadata ("task", "task_options"); addition
// with default options when the metadata names none (e.g. `tinyseek init`). `dir` names the
// checkpoint in errors: CheckpointError when task_options is not JSON, ConfigError when it
// is not valid options.
struct CheckpointTask {
    std::string name = "addition";
    TaskOptions options;
};
CheckpointTask checkpoint_task(const Metadata& metadata, const std::string& dir);

// Restores parameters, tokenizer and optimizer state from `dir` into `state` and sets
// state.step to the checkpoint's step. Throws CheckpointError when the directory is not a
// checkpoint of the same model config or has no optimizer state (a resume must continue
// AdamW exactly, so weights alone are not enough).
void load_training_checkpoint(const std::string& dir, TrainingState& state);

}  // namespace tinyseek
