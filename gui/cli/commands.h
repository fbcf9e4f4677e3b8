// Declarations of every command's entry point; the table in command_table.cpp lists them.
// Each entry returns the process exit code (0 success, 1 error, 2 usage).
#pragma once

#include "gui/cli/command.h"

namespace tinyseek::cli {

// gui/cli/demo_command.cpp
int run_demo(const Args& args);

}  // namespace tinyseek::cli
