// The table of commands, in the order `tinyseek --help` lists them. Add a command by
// declaring its function in commands.h and adding one entry here.
#include "gui/cli/commands.h"

namespace tinyseek::cli {

const std::vector<Command>& all_commands() {
    static const std::vector<Command> commands = {};
    return commands;
}

}  // namespace tinyseek::cli
