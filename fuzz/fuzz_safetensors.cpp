// libFuzzer target: the bytes are a safetensors file. The reader must either accept it or
// throw CheckpointError; anything else (a crash, an ASan/UBSan report, another exception
// type escaping) is a bug. Accepted files are matched against the tiny preset's layout and
// against a small layout (so mutations of the small seed reach the matching and copy code).
//
// Build and run: see README.md "Tests" (fuzz build); each target here is run the same way.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "core/errors.h"
#include "core/param_store.h"
#include "core/safetensors.h"
#include "fuzz/fuzz_configs.h"

using namespace tinyseek;

namespace {

// Loads into `params` when the file matches its layout; the only allowed failure is
// CheckpointError, and a failed load must not have written anything.
void try_match(const SafetensorsFile& file, ParamStore& params) {
    params.data()[0] = 12345.0f;
    try {
        file.load_into(tensor_slots(params));
    } catch (const CheckpointError&) {
        if (params.data()[0] != 12345.0f) std::abort();  // partial write before the error
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static ParamStore tiny(ModelConfig::preset("tiny"));
    static ParamStore small(fuzz_small_config());
    try {
        const SafetensorsFile file =
            SafetensorsFile::parse(std::span<const uint8_t>(data, size), "fuzz");
        // Invariants of an accepted file: entries tile the buffer in order, find() agrees.
        uint64_t pos = 0;
        for (const SafetensorsEntry& e : file.entries()) {
            if (e.begin != pos || e.end < e.begin || file.find(e.name) != &e) std::abort();
            pos = e.end;
        }
        if (8 + file.header_length() + pos != size) std::abort();
        try_match(file, tiny);
        try_match(file, small);
    } catch (const CheckpointError&) {
    }
    return 0;
}
