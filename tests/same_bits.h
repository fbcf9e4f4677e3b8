// Bit-for-bit comparison of float blocks, for tests that demand exact reproduction.
#pragma once

#include <cstring>
#include <span>

namespace tinyseek::testing {

// True when both blocks hold the same floats, bit for bit (NaN payloads and -0 included).
inline bool same_bits(std::span<const float> a, std::span<const float> b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

}  // namespace tinyseek::testing
