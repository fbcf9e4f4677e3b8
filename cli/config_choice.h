// The model config a command works on: --preset NAME or --config FILE (model-info, kv-report,
// fp8 memory).
#pragma once

#include <string>

#include "cli/command.h"
#include "core/model_config.h"

namespace tinyseek::cli {

struct ConfigChoice {
    ModelConfig config;
    std::string source;  // "preset tiny" or the file path
};

// --preset NAME or --config FILE (not both); the preset defaults to tiny. A bad preset name
// is a UsageError.
ConfigChoice choose_config(const Args& args);

}  // namespace tinyseek::cli
