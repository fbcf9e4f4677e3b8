// libFuzzer target: the bytes are a training config file (`tinyseek train --config`), read by
// TrainConfig::from_json. Allowed outcomes: not JSON, ConfigError, or a config that passes
// validate() and reads back unchanged from its own to_json() (a run stores it that way and a
// resume reads it back).
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_json.h"
#include "training/train_config.h"

using namespace tinyseek;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::fuzz_config(data, size,
                      [](const nlohmann::json& j) { return TrainConfig::from_json(j, "fuzz"); });
    return 0;
}
