// Where the workbench keeps its data when the user names no file, computed without Qt so the
// headless build finds the same database as the window.
#pragma once

#include <string>

namespace tinyseek::cli {

// The run database the workbench opens by default: Qt's AppDataLocation for organisation
// "TinySeek" and application "tinyseek" plus "/runs.db", i.e.
// $XDG_DATA_HOME/TinySeek/tinyseek/runs.db, or ~/.local/share/TinySeek/tinyseek/runs.db when
// XDG_DATA_HOME is unset (MainWindow::defaultDatabasePath; a GUI test checks they agree).
// Throws Error when neither XDG_DATA_HOME nor HOME is set.
std::string default_database_path();

}  // namespace tinyseek::cli
