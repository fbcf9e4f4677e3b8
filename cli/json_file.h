// Reads a JSON file named on the command line (a training or lab config).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace tinyseek::cli {

// Throws ConfigError naming `path` when the file cannot be opened or is not JSON, including
// JSON whose numbers no double holds (1e400: nlohmann's out_of_range, not a parse_error).
nlohmann::json read_json_file(const std::string& path);

}  // namespace tinyseek::cli
