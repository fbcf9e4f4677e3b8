#include "cli/train_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "cli/progress.h"
#include "cli/stop_signals.h"
#include "training/run_store.h"

namespace tinyseek::cli {

namespace {

// Remembers the latest value of a few metrics for the progress line.
struct LatestMetrics : StepSink {
    std::map<std::string, double> last;
    void on_step(const StepReport& r) override {
        for (const char* key : {metric::kLoss, metric::kReward, metric::kKl, metric::kEvalAccuracy})
            if (auto it = r.scalars.find(key); it != r.scalars.end()) last[key] = it->second;
    }
    std::string text(Stage stage) const {
        std::string out;
        char buf[48];
        auto add = [&](const char* label, const char* key, const char* format) {
            auto it = last.find(key);
            if (it == last.end()) return;
            std::snprintf(buf, sizeof buf, format, label, it->second);
            out += buf;
        };
        if (stage == Stage::sft) {
            add("loss", metric::kLoss, "%s %.3f  ");
        } else {
            add("reward", metric::kReward, "%s %.3f  ");
            add("kl", metric::kKl, "%s %.4f  ");
        }
        add("eval", metric::kEvalAccuracy, "%s %.3f");
        return out;
    }
};

nlohmann::json eval_json(const RunStore& store, std::int64_t run_id, const EvalConfig& eval) {
    const MetricSeries series = store.metric_series(run_id, metric::kEvalAccuracy);
    if (series.empty()) return nullptr;
    const MetricPoint* best = &series.front();
    for (const MetricPoint& p : series)
        if (p.value > best->value) best = &p;
    return {{"final", series.back().value},  {"final_step", series.back().step},
            {"best", best->value},           {"best_step", best->step},
            {"evaluations", series.size()},  {"n", eval.n},
            {"split", to_string(eval.split)}};
}

double training_seconds(const RunStore& store, std::int64_t run_id, const RunInfo& info) {
    if (!info.last_step) return 0.0;
    return store.load_step(run_id, *info.last_step).wall_time;
}

std::string percent(const nlohmann::json& v) {
    if (!v.is_number()) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * v.get<double>());
    return buf;
}

void print_summary(std::ostream& out, const nlohmann::json& s) {
    out << "run " << s["run_id"] << " '" << s["name"].get<std::string>()
        << "': " << s["status"].get<std::string>() << " after " << s["steps"] << " of "
        << s["total_steps"] << " steps in " << format_duration(s["seconds"].get<double>())
        << " (training " << format_duration(s["training_seconds"].get<double>())
        << ", evaluation and checkpoints excluded)\n";
    if (!s["error"].get<std::string>().empty())
        out << "  error: " << s["error"].get<std::string>() << "\n";
    auto eval_line = [&](const nlohmann::json& e) {
        if (e.is_null()) return std::string("no evaluation");
        const Split split = parse_split(e.value("split", "held_out"), "run summary");
        return std::string(evaluation_set_name(split)) + " accuracy (greedy, " +
               std::to_string(e["n"].get<int>()) + " problems): final " + percent(e["final"]) +
               " at step " + std::to_string(e["final_step"].get<std::int64_t>()) + ", best " +
               percent(e["best"]) + " at step " +
               std::to_string(e["best_step"].get<std::int64_t>());
    };
    out << "  " << eval_line(s["eval"]) << "\n";
    if (!s["control"].is_null()) {
        const nlohmann::json& c = s["control"];
        out << "  control arm: run " << c["run_id"] << " '" << c["name"].get<std::string>() << "', "
            << c["steps"] << " SFT steps in "
            << format_duration(c["training_seconds"].get<double>()) << " of training; "
            << eval_line(c["eval"]) << "\n";
    }
    if (!s["checkpoint"].get<std::string>().empty())
        out << "  checkpoints: " << s["checkpoint_dir"].get<std::string>()
            << " (latest: " << s["checkpoint"].get<std::string>() << ")\n";
    out << "  database: " << s["db"].get<std::string>() << "  (tinyseek runs list --db "
        << s["db"].get<std::string>() << "; schema in training/SCHEMA.md)\n";
}

// The progress lines of a run: one for the pipeline, then one for the control arm.
class RunProgressLines {
  public:
    RunProgressLines(std::int64_t run_id, std::int64_t total, const LatestMetrics& latest)
        : run_id_(run_id),
          latest_(latest),
          line_(std::make_unique<ProgressLine>("run " + std::to_string(run_id), total)) {}

    void update(const RunProgress& p) {
        if (p.run_id != run_id_) {
            update_control(p);
            return;
        }
        std::string extra = std::string(to_string(p.stage)) + "  " + latest_.text(p.stage);
        if (p.message == "evaluating" || p.message == "checkpointing") extra += "  " + p.message;
        line_->update(p.step, extra);
    }
    void finish() {
        if (control_line_) control_line_->finish();
        line_->finish();
    }

  private:
    // The control arm's progress is the share of the GRPO stage's training time done.
    void update_control(const RunProgress& p) {
        if (!control_line_) {
            line_->finish();
            control_line_ = std::make_unique<ProgressLine>("control arm (%)", 100);
            control_seconds_ = p.eta_seconds;
        }
        const double done =
            control_seconds_ > 0 ? 100.0 * (1.0 - p.eta_seconds / control_seconds_) : 0.0;
        control_line_->update(std::lround(std::clamp(done, 0.0, 99.0)),
                              "step " + std::to_string(p.step) + "  " + p.message);
    }

    std::int64_t run_id_;
    const LatestMetrics& latest_;
    std::unique_ptr<ProgressLine> line_;
    std::unique_ptr<ProgressLine> control_line_;
    double control_seconds_ = -1.0;  // training seconds the control arm has to run
};

// loop.run() with SIGINT/SIGTERM turned into a clean stop.
RunStatus run_with_stop_signals(RunLoop& loop) {
    StopSignals signals;
    std::atomic<bool> finished{false};
    std::thread watcher([&] {
        while (!finished.load()) {
            if (stop_signal() != 0) {
                loop.request_cancel();
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    RunStatus status = RunStatus::failed;
    try {
        status = loop.run();
    } catch (...) {
        finished.store(true);
        watcher.join();
        throw;
    }
    finished.store(true);
    watcher.join();
    return status;
}

nlohmann::json control_json(const RunStore& store, std::int64_t run_id, std::int64_t control,
                            const EvalConfig& eval) {
    const RunInfo c = store.run(control);
    // The control's clock starts at the GRPO stage's start (its first step - 1).
    double seconds = 0.0;
    const std::vector<std::int64_t> steps = store.steps(control);
    if (!steps.empty()) {
        const std::int64_t start = steps.front() - 1;
        seconds = store.load_step(control, steps.back()).wall_time -
                  (start > 0 ? store.load_step(run_id, start).wall_time : 0.0);
    }
    return {{"run_id", control},
            {"name", c.name},
            {"status", to_string(c.status)},
            {"steps", c.n_steps},
            {"training_seconds", seconds},
            {"eval", eval_json(store, control, eval)}};
}

// Median MFU of the SFT steps (the first sft.steps) and of the GRPO steps after them; null for
// a stage without steps.
nlohmann::json mfu_json(const RunStore& store, std::int64_t run_id, const TrainConfig& config) {
    std::vector<double> sft, grpo;
    for (const MetricPoint& p : store.metric_series(run_id, metric::kMfu))
        (p.step <= config.sft.steps ? sft : grpo).push_back(p.value);
    auto median = [](std::vector<double> v) -> nlohmann::json {
        if (v.empty()) return nullptr;
        std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
        return v[v.size() / 2];
    };
    return {{"sft", median(sft)}, {"grpo", median(grpo)}};
}

nlohmann::json summary_json(const RunLoop& loop, const std::string& db_path, RunStatus status,
                            std::chrono::steady_clock::time_point started) {
    const std::int64_t run_id = loop.run_id();
    const TrainConfig& config = loop.config();
    const RunStore store(db_path, {.read_only = true, .integrity_check = false});
    const RunInfo info = store.run(run_id);
    nlohmann::json s;
    s["db"] = std::filesystem::absolute(db_path).string();
    s["run_id"] = run_id;
    s["name"] = info.name;
    s["status"] = to_string(status);
    s["error"] = loop.last_error();
    s["steps"] = info.n_steps;
    s["total_steps"] = config.total_steps();
    s["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    s["training_seconds"] = training_seconds(store, run_id, info);
    s["eval"] = eval_json(store, run_id, config.eval);
    s["mfu"] = mfu_json(store, run_id, config);
    const auto latest_ck = store.latest_checkpoint(run_id);
    s["checkpoint"] = latest_ck ? latest_ck->path : std::string();
    s["checkpoint_dir"] =
        latest_ck ? std::filesystem::path(latest_ck->path).parent_path().string() : std::string();
    s["control"] = nullptr;
    if (const auto control = loop.control_run_id())
        s["control"] = control_json(store, run_id, *control, config.eval);
    return s;
}

int exit_code(RunStatus status, int signo) {
    if (status == RunStatus::completed) return 0;
    if (status == RunStatus::stopped && signo != 0) return 128 + signo;
    return 1;
}

}  // namespace

DriveResult drive_run(RunLoop& loop, const std::string& db_path, bool json, std::ostream& out) {
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t run_id = loop.create();
    LatestMetrics latest;
    loop.add_sink(&latest);
    RunProgressLines lines(run_id, loop.config().total_steps(), latest);
    loop.set_progress_callback([&](const RunProgress& p) { lines.update(p); });
    const RunStatus status = run_with_stop_signals(loop);
    lines.finish();

    DriveResult result;
    result.status = status;
    result.summary = summary_json(loop, db_path, status, started);
    result.exit_code = exit_code(status, stop_signal());
    if (json)
        out << result.summary.dump(2) << "\n";
    else
        print_summary(out, result.summary);
    return result;
}

}  // namespace tinyseek::cli
