#include "cli/json_file.h"

#include <fstream>
#include <sstream>

#include "core/errors.h"

namespace tinyseek::cli {

nlohmann::json read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path + ": cannot open the file");
    std::stringstream text;
    text << in.rdbuf();
    try {
        return nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError(path + ": not valid JSON (" + e.what() + ")");
    }
}

}  // namespace tinyseek::cli
