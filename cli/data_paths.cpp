#include "cli/data_paths.h"

#include <cstdlib>

#include "core/errors.h"

namespace tinyseek::cli {

std::string default_database_path() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    std::string base;
    if (xdg && *xdg)
        base = xdg;
    else if (home && *home)
        base = std::string(home) + "/.local/share";
    else
        throw Error("no data directory (set XDG_DATA_HOME or HOME, or give --db FILE)");
    return base + "/TinySeek/tinyseek/runs.db";
}

}  // namespace tinyseek::cli
