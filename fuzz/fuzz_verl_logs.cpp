// libFuzzer target: the bytes are a verl metrics JSONL and, read again, a generation dump
// (imports/verl_reader.h). Allowed outcomes: issues in the log, never a crash. Invariant: the
// metrics read in two pieces (a follower polling mid-line) give the same steps, values and
// issues as read at once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/fuzz_split_read.h"
#include "imports/verl_reader.h"

using namespace tinyseek;
using namespace tinyseek::imports;

namespace {

ImportedLog read_in_two(std::string_view bytes, std::size_t split) {
    return tinyseek::fuzz::read_in_two(VerlMetricsParser("m.jsonl"), bytes, split);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const ImportedLog whole = read_in_two(bytes, size);
    const ImportedLog split = read_in_two(bytes, size ? data[0] % size : 0);
    tinyseek::fuzz::require_same(whole, split);
    ImportedLog dump;
    read_verl_dump(bytes, "1.jsonl", RolloutSource::train, dump);
    std::int64_t samples = 0;
    for (const auto& [step, s] : dump.steps)
        samples += static_cast<std::int64_t>(s.rollouts.size());
    if (samples != dump.samples) std::abort();
    return 0;
}
