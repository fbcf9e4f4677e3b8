// Entry point of the headless build (-DTINYSEEK_BUILD_GUI=OFF): the same `tinyseek` program
// and commands as the workbench's, without the window and the image formats of export.
#include <cstdio>

#include "cli/command.h"

int main(int argc, char** argv) {
    const int rc = tinyseek::cli::run_command_line(argc, argv);
    if (rc >= 0) return rc;
    std::fputs(
        "tinyseek: this build has no workbench window (it was configured with "
        "-DTINYSEEK_BUILD_GUI=OFF).\n"
        "  tinyseek --help     every command of this build\n"
        "  tinyseek demo       show the bundled model and train it\n",
        stderr);
    return 2;
}
