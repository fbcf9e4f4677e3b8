// The image formats of `tinyseek export`: the workbench's chart pages are built offscreen for
// the run and every figure they hold is written, exactly as "Export All Charts" writes it in
// the window. The QApplication they need is created here, with the offscreen platform, only
// when one of these formats is asked for (the other commands never create one).
#pragma once

#include <string>
#include <vector>

#include "cli/export_formats.h"

namespace tinyseek::cli {

// Writes <out>/figures/<figure>.<ext> for every chart of the Training page (as
// training-<metric>) and every figure of the Routing, KV Cache and Rollouts pages of the
// job's run; `ext` is "png"
// (2x), "svg" or "pdf". Each figure also gets <figure>.csv, the data behind it (never
// truncated), the first time any image format is written. The pages are built once per
// process and run, then reused for the next format.
std::vector<std::string> export_figures(const ExportJob& job, const std::string& ext);

// Frees the pages and the QApplication export_figures built. The export command calls it
// when it ends (ExportFormat::finish), while Qt is fully alive: Qt Charts' lazily created
// statics would already be gone in an atexit handler.
void release_figure_pages();

// The QApplication (offscreen platform) the figure commands draw in, created on first use;
// release_figure_pages() frees it.
void ensure_figure_application();

}  // namespace tinyseek::cli
