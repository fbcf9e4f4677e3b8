// Entry point: `tinyseek` opens the workbench, `tinyseek <command> ...` runs headless.
#include <cstdio>

#include "gui/cli/command.h"

int main(int argc, char** argv) {
    const int rc = tinyseek::cli::run_command_line(argc, argv);
    if (rc >= 0) return rc;
    std::puts("TinySeek Workbench");
    return 0;
}
