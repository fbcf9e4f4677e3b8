#include "training/precision_comparison.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

#include "training/step_report.h"

namespace tinyseek {

namespace {

// Keys that name, place or schedule a run, or only reorder its sums.
const char* const kNotTrainingKeys[] = {"name",
                                        "out_dir",
                                        "threads",
                                        "checkpoint_every",
                                        "checkpoint_keep",
                                        "checkpoint_every_seconds"};

nlohmann::json parsed(const std::string& text) {
    return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::int64_t seed_of(const nlohmann::json& config) {
    const auto it = config.find("seed");
    return it != config.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

struct Candidate {
    std::int64_t id = 0;
    std::string precision;
    std::int64_t seed = 0;
    nlohmann::json identity;  // without the seed
};

std::optional<Candidate> candidate_of(const RunInfo& run) {
    const nlohmann::json config = parsed(run.config_json);
    if (!config.is_object()) return std::nullopt;
    nlohmann::json identity = training_identity(config);
    identity.erase("seed");
    return Candidate{run.id, run_precision(config), seed_of(config), std::move(identity)};
}

// The lowest id among `candidates` like `of` in identity with the given precision, and the
// same seed (same_seed) or another one.
std::int64_t first_match(const std::vector<Candidate>& candidates, const Candidate& of,
                         const std::string& precision, bool same_seed) {
    for (const Candidate& c : candidates)
        if (c.id != of.id && c.precision == precision && (c.seed == of.seed) == same_seed &&
            c.identity == of.identity)
            return c.id;
    return 0;
}

std::map<std::int64_t, const MetricPoint*> by_step(const MetricSeries& series, std::int64_t first,
                                                   std::int64_t last) {
    std::map<std::int64_t, const MetricPoint*> out;
    for (const MetricPoint& p : series)
        if (p.step >= first && p.step <= last && std::isfinite(p.value)) out[p.step] = &p;
    return out;
}

nlohmann::json number_or_null(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

std::int64_t sft_steps_of(const nlohmann::json& config) {
    const auto pipeline = config.find("pipeline");
    const bool sft_first = pipeline != config.end() && pipeline->is_array() && !pipeline->empty() &&
                           pipeline->front() == "sft";
    if (!sft_first) return 0;
    const nlohmann::json::json_pointer steps("/sft/steps");
    return config.contains(steps) && config[steps].is_number_integer()
               ? config[steps].get<std::int64_t>()
               : 0;
}

PrecisionArm read_arm(const RunStore& store, const std::vector<RunInfo>& runs, std::int64_t run_id,
                      std::int64_t sft_steps) {
    PrecisionArm arm;
    const auto info =
        std::find_if(runs.begin(), runs.end(), [&](const RunInfo& r) { return r.id == run_id; });
    if (run_id == 0 || info == runs.end()) return arm;
    arm.run_id = run_id;
    arm.name = info->name;
    arm.seed = seed_of(parsed(info->config_json));
    for (const MetricPoint& p : store.metric_series(run_id, metric::kLoss))
        if (p.step <= sft_steps) arm.loss.push_back(p);
    arm.accuracy = store.metric_series(run_id, metric::kEvalAccuracy);
    return arm;
}

nlohmann::json arm_json(const PrecisionArm& arm, std::int64_t sft_steps) {
    if (arm.run_id == 0) return nullptr;
    const std::int64_t end = arm.accuracy.empty() ? 0 : arm.accuracy.back().step;
    return {{"run", arm.run_id},
            {"name", arm.name},
            {"seed", arm.seed},
            {"accuracy_at_1000", number_or_null(value_at_step(arm.accuracy, 1000))},
            {"accuracy_at_sft_end", number_or_null(value_at_step(arm.accuracy, sft_steps))},
            {"accuracy_end", number_or_null(value_at_step(arm.accuracy, end))}};
}

}  // namespace

std::string run_precision(const nlohmann::json& config) {
    if (config.is_object() && config.contains("import")) return {};
    const auto it = config.find("precision");
    return it != config.end() && it->is_string() ? it->get<std::string>() : "fp32";
}

nlohmann::json training_identity(const nlohmann::json& config) {
    nlohmann::json identity = config;
    if (!identity.is_object()) return identity;
    for (const char* key : kNotTrainingKeys) identity.erase(key);
    identity.erase("precision");
    identity.erase("fp8");
    return identity;
}

PrecisionRuns find_precision_runs(const std::vector<RunInfo>& runs, std::int64_t run_id) {
    std::vector<Candidate> candidates;
    for (const RunInfo& r : runs)
        if (auto c = candidate_of(r)) candidates.push_back(std::move(*c));
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& a, const Candidate& b) { return a.id < b.id; });
    const auto self = std::find_if(candidates.begin(), candidates.end(),
                                   [&](const Candidate& c) { return c.id == run_id; });
    PrecisionRuns out;
    if (self == candidates.end()) return out;
    if (self->precision == "fp8") {
        out.fp8 = self->id;
        out.fp32 = first_match(candidates, *self, "fp32", true);
    } else {
        out.fp32 = self->id;
        out.fp8 = first_match(candidates, *self, "fp8", true);
    }
    const auto fp32 = std::find_if(candidates.begin(), candidates.end(),
                                   [&](const Candidate& c) { return c.id == out.fp32; });
    if (fp32 != candidates.end()) out.fp32_other = first_match(candidates, *fp32, "fp32", false);
    return out;
}

double relative_mean_gap(const MetricSeries& a, const MetricSeries& b, std::int64_t first,
                         std::int64_t last) {
    const auto in_b = by_step(b, first, last);
    std::vector<double> va, vb;
    for (const auto& [step, p] : by_step(a, first, last))
        if (const auto it = in_b.find(step); it != in_b.end()) {
            va.push_back(p->value);
            vb.push_back(it->second->value);
        }
    if (va.empty()) return std::numeric_limits<double>::quiet_NaN();
    // The means' common 1/n cancels.
    const double sum_a = std::accumulate(va.begin(), va.end(), 0.0);
    const double sum_b = std::accumulate(vb.begin(), vb.end(), 0.0);
    return (sum_a - sum_b) / sum_b;
}

LossGap sft_loss_gap(const MetricSeries& a, const MetricSeries& b, std::int64_t sft_steps) {
    // Steps after 0.9 S, as the study counts them: int(0.9 S) + 1 .. S.
    const std::int64_t tail_first = static_cast<std::int64_t>(0.9 * double(sft_steps)) + 1;
    return {relative_mean_gap(a, b, tail_first, sft_steps), relative_mean_gap(a, b, 1, sft_steps)};
}

MetricSeries relative_gap_curve(const MetricSeries& a, const MetricSeries& b, std::int64_t last,
                                int window) {
    const auto in_b = by_step(b, 1, last);
    std::vector<const MetricPoint*> pa, pb;  // the steps both logged, in order
    for (const auto& [step, p] : by_step(a, 1, last))
        if (const auto it = in_b.find(step); it != in_b.end()) {
            pa.push_back(p);
            pb.push_back(it->second);
        }
    MetricSeries out;
    double sum_a = 0.0, sum_b = 0.0;
    const std::size_t w = static_cast<std::size_t>(std::max(1, window));
    for (std::size_t i = 0; i < pa.size(); ++i) {
        sum_a += pa[i]->value;
        sum_b += pb[i]->value;
        if (i >= w) {
            sum_a -= pa[i - w]->value;
            sum_b -= pb[i - w]->value;
        }
        out.push_back({pa[i]->step, pa[i]->wall_time, (sum_a - sum_b) / sum_b});
    }
    return out;
}

double value_at_step(const MetricSeries& series, std::int64_t step) {
    double v = std::numeric_limits<double>::quiet_NaN();
    if (series.empty() || series.back().step < step) return v;
    for (const MetricPoint& p : series)
        if (p.step <= step) v = p.value;
    return v;
}

nlohmann::json LossGap::to_json() const {
    return {{"last_tenth", number_or_null(last_tenth)}, {"whole", number_or_null(whole)}};
}

nlohmann::json PrecisionComparison::to_json() const {
    return {{"sft_steps", sft_steps},
            {"fp8", arm_json(fp8, sft_steps)},
            {"fp32", arm_json(fp32, sft_steps)},
            {"fp32_other_seed", arm_json(fp32_other, sft_steps)},
            {"fp8_gap", fp8_gap.to_json()},
            {"fp32_seed_gap", seed_gap.to_json()}};
}

PrecisionComparison compare_precision(const RunStore& store, std::int64_t run_id) {
    const RunInfo self = store.run(run_id);  // StoreError(not_found) for an unknown run
    const std::vector<RunInfo> runs = store.list_runs();
    const PrecisionRuns ids = find_precision_runs(runs, run_id);
    PrecisionComparison c;
    c.sft_steps = sft_steps_of(parsed(self.config_json));
    c.fp8 = read_arm(store, runs, ids.fp8, c.sft_steps);
    c.fp32 = read_arm(store, runs, ids.fp32, c.sft_steps);
    c.fp32_other = read_arm(store, runs, ids.fp32_other, c.sft_steps);
    if (c.fp8.run_id && c.fp32.run_id)
        c.fp8_gap = sft_loss_gap(c.fp8.loss, c.fp32.loss, c.sft_steps);
    if (c.fp32_other.run_id && c.fp32.run_id)
        c.seed_gap = sft_loss_gap(c.fp32_other.loss, c.fp32.loss, c.sft_steps);
    return c;
}

}  // namespace tinyseek
