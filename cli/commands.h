// Declarations of every command's entry point; the table in command_table.cpp lists them.
// Each entry returns the process exit code (0 success, 1 error, 2 usage).
#pragma once

#include "cli/command.h"

namespace tinyseek::cli {

// cli/demo_command.cpp
int run_demo(const Args& args);

// cli/cmd_model.cpp
int run_model_info(const Args& args);
int run_init(const Args& args);
int run_kv_report(const Args& args);

// cli/cmd_generate.cpp
int run_logits(const Args& args);
int run_generate(const Args& args);

// cli/cmd_inspect.cpp
int run_inspect(const Args& args);

// cli/cmd_train.cpp
int run_train(const Args& args);
int run_eval(const Args& args);
int run_passk(const Args& args);

// cli/cmd_runs.cpp
int run_runs_list(const Args& args);

// cli/cmd_import.cpp
int run_import(const Args& args);

// cli/cmd_export.cpp
int run_export(const Args& args);

// cli/cmd_grm.cpp
int run_grm_train(const Args& args);
int run_grm_scale(const Args& args);
int run_grm_experiment(const Args& args);

// cli/cmd_fp8.cpp
int run_fp8_gemm_error(const Args& args);
int run_fp8_quant_error(const Args& args);
int run_fp8_memory(const Args& args);
int run_fp8_loss_gap(const Args& args);

}  // namespace tinyseek::cli
