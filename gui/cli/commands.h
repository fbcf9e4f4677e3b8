// Declarations of every command's entry point; the table in command_table.cpp lists them.
// Each entry returns the process exit code (0 success, 1 error, 2 usage).
#pragma once

#include "gui/cli/command.h"

namespace tinyseek::cli {

// gui/cli/demo_command.cpp
int run_demo(const Args& args);

// gui/cli/cmd_model.cpp
int run_model_info(const Args& args);
int run_init(const Args& args);
int run_kv_report(const Args& args);

// gui/cli/cmd_generate.cpp
int run_logits(const Args& args);
int run_generate(const Args& args);

// gui/cli/cmd_train.cpp
int run_train(const Args& args);
int run_eval(const Args& args);

// gui/cli/cmd_runs.cpp
int run_runs_list(const Args& args);

// gui/cli/cmd_export.cpp
int run_export(const Args& args);

// gui/cli/cmd_grm.cpp
int run_grm_train(const Args& args);
int run_grm_scale(const Args& args);

}  // namespace tinyseek::cli
