#include "imports/run_import.h"

#include <cmath>

namespace tinyseek::imports {

namespace {

using json = nlohmann::json;

std::string source_of(const RunInfo& run) {
    try {
        const json config = json::parse(run.config_json);
        return config.at("import").at("source").get<std::string>();
    } catch (const json::exception&) {
        return {};
    }
}

// A run that logs rewards or samples is RL; anything else is shown as supervised.
Stage stage_of(const ImportedLog& log) {
    for (const auto& [step, s] : log.steps) {
        if (!s.rollouts.empty() || s.scalars.count(metric::kReward)) return Stage::grpo;
    }
    return Stage::sft;
}

std::vector<StepReport> reports_of(ImportedLog& log, Stage stage) {
    std::vector<StepReport> reports;
    reports.reserve(log.steps.size());
    for (auto& [step, s] : log.steps) {
        StepReport r;
        r.step = step;
        r.stage = stage;
        r.wall_time = s.wall_time;
        r.scalars = std::move(s.scalars);
        r.rollouts = std::move(s.rollouts);
        reports.push_back(std::move(r));
    }
    return reports;
}

}  // namespace

std::optional<std::int64_t> find_imported_run(const RunStore& store,
                                              const std::string& source_path) {
    for (const RunInfo& run : store.list_runs()) {
        if (run.kind == kImportedKind && source_of(run) == source_path) return run.id;
    }
    return std::nullopt;
}

RunImport::RunImport(RunStore& store, LogSource& source) : store_(store), source_(source) {
    config_ = {{"import", {{"format", source.format()}, {"source", source.path()}}}};
    if (const auto existing = find_imported_run(store, source.path())) run_id_ = *existing;
}

RunImport::Update RunImport::poll() {
    ImportedLog log = source_.poll();
    Update u;
    u.steps = static_cast<std::int64_t>(log.steps.size());
    u.points = log.points;
    u.samples = log.samples;
    u.unsupported = log.unsupported;
    u.restarted = log.restarted;
    u.reports = write(log);
    u.issues = std::move(log.issues);
    return u;
}

std::vector<StepReport> RunImport::write(ImportedLog& log) {
    const bool replace_all = first_ || log.restarted;
    if (first_) stage_ = stage_of(log);
    if (run_id_ == 0) {  // created once the source was read: a failed read leaves no run
        run_id_ = store_.create_run({source_.display_name(), kImportedKind, config_.dump()});
        created_ = true;
    }
    if (!log.config.empty()) {
        for (auto& [key, value] : log.config.items()) config_["source_config"][key] = value;
        store_.set_config(run_id_, config_.dump());
    } else if (first_) {
        store_.set_config(run_id_, config_.dump());
    }
    std::vector<StepReport> reports = reports_of(log, stage_);
    if (replace_all || !reports.empty()) store_.merge_steps(run_id_, reports, replace_all);
    first_ = false;
    for (StepReport& r : reports) r.run_id = run_id_;
    return reports;
}

void RunImport::set_status(RunStatus status) {
    if (status == RunStatus::running)
        store_.set_status(run_id_, status);
    else
        store_.finish(run_id_, status);
}

}  // namespace tinyseek::imports
