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

}  // namespace tinyseek::cli
