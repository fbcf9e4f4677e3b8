// RunLoop: the pipeline driver of run_loop.h. Clock convention: a step's `wall_time` is the
// run's TRAINING time, i.e. the seconds spent inside trainer steps since the run began
// (evaluation, checkpointing, storing and pauses excluded; a resumed run continues the clock
// of its checkpoint's step). So equal wall time means equal training compute, which is what
// the control arm is matched on; each evaluation's own cost is the metric "eval_seconds".
#include "training/run_loop.h"

#include <omp.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/sampler.h"
#include "training/checkpoint_schedule.h"
#include "training/difficulty.h"
#include "training/evaluator.h"
#include "training/grpo_trainer.h"
#include "training/run_checkpoints.h"
#include "training/run_loop_impl.h"
#include "training/sft_trainer.h"
#include "training/task_environment.h"

namespace tinyseek {

namespace {

// Recent steps the progress rate is measured over.
constexpr std::size_t kRateWindow = 20;

std::string kind_of(const TrainConfig& c) {
    if (c.pipeline.size() == 1) return to_string(c.pipeline[0]);
    return "pipeline";
}

// Evaluate after step `local` (1-based within the stage) of `plan`? Every N steps of the
// stage, at its end, and after the run's very first step so each curve has a starting point.
bool eval_due(const TrainConfig& c, const StagePlan& plan, std::int64_t local) {
    if (c.eval.n <= 0) return false;
    if (local == plan.end - plan.start) return true;
    if (plan.index == 0 && local == 1) return true;
    const std::int64_t every = plan.stage == Stage::sft ? c.eval.every_sft : c.eval.every_grpo;
    return every > 0 && local % every == 0;
}

}  // namespace

// ---------------------------------------------------------------- Impl helpers

double RunLoop::Impl::now() const {
    if (clock) return clock();
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double RunLoop::Impl::elapsed() const {
    return now() - started;
}

void RunLoop::Impl::wait_while_paused(const std::string& where) {
    std::unique_lock<std::mutex> lock(pause_mutex);
    pause_cv.wait(lock, [&] { return !paused.load() || cancel.load(); });
    if (cancel.load()) throw Cancelled("cancelled " + where);
}

void RunLoop::Impl::evaluate_into(StepReport& report, const TrainingState& state) {
    if (eval_set.empty()) return;
    const double t0 = now();
    SamplingParams greedy;
    greedy.temperature = 0.0f;
    EvalResult g =
        evaluate(state.params, state.tokenizer, *task, eval_set, greedy, config.eval.seed,
                 config.grpo.max_new_tokens, &cancel, config.rollouts.eval_samples);
    EvalResult sampled_result;
    if (config.eval.sampled) {
        // At the rollout temperature: what GRPO's samples look like, which on a small model
        // differs a lot from greedy decoding.
        SamplingParams sampled;
        sampled.temperature = config.grpo.temperature;
        sampled_result = evaluate(state.params, state.tokenizer, *task, eval_set, sampled,
                                  config.eval.seed, config.grpo.max_new_tokens, &cancel);
    }
    BucketTallies buckets = g.buckets;
    evaluate_top_up(state.params, state.tokenizer, *task, bucket_top_up, greedy, config.eval.seed,
                    config.grpo.max_new_tokens, buckets, &cancel);
    // Only a complete evaluation lands in the report.
    auto& m = report.scalars;
    if (config.eval.bucket_min > 0) write_bucket_metrics(buckets, m);
    m[metric::kEvalAccuracy] = g.accuracy;
    m[metric::kEvalFormat] = g.format;
    m[metric::kEvalMeanLength] = g.mean_length;
    if (config.eval.sampled) m[metric::kEvalSampledAccuracy] = sampled_result.accuracy;
    if (!config.task_options.styles.only_worked()) {
        write_style_metrics(g.styles,
                            {metric::kEvalThinkShare, nullptr, metric::kEvalMeanLengthThink,
                             metric::kEvalMeanLengthDirect, metric::kEvalAccuracyThink,
                             metric::kEvalAccuracyDirect},
                            m);
        if (config.eval.sampled)
            write_style_metrics(
                sampled_result.styles,
                {metric::kEvalSampledThinkShare, metric::kEvalSampledMeanLength,
                 metric::kEvalSampledMeanLengthThink, metric::kEvalSampledMeanLengthDirect,
                 metric::kEvalSampledAccuracyThink, metric::kEvalSampledAccuracyDirect},
                m);
    }
    m[kEvalSecondsMetric] = now() - t0;
    if (!config.rollouts.token_values)
        for (RolloutSample& r : g.samples) r.tokens = {};
    report.rollouts.insert(report.rollouts.end(), std::make_move_iterator(g.samples.begin()),
                           std::make_move_iterator(g.samples.end()));
}

void RunLoop::Impl::emit(const StepReport& report) {
    store->append_step(report);
    for (StepSink* sink : sinks) sink->on_step(report);
}

void RunLoop::Impl::report_progress(std::int64_t id, Stage stage, std::int64_t step,
                                    double eta_seconds, const std::string& message) {
    const double now = elapsed();
    recent.emplace_back(now, step);
    while (recent.size() > kRateWindow) recent.pop_front();
    RunProgress p;
    p.run_id = id;
    p.stage = stage;
    p.step = step;
    p.total_steps = total_steps;
    p.elapsed_seconds = now;
    if (recent.size() >= 2 && recent.back().first > recent.front().first)
        p.steps_per_second = double(recent.back().second - recent.front().second) /
                             (recent.back().first - recent.front().first);
    p.eta_seconds = eta_seconds;
    if (eta_seconds < 0 && p.steps_per_second > 0 && id == run_id)
        p.eta_seconds = double(total_steps - step) / p.steps_per_second;
    p.message = message;
    if (progress_callback) progress_callback(p);
}

std::string RunLoop::Impl::save_checkpoint_of(RunCheckpoints& ck, const TrainingState& state,
                                              Stage stage) {
    const std::string dir = checkpoint_dir(checkpoint_root, ck.run_id, state.step);
    save_training_checkpoint(dir, state, ck.run_id, stage, config);
    store->add_checkpoint(ck.run_id, state.step, dir);
    last_checkpoint = dir;
    ck.last_step = state.step;
    prune_checkpoints(ck);
    return dir;
}

void RunLoop::Impl::prune_checkpoints(const RunCheckpoints& ck) {
    const std::vector<CheckpointInfo> all = store->checkpoints(ck.run_id);
    std::vector<std::int64_t> steps;
    for (const CheckpointInfo& c : all) steps.push_back(c.step);
    const std::vector<std::int64_t> doomed =
        checkpoints_to_prune(steps, ck.kept_always, config.checkpoint_keep);
    if (doomed.empty()) return;
    // Rows first: the database never lists a directory that is being deleted.
    store->remove_checkpoints(ck.run_id, doomed);
    for (const CheckpointInfo& c : all) {
        if (std::find(doomed.begin(), doomed.end(), c.step) == doomed.end()) continue;
        std::error_code ec;
        std::filesystem::remove_all(c.path, ec);  // best effort: only disk space
    }
}

void RunLoop::Impl::discard_after(std::int64_t id, std::int64_t step) {
    store->truncate_after(id, step);
    std::vector<std::string> listed;
    for (const CheckpointInfo& c : store->checkpoints(id)) listed.push_back(c.path);
    remove_unlisted_checkpoint_dirs(checkpoint_root, id, listed);
}

double RunLoop::Impl::stored_wall_time(std::int64_t id, std::int64_t step) const {
    if (step == 0) return 0.0;
    return store->load_step(id, step).wall_time;
}

const StagePlan* RunLoop::Impl::grpo_plan() const {
    for (const StagePlan& p : plans)
        if (p.stage == Stage::grpo) return &p;
    return nullptr;
}

std::string RunLoop::Impl::checkpoint_at(std::int64_t id, std::int64_t step) const {
    std::string dir;
    for (const CheckpointInfo& ck : store->checkpoints(id))
        if (ck.step == step) dir = ck.path;
    return dir;
}

StepReport RunLoop::Impl::timed_step(StageTrainer& trainer, TrainingState& state, std::int64_t id,
                                     Stage stage, double& clock, double clock_start) {
    StepReport report;
    const double t0 = now();
    trainer.step(state, report, &cancel);
    clock += now() - t0;
    report.run_id = id;
    report.step = state.step;
    report.wall_time = clock_start + clock;
    report.stage = stage;
    return report;
}

void RunLoop::Impl::emit_step(StepReport& report, const TrainingState& state, bool evaluate,
                              double eta_seconds, const std::string& message) {
    bool stop_after = false;
    if (evaluate) {
        report_progress(report.run_id, report.stage, report.step, eta_seconds, message);
        try {
            evaluate_into(report, state);
        } catch (const Cancelled&) {
            stop_after = true;  // the step itself is complete: keep it
        }
    }
    emit(report);
    if (stop_after) throw Cancelled("cancelled during evaluation");
}

// ---------------------------------------------------------------- the phases of run()

void RunLoop::Impl::plan_stages() {
    plans.clear();
    std::int64_t step = 0;
    for (std::size_t i = 0; i < config.pipeline.size(); ++i) {
        const std::int64_t n = config.stage_steps(config.pipeline[i]);
        plans.push_back({config.pipeline[i], step, step + n, i});
        step += n;
    }
    total_steps = step;
    checkpoint_root = tinyseek::checkpoint_root(config, db_path);
    main_checkpoints = RunCheckpoints();
    main_checkpoints.run_id = run_id;
    main_checkpoints.schedule = CheckpointSchedule(
        config.checkpoint_every, static_cast<double>(config.checkpoint_every_seconds));
    for (const StagePlan& p : plans) {
        main_checkpoints.kept_always.insert(p.end);
        if (p.stage == Stage::grpo) main_checkpoints.kept_always.insert(p.start);  // reference
    }
}

double RunLoop::Impl::restore(TrainingState& state) {
    if (!resuming) return 0.0;
    const auto ck = store->latest_checkpoint(run_id);
    // Interrupted before its first checkpoint: it starts again from step 0.
    discard_after(run_id, ck ? ck->step : 0);
    if (!ck) return 0.0;
    load_training_checkpoint(ck->path, state);
    if (state.step != ck->step)
        throw CheckpointError(ck->path + ": holds step " + std::to_string(state.step) +
                              ", the database registered it as step " + std::to_string(ck->step));
    const double clock = stored_wall_time(run_id, ck->step);
    last_checkpoint = ck->path;
    main_checkpoints.last_step = ck->step;
    main_checkpoints.schedule.restart(clock);
    return clock;
}

void RunLoop::Impl::prepare_task() {
    task = std::shared_ptr<const Task>(make_task(config.task, config.task_options));
    if (config.eval.n > 0) {
        eval_set = evaluation_set(*task, config.eval.split, static_cast<std::size_t>(config.eval.n),
                                  config.eval.seed);
        bucket_top_up = difficulty_top_up(*task, eval_set, config.eval.bucket_min,
                                          config.eval.seed + 1, config.eval.split);
    }
    env = std::make_shared<TaskEnvironment>(task, config.reward);
}

// The frozen KL reference is the policy the stage started from; its checkpoint also seeds the
// control arm, so make sure it exists.
ParamStore RunLoop::Impl::grpo_reference(const StagePlan& plan, const TrainingState& state) {
    if (state.step == plan.start) {
        if (main_checkpoints.last_step != plan.start)
            save_checkpoint_of(main_checkpoints, state, plan.stage);
        return state.params;
    }
    const std::string start_dir = checkpoint_at(run_id, plan.start);
    if (start_dir.empty())
        throw Error("run " + std::to_string(run_id) + " has no checkpoint at step " +
                    std::to_string(plan.start) +
                    ", where its GRPO stage started (the frozen reference)");
    TrainingState start(config.model, config.seed);
    load_training_checkpoint(start_dir, start);
    return std::move(start.params);
}

std::unique_ptr<StageTrainer> RunLoop::Impl::make_trainer(const StagePlan& plan,
                                                          const TrainingState& state) {
    if (plan.stage == Stage::sft) return std::make_unique<SftTrainer>(config, *task, plan.start);
    const ParamStore reference = grpo_reference(plan, state);
    return std::make_unique<GrpoTrainer>(config, env, reference, plan.start);
}

void RunLoop::Impl::run_stage(const StagePlan& plan, TrainingState& state, double& clock) {
    const std::unique_ptr<StageTrainer> trainer = make_trainer(plan, state);
    report_progress(run_id, plan.stage, state.step, -1.0,
                    std::string(to_string(plan.stage)) + " stage");
    while (state.step < plan.end) {
        wait_while_paused("before step " + std::to_string(state.step + 1));
        StepReport report = timed_step(*trainer, state, run_id, plan.stage, clock, 0.0);
        emit_step(report, state, eval_due(config, plan, state.step - plan.start), -1.0,
                  "evaluating");
        if (state.step == plan.end || main_checkpoints.schedule.due(state.step, clock)) {
            report_progress(run_id, plan.stage, state.step, -1.0, "checkpointing");
            save_checkpoint_of(main_checkpoints, state, plan.stage);
            main_checkpoints.schedule.restart(clock);
        }
        report_progress(run_id, plan.stage, state.step, -1.0, to_string(plan.stage));
    }
}

RunStatus RunLoop::Impl::stop(const TrainingState* state, Stage stage) {
    // Keep the last complete step resumable from exactly where it stopped.
    try {
        if (state && state->step > 0 && state->step > main_checkpoints.last_step)
            save_checkpoint_of(main_checkpoints, *state, stage);
    } catch (const std::exception& e) {
        last_error = std::string("stopped; the checkpoint on stop failed: ") + e.what();
    }
    try {
        store->finish(run_id, RunStatus::stopped);
    } catch (const std::exception& e) {
        last_error = e.what();
    }
    return RunStatus::stopped;
}

RunStatus RunLoop::Impl::fail(const std::string& error) {
    last_error = error;
    try {
        store->finish(run_id, RunStatus::failed, last_error);
    } catch (const std::exception&) {
        // The store itself is failing (e.g. disk full): the error is in last_error().
    }
    return RunStatus::failed;
}

// ---------------------------------------------------------------- RunLoop

RunLoop::RunLoop() : impl_(std::make_unique<Impl>()) {}

RunLoop::RunLoop(TrainConfig config, const std::string& db_path) : RunLoop() {
    config.validate();
    impl_->config = std::move(config);
    impl_->db_path = db_path;
    impl_->store = std::make_unique<RunStore>(db_path);
}

RunLoop RunLoop::resume(const std::string& db_path, std::int64_t run_id) {
    RunLoop loop;
    Impl& m = *loop.impl_;
    m.db_path = db_path;
    m.store = std::make_unique<RunStore>(db_path);
    const RunInfo info = m.store->run(run_id);  // StoreError(not_found)
    if (info.kind == "control")
        throw Error("run " + std::to_string(run_id) + " is a control arm; resume run " +
                    (info.parent_run_id ? std::to_string(*info.parent_run_id) : "its parent") +
                    ", which re-runs it");
    if (info.status == RunStatus::completed)
        throw Error("run " + std::to_string(run_id) + " is already completed");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(info.config_json);
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError("run " + std::to_string(run_id) +
                          ": the stored config is not JSON: " + e.what());
    }
    m.config = TrainConfig::from_json(j, "run " + std::to_string(run_id) + " config");
    // Runs stored before checkpoint_keep existed kept every checkpoint; so they still do.
    if (j.is_object() && !j.contains("checkpoint_keep")) m.config.checkpoint_keep = 0;
    m.config.validate();
    m.run_id = run_id;
    m.resuming = true;
    ResumePoint point;
    if (const auto ck = m.store->latest_checkpoint(run_id)) {
        point.step = ck->step;
        point.checkpoint = ck->path;
    }
    for (std::int64_t s : m.store->steps(run_id)) point.stored_after += s > point.step;
    m.resume_point = point;
    return loop;
}

RunLoop::~RunLoop() = default;
RunLoop::RunLoop(RunLoop&&) noexcept = default;

void RunLoop::add_sink(StepSink* sink) {
    if (sink) impl_->sinks.push_back(sink);
}

void RunLoop::set_progress_callback(std::function<void(const RunProgress&)> callback) {
    impl_->progress_callback = std::move(callback);
}

std::int64_t RunLoop::create() {
    Impl& m = *impl_;
    if (m.run_id == 0) {
        NewRun run;
        run.name = m.config.display_name();
        run.kind = kind_of(m.config);
        run.config_json = m.config.to_json().dump();
        m.run_id = m.store->create_run(run);
    }
    return m.run_id;
}

void RunLoop::request_pause(bool paused) {
    {
        std::lock_guard<std::mutex> lock(impl_->pause_mutex);
        impl_->paused.store(paused);
    }
    impl_->pause_cv.notify_all();
}

void RunLoop::request_cancel() {
    {
        std::lock_guard<std::mutex> lock(impl_->pause_mutex);
        impl_->cancel.store(true);
    }
    impl_->pause_cv.notify_all();
}

bool RunLoop::paused() const {
    return impl_->paused.load();
}

std::int64_t RunLoop::run_id() const {
    return impl_->run_id;
}

std::optional<std::int64_t> RunLoop::control_run_id() const {
    return impl_->control_run_id;
}

const TrainConfig& RunLoop::config() const {
    return impl_->config;
}

const std::string& RunLoop::last_error() const {
    return impl_->last_error;
}

const std::string& RunLoop::last_checkpoint() const {
    return impl_->last_checkpoint;
}

const std::optional<ResumePoint>& RunLoop::resume_point() const {
    return impl_->resume_point;
}

void RunLoop::set_clock(std::function<double()> seconds_now) {
    impl_->clock = std::move(seconds_now);
}

RunStatus RunLoop::run() {
    Impl& m = *impl_;
    const TrainConfig& c = m.config;
    create();
    if (m.resuming) m.store->set_status(m.run_id, RunStatus::running);
    m.started = m.now();
    m.recent.clear();
    if (c.threads > 0) omp_set_num_threads(c.threads);
    m.plan_stages();

    std::unique_ptr<TrainingState> state;
    Stage current_stage = c.pipeline.front();
    try {
        state = std::make_unique<TrainingState>(c.model, c.seed);
        double clock = m.restore(*state);  // training seconds of the run (see the top of this file)
        m.prepare_task();
        for (const StagePlan& plan : m.plans) {
            current_stage = plan.stage;
            if (state->step < plan.end) m.run_stage(plan, *state, clock);
            if (plan.stage == Stage::grpo && c.control == "sft") m.run_control_arm();
        }
        m.store->finish(m.run_id, RunStatus::completed);
        m.report_progress(m.run_id, current_stage, state->step, 0.0, "completed");
        return RunStatus::completed;
    } catch (const Cancelled&) {
        return m.stop(state.get(), current_stage);
    } catch (const std::exception& e) {
        return m.fail(e.what());
    }
}

}  // namespace tinyseek
