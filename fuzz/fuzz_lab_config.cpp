// libFuzzer target: the bytes are a reward-model lab config (`tinyseek grm train --config`,
// also grm.json beside the trained models), read by GrmLabConfig::from_json. Allowed
// outcomes: not JSON, ConfigError, or a config that passes validate() and reads back
// unchanged from its own to_json().
#include <cstddef>
#include <cstdint>

#include "core/errors.h"
#include "fuzz/fuzz_json.h"
#include "training/grm/lab_config.h"

using namespace tinyseek;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = fuzz::parse_json(data, size);
    if (!j) return 0;
    try {
        const GrmLabConfig c = GrmLabConfig::from_json(*j, "fuzz");
        c.validate();
        fuzz::require_round_trip(
            c, [](const nlohmann::json& w) { return GrmLabConfig::from_json(w, "round trip"); });
    } catch (const ConfigError&) {
    }
    return 0;
}
