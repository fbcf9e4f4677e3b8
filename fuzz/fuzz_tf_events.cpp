// libFuzzer target: the bytes are a TensorBoard event file (imports/tf_event_reader.h). Allowed
// outcomes: issues in the log, never a crash or a read outside the bytes. Invariant: reading
// the bytes in two pieces, as a follower that polls mid-write does, finds the same steps,
// values and issues as reading them at once.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "imports/tf_event_reader.h"

using namespace tinyseek::imports;

namespace {

ImportedLog read_in_two(std::string_view bytes, std::size_t split) {
    double origin = NAN;
    EventFileParser parser("f", &origin);
    ImportedLog log;
    const std::size_t used = parser.parse(bytes.substr(0, split), log);
    if (used > split) std::abort();
    const std::string_view rest = bytes.substr(used);
    const std::size_t more = parser.parse(rest, log);
    if (more > rest.size()) std::abort();
    return log;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const ImportedLog whole = read_in_two(bytes, size);
    const ImportedLog split = read_in_two(bytes, size ? data[0] % size : 0);
    if (whole.steps.size() != split.steps.size() || whole.points != split.points ||
        whole.issues.size() != split.issues.size() || whole.samples != split.samples) {
        std::abort();
    }
    return 0;
}
