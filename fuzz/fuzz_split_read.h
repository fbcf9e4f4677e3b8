// The invariant of the fuzz targets of streaming readers (imports/): a follower polling a file
// mid-write hands the reader its bytes in pieces, and must find what one read of the whole
// finds. read_in_two() reads `bytes` as two polls split at `split`, the second starting where
// the first stopped consuming.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string_view>

#include "imports/imported_run.h"

namespace tinyseek::fuzz {

template <class Parser>
imports::ImportedLog read_in_two(Parser parser, std::string_view bytes, std::size_t split) {
    imports::ImportedLog log;
    const std::size_t used = parser.parse(bytes.substr(0, split), log);
    if (used > split) std::abort();
    const std::string_view rest = bytes.substr(used);
    if (parser.parse(rest, log) > rest.size()) std::abort();
    return log;
}

// Aborts unless the two reads found the same steps, values, samples and issues.
inline void require_same(const imports::ImportedLog& a, const imports::ImportedLog& b) {
    if (a.steps.size() != b.steps.size() || a.points != b.points || a.samples != b.samples ||
        a.issues.size() != b.issues.size()) {
        std::abort();
    }
}

}  // namespace tinyseek::fuzz
