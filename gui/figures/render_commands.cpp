#include "gui/figures/render_commands.h"

#include <string>

#include "cli/command.h"
#include "cli/export_formats.h"
#include "gui/figures/export_figures.h"
#include "gui/figures/inspect_figures.h"

namespace tinyseek::gui {

namespace {

cli::ExportFormat imageFormat(const std::string& ext, const std::string& description) {
    return {ext, description,
            [ext](const cli::ExportJob& job) { return cli::export_figures(job, ext); },
            cli::release_figure_pages};
}

}  // namespace

void registerRenderCommands() {
    static bool registered = false;
    if (registered) return;
    registered = true;
    cli::add_export_format(imageFormat(
        "png", "every chart of the run's pages as PNG (2x) with its data as CSV, in figures/"));
    cli::add_export_format(
        imageFormat("svg", "every chart of the run's pages as SVG (and its CSV), in figures/"));
    cli::add_export_format(
        imageFormat("pdf", "every chart of the run's pages as PDF (and its CSV), in figures/"));
    cli::set_inspect_figure_writer(writeInspectFigures);
    cli::set_window_usage(
        "  tinyseek                           open the workbench window\n"
        "  tinyseek [--db FILE] [--run ID] [--compare ID,...] [--page NAME]\n"
        "           [--x-axis step|time] [--metrics FILTER] [--group KEY] [--lang en|zh_CN]\n"
        "           [--theme system|light|dark] [--from-step N] [--text STR]\n"
        "                                     open it on a database and run (others overlaid)\n"
        "  tinyseek [--db FILE] --import PATH | --follow PATH\n"
        "                                     open it on the runs of another program's logs\n"
        "                                     (verl, TRL, TensorBoard; see: tinyseek import),\n"
        "                                     followed: read again every second\n"
        "  tinyseek --screenshot OUT.png [--page NAME]\n"
        "                                     open the window, show a page, save a PNG, exit\n"
        "  tinyseek --measure-latency SECONDS [--preset tiny|small|medium] [--db FILE]\n"
        "                                     train at full speed and print the event loop's\n"
        "                                     latency (median, p99, worst) as one JSON line\n"
        "  --page NAME: a page id (training, routing, inference, explore, rollouts,\n"
        "               evaluation, precision, reward-model, runs) or its tab title, any case "
        "(\"Reward\n"
        "               Model\"); pass-at-k and difficulty open the Evaluation page's tabs,\n"
        "               completions and distributions the Rollouts page's tabs,\n"
        "               attention, logit-lens and model-view the Explore page's tabs,\n"
        "               kv-cache or \"KV Cache\" opens the Inference page on its KV cache tab,\n"
        "               fp8-accumulation, fp8-granularity, fp8-training and fp8-memory (or\n"
        "               their tab titles) the Precision page's tabs\n"
        "  --metrics FILTER: the Training page shows only the charts whose metric name or\n"
        "               title contains FILTER; alternatives split by '|', e.g. \"think|length\"\n"
        "  --group KEY: the Training page draws the shown runs that differ only in the\n"
        "               config key KEY (e.g. seed) as their mean inside a min-max band\n"
        "  --from-step N: the Rollouts page lists the completions from step N on\n"
        "  --text STR: the Explore page inspects this text (tags such as <bos> allowed)\n"
        "               once its model is open, instead of a held-out problem\n");
}

}  // namespace tinyseek::gui
