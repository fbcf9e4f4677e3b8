// libFuzzer target: the bytes are a TensorBoard event file (imports/tf_event_reader.h). Allowed
// outcomes: issues in the log, never a crash or a read outside the bytes. Invariant: reading
// the bytes in two pieces, as a follower that polls mid-write does, finds the same steps,
// values and issues as reading them at once.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/fuzz_split_read.h"
#include "imports/tf_event_reader.h"

using namespace tinyseek::imports;

namespace {

ImportedLog read_in_two(std::string_view bytes, std::size_t split) {
    double origin = NAN;
    return tinyseek::fuzz::read_in_two(EventFileParser("f", &origin), bytes, split);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const ImportedLog whole = read_in_two(bytes, size);
    const ImportedLog split = read_in_two(bytes, size ? data[0] % size : 0);
    tinyseek::fuzz::require_same(whole, split);
    return 0;
}
