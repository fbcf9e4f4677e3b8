// What the workbench adds to the headless command line (cli/) when Qt is built: the image
// formats of `tinyseek export` (png, svg, pdf: the pages rendered offscreen) and the lines of
// `tinyseek --help` that describe the window. main() calls it before run_command_line().
#pragma once

namespace tinyseek::gui {

void registerRenderCommands();

}  // namespace tinyseek::gui
