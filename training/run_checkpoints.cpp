#include "training/run_checkpoints.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/checkpoint.h"
#include "core/errors.h"

namespace tinyseek {

namespace fs = std::filesystem;

std::string checkpoint_root(const TrainConfig& config, const std::string& db_path) {
    if (!config.out_dir.empty()) return fs::absolute(config.out_dir).lexically_normal().string();
    const fs::path db = fs::absolute(db_path);
    return (db.parent_path() / (db.stem().string() + "-checkpoints")).lexically_normal().string();
}

std::string checkpoint_dir(const std::string& root, std::int64_t run_id, std::int64_t step) {
    return (fs::path(root) / ("run-" + std::to_string(run_id)) / ("step-" + std::to_string(step)))
        .string();
}

namespace {

// "step-<digits>", optionally followed by ".tmp-..." or ".old-..." (core/checkpoint.cpp's temp
// and backup directories); `leftover` says which.
bool is_step_dir_name(const std::string& name, bool& leftover) {
    const std::string prefix = "step-";
    if (name.rfind(prefix, 0) != 0) return false;
    std::size_t i = prefix.size();
    while (i < name.size() && name[i] >= '0' && name[i] <= '9') ++i;
    if (i == prefix.size()) return false;
    const std::string rest = name.substr(i);
    leftover = rest.rfind(".tmp-", 0) == 0 || rest.rfind(".old-", 0) == 0;
    return rest.empty() || leftover;
}

}  // namespace

std::vector<CheckpointRef> checkpoints_beside(const std::string& dir) {
    // The step of a "step-<N>" name; -1 for any other name (or an N too large for a step).
    const auto step_of = [](const std::string& name) -> std::int64_t {
        bool leftover = false;
        if (!is_step_dir_name(name, leftover) || leftover || name.size() > 5 + 18) return -1;
        return std::stoll(name.substr(5));
    };
    const fs::path path = fs::path(dir).lexically_normal();
    const fs::path self = path.filename().empty() ? path.parent_path() : path;
    const std::int64_t own_step = step_of(self.filename().string());
    if (own_step < 0) return {{0, dir}};
    std::vector<CheckpointRef> out;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(self.parent_path(), ec)) {
        const std::int64_t step = step_of(entry.path().filename().string());
        if (step >= 0 && is_checkpoint_dir(entry.path().string()))
            out.push_back({step, entry.path().string()});
    }
    if (out.empty()) return {{own_step, dir}};
    std::sort(out.begin(), out.end(),
              [](const CheckpointRef& a, const CheckpointRef& b) { return a.step < b.step; });
    return out;
}

std::vector<std::string> remove_unlisted_checkpoint_dirs(const std::string& root,
                                                         std::int64_t run_id,
                                                         const std::vector<std::string>& listed) {
    const fs::path run_dir = fs::path(root) / ("run-" + std::to_string(run_id));
    std::vector<std::string> listed_names;
    for (const std::string& p : listed) listed_names.push_back(fs::path(p).filename().string());
    std::vector<fs::path> doomed;
    std::error_code ec;
    fs::directory_iterator it(run_dir, ec);
    if (ec) return {};  // no folder yet
    for (const fs::directory_entry& entry : it) {
        const std::string name = entry.path().filename().string();
        bool leftover = false;
        if (!is_step_dir_name(name, leftover) || !entry.is_directory(ec)) continue;
        const bool is_listed =
            std::find(listed_names.begin(), listed_names.end(), name) != listed_names.end();
        if (leftover || !is_listed) doomed.push_back(entry.path());
    }
    std::vector<std::string> removed;
    for (const fs::path& p : doomed) {
        fs::remove_all(p, ec);
        if (!ec) removed.push_back(p.string());
    }
    return removed;
}

void save_training_checkpoint(const std::string& dir, const TrainingState& state,
                              std::int64_t run_id, Stage stage, const TrainConfig& config) {
    std::error_code ec;
    fs::create_directories(fs::path(dir).parent_path(), ec);
    if (ec) throw CheckpointError(dir + ": cannot create the parent directory: " + ec.message());
    OptimizerStateView optimizer;
    optimizer.exp_avg = &state.optimizer.m();
    optimizer.exp_avg_sq = &state.optimizer.v();
    optimizer.step = state.optimizer.step_count();
    const Metadata metadata = {{"run_id", std::to_string(run_id)},
                               {"step", std::to_string(state.step)},
                               {"stage", to_string(stage)},
                               {"task", config.task},
                               {"task_options", config.task_options.to_json().dump()},
                               {"seed", std::to_string(config.seed)},
                               {"created_by", "tinyseek RunLoop"}};
    save_checkpoint(dir, state.params, state.tokenizer, &optimizer, metadata);
}

CheckpointTask checkpoint_task(const Metadata& metadata, const std::string& dir) {
    CheckpointTask task;
    if (auto it = metadata.find("task"); it != metadata.end()) task.name = it->second;
    if (auto it = metadata.find("task_options"); it != metadata.end()) {
        try {
            task.options = TaskOptions::from_json(nlohmann::json::parse(it->second),
                                                  dir + " metadata task_options");
        } catch (const nlohmann::json::exception& e) {
            throw CheckpointError(dir + ": metadata task_options is not JSON: " + e.what());
        }
    }
    return task;
}

void load_training_checkpoint(const std::string& dir, TrainingState& state) {
    Checkpoint ck = load_checkpoint(dir);
    // The name is a label (a checkpoint's config may be named after its directory).
    ModelConfig loaded = ck.config;
    loaded.name = state.config.name;
    if (loaded.to_json() != state.config.to_json())
        throw CheckpointError(dir + ": the checkpoint's model config differs from the run's (" +
                              ck.config.to_json().dump() + " vs " + state.config.to_json().dump() +
                              ")");
    if (!ck.optimizer)
        throw CheckpointError(dir + ": no " + std::string(kOptimizerFile) +
                              "; a run resumes only from a checkpoint with its optimizer state");
    auto it = ck.metadata.find("step");
    if (it == ck.metadata.end())
        throw CheckpointError(dir + ": model.safetensors metadata has no 'step'");
    std::int64_t step = 0;
    try {
        std::size_t used = 0;
        step = std::stoll(it->second, &used);
        if (used != it->second.size() || step < 0) throw std::invalid_argument(it->second);
    } catch (const std::exception&) {
        throw CheckpointError(dir + ": metadata 'step' is '" + it->second +
                              "', expected a non-negative integer");
    }
    state.params = std::move(ck.params);
    state.tokenizer = std::move(ck.tokenizer);
    state.optimizer.m() = std::move(ck.optimizer->exp_avg);
    state.optimizer.v() = std::move(ck.optimizer->exp_avg_sq);
    state.optimizer.set_step_count(ck.optimizer->step);
    state.step = step;
}

}  // namespace tinyseek
