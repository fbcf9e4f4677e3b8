#include "imports/trl_reader.h"

#include <cmath>

#include "imports/json_lines.h"

namespace tinyseek::imports {

namespace {

using Kind = ImportIssue::Kind;
using json = nlohmann::json;

// The keys of an entry that are not metrics.
bool is_bookkeeping(const std::string& key) {
    return key == "step";
}

// Which stream an entry belongs to: they share step numbers (an evaluation at step 100 logs
// beside the training entry of step 100), so order is checked per stream. An evaluation entry
// holds eval_ keys only (besides step and epoch); a training entry may hold one too.
std::string stream_of(const json& entry) {
    if (entry.contains("train_runtime")) return "summary";
    bool eval = false;
    for (const auto& [key, value] : entry.items()) {
        if (key == "step" || key == "epoch") continue;
        if (!key.starts_with("eval_")) return "train";
        eval = true;
    }
    return eval ? "eval" : "train";
}

// The training clock from TRL's step_time (v0.26 on): seconds per step averaged over the
// entries' logging window, so the window's time is step_time × the steps since the last entry.
struct StepClock {
    double seconds = 0.0;
    std::int64_t last_step = 0;
    void advance(const json& entry, std::int64_t step, ImportedLog& log) {
        const auto it = entry.find("step_time");
        if (it == entry.end() || !it->is_number() || step <= last_step) return;
        const double per_step = it->get<double>();
        if (!std::isfinite(per_step) || per_step < 0) return;
        const double next = seconds + per_step * static_cast<double>(step - last_step);
        if (!std::isfinite(next)) return;  // a window of absurd length: the clock stays
        seconds = next;
        last_step = step;
        log.steps[step].wall_time = seconds;
    }
};

void read_entry(const json& entry, std::int64_t number, const std::string& file, StepOrder& order,
                ImportedLog& log) {
    const std::string where = "entry " + std::to_string(number) + " of log_history";
    if (!entry.is_object() || !entry.contains("step") || !entry["step"].is_number_integer()) {
        log.add_issue(Kind::malformed, file, number, where + " has no integer \"step\"");
        return;
    }
    const auto step = entry["step"].get<std::int64_t>();
    order.check(step, stream_of(entry), log, file, number);
    for (const auto& [key, value] : entry.items()) {
        if (is_bookkeeping(key)) continue;
        const std::optional<double> v = number_of(value);
        if (!v) {
            log.add_issue(Kind::not_a_number, file, number,
                          "'" + key + "' in " + where + " is " + value.type_name() +
                              ", not a number (left out)");
            continue;
        }
        add_value(log, nullptr, step, key, *v, file, number);
    }
}

}  // namespace

bool is_trainer_state(std::string_view text) {
    try {
        const json j = parse_python_json(text);
        return j.is_object() && j.contains("log_history") && j["log_history"].is_array();
    } catch (const json::exception&) {
        return false;
    }
}

void read_trainer_state(std::string_view text, const std::string& file, ImportedLog& log) {
    const json state = parse_python_json(text);
    if (!state.is_object() || !state.contains("log_history") || !state["log_history"].is_array()) {
        log.add_issue(Kind::malformed, file, 0, "it has no log_history list");
        return;
    }
    StepOrder order;
    StepClock clock;
    std::int64_t number = 0;
    for (const json& entry : state["log_history"]) {
        read_entry(entry, ++number, file, order, log);
        if (entry.is_object() && entry.contains("step") && entry["step"].is_number_integer()) {
            clock.advance(entry, entry["step"].get<std::int64_t>(), log);
        }
    }
    json settings = json::object();
    for (const auto& [key, value] : state.items()) {
        if (key != "log_history" && !value.is_array()) settings[key] = value;
    }
    log.config["trainer_state"] = std::move(settings);
}

}  // namespace tinyseek::imports
