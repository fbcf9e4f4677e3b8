#include "training/sft_trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "core/cross_entropy.h"
#include "core/errors.h"
#include "core/fma_peak.h"
#include "core/lr_schedule.h"
#include "core/model_flops.h"
#include "core/routing_stats.h"
#include "core/train_step.h"
#include "training/routing_report.h"

namespace tinyseek {

namespace {

constexpr std::uint64_t kSftBatchStream = 0x5f7;  // step_rng stream of SFT batches

void check_sft_config(const SftConfig& c) {
    auto fail = [](const std::string& field, const std::string& got, const std::string& want) {
        throw ConfigError("sft config: field '" + field + "' must be " + want + ", got " + got);
    };
    if (c.steps < 1) fail("steps", std::to_string(c.steps), ">= 1");
    if (c.batch_size < 1) fail("batch_size", std::to_string(c.batch_size), ">= 1");
    if (!(c.lr > 0.0f) || !std::isfinite(c.lr)) fail("lr", std::to_string(c.lr), "finite, > 0");
    if (!(c.min_lr >= 0.0f) || !std::isfinite(c.min_lr))
        fail("min_lr", std::to_string(c.min_lr), "finite, >= 0");
    if (c.warmup_steps < 0) fail("warmup_steps", std::to_string(c.warmup_steps), ">= 0");
    if (c.cold_start_pool < 0)
        fail("cold_start_pool", std::to_string(c.cold_start_pool), ">= 0 (0 = unlimited)");
    if (!(c.batch_start_share > 0.0f && c.batch_start_share <= 1.0f))
        fail("batch_start_share", std::to_string(c.batch_start_share), "in (0, 1]");
    if (!(c.batch_ramp_share >= 0.0f && c.batch_ramp_share <= 1.0f))
        fail("batch_ramp_share", std::to_string(c.batch_ramp_share), "in [0, 1]");
}

// Targets `shift` ahead that are completion tokens: position t + shift must be >= the
// sequence's prompt length (<bos> + prompt), so the prompt is context, never a target.
std::vector<int> completion_targets(const SftBatch& b, int shift) {
    std::vector<int> targets = shifted_targets(b.tokens.data(), b.lengths.data(), b.B, b.T, shift);
    for (int s = 0; s < b.B; ++s)
        for (int t = 0; t < b.T && t + shift < b.prompt_lengths[s]; ++t)
            targets[static_cast<std::size_t>(s) * b.T + t] = kIgnoreIndex;
    return targets;
}

}  // namespace

int sft_batch_size(const SftConfig& c, std::int64_t stage_step) {
    const int first =
        std::max(1, static_cast<int>(std::lround(c.batch_start_share * c.batch_size)));
    const auto ramp_steps = std::llround(double(c.batch_ramp_share) * double(c.steps));
    if (first >= c.batch_size || stage_step >= ramp_steps) return c.batch_size;
    const std::int64_t grown =
        std::int64_t{c.batch_size - first} * std::max<std::int64_t>(stage_step, 0);
    return first + static_cast<int>(grown / ramp_steps);
}

SftTrainer::SftTrainer(const TrainConfig& config, const Task& task, std::int64_t stage_start)
    : sft_(config.sft),
      model_config_(config.model),
      seed_(config.seed),
      task_(task),
      stage_start_(stage_start),
      model_(config.model),
      grads_(config.model) {
    check_sft_config(sft_);
    model_.set_fp8(config.fp8_recipe());
    if (sft_.cold_start_pool > 0) {
        pool_ = distinct_problems(task_, Split::train,
                                  static_cast<std::size_t>(sft_.cold_start_pool), seed_);
        for (Problem& p : pool_)
            p = in_cold_start_style(task_, std::move(p), task_.options().styles);
    }
}

SftTrainer::~SftTrainer() = default;

std::vector<Problem> SftTrainer::batch_problems(std::int64_t step) const {
    Rng rng = step_rng(seed_, step, kSftBatchStream);
    const int n = sft_batch_size(sft_, stage_step(step));
    std::vector<Problem> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        if (pool_.empty()) {
            out.push_back(in_cold_start_style(task_, task_.sample(Split::train, rng),
                                              task_.options().styles));
        } else {
            const auto k = uniform_int(rng, 0, static_cast<std::int64_t>(pool_.size()) - 1);
            out.push_back(pool_[static_cast<std::size_t>(k)]);
        }
    }
    return out;
}

SftBatch SftTrainer::make_batch(std::int64_t step, const Tokenizer& tokenizer) const {
    const std::vector<Problem> problems = batch_problems(step);
    SftBatch b;
    b.B = static_cast<int>(problems.size());
    std::vector<std::vector<int>> seqs(problems.size());
    b.prompt_lengths.resize(problems.size());
    b.lengths.resize(problems.size());
    for (std::size_t i = 0; i < problems.size(); ++i) {
        // <bos> + prompt + trace + <eos>
        std::vector<int>& s = seqs[i];
        s.push_back(Tokenizer::bos_id);
        const std::vector<TokenId> prompt = tokenizer.encode(problems[i].prompt);
        s.insert(s.end(), prompt.begin(), prompt.end());
        b.prompt_lengths[i] = static_cast<int>(s.size());
        const std::vector<TokenId> trace = tokenizer.encode(problems[i].trace);
        s.insert(s.end(), trace.begin(), trace.end());
        s.push_back(Tokenizer::eos_id);
        b.lengths[i] = static_cast<int>(s.size());
        if (b.lengths[i] > model_config_.max_position_embeddings)
            throw Error("SFT: problem '" + problems[i].key + "' needs " +
                        std::to_string(b.lengths[i]) +
                        " tokens, the model's max_position_embeddings is " +
                        std::to_string(model_config_.max_position_embeddings));
        b.T = std::max(b.T, b.lengths[i]);
    }
    b.tokens.assign(static_cast<std::size_t>(b.B) * b.T, Tokenizer::pad_id);
    for (int i = 0; i < b.B; ++i)
        std::copy(seqs[i].begin(), seqs[i].end(),
                  b.tokens.begin() + static_cast<std::ptrdiff_t>(i) * b.T);
    b.targets = completion_targets(b, 1);
    b.mtp_targets = completion_targets(b, 2);
    b.completion_tokens =
        std::count_if(b.targets.begin(), b.targets.end(), [](int t) { return t != kIgnoreIndex; });
    return b;
}

float SftTrainer::learning_rate(std::int64_t step) const {
    const LrSchedule schedule{sft_.lr, sft_.min_lr, sft_.warmup_steps, sft_.steps};
    return schedule.at(stage_step(step));
}

std::int64_t SftTrainer::stage_step(std::int64_t step) const {
    return step - std::max<std::int64_t>(stage_start_, 0);
}

void SftTrainer::step(TrainingState& state, StepReport& report, const std::atomic<bool>* cancel) {
    const auto t0 = std::chrono::steady_clock::now();
    auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
    if (cancelled()) throw Cancelled("SFT step " + std::to_string(state.step) + " cancelled");
    if (stage_start_ < 0) stage_start_ = state.step;

    const SftBatch b = make_batch(state.step, state.tokenizer);
    const float lr = learning_rate(state.step);
    const LmBatch batch{.tokens = b.tokens.data(),
                        .B = b.B,
                        .T = b.T,
                        .lengths = b.lengths.data(),
                        .targets = b.targets.data(),
                        .mtp_targets = b.mtp_targets.data()};
    const LmStepResult r =
        lm_step_.run(model_, state.params, grads_, state.optimizer, batch, lr, [&] {
            if (cancelled())
                throw Cancelled("SFT step " + std::to_string(state.step) + " cancelled");
        });
    state.step += 1;

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::int64_t tokens = 0;
    for (int len : b.lengths) tokens += len;
    report.stage = Stage::sft;
    report.scalars[metric::kLoss] = r.main_loss;
    report.scalars[metric::kMtpLoss] = r.mtp_loss;
    report.scalars[metric::kAuxLoss] = r.aux_loss;
    report.scalars[metric::kGradNorm] = r.grad_norm;
    report.scalars[metric::kLearningRate] = lr;
    report.scalars[metric::kStepSeconds] = seconds;
    report.scalars[metric::kTokensPerSecond] = seconds > 0 ? tokens / seconds : 0.0;
    const double flops = model_flops_per_token(model_config_, b.T).training * double(tokens);
    report.scalars[metric::kMfu] = seconds > 0 ? flops / seconds / fma_peak_flops() : 0.0;
    fill_routing_report(r.routing, report);
}

}  // namespace tinyseek
