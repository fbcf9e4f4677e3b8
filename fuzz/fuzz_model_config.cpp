// libFuzzer target: the bytes are a config.json (ModelConfig::from_json, as ModelConfig::load
// reads it after parsing). Allowed outcomes: not JSON, ConfigError, or a config that passes
// validate() and reads back unchanged from its own to_json().
#include <cstddef>
#include <cstdint>

#include "core/errors.h"
#include "core/model_config.h"
#include "fuzz/fuzz_json.h"

using namespace tinyseek;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = fuzz::parse_json(data, size);
    if (!j) return 0;
    try {
        const ModelConfig c = ModelConfig::from_json(*j, "fuzz");
        c.validate("fuzz");
        fuzz::require_round_trip(
            c, [](const nlohmann::json& w) { return ModelConfig::from_json(w, "round trip"); });
    } catch (const ConfigError&) {
    }
    return 0;
}
