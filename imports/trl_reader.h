// TRL and the transformers Trainer: trainer_state.json (transformers/trainer_callback.py,
// TrainerState.save_to_json, as transformers 4.5x writes it, with the keys of TRL v0.23's GRPOTrainer), written
// whole into each checkpoint-N/ folder of the output directory (and into the folder itself only
// when the script calls Trainer.save_state()). Its log_history is a list of
// dicts, each with "step": training entries (loss, grad_norm, learning_rate, reward, kl,
// completions/mean_length, rewards/<fn>/mean, …), evaluation entries (keys with "eval_") and a
// last summary entry (train_runtime, train_loss, …). There are no timestamps; TRL v0.26 on logs
// "step_time" (seconds per step, averaged over the logging window), which gives the training
// clock. TRL v0.28's completions Parquet files are not read.
#pragma once

#include <string>
#include <string_view>

#include "imports/imported_run.h"

namespace tinyseek::imports {

// True when `text` is a trainer_state.json (an object with a log_history list).
bool is_trainer_state(std::string_view text);

// Reads a whole trainer_state.json: every log_history entry (counted from 1 in issues, as
// "entry N") and the state's settings into log.config["trainer_state"]. Throws
// nlohmann::json::exception when the text is not JSON.
void read_trainer_state(std::string_view text, const std::string& file, ImportedLog& log);

}  // namespace tinyseek::imports
