// libFuzzer target: the bytes are a transformers/TRL trainer_state.json
// (imports/trl_reader.h). Allowed outcomes: not JSON (nlohmann::json::exception), issues in the
// log, never a crash; a step's training clock is unknown (NaN) or finite and >= 0.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "imports/trl_reader.h"

using namespace tinyseek::imports;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    ImportedLog log;
    try {
        read_trainer_state(bytes, "trainer_state.json", log);
    } catch (const nlohmann::json::exception&) {
        return 0;
    }
    // The training clock (TRL's step_time) never runs backwards or off the scale.
    for (const auto& [step, s] : log.steps) {
        if (!std::isnan(s.wall_time) && !(std::isfinite(s.wall_time) && s.wall_time >= 0)) {
            std::abort();
        }
    }
    (void)summarize_issues(log.issues);
    return 0;
}
