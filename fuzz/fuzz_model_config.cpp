// libFuzzer target: the bytes are a config.json (ModelConfig::from_json, as ModelConfig::load
// reads it after parsing). Allowed outcomes: not JSON, ConfigError, or a config that passes
// validate() and reads back unchanged from its own to_json().
#include <cstddef>
#include <cstdint>

#include "core/model_config.h"
#include "fuzz/fuzz_json.h"

using namespace tinyseek;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::fuzz_config(data, size,
                      [](const nlohmann::json& j) { return ModelConfig::from_json(j, "fuzz"); });
    return 0;
}
