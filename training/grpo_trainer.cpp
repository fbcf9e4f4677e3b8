#include "training/grpo_trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "core/cross_entropy.h"
#include "core/errors.h"
#include "core/fma_peak.h"
#include "core/lr_schedule.h"
#include "core/model_flops.h"
#include "core/routing_stats.h"
#include "core/train_step.h"
#include "training/routing_report.h"
#include "training/trace_style.h"

namespace tinyseek {

namespace {

constexpr std::uint64_t kPromptStream = 0x6770;  // step_rng streams of a GRPO step
constexpr std::uint64_t kSampleStream = 0x6771;

void check_grpo_config(const GrpoConfig& c) {
    auto fail = [](const std::string& field, const std::string& got, const std::string& want) {
        throw ConfigError("grpo config: field '" + field + "' must be " + want + ", got " + got);
    };
    auto finite = [](float x) { return std::isfinite(x); };
    if (c.steps < 1) fail("steps", std::to_string(c.steps), ">= 1");
    if (c.prompts_per_step < 1)
        fail("prompts_per_step", std::to_string(c.prompts_per_step), ">= 1");
    if (c.group_size < 2) fail("group_size", std::to_string(c.group_size), ">= 2");
    if (!(c.lr > 0.0f) || !finite(c.lr)) fail("lr", std::to_string(c.lr), "finite, > 0");
    if (c.warmup_steps < 0) fail("warmup_steps", std::to_string(c.warmup_steps), ">= 0");
    if (!(c.beta >= 0.0f) || !finite(c.beta)) fail("beta", std::to_string(c.beta), ">= 0");
    if (!(c.epsilon > 0.0f && c.epsilon < 1.0f))
        fail("epsilon", std::to_string(c.epsilon), "in (0, 1)");
    if (!(c.epsilon_high >= 0.0f) || !finite(c.epsilon_high))
        fail("epsilon_high", std::to_string(c.epsilon_high), ">= 0 (0 = epsilon)");
    if (!(c.temperature > 0.0f) || !finite(c.temperature))
        fail("temperature", std::to_string(c.temperature), "> 0 (GRPO samples)");
    if (c.max_new_tokens < 1) fail("max_new_tokens", std::to_string(c.max_new_tokens), ">= 1");
    if (c.mu < 1) fail("mu", std::to_string(c.mu), ">= 1");
    if (!(c.kl_bound >= 0.0f)) fail("kl_bound", std::to_string(c.kl_bound), ">= 0");
}

// Sample standard deviation (n - 1) of the whole batch: one group of all of it.
double sample_std(const std::vector<double>& x) {
    return x.size() < 2 ? 0.0 : group_std(x, static_cast<int>(x.size()))[0];
}

double mean_of(const std::vector<double>& x) {
    double s = 0;
    for (double v : x) s += v;
    return x.empty() ? 0.0 : s / static_cast<double>(x.size());
}

}  // namespace

// Rollouts of one step and the padded training batch built from them.
struct GrpoTrainer::Batch {
    std::vector<RewardEnvironment::Item> items;  // (P)
    std::vector<std::vector<int>> completions;   // (S = P*G) generated tokens
    std::vector<StopReason> stops;               // (S)
    std::vector<std::string> texts;              // (S) decoded, without a final <eos>
    std::vector<RewardBreakdown> rewards;        // (S)
    std::vector<std::vector<int>> prompts;       // (P) <bos> + prompt tokens
    std::vector<int> prompt_lengths;             // (P)
    std::int64_t prompt_tokens = 0;  // run through the model during generation (prefill)
    std::int64_t generated_tokens = 0;
    double generation_seconds = 0.0;
    double reference_seconds = 0.0;               // the frozen reference's forward (beta > 0)
    double update_seconds = 0.0;                  // the mu policy updates
    std::optional<SpeculationStats> speculation;  // when drafted by the MTP module

    // Training batch: (S, T) right-padded prompt + completion.
    int S = 0, T = 0;
    std::vector<int> tokens, lengths;  // (S*T), (S)
    std::vector<int> targets;          // (S*T) completion tokens, kIgnoreIndex elsewhere
    std::vector<int> offsets;          // (S+1) completion tokens of each sequence, flattened
    std::vector<int> token_rows;       // (N) logits row of each flattened completion token
    std::int64_t trained_tokens = 0;   // non-padding tokens of the training batch
    int completion_tokens() const { return offsets.back(); }  // N
};

// Rewards of one step's rollouts and the group advantages computed from them.
struct GrpoTrainer::Scores {
    std::vector<double> totals, accuracy, format;  // (S) per completion
    std::vector<double> advantages;                // (S) group-normalised totals
    std::vector<double> group_stds;                // (P) sample std of each group's totals
    std::vector<float> advantages_f;               // (S) as the loss takes them
};

// What the mu policy updates of one step add up (each averaged over mu in the report).
struct GrpoTrainer::UpdateSums {
    double loss = 0, kl = 0, clip = 0, grad_norm = 0, entropy = 0, aux = 0;
    // Non-padding tokens the updates ran forward only (idle) and forward + backward (live).
    std::int64_t idle_tokens = 0, live_tokens = 0;
    int live_sequences = 0;  // of the last update
    // Rows (padding included) of the first update's forwards; their non-padding tokens are
    // the batch's trained_tokens.
    std::int64_t first_rows = 0;
    RoutingStats routing;  // of the last update's forward (the idle sequences' merged in)
    // The idle sequences' routing and balance loss, from the first update's forward of them.
    RoutingStats idle_routing;
    double idle_aux = 0.0;
    // Per completion token (flattened as Batch::offsets), of the first update: the old
    // policy's log-probs and entropies, which the stored rollouts show.
    std::vector<float> token_logp, token_entropy;
};

GrpoTrainer::GrpoTrainer(const TrainConfig& config, std::shared_ptr<const RewardEnvironment> env,
                         const ParamStore& reference, std::int64_t stage_start)
    : grpo_(config.grpo),
      model_config_(config.model),
      seed_(config.seed),
      style_metrics_(!config.task_options.styles.only_worked()),
      rollout_log_(config.rollouts),
      env_(std::move(env)),
      reference_(reference),
      stage_start_(stage_start),
      model_(config.model),
      grads_(config.model) {
    check_grpo_config(grpo_);
    model_.set_fp8(config.fp8_recipe());
    if (grpo_.epsilon_high == 0.0f) grpo_.epsilon_high = grpo_.epsilon;
    if (!env_) throw ConfigError("GrpoTrainer: no reward environment given");
    if (reference_.data().size() != grads_.data().size())
        throw ConfigError("GrpoTrainer: the reference parameters have " +
                          std::to_string(reference_.data().size()) + " floats, the model '" +
                          model_config_.name + "' needs " + std::to_string(grads_.data().size()));
}

GrpoTrainer::~GrpoTrainer() = default;

float GrpoTrainer::learning_rate(std::int64_t step) const {
    // Constant after a linear warm-up: the cosine with min = peak.
    const LrSchedule schedule{grpo_.lr, grpo_.lr, grpo_.warmup_steps, grpo_.steps};
    return schedule.at(step - std::max<std::int64_t>(stage_start_, 0));
}

// Kept across steps, so its cache, buffers and packed-weight storage are allocated (and
// their pages faulted in) once per stage, not once per step; the weights are packed again
// at every step, as the update has changed them.
Generator& GrpoTrainer::generator_for(const ParamStore& params) {
    if (!generator_ || generator_params_ != &params) {
        generator_ = std::make_unique<Generator>(params, CacheMode::latent);
        generator_params_ = &params;
    } else {
        generator_->reload_weights();
    }
    return *generator_;
}

void GrpoTrainer::generate(TrainingState& state, std::int64_t step, Batch& batch,
                           const std::atomic<bool>* cancel) {
    const int P = grpo_.prompts_per_step, G = grpo_.group_size;
    Rng rng = step_rng(seed_, step, kPromptStream);
    std::vector<std::vector<int>> prompts;
    prompts.reserve(static_cast<std::size_t>(P) * G);
    for (int p = 0; p < P; ++p) {
        batch.items.push_back(env_->sample_train(rng));
        std::vector<int> ids{Tokenizer::bos_id};
        const std::vector<TokenId> text = state.tokenizer.encode(batch.items.back().prompt);
        ids.insert(ids.end(), text.begin(), text.end());
        batch.prompt_lengths.push_back(static_cast<int>(ids.size()));
        for (int g = 0; g < G; ++g) prompts.push_back(ids);
        batch.prompts.push_back(std::move(ids));
    }

    GenerationOptions options;
    options.max_new_tokens = grpo_.max_new_tokens;
    options.sampling.temperature = grpo_.temperature;
    options.seed = step_seed(seed_, step, kSampleStream);
    options.stop_tokens = {Tokenizer::eos_id, Tokenizer::answer_close_id};
    options.sequence_ids.resize(prompts.size());
    for (std::size_t i = 0; i < prompts.size(); ++i) options.sequence_ids[i] = i;
    options.cancel = cancel;
    options.speculative = grpo_.speculative_rollouts;

    const auto t0 = std::chrono::steady_clock::now();
    Generator& generator = generator_for(state.params);
    GenerationResult out = generator.generate(prompts, options);
    batch.generation_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    kv_cache_bytes_ = static_cast<std::int64_t>(generator.cache().bytes_used());
    for (const SequenceOutput& s : out.sequences)
        if (s.stop_reason == StopReason::cancelled)
            throw Cancelled("GRPO step " + std::to_string(step) + " cancelled during generation");
    if (cancel && cancel->load(std::memory_order_relaxed))
        throw Cancelled("GRPO step " + std::to_string(step) + " cancelled after generation");

    batch.prompt_tokens = out.prompt_tokens;
    batch.generated_tokens = out.generated_tokens;
    if (options.speculative) batch.speculation = speculation_stats(out.sequences);
    for (std::size_t i = 0; i < out.sequences.size(); ++i) {
        SequenceOutput& s = out.sequences[i];
        std::vector<int> text_ids = s.tokens;
        if (!text_ids.empty() && text_ids.back() == Tokenizer::eos_id) text_ids.pop_back();
        batch.texts.push_back(state.tokenizer.decode(text_ids));
        batch.rewards.push_back(env_->score(batch.items[i / G], batch.texts.back()));
        batch.stops.push_back(s.stop_reason);
        batch.completions.push_back(std::move(s.tokens));
    }
}

void GrpoTrainer::step(TrainingState& state, StepReport& report, const std::atomic<bool>* cancel) {
    const auto t0 = std::chrono::steady_clock::now();
    if (cancel && cancel->load(std::memory_order_relaxed))
        throw Cancelled("GRPO step " + std::to_string(state.step) + " cancelled");
    if (stage_start_ < 0) stage_start_ = state.step;

    Batch b;
    generate(state, state.step, b, cancel);
    const Scores scores = score(b);
    build_training_batch(b);
    const auto t_ref = std::chrono::steady_clock::now();
    const std::vector<float> ref_logp = reference_logprobs(b);
    const auto t_update = std::chrono::steady_clock::now();
    const float lr = learning_rate(state.step);
    const UpdateSums sums = update_policy(state, b, scores, ref_logp, lr, cancel);
    b.reference_seconds = std::chrono::duration<double>(t_update - t_ref).count();
    b.update_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_update).count();
    const bool all_groups = keeps_groups(state.step);
    state.step += 1;

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fill_report(b, scores, sums, lr, seconds, report);
    fill_rollouts(b, scores, sums, all_groups, report);
}

bool GrpoTrainer::keeps_groups(std::int64_t step) const {
    const std::int64_t every = rollout_log_.groups_every;
    return every > 0 && (step - std::max<std::int64_t>(stage_start_, 0)) % every == 0;
}

GrpoTrainer::Scores GrpoTrainer::score(const Batch& b) const {
    Scores s;
    const std::size_t S = b.rewards.size();
    s.totals.resize(S);
    s.accuracy.resize(S);
    s.format.resize(S);
    for (std::size_t i = 0; i < S; ++i) {
        s.totals[i] = b.rewards[i].total;
        s.accuracy[i] = b.rewards[i].accuracy;
        s.format[i] = b.rewards[i].format;
    }
    s.advantages = group_advantages(s.totals, grpo_.group_size, grpo_.scale_rewards);
    s.group_stds = group_std(s.totals, grpo_.group_size);
    s.advantages_f.assign(s.advantages.begin(), s.advantages.end());
    return s;
}

// <bos> + prompt + completion, right-padded to the longest. A completion that filled the
// context keeps only the tokens whose position fits (the generator may sample one token past
// the last cached position).
void GrpoTrainer::build_training_batch(Batch& b) const {
    const int G = grpo_.group_size;
    b.S = grpo_.prompts_per_step * G;
    b.lengths.resize(b.S);
    std::vector<int> trained(b.S);
    for (int s = 0; s < b.S; ++s) {
        const int pl = b.prompt_lengths[s / G];
        trained[s] = std::min(static_cast<int>(b.completions[s].size()),
                              model_config_.max_position_embeddings - pl);
        b.lengths[s] = pl + trained[s];
        b.T = std::max(b.T, b.lengths[s]);
    }
    const std::size_t rows = static_cast<std::size_t>(b.S) * b.T;
    b.tokens.assign(rows, Tokenizer::pad_id);
    b.targets.assign(rows, kIgnoreIndex);
    b.offsets.assign(1, 0);
    for (int s = 0; s < b.S; ++s) {
        const int pl = b.prompt_lengths[s / G];
        int* row = b.tokens.data() + static_cast<std::size_t>(s) * b.T;
        const std::vector<int>& prompt = b.prompts[s / G];
        std::copy(prompt.begin(), prompt.end(), row);
        for (int j = 0; j < trained[s]; ++j) {
            row[pl + j] = b.completions[s][j];
            // logits row pl + j - 1 predicts the completion token at position pl + j
            const std::size_t r = static_cast<std::size_t>(s) * b.T + pl + j - 1;
            b.targets[r] = b.completions[s][j];
            b.token_rows.push_back(static_cast<int>(r));
        }
        b.offsets.push_back(b.offsets.back() + trained[s]);
        b.trained_tokens += b.lengths[s];
    }
}

// Per-row values (one per logits row) gathered at the completion tokens, flattened (N).
void GrpoTrainer::gather_tokens(const Batch& b, const std::vector<float>& by_row,
                                std::vector<float>& out) {
    const int N = b.completion_tokens();
    out.resize(static_cast<std::size_t>(N));
    for (int i = 0; i < N; ++i) out[i] = by_row[b.token_rows[i]];
}

// Log-probs of the completion tokens under the frozen reference (the stage's start), once
// per batch; empty when beta = 0 (no KL term, no reference pass, as in TRL).
std::vector<float> GrpoTrainer::reference_logprobs(const Batch& b) {
    std::vector<float> ref_logp;
    if (grpo_.beta <= 0.0f) return ref_logp;
    const auto ref = model_.forward(reference_, b.tokens.data(), b.S, b.T, b.lengths.data(),
                                    /*with_mtp=*/false);
    row_logp_.resize(static_cast<std::size_t>(b.S) * b.T);
    token_logprobs(row_logp_.data(), static_cast<float*>(nullptr), ref.logits, b.targets.data(),
                   ref.rows, model_config_.vocab_size, 1.0f / grpo_.temperature);
    gather_tokens(b, row_logp_, ref_logp);
    return ref_logp;
}

// The mu updates of one step. A failure in a later update leaves the state exactly as it
// was before the step (the contract of StageTrainer::step), so what an update may change is
// kept first when mu > 1.
GrpoTrainer::UpdateSums GrpoTrainer::update_policy(TrainingState& state, const Batch& b,
                                                   const Scores& scores,
                                                   const std::vector<float>& ref_logp, float lr,
                                                   const std::atomic<bool>* cancel) {
    AlignedVector<float> saved_params, saved_m, saved_v;
    const std::int64_t saved_t = state.optimizer.step_count();
    if (grpo_.mu > 1) {
        saved_params = state.params.data();
        saved_m = state.optimizer.m().data();
        saved_v = state.optimizer.v().data();
    }
    UpdateSums sums;
    std::vector<float> old_logp;
    int applied = 0;
    try {
        for (int k = 0; k < grpo_.mu; ++k) {
            update_once(state, b, scores, ref_logp, lr, old_logp, sums, cancel);
            ++applied;
        }
        sums.token_logp = std::move(old_logp);
    } catch (...) {
        if (applied > 0) {
            state.params.data() = std::move(saved_params);
            state.optimizer.m().data() = std::move(saved_m);
            state.optimizer.v().data() = std::move(saved_v);
            state.optimizer.set_step_count(saved_t);
        }
        throw;
    }
    return sums;
}

// The batch's sequences the update differentiates: all of them, unless beta = 0, when a
// completion whose advantage is 0 (every member of its group scored the same) adds exactly
// nothing to the loss or its gradient (its surrogate is -min(ratio * 0, clip(ratio) * 0) and
// there is no KL term) and is left out of the backward. The rest are `idle`.
GrpoTrainer::SequenceSplit GrpoTrainer::split_sequences(const Batch& b,
                                                        const Scores& scores) const {
    SequenceSplit split;
    for (int s = 0; s < b.S; ++s) {
        const bool idle = grpo_.beta <= 0.0f && scores.advantages_f[s] == 0.0f;
        (idle ? split.idle : split.live).push_back(s);
    }
    return split;
}

// `seqs` of the training batch as a batch of their own, right-padded to their longest.
GrpoTrainer::Rows GrpoTrainer::rows_of(const Batch& b, const std::vector<int>& seqs) {
    Rows r;
    r.S = static_cast<int>(seqs.size());
    for (int s : seqs) r.T = std::max(r.T, b.lengths[s]);
    const std::size_t n = static_cast<std::size_t>(r.S) * r.T;
    r.tokens.assign(n, Tokenizer::pad_id);
    r.targets.assign(n, kIgnoreIndex);
    for (int i = 0; i < r.S; ++i) {
        const int s = seqs[i];
        const std::size_t from = static_cast<std::size_t>(s) * b.T;
        const std::size_t to = static_cast<std::size_t>(i) * r.T;
        std::copy_n(b.tokens.begin() + from, b.lengths[s], r.tokens.begin() + to);
        std::copy_n(b.targets.begin() + from, b.lengths[s], r.targets.begin() + to);
        r.lengths.push_back(b.lengths[s]);
        for (int k = b.offsets[s]; k < b.offsets[s + 1]; ++k) {
            r.token_rows.push_back(static_cast<int>(to + (b.token_rows[k] - from)));
            r.token_index.push_back(k);
        }
    }
    return r;
}

// Forward of `rows` with the policy; the log-probs and entropies of their completion tokens
// go to their places among the batch's N tokens.
Model::Output GrpoTrainer::forward_values(const ParamStore& params, const Rows& rows,
                                          std::vector<float>& logp, std::vector<float>& entropy) {
    const auto out = model_.forward(params, rows.tokens.data(), rows.S, rows.T, rows.lengths.data(),
                                    /*with_mtp=*/false);
    row_logp_.resize(static_cast<std::size_t>(out.rows));
    row_entropy_.resize(static_cast<std::size_t>(out.rows));
    token_logprobs(row_logp_.data(), row_entropy_.data(), out.logits, rows.targets.data(), out.rows,
                   model_config_.vocab_size, 1.0f / grpo_.temperature);
    for (std::size_t i = 0; i < rows.token_rows.size(); ++i) {
        logp[rows.token_index[i]] = row_logp_[rows.token_rows[i]];
        entropy[rows.token_index[i]] = row_entropy_[rows.token_rows[i]];
    }
    return out;
}

// The first update's forward of the idle sequences (if any): their values, routing, balance
// loss, tokens and rows.
void GrpoTrainer::forward_idle(const ParamStore& params, const Batch& b,
                               const std::vector<int>& idle, std::vector<float>& logp,
                               std::vector<float>& entropy, UpdateSums& sums) {
    if (idle.empty()) return;
    const Rows rows = rows_of(b, idle);
    const auto out = forward_values(params, rows, logp, entropy);
    sums.idle_routing = model_.routing_stats(params);
    sums.idle_aux = out.aux_loss;
    for (int length : rows.lengths) sums.idle_tokens += length;
    sums.first_rows += std::int64_t(rows.S) * rows.T;
}

// One policy update: forward, the GRPO loss and its gradient w.r.t. the logits, then the
// shared update (zero -> backward -> clip -> AdamW -> balance). `old_logp` is empty before
// the first update, which fills it: the parameters have not moved since sampling, so the
// first update's log-probs are the old policy's, detached (ratio = 1 in that update).
// Idle sequences (split_sequences) are forwarded once, in the first update, for the values
// the rollouts store and the entropy metric; their routing joins the bias update, so only
// the sequence-wise balance loss's gradient on them is left out.
void GrpoTrainer::update_once(TrainingState& state, const Batch& b, const Scores& scores,
                              const std::vector<float>& ref_logp, float lr,
                              std::vector<float>& old_logp, UpdateSums& sums,
                              const std::atomic<bool>* cancel) {
    const int N = b.completion_tokens();
    const bool first = old_logp.empty();
    const SequenceSplit split = split_sequences(b, scores);
    // Idle tokens keep the first update's values (ratio 1; their advantage is 0 anyway).
    std::vector<float> logp = first ? std::vector<float>(N) : old_logp;
    std::vector<float> entropy = first ? std::vector<float>(N) : sums.token_entropy;
    if (first) forward_idle(state.params, b, split.idle, logp, entropy, sums);
    const int n_idle = static_cast<int>(split.idle.size());
    const int n_live = static_cast<int>(split.live.size());
    const Rows live = rows_of(b, split.live);
    Model::Output out;
    if (n_live > 0) out = forward_values(state.params, live, logp, entropy);
    for (int length : live.lengths) sums.live_tokens += length;
    sums.live_sequences = n_live;
    if (first) {
        sums.first_rows += std::int64_t(live.S) * live.T;
        old_logp = logp;
        sums.token_entropy = entropy;
    }

    GrpoLossParams lp;
    lp.beta = grpo_.beta;
    lp.epsilon = grpo_.epsilon;
    lp.epsilon_high = grpo_.epsilon_high;
    lp.averaging = grpo_.averaging;
    const GrpoLossResult<float> loss =
        grpo_loss(logp.data(), old_logp.data(), ref_logp.empty() ? nullptr : ref_logp.data(),
                  b.offsets, scores.advantages_f.data(), lp);
    // The batch's balance loss: a mean over its sequences, of which the idle ones were
    // forwarded apart.
    const double aux = (sums.idle_aux * n_idle + (n_live ? out.aux_loss : 0.0f) * n_live) / b.S;
    if (!std::isfinite(loss.loss) || !std::isfinite(aux))
        throw NumericError("GRPO step " + std::to_string(state.step) + ": loss is " +
                           std::to_string(loss.loss) + " (balance loss " + std::to_string(aux) +
                           ")");
    const RoutingStats live_routing = n_live ? model_.routing_stats(state.params) : RoutingStats{};
    sums.routing = merge_routing(sums.idle_routing, n_idle, live_routing, n_live);
    const float grad_norm =
        apply_update(state, live, n_live ? &out : nullptr, loss.dlogp, sums.routing, lr, cancel);

    double ent = 0;
    for (float e : entropy) ent += e;
    sums.entropy += N ? ent / N : 0.0;
    sums.loss += loss.loss;
    sums.kl += loss.mean_kl;
    sums.clip += loss.clip_ratio;
    sums.grad_norm += grad_norm;
    sums.aux += aux;
}

// Backward from the live sequences' loss gradient (`out`: their forward; null when there are
// none), then the shared clip -> AdamW -> balance. With nothing to differentiate the update is
// AdamW's step of a zero gradient (moments decay, weight decay applies) and the bias update.
float GrpoTrainer::apply_update(TrainingState& state, const Rows& live, const Model::Output* out,
                                const std::vector<float>& dlogp, const RoutingStats& routing,
                                float lr, const std::atomic<bool>* cancel) {
    const auto check_cancel = [&] {
        if (cancel && cancel->load(std::memory_order_relaxed))
            throw Cancelled("GRPO step " + std::to_string(state.step) + " cancelled");
    };
    if (!out) {
        grads_.set_zero();
        return update_from_grads(model_, state.params, grads_, state.optimizer, routing, lr,
                                 check_cancel);
    }
    const int V = model_config_.vocab_size;
    const std::size_t rows = static_cast<std::size_t>(out->rows);
    row_dlogp_.assign(rows, 0.0f);
    for (std::size_t i = 0; i < live.token_rows.size(); ++i)
        row_dlogp_[live.token_rows[i]] = dlogp[live.token_index[i]];
    dlogits_.resize(rows * static_cast<std::size_t>(V));
    logprob_logits_grad(dlogits_.data(), out->logits, live.targets.data(), row_dlogp_.data(),
                        out->rows, V, 1.0f / grpo_.temperature);
    return update_from_logit_grads(model_, state.params, grads_, state.optimizer, dlogits_.data(),
                                   nullptr, routing, lr, check_cancel);
}

void GrpoTrainer::fill_report(const Batch& b, const Scores& scores, const UpdateSums& sums,
                              float lr, double seconds, StepReport& report) const {
    const int P = grpo_.prompts_per_step, G = grpo_.group_size;
    const double mu = grpo_.mu;
    RewardTally tally;
    for (const RewardBreakdown& r : b.rewards) tally.add(r);
    int zero_std_groups = 0;
    for (int p = 0; p < P; ++p) {
        const auto first = scores.totals.begin() + static_cast<std::ptrdiff_t>(p) * G;
        const auto [lo, hi] = std::minmax_element(first, first + G);
        zero_std_groups += *lo == *hi;
    }
    std::int64_t max_len = 0, clipped = 0;
    for (int s = 0; s < b.S; ++s) {
        max_len = std::max<std::int64_t>(max_len, b.completions[s].size());
        clipped +=
            b.stops[s] == StopReason::max_new_tokens || b.stops[s] == StopReason::context_full;
    }

    report.stage = Stage::grpo;
    auto& m = report.scalars;
    m[metric::kReward] = tally.mean_total();
    m[metric::kRewardStd] = mean_of(scores.group_stds);
    m[metric::kRewardAccuracy] = tally.mean_accuracy();
    m[metric::kRewardFormat] = tally.mean_format();
    m[std::string(metric::kRewardAccuracy) + "/std"] = sample_std(scores.accuracy);
    m[std::string(metric::kRewardFormat) + "/std"] = sample_std(scores.format);
    m[metric::kFracRewardZeroStd] = static_cast<double>(zero_std_groups) / P;
    m[metric::kMalformedFraction] = tally.malformed_fraction();
    m[metric::kMeanLength] = static_cast<double>(b.generated_tokens) / b.S;
    m["completions/max_length"] = static_cast<double>(max_len);
    m["completions/clipped_ratio"] = static_cast<double>(clipped) / b.S;
    if (style_metrics_) {
        StyleTally styles;
        for (int s = 0; s < b.S; ++s)
            styles.add(b.texts[s], double(b.completions[s].size()), b.rewards[s].accuracy);
        write_style_metrics(
            styles,
            {metric::kThinkShare, nullptr, metric::kMeanLengthThink, metric::kMeanLengthDirect,
             metric::kRewardAccuracyThink, metric::kRewardAccuracyDirect},
            m);
    }
    if (grpo_.beta > 0.0f) {
        m[metric::kKl] = sums.kl / mu;
        m[metric::kKlExceeded] = sums.kl / mu > grpo_.kl_bound ? 1.0 : 0.0;
    }
    m[metric::kEntropy] = sums.entropy / mu;
    m[metric::kClipRatio] = sums.clip / mu;
    m[metric::kLoss] = sums.loss / mu;
    m[metric::kAuxLoss] = sums.aux / mu;
    m[metric::kGradNorm] = sums.grad_norm / mu;
    m[metric::kLearningRate] = lr;
    m[metric::kStepSeconds] = seconds;
    m["generation_seconds"] = b.generation_seconds;
    if (grpo_.beta > 0.0f) m["reference_seconds"] = b.reference_seconds;  // else no such pass
    m["update_seconds"] = b.update_seconds;
    m["update_sequence_fraction"] = static_cast<double>(sums.live_sequences) / b.S;
    // The batches an update runs are right-padded to their longest sequence: the share of
    // their rows that are padding is compute spent on nothing (the reference pass runs the
    // whole batch, as the first update does unless beta = 0 splits it).
    m["padding_fraction"] = sums.first_rows > 0 ? 1.0 - static_cast<double>(b.trained_tokens) /
                                                            static_cast<double>(sums.first_rows)
                                                : 0.0;
    if (b.speculation) {
        m[metric::kDraftAcceptance] = b.speculation->acceptance_rate();
        m[metric::kTokensPerForward] = b.speculation->tokens_per_forward();
    }
    m[metric::kTokensPerSecond] =
        seconds > 0 ? static_cast<double>(b.generated_tokens + b.trained_tokens) / seconds : 0.0;
    m[metric::kMfu] = seconds > 0 ? step_model_flops(b, sums) / seconds / fma_peak_flops() : 0.0;
    fill_routing_report(sums.routing, report);
    report.kv_cache_bytes = kv_cache_bytes_;
}

// Model FLOPs of the step (core/model_flops.h, without the MTP module, which GRPO does not
// run): generation runs every prompt and generated token forward once, the reference pass
// (when beta > 0) every training token forward, and the mu updates the tokens of their live
// sequences forward + backward, those of the idle ones forward once.
double GrpoTrainer::step_model_flops(const Batch& b, const UpdateSums& sums) const {
    const FlopsPerToken f = model_flops_per_token(model_config_, b.T, /*with_mtp=*/false);
    const double generated = double(b.prompt_tokens + b.generated_tokens) * f.forward;
    const double reference = grpo_.beta > 0.0f ? double(b.trained_tokens) * f.forward : 0.0;
    return generated + reference + double(sums.idle_tokens) * f.forward +
           double(sums.live_tokens) * f.training;
}

// Every completion of the step when it keeps its groups (RolloutLogConfig::groups_every),
// else one completion of each of the first kReportedRollouts groups, a different member each
// time.
void GrpoTrainer::fill_rollouts(const Batch& b, const Scores& scores, const UpdateSums& sums,
                                bool all_groups, StepReport& report) const {
    const int P = grpo_.prompts_per_step, G = grpo_.group_size;
    report.rollouts.clear();
    if (all_groups) {
        for (int s = 0; s < b.S; ++s) report.rollouts.push_back(rollout(b, scores, sums, s));
        return;
    }
    for (int p = 0; p < std::min(P, kReportedRollouts); ++p)
        report.rollouts.push_back(rollout(b, scores, sums, p * G + p % G));
}

RolloutSample GrpoTrainer::rollout(const Batch& b, const Scores& scores, const UpdateSums& sums,
                                   int s) const {
    const int G = grpo_.group_size;
    RolloutSample r;
    r.prompt = b.items[s / G].prompt;
    r.completion = b.texts[s];
    r.reward = b.rewards[s];
    r.advantage = scores.advantages[s];
    r.length = static_cast<int>(b.completions[s].size());
    r.group = s / G;
    r.member = s % G;
    // Completion tokens past the context (rare) were not trained and have no values.
    const auto first = static_cast<std::ptrdiff_t>(b.offsets[s]);
    const auto last = static_cast<std::ptrdiff_t>(b.offsets[s + 1]);
    r.set_token_values({b.completions[s],
                        {sums.token_logp.begin() + first, sums.token_logp.begin() + last},
                        {sums.token_entropy.begin() + first, sums.token_entropy.begin() + last}},
                       rollout_log_.token_values);
    return r;
}

}  // namespace tinyseek
