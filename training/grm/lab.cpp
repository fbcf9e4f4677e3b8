#include "training/grm/lab.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include "core/atomic_file.h"
#include "core/checkpoint.h"
#include "core/errors.h"
#include "core/lr_schedule.h"
#include "training/grm/format.h"
#include "training/grm/judge_task.h"
#include "training/grm/pooling.h"
#include "training/grm/sampling.h"
#include "training/grm/scalar_head.h"
#include "training/grpo_trainer.h"
#include "training/run_store.h"
#include "training/sft_trainer.h"
#include "training/trainer.h"

namespace tinyseek {

namespace {

// Seeds of the lab's independent draws, mixed with the run seed by step_seed().
constexpr std::uint64_t kValStream = 0x67726d01;
constexpr std::uint64_t kRftStream = 0x67726d02;
constexpr std::uint64_t kMetaStream = 0x67726d03;
constexpr std::uint64_t kMetaBatchStream = 0x67726d04;
constexpr std::uint64_t kScalarBatchStream = 0x67726d05;
constexpr std::uint64_t kHeadInitStream = 0x67726d06;

std::string fixed(double v, int digits = 3) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(digits);
    s << v;
    return s.str();
}

// Constant learning rate after a short warm-up, decaying by cosine to a tenth: the schedule
// of both scalar heads.
float head_lr(const HeadStage& h, std::int64_t step) {
    const LrSchedule schedule{h.lr, 0.1f * h.lr, std::min<std::int64_t>(10, h.steps / 10), h.steps};
    return schedule.at(step);
}

}  // namespace

WorkedJudgment WorkedJudgment::of(const JudgeItem& item) {
    return {judge_critique(item), judge_trace(item)};
}

bool rft_keeps(const std::string& keep, const JudgeItem& item, const WorkedJudgment& worked,
               const SampledJudgment& s) {
    if (!singles_out(s.judgment, item.best)) return false;
    if (keep == "critique") return s.judgment.critique == worked.critique;
    if (keep == "trace") return s.text == worked.trace;
    return true;
}

bool rft_keeps(const std::string& keep, const JudgeItem& item, const SampledJudgment& s) {
    return rft_keeps(keep, item, WorkedJudgment::of(item), s);
}

void rft_take_item(const RejectiveStage& r, const JudgeItem& item,
                   const std::vector<SampledJudgment>& samples, std::vector<JudgeExample>& pool,
                   GrmLabSummary& summary) {
    int right = 0;
    for (const SampledJudgment& s : samples) right += singles_out(s.judgment, item.best);
    summary.rft_sampled += static_cast<std::int64_t>(samples.size());
    summary.rft_right += right;
    if (!r.hints && right == static_cast<int>(samples.size())) {
        ++summary.rft_items_dropped;  // every sample right: nothing to learn here
        return;
    }
    const WorkedJudgment worked = WorkedJudgment::of(item);  // once per item
    const std::size_t before = pool.size();
    for (const SampledJudgment& s : samples) {
        summary.rft_right_critiques += rft_keeps("critique", item, worked, s);
        summary.rft_right_traces += rft_keeps("trace", item, worked, s);
        if (rft_keeps(r.keep, item, worked, s)) pool.push_back({item, s.text});
    }
    if (r.hints && pool.size() == before) {
        pool.push_back({item, worked.trace});
        ++summary.rft_hinted;
    }
}

nlohmann::json GrmLabSummary::to_json() const {
    return {{"run_id", run_id},
            {"val_accuracy_cold", val_accuracy_cold},
            {"val_accuracy_rft", val_accuracy_rft},
            {"val_accuracy_rl", val_accuracy_rl},
            {"rft_judge_kept", rft_judge_kept},
            {"rl_judge_kept", rl_judge_kept},
            {"val_accuracy_final", val_accuracy_final},
            {"rft_rounds", rft_rounds},
            {"rft_sampled", rft_sampled},
            {"rft_right", rft_right},
            {"rft_right_critiques", rft_right_critiques},
            {"rft_right_traces", rft_right_traces},
            {"rft_kept", rft_kept},
            {"rft_hinted", rft_hinted},
            {"rft_items_dropped", rft_items_dropped},
            {"rft_steps", rft_steps},
            {"meta_examples", meta_examples},
            {"meta_positive_fraction", meta_positive_fraction},
            {"meta_val_accuracy", meta_val_accuracy},
            {"scalar_val_accuracy", scalar_val_accuracy},
            {"seconds", seconds}};
}

struct GrmLab::Impl {
    GrmLabConfig config;
    std::string db_path;
    std::string out_dir;
    std::vector<StepSink*> sinks;
    std::function<void(const GrmLabProgress&)> progress;
    std::atomic<bool> cancel{false};

    std::unique_ptr<RunStore> store;
    GrmLabSummary summary;
    std::int64_t report_step = 0;
    std::chrono::steady_clock::time_point start;
    std::shared_ptr<const Task> base;
    std::vector<JudgeItem> val_items;
    GrmLab::Validator validator;  // replaces the greedy validation when set (tests)

    // The judge as it stood after its best stage so far, to go back to (keep_best).
    struct JudgeSnapshot {
        AlignedVector<float> params, m, v;
        std::int64_t optimizer_steps = 0;
        double val = 0.0;
    };

    double elapsed() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    void check_cancel() const {
        if (cancel.load(std::memory_order_relaxed)) throw Cancelled("reward-model lab cancelled");
    }
    void tell(const std::string& phase, std::int64_t done, std::int64_t total,
              const std::string& detail = "") const {
        if (progress) progress({phase, done, total, elapsed(), detail});
    }
    void emit(StepReport& report) {
        report.run_id = summary.run_id;
        report.step = ++report_step;
        report.wall_time = elapsed();
        if (store) store->append_step(report);
        for (StepSink* sink : sinks) sink->on_step(report);
    }
    std::string path(const char* name) const {
        return (std::filesystem::path(out_dir) / name).string();
    }

    // Greedy judge accuracy on the validation items (train split), the valid fraction and, for
    // a mix, the accuracy on each task's items ("grm/val_accuracy/<task>" in `scalars`).
    std::pair<double, double> validate(const TrainingState& state,
                                       std::map<std::string, double>* scalars = nullptr) {
        if (validator) return validator(state.params);
        JudgmentSamplingOptions o;
        o.sampling.temperature = 0.0f;
        o.max_new_tokens = config.max_new_tokens;
        o.cancel = &cancel;
        const auto samples = sample_judgments(state.params, state.tokenizer, val_items, o);
        int right = 0, valid = 0;
        std::map<std::string, std::pair<int, int>> by_task;  // task -> (right, items)
        for (std::size_t i = 0; i < val_items.size(); ++i) {
            const bool ok = singles_out(samples[i][0].judgment, val_items[i].best);
            right += ok;
            valid += samples[i][0].judgment.valid;
            auto& [task_right, task_items] = by_task[val_items[i].problem.task];
            task_right += ok;
            ++task_items;
        }
        if (scalars && by_task.size() > 1)
            for (const auto& [task, counts] : by_task)
                (*scalars)["grm/val_accuracy/" + task] =
                    double(counts.first) / double(counts.second);
        const double n = static_cast<double>(val_items.size());
        return {right / n, valid / n};
    }

    TrainConfig trainer_config(const JudgeSftStage& s) const {
        TrainConfig tc;
        tc.model = config.model;
        tc.seed = config.seed;
        tc.sft.steps = std::max<std::int64_t>(1, s.steps);
        tc.sft.batch_size = s.batch_size;
        tc.sft.lr = s.lr;
        tc.sft.min_lr = s.min_lr;
        tc.sft.warmup_steps = s.warmup_steps;
        tc.sft.cold_start_pool = 0;
        return tc;
    }

    // `count` train-split judge items of a stage (its `round`-th draw), from its own stream.
    std::vector<JudgeItem> train_items(std::int64_t count, std::uint64_t stream,
                                       std::int64_t round = 0) const {
        return judge_items(*base, Split::train, static_cast<std::size_t>(count),
                           step_seed(config.seed, round, stream), config.items);
    }

    // `samples` judgments of each item by the current judge, sampled on the stage's stream
    // and reported as `phase` progress.
    std::vector<std::vector<SampledJudgment>> sample_for(
        const TrainingState& state, const std::vector<JudgeItem>& items, float temperature,
        int samples, std::uint64_t stream, const std::string& phase, std::int64_t round = 0) {
        JudgmentSamplingOptions o;
        o.sampling.temperature = temperature;
        o.seed = step_seed(config.seed, 1 + round, stream);
        o.samples_per_item = samples;
        o.max_new_tokens = config.max_new_tokens;
        o.cancel = &cancel;
        o.progress = [&](std::size_t done) {
            tell(phase, static_cast<std::int64_t>(done), static_cast<std::int64_t>(items.size()));
        };
        return sample_judgments(state.params, state.tokenizer, items, o);
    }

    // Whether a stage of `steps` steps validates after its step number `done` (1-based): every
    // eval_every steps and after the last one.
    bool validates_after(std::int64_t done, std::int64_t steps) const {
        return done == steps || (config.eval_every > 0 && done % config.eval_every == 0);
    }

    // Runs `steps` judge steps; validates every eval_every steps and after the last one.
    // Returns the last validation accuracy (validating once when steps == 0).
    double run_judge_stage(StageTrainer& trainer, TrainingState& state, std::int64_t steps,
                           const std::string& phase) {
        double accuracy = 0.0;
        if (steps == 0) return validate(state).first;
        for (std::int64_t s = 0; s < steps; ++s) {
            check_cancel();
            StepReport report;
            trainer.step(state, report, &cancel);
            std::string detail;
            if (auto it = report.scalars.find(metric::kLoss); it != report.scalars.end())
                detail = "loss " + fixed(it->second);
            if (validates_after(s + 1, steps)) {
                const auto [acc, valid] = validate(state, &report.scalars);
                report.scalars["grm/val_accuracy"] = acc;
                report.scalars["grm/val_valid"] = valid;
                accuracy = acc;
                detail += "  val " + fixed(acc);
            }
            emit(report);
            tell(phase, s + 1, steps, detail);
        }
        return accuracy;
    }

    JudgeSnapshot snapshot(const TrainingState& state, double val) const {
        return {state.params.data(), state.optimizer.m().data(), state.optimizer.v().data(),
                state.optimizer.step_count(), val};
    }

    // After a stage: its judge goes on when it validates at least as well as the best before
    // it (or keep_best is off), else the best judge comes back. Returns whether it went on.
    bool keep_if_not_worse(TrainingState& state, JudgeSnapshot& best, double val) {
        if (!config.keep_best || val >= best.val) {
            best = snapshot(state, val);
            return true;
        }
        state.params.data() = best.params;
        state.optimizer.m().data() = best.m;
        state.optimizer.v().data() = best.v;
        state.optimizer.set_step_count(best.optimizer_steps);
        return false;
    }

    // The judgments of one round of fresh items that single out the truth (all of them, or
    // only those with the worked critique or trace: rft.keep), into `pool`; with rft.hints,
    // the worked trace of each item none of whose judgments was kept.
    void keep_right_judgments(const TrainingState& state, std::int64_t round,
                              std::vector<JudgeExample>& pool) {
        const RejectiveStage& r = config.rft;
        const std::vector<JudgeItem> items = train_items(r.items, kRftStream, round);
        const auto samples =
            sample_for(state, items, r.temperature, r.samples, kRftStream, "rft sampling", round);
        for (std::size_t i = 0; i < items.size(); ++i)
            rft_take_item(r, items[i], samples[i], pool, summary);
        ++summary.rft_rounds;
    }

    void rejective_fine_tuning(TrainingState& state, JudgeSnapshot& best) {
        const RejectiveStage& r = config.rft;
        summary.val_accuracy_rft = best.val;
        if (r.items == 0 || r.train.steps == 0) return;
        std::vector<JudgeExample> pool;
        for (std::int64_t round = 0; round < r.max_rounds; ++round) {
            check_cancel();
            keep_right_judgments(state, round, pool);
            if (static_cast<std::int64_t>(pool.size()) >= r.min_kept) break;
        }
        summary.rft_kept = static_cast<std::int64_t>(pool.size());
        // Nothing to fine-tune on (the judge was always right, or never): rft_kept = 0 says so.
        if (pool.empty()) return;
        JudgeSftStage train = r.train;
        train.steps = summary.rft_steps = r.steps_for(summary.rft_kept);
        JudgeTask pool_task(base, config.items, std::move(pool));
        SftTrainer trainer(trainer_config(train), pool_task);
        // Undoing the stage (keep_if_not_worse) brings the cold start's moments back.
        if (r.fresh_optimizer) state.optimizer.reset();
        summary.val_accuracy_rft = run_judge_stage(trainer, state, train.steps, "rft");
        summary.rft_judge_kept = keep_if_not_worse(state, best, summary.val_accuracy_rft);
    }

    void online_rl(TrainingState& state, JudgeSnapshot& best) {
        const JudgeRlStage& r = config.rl;
        summary.val_accuracy_rl = best.val;
        if (r.steps == 0) return;
        TrainConfig tc;
        tc.model = config.model;
        tc.seed = config.seed;
        tc.grpo.steps = r.steps;
        tc.grpo.prompts_per_step = r.prompts_per_step;
        tc.grpo.group_size = r.group_size;
        tc.grpo.lr = r.lr;
        tc.grpo.warmup_steps = r.warmup_steps;
        tc.grpo.beta = r.beta;
        tc.grpo.epsilon = r.epsilon;
        tc.grpo.temperature = r.temperature;
        tc.grpo.max_new_tokens = config.max_new_tokens;
        tc.grpo.scale_rewards = r.scale_rewards;
        auto env = std::make_shared<JudgeEnvironment>(base, config.items);
        GrpoTrainer trainer(tc, env, state.params);
        if (r.fresh_optimizer) state.optimizer.reset();  // undoing the stage brings them back
        summary.val_accuracy_rl = run_judge_stage(trainer, state, r.steps, "rl");
        summary.rl_judge_kept = keep_if_not_worse(state, best, summary.val_accuracy_rl);
    }

    // One StepReport per head step; `prefix` is "meta_rm" or "scalar_rm".
    void report_head_step(const std::string& prefix, const HeadStepResult& r, float lr,
                          double seconds, std::optional<double> val) {
        StepReport report;
        report.stage = Stage::sft;
        report.scalars[prefix + "/loss"] = r.loss;
        report.scalars[prefix + "/accuracy"] = r.accuracy;
        report.scalars[prefix + "/grad_norm"] = r.grad_norm;
        report.scalars[prefix + "/learning_rate"] = lr;
        report.scalars[prefix + "/tokens_per_second"] =
            seconds > 0 ? static_cast<double>(r.tokens) / seconds : 0.0;
        if (val) report.scalars[prefix + "/val_accuracy"] = *val;
        emit(report);
    }

    void train_meta_rm(const TrainingState& state) {
        const HeadStage& h = config.meta_rm;
        if (h.steps == 0) return;
        const std::vector<JudgeItem> items = train_items(h.items, kMetaStream);
        const auto samples =
            sample_for(state, items, h.temperature, h.samples, kMetaStream, "meta rm data");
        // A tenth of the items (their every judgment) is held aside for validation.
        const std::size_t n_val = std::max<std::size_t>(1, items.size() / 10);
        // Each example: the meta RM's tokens and where its judgment starts (the head pools
        // the judgment, see training/grm/scalar_head.h).
        struct Examples {
            std::vector<std::vector<int>> seqs;
            std::vector<int> pool_from;
            void add(std::vector<int> seq, int from) {
                seqs.push_back(std::move(seq));
                pool_from.push_back(from);
            }
        };
        Examples pos, neg, val;
        std::vector<float> val_labels;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const int from = meta_rm_pool_from(items[i], state.tokenizer);
            for (const SampledJudgment& s : samples[i]) {
                // Invalid judgments never vote, but they are wrong judgments all the same:
                // negatives (which also keeps a judge that is not yet fluent trainable).
                const bool right = singles_out(s.judgment, items[i].best);
                std::vector<int> seq = meta_rm_tokens(items[i], s, state.tokenizer);
                if (i < n_val) {
                    val.add(std::move(seq), from);
                    val_labels.push_back(right ? 1.0f : 0.0f);
                } else {
                    (right ? pos : neg).add(std::move(seq), from);
                }
            }
        }
        summary.meta_examples = static_cast<std::int64_t>(pos.seqs.size() + neg.seqs.size());
        summary.meta_positive_fraction =
            summary.meta_examples ? double(pos.seqs.size()) / double(summary.meta_examples) : 0.0;
        if (summary.meta_examples == 0)
            throw Error("meta RM: no training judgments (meta_rm.items = " +
                        std::to_string(items.size()) + " leaves none after the validation tenth)");
        ScalarRewardModel rm(state.params, step_seed(config.seed, 0, kHeadInitStream));
        auto validate_rm = [&]() {
            if (val.seqs.empty()) return 0.0;
            const std::vector<float> r = rm.score(val.seqs, 64, &val.pool_from);
            int right = 0;
            for (std::size_t i = 0; i < r.size(); ++i)
                right += (r[i] > 0) == (val_labels[i] > 0.5f);
            return double(right) / double(r.size());
        };
        for (std::int64_t step = 0; step < h.steps; ++step) {
            check_cancel();
            const auto t0 = std::chrono::steady_clock::now();
            // Balanced batches (half right, half wrong judgments) when both kinds exist, so a
            // judge that is mostly right does not teach the head to answer "right" always.
            Rng rng = step_rng(config.seed, step, kMetaBatchStream);
            Examples batch;
            std::vector<float> labels;
            for (int b = 0; b < h.batch_size; ++b) {
                const bool want_pos = neg.seqs.empty() || (!pos.seqs.empty() && b % 2 == 0);
                const Examples& from = want_pos ? pos : neg;
                const auto j = static_cast<std::size_t>(
                    uniform_int(rng, 0, static_cast<std::int64_t>(from.seqs.size()) - 1));
                batch.add(from.seqs[j], from.pool_from[j]);
                labels.push_back(want_pos ? 1.0f : 0.0f);
            }
            const float lr = head_lr(h, step);
            const HeadStepResult r = rm.train_step(batch.seqs, labels, lr, &batch.pool_from);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::optional<double> val;
            if (validates_after(step + 1, h.steps)) val = summary.meta_val_accuracy = validate_rm();
            report_head_step("meta_rm", r, lr, seconds, val);
            tell("meta rm", step + 1, h.steps, "loss " + fixed(r.loss));
        }
        rm.save(path("meta_rm"), state.tokenizer,
                {{"role", "meta_rm"}, {"run_id", std::to_string(summary.run_id)}});
    }

    void train_scalar_rm(const TrainingState& state) {
        const HeadStage& h = config.scalar_rm;
        if (h.steps == 0) return;
        ScalarRewardModel rm(state.params, step_seed(config.seed, 1, kHeadInitStream));
        auto validate_rm = [&]() {
            std::vector<std::vector<int>> seqs;
            for (const JudgeItem& it : val_items)
                for (int c = 0; c < it.size(); ++c)
                    seqs.push_back(scalar_rm_tokens(it, c, state.tokenizer));
            const std::vector<float> r = rm.score(seqs);
            int right = 0;
            std::size_t at = 0;
            for (const JudgeItem& it : val_items) {
                const auto first = r.begin() + static_cast<std::ptrdiff_t>(at);
                const auto top = std::max_element(first, first + it.size());
                right +=
                    (top - first) == it.best && std::count(first, first + it.size(), *top) == 1;
                at += static_cast<std::size_t>(it.size());
            }
            return double(right) / double(val_items.size());
        };
        for (std::int64_t step = 0; step < h.steps; ++step) {
            check_cancel();
            const auto t0 = std::chrono::steady_clock::now();
            // Fresh train items; from each the correct candidate and one wrong one.
            Rng rng = step_rng(config.seed, step, kScalarBatchStream);
            std::vector<std::vector<int>> batch;
            std::vector<float> labels;
            while (static_cast<int>(batch.size()) < h.batch_size) {
                const JudgeItem it = sample_judge_item(*base, Split::train, rng, config.items);
                auto wrong = uniform_int(rng, 0, it.size() - 2);
                if (wrong >= it.best) ++wrong;
                batch.push_back(scalar_rm_tokens(it, it.best, state.tokenizer));
                labels.push_back(1.0f);
                batch.push_back(scalar_rm_tokens(it, static_cast<int>(wrong), state.tokenizer));
                labels.push_back(0.0f);
            }
            const float lr = head_lr(h, step);
            const HeadStepResult r = rm.train_step(batch, labels, lr);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::optional<double> val;
            if (validates_after(step + 1, h.steps))
                val = summary.scalar_val_accuracy = validate_rm();
            report_head_step("scalar_rm", r, lr, seconds, val);
            tell("scalar rm", step + 1, h.steps, "loss " + fixed(r.loss));
        }
        rm.save(path("scalar_rm"), state.tokenizer,
                {{"role", "scalar_rm"}, {"run_id", std::to_string(summary.run_id)}});
    }

    void write_manifest() const {
        const nlohmann::json j = {{"format", "tinyseek-grm"},
                                  {"version", kGrmFormatVersion},
                                  {"config", config.to_json()},
                                  {"run_id", summary.run_id},
                                  {"db", db_path},
                                  {"summary", summary.to_json()}};
        write_file_atomic(path(kGrmManifest), j.dump(2) + "\n");
    }

    void pipeline() {
        start = std::chrono::steady_clock::now();
        base = config.make_questions();
        val_items = judge_items(*base, Split::train, static_cast<std::size_t>(config.val_items),
                                step_seed(config.seed, 0, kValStream), config.items);
        std::filesystem::create_directories(out_dir);
        TrainingState state(config.model, config.seed);
        if (!config.init_checkpoint.empty()) {
            CheckpointLoadOptions options;
            options.optimizer = false;
            Checkpoint init = load_checkpoint(config.init_checkpoint, options);
            if (init.config.to_json() != config.model.to_json())
                throw ConfigError("grm lab: init_checkpoint '" + config.init_checkpoint +
                                  "' has another model config than the lab's 'model'");
            state.params = std::move(init.params);
        }

        // Cold start: synthetic worked judge traces of fresh train items.
        {
            const JudgeTask task(base, config.items, config.cold_start_decoys);
            SftTrainer trainer(trainer_config(config.cold_start), task);
            summary.val_accuracy_cold =
                run_judge_stage(trainer, state, config.cold_start.steps, "cold start");
        }
        const Metadata meta = {{"run_id", std::to_string(summary.run_id)},
                               {"created_by", "tinyseek grm train"}};
        save_checkpoint(path("judge_sft"), state.params, state.tokenizer, nullptr, meta);
        JudgeSnapshot best = snapshot(state, summary.val_accuracy_cold);
        rejective_fine_tuning(state, best);
        online_rl(state, best);
        summary.val_accuracy_final = best.val;
        save_checkpoint(path("judge"), state.params, state.tokenizer, nullptr, meta);
        if (store) store->add_checkpoint(summary.run_id, report_step, path("judge"));
        train_meta_rm(state);
        train_scalar_rm(state);
        summary.seconds = elapsed();
        write_manifest();
    }
};

GrmLab::GrmLab(GrmLabConfig config, std::string db_path, std::string out_dir)
    : impl_(std::make_unique<Impl>()) {
    config.validate();
    if (out_dir.empty()) throw ConfigError("grm lab: an output directory is required");
    impl_->config = std::move(config);
    impl_->db_path = std::move(db_path);
    impl_->out_dir = std::move(out_dir);
}

GrmLab::~GrmLab() = default;

void GrmLab::set_validator(Validator validator) {
    impl_->validator = std::move(validator);
}

void GrmLab::add_sink(StepSink* sink) {
    impl_->sinks.push_back(sink);
}

void GrmLab::set_progress_callback(std::function<void(const GrmLabProgress&)> callback) {
    impl_->progress = std::move(callback);
}

void GrmLab::request_cancel() {
    impl_->cancel.store(true, std::memory_order_relaxed);
}

GrmLabSummary GrmLab::run() {
    Impl& m = *impl_;
    if (!m.db_path.empty()) {
        m.store = std::make_unique<RunStore>(m.db_path);
        NewRun run;
        run.name = m.config.display_name();
        run.kind = "grm";
        run.config_json = m.config.to_json().dump();
        m.summary.run_id = m.store->create_run(run);
    }
    try {
        m.pipeline();
    } catch (const Cancelled& e) {
        if (m.store) m.store->finish(m.summary.run_id, RunStatus::stopped, e.what());
        throw;
    } catch (const std::exception& e) {
        if (m.store) m.store->finish(m.summary.run_id, RunStatus::failed, e.what());
        throw;
    }
    if (m.store) m.store->finish(m.summary.run_id, RunStatus::completed);
    return m.summary;
}

}  // namespace tinyseek
