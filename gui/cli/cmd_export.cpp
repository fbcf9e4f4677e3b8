// `tinyseek export --db FILE --run ID --out DIR [--formats csv,png,svg,pdf] [--json]`: a run's data
// as files. Formats are handlers in the table below (gui/cli/export_formats.h); an unknown or not
// yet supported format is refused before anything is written.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "gui/cli/commands.h"
#include "gui/cli/export_figures.h"
#include "gui/cli/export_formats.h"

namespace tinyseek::cli {

const std::vector<ExportFormat>& export_formats() {
    static const std::vector<ExportFormat> formats = {
        {"csv", "metrics (long and per key), expert load, rollouts; plus run.json", export_csv},
        {"png", "every chart of the run's pages as PNG (2x) with its data as CSV, in figures/",
         [](const ExportJob& job) { return export_figures(job, "png"); }},
        {"svg", "every chart of the run's pages as SVG (and its CSV), in figures/",
         [](const ExportJob& job) { return export_figures(job, "svg"); }},
        {"pdf", "every chart of the run's pages as PDF (and its CSV), in figures/",
         [](const ExportJob& job) { return export_figures(job, "pdf"); }},
    };
    return formats;
}

namespace {

std::string supported_formats() {
    std::string out;
    for (const ExportFormat& f : export_formats()) {
        if (!out.empty()) out += ", ";
        out += f.name;
    }
    return out;
}

}  // namespace

int run_export(const Args& args) {
    if (!args.has("db")) throw UsageError("missing --db FILE (a run database)");
    if (!args.has("run")) throw UsageError("missing --run ID (see: tinyseek runs list)");
    if (!args.has("out")) throw UsageError("missing --out DIR (where to write the files)");
    const long long run_id = args.get_int("run", 0);
    if (run_id < 1) throw UsageError("option --run expects a run id >= 1");
    std::vector<const ExportFormat*> chosen;
    for (const std::string& name : args.get_list("formats", {"csv"})) {
        const ExportFormat* found = nullptr;
        for (const ExportFormat& f : export_formats())
            if (f.name == name) found = &f;
        if (!found)
            throw UsageError("option --formats: '" + name +
                             "' is not supported by this build (supported: " + supported_formats() +
                             ")");
        bool repeated = false;
        for (const ExportFormat* f : chosen) repeated = repeated || f == found;
        if (!repeated) chosen.push_back(found);
    }
    const std::string db = args.get("db");
    if (!std::filesystem::exists(db)) throw UsageError("option --db: no such file: " + db);

    const FigureExportScope figures;  // pages built for image formats live until the end
    const RunStore store(db, {.read_only = true});
    ExportJob job{store, store.run(run_id), std::filesystem::path(args.get("out"))};
    std::filesystem::create_directories(job.out_dir);
    nlohmann::json written = nlohmann::json::object();
    std::size_t total = 0;
    for (const ExportFormat* f : chosen) {
        const std::vector<std::string> files = f->write(job);
        written[f->name] = files;
        total += files.size();
    }
    if (args.has("json")) {
        std::cout << nlohmann::json{{"run_id", run_id},
                                    {"out", job.out_dir.string()},
                                    {"files", written}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "exported run " << run_id << " ('" << job.run.name << "') to "
                  << job.out_dir.string() << ": " << total << " files\n";
        for (const auto& [format, files] : written.items())
            for (const auto& file : files) std::cout << "  " << file.get<std::string>() << "\n";
    }
    return 0;
}

}  // namespace tinyseek::cli
