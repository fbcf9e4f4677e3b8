// Helpers shared by the fuzz targets whose input is a JSON file (config.json, tokenizer.json,
// the training and lab configs): the bytes are parsed as the command line parses a file, and
// a config that was accepted must survive its own to_json() unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace tinyseek::fuzz {

// The bytes as JSON, or nothing when they are not JSON: a parse_error, or out_of_range for a
// number no double holds (1e400). The readers' callers turn either into their own error
// before any reader sees the file.
inline std::optional<nlohmann::json> parse_json(const uint8_t* data, size_t size) {
    try {
        return nlohmann::json::parse(data, data + size);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

// Aborts (a fuzzer finding) unless reading `c.to_json()` back gives the same JSON: an accepted
// config must be one the program can write and read again, e.g. into a run's stored config.
template <typename Config, typename Read>
void require_round_trip(const Config& c, Read read) {
    const nlohmann::json written = c.to_json();
    if (read(written).to_json() != written) std::abort();
}

}  // namespace tinyseek::fuzz
