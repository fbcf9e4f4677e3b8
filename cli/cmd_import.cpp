// `tinyseek import PATH --db FILE [--follow]`: runs trained by verl, TRL or anything that
// writes TensorBoard event files, read into the run store as runs of kind "imported" (the
// readers are in imports/). With --follow it keeps reading what the sources add until Ctrl-C.
#include <chrono>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/stop_signals.h"
#include "cli/thousands.h"
#include "imports/import_error.h"
#include "imports/metric_names.h"
#include "imports/run_import.h"

namespace tinyseek::cli {

namespace {

using imports::RunImport;

void print_names() {
    std::cout << "metric names mapped to the workbench's (every other key keeps its name;\n"
                 "'train/' is dropped and 'eval_' becomes 'eval/' first):\n";
    for (const imports::NameMapping& n : imports::name_mappings()) {
        std::cout << "  " << n.source_key << std::string(26 - std::string(n.source_key).size(), ' ')
                  << n.workbench_key << std::string(26 - std::string(n.workbench_key).size(), ' ')
                  << n.writer << "\n";
    }
}

void print_update(const imports::LogSource& source, const RunImport& run,
                  const RunImport::Update& u, bool first) {
    if (first) {
        std::cout << (run.created() ? "imported " : "updated ") << source.display_name()
                  << " as run " << run.run_id() << ": ";
    } else {
        std::cout << "run " << run.run_id() << (u.restarted ? " (read again from its start)" : "")
                  << ": +";
    }
    std::cout << grouped(u.steps) << " steps, " << grouped(u.points) << " values, "
              << grouped(u.samples) << " completions";
    if (u.unsupported > 0) {
        std::cout << " (" << grouped(u.unsupported)
                  << " histogram, image or other values not imported)";
    }
    std::cout << "\n";
    if (!u.issues.empty()) std::cout << "  " << imports::summarize_issues(u.issues) << "\n";
}

// Polls every source until Ctrl-C; a source that fails to read is reported and polled again.
void follow(std::vector<std::unique_ptr<imports::LogSource>>& sources, std::vector<RunImport>& runs,
            double interval) {
    StopSignals signals;
    std::cout << "following " << sources.size() << (sources.size() == 1 ? " source" : " sources")
              << "; Ctrl-C stops" << std::endl;
    for (RunImport& run : runs) run.set_status(RunStatus::running);
    while (stop_signal() == 0) {
        std::this_thread::sleep_for(std::chrono::duration<double>(interval));
        for (std::size_t i = 0; i < runs.size() && stop_signal() == 0; ++i) {
            try {
                const RunImport::Update u = runs[i].poll();
                if (u.steps > 0 || !u.issues.empty()) print_update(*sources[i], runs[i], u, false);
            } catch (const imports::ImportError& e) {
                std::cerr << "run " << runs[i].run_id() << ": " << e.what() << "\n";
            }
        }
        std::cout.flush();
    }
    for (RunImport& run : runs) run.set_status(RunStatus::stopped);
}

}  // namespace

int run_import(const Args& args) {
    if (args.has("names")) {
        print_names();
        return 0;
    }
    if (args.positional().size() != 1) throw UsageError("give one PATH (a file or a folder)");
    if (!args.has("db")) throw UsageError("missing --db FILE (the run database to write)");
    const double interval = args.get_double("interval", 1.0);
    if (!(interval > 0.0)) throw UsageError("option --interval: must be > 0 seconds");
    auto sources = imports::find_sources(args.positional().front());
    RunStore store(args.get("db"));
    std::vector<RunImport> runs;
    for (auto& source : sources) {
        runs.emplace_back(store, *source);
        const RunImport::Update u = runs.back().poll();
        print_update(*source, runs.back(), u, true);
        if (!args.has("follow")) runs.back().set_status(RunStatus::completed);
    }
    if (args.has("follow")) follow(sources, runs, interval);
    return 0;
}

}  // namespace tinyseek::cli
