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

#include "core/errors.h"

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

// The whole of a config target: bytes that are JSON go to `read` (a from_json), which may
// throw ConfigError; an accepted config must pass validate() and survive its round trip.
template <typename Read>
void fuzz_config(const uint8_t* data, size_t size, Read read) {
    const auto j = parse_json(data, size);
    if (!j) return;
    try {
        const auto c = read(*j);
        c.validate();
        require_round_trip(c, read);
    } catch (const ConfigError&) {
    }
}

}  // namespace tinyseek::fuzz
