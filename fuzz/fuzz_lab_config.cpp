// libFuzzer target: the bytes are a reward-model lab config (`tinyseek grm train --config`,
// also grm.json beside the trained models), read by GrmLabConfig::from_json. Allowed
// outcomes: not JSON, ConfigError, or a config that passes validate() and reads back
// unchanged from its own to_json().
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_json.h"
#include "training/grm/lab_config.h"

using namespace tinyseek;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::fuzz_config(data, size,
                      [](const nlohmann::json& j) { return GrmLabConfig::from_json(j, "fuzz"); });
    return 0;
}
