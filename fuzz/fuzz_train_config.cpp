// libFuzzer target: the bytes are a training config file (`tinyseek train --config`), read by
// TrainConfig::from_json. Allowed outcomes: not JSON, ConfigError, or a config that passes
// validate() and reads back unchanged from its own to_json() (a run stores it that way and a
// resume reads it back).
#include <cstddef>
#include <cstdint>

#include "core/errors.h"
#include "fuzz/fuzz_json.h"
#include "training/train_config.h"

using namespace tinyseek;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = fuzz::parse_json(data, size);
    if (!j) return 0;
    try {
        const TrainConfig c = TrainConfig::from_json(*j, "fuzz");
        c.validate();
        c.total_steps();
        fuzz::require_round_trip(
            c, [](const nlohmann::json& w) { return TrainConfig::from_json(w, "round trip"); });
    } catch (const ConfigError&) {
    }
    return 0;
}
