#include "cli/config_choice.h"

#include "core/errors.h"

namespace tinyseek::cli {

ConfigChoice choose_config(const Args& args) {
    if (args.has("preset") && args.has("config"))
        throw UsageError("give either --preset or --config, not both");
    if (args.has("config")) {
        const std::string path = args.get("config");
        return {ModelConfig::load(path), path};
    }
    const std::string name = args.get("preset", "tiny");
    try {
        return {ModelConfig::preset(name), "preset " + name};
    } catch (const ConfigError& e) {
        throw UsageError(std::string("option --preset: ") + e.what());
    }
}

}  // namespace tinyseek::cli
