// Writes the seed corpus of fuzz_safetensors into the directory given as argv[1]: a valid
// tiny-preset model.safetensors (what `tinyseek init` writes), the small config's file, and
// a few hand-sized edge cases (no tensors, metadata only, a zero-sized tensor).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/param_store.h"
#include "core/safetensors.h"
#include "fuzz/fuzz_configs.h"

using namespace tinyseek;

namespace {

void write(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    ParamStore tiny(ModelConfig::preset("tiny"));
    init_params(tiny, 0);
    write(dir / "tiny_model.safetensors",
          serialize_safetensors(tensor_refs(tiny), {{"format", "pt"}, {"seed", "0"}}));
    ParamStore small(fuzz_small_config());
    init_params(small, 1);
    write(dir / "small_model.safetensors",
          serialize_safetensors(tensor_refs(small), {{"format", "pt"}}));
    write(dir / "empty.safetensors", serialize_safetensors({}, {}));
    write(dir / "metadata_only.safetensors", serialize_safetensors({}, {{"step", "3"}}));
    const float x[2] = {1.0f, -2.0f};
    const std::vector<TensorRef> refs = {{"z", {0, 3}, nullptr}, {"x", {2, 1}, x}};
    write(dir / "zero_sized.safetensors", serialize_safetensors(refs, {}));
    std::printf("wrote 5 seeds to %s\n", dir.c_str());
    return 0;
}
