// `tinyseek export --db FILE --run ID --out DIR [--formats csv,png,svg,pdf]
// [--measure-throughput] [--json]`: a run's data as files. Formats are handlers
// (cli/export_formats.h); one this build does not have is refused before anything is written.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "cli/commands.h"
#include "cli/export_formats.h"

namespace tinyseek::cli {

namespace {

std::vector<ExportFormat>& format_list() {
    static std::vector<ExportFormat> formats = {
        {"csv", "metrics (long and per key), expert load, rollouts; plus run.json", export_csv, {}},
    };
    return formats;
}

// Runs every chosen format's finish() when the command ends, however it ends.
class FinishFormats {
  public:
    explicit FinishFormats(const std::vector<const ExportFormat*>& chosen) : chosen_(chosen) {}
    ~FinishFormats() {
        for (const ExportFormat* f : chosen_)
            if (f->finish) f->finish();
    }
    FinishFormats(const FinishFormats&) = delete;
    FinishFormats& operator=(const FinishFormats&) = delete;

  private:
    const std::vector<const ExportFormat*>& chosen_;
};

std::string supported_formats() {
    std::string out;
    for (const ExportFormat& f : export_formats()) {
        if (!out.empty()) out += ", ";
        out += f.name;
    }
    return out;
}

}  // namespace

const std::vector<ExportFormat>& export_formats() {
    return format_list();
}

void add_export_format(ExportFormat format) {
    format_list().push_back(std::move(format));
}

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

    const FinishFormats finish(chosen);  // e.g. pages built for image formats, freed at the end
    const RunStore store(db, {.read_only = true});
    ExportJob job{store, store.run(run_id), std::filesystem::path(args.get("out")),
                  args.has("measure-throughput")};
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
