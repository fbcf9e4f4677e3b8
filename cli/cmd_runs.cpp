// `tinyseek runs list --db FILE [--json]`: the runs of a database, read-only (a training may be
// writing to it at the same time; WAL lets both work).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "training/precision_comparison.h"
#include "training/run_store.h"

namespace tinyseek::cli {

namespace {

nlohmann::json optional_json(const std::optional<std::int64_t>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
}

std::string cell(std::string s, std::size_t width) {
    if (s.size() > width) s = s.substr(0, width - 1) + "~";
    return s + std::string(width - s.size() + 2, ' ');
}

}  // namespace

int run_runs_list(const Args& args) {
    if (!args.has("db")) throw UsageError("missing --db FILE (a run database)");
    const std::string db = args.get("db");
    if (!std::filesystem::exists(db)) throw UsageError("option --db: no such file: " + db);
    const RunStore store(db, {.read_only = true});
    const std::vector<RunInfo> runs = store.list_runs();
    if (args.has("json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const RunInfo& r : runs)
            out.push_back(
                {{"id", r.id},
                 {"name", r.name},
                 {"kind", r.kind},
                 {"precision", run_precision(nlohmann::json::parse(r.config_json, nullptr, false))},
                 {"status", to_string(r.status)},
                 {"created", r.created},
                 {"finished", r.finished.empty() ? nlohmann::json() : nlohmann::json(r.finished)},
                 {"parent_run_id", optional_json(r.parent_run_id)},
                 {"error", r.error},
                 {"steps", r.n_steps},
                 {"last_step", optional_json(r.last_step)},
                 {"best_eval_accuracy",
                  r.best_eval_accuracy ? nlohmann::json(*r.best_eval_accuracy) : nlohmann::json()},
                 {"checkpoints", store.checkpoints(r.id).size()}});
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    if (runs.empty()) {
        std::cout << "no runs in " << db << "\n";
        return 0;
    }
    std::cout << cell("id", 4) << cell("name", 34) << cell("kind", 8) << cell("status", 9)
              << cell("steps", 6) << cell("best eval", 9) << cell("parent", 6) << "created\n";
    for (const RunInfo& r : runs) {
        char eval[16] = "-";
        if (r.best_eval_accuracy)
            std::snprintf(eval, sizeof eval, "%.1f%%", 100.0 * *r.best_eval_accuracy);
        std::cout << cell(std::to_string(r.id), 4) << cell(r.name, 34) << cell(r.kind, 8)
                  << cell(to_string(r.status), 9) << cell(std::to_string(r.n_steps), 6)
                  << cell(eval, 9)
                  << cell(r.parent_run_id ? std::to_string(*r.parent_run_id) : "-", 6) << r.created
                  << "\n";
        if (!r.error.empty()) std::cout << "      error: " << r.error << "\n";
    }
    return 0;
}

}  // namespace tinyseek::cli
