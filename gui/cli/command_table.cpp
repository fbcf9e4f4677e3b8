// The table of commands, in the order `tinyseek --help` lists them. Add a command by
// declaring its function in commands.h and adding one entry here.
#include "gui/cli/commands.h"

namespace tinyseek::cli {

const std::vector<Command>& all_commands() {
    static const std::vector<Command> commands = {
        {"demo",
         "show what the workbench does and the bundled tiny model (no display needed)",
         {},
         run_demo},
    };
    return commands;
}

}  // namespace tinyseek::cli
