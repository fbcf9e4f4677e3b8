// The figures of `tinyseek inspect` in the window's build: the Explore page's views built
// offscreen for the inspected text and written as PNG (2x) and SVG, as the page exports them
// (next token, text, routing, top-1 expert, attention, logit lens, model diagram), plus the
// attention weights of every layer and head as PNG. The CSV files are the command's
// own (cli/cmd_inspect.cpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cli/inspect_output.h"

namespace tinyseek::gui {

std::vector<std::string> writeInspectFigures(const cli::InspectResult& result,
                                             const std::filesystem::path& dir);

}  // namespace tinyseek::gui
