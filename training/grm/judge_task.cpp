#include "training/grm/judge_task.h"

#include "core/errors.h"
#include "training/grm/format.h"
#include "training/grm/pooling.h"
#include "training/grm/question_mix.h"

namespace tinyseek {

namespace {

const Task& checked_base(const std::shared_ptr<const Task>& base) {
    if (!base) throw ConfigError("reward-model lab: no base task given");
    return *base;
}

}  // namespace

JudgeTask::JudgeTask(std::shared_ptr<const Task> base, const JudgeItemOptions& items,
                     double decoy_share)
    : Task(checked_base(base).options()),
      base_(std::move(base)),
      items_(items),
      decoy_share_(decoy_share) {
    check_judgeable(*base_);
    items_.validate("judge task");
    if (!(decoy_share >= 0.0 && decoy_share < 1.0))
        throw ConfigError("judge task: decoy share " + std::to_string(decoy_share) +
                          ", expected a value in [0, 1)");
}

JudgeTask::JudgeTask(std::shared_ptr<const Task> base, const JudgeItemOptions& items,
                     std::vector<JudgeExample> pool)
    : JudgeTask(std::move(base), items) {
    if (pool.empty()) throw Error("judge task: the example pool is empty");
    for (const JudgeExample& e : pool)
        if (e.item.problem.split != Split::train)
            throw Error("judge task: pool item '" + e.item.key +
                        "' is not from the train split; a training pool holds train items only");
    pool_ = std::move(pool);
}

Problem JudgeTask::to_problem(const JudgeItem& item, const std::string& judgment) {
    Problem p;
    p.task = "judge";
    p.prompt = judge_prompt(item);
    p.trace = judgment;
    p.answer = item.best < 0 ? "none" : std::string(1, candidate_label(item.best));
    p.operands = {item.size(), item.best};
    p.target = item.best;
    p.key = item.problem.key;
    p.split = item.problem.split;
    return p;
}

Problem JudgeTask::draw(Rng& rng) const {
    if (!pool_.empty()) {
        const auto i = uniform_int(rng, 0, static_cast<std::int64_t>(pool_.size()) - 1);
        const JudgeExample& e = pool_[static_cast<std::size_t>(i)];
        return to_problem(e.item, e.judgment);
    }
    // A question of either split, so both remain reachable (Task::sample picks the one asked).
    const Split split = draw_split(options().held_out_fraction, rng);
    // No extra draw without decoys: the streams of configs from before decoys stay the same.
    const bool decoy = decoy_share_ > 0.0 && uniform_int(rng, 0, 999'999) < decoy_share_ * 1e6;
    const JudgeItem item = decoy ? sample_decoy_item(*base_, split, rng, items_)
                                 : sample_judge_item(*base_, split, rng, items_);
    return to_problem(item, judge_trace(item));
}

AnswerCheck JudgeTask::check(const Problem& problem, std::string_view answer) const {
    AnswerCheck result;
    if (problem.operands.size() != 2) return result;
    Judgment j;
    std::string error;
    j.valid = parse_scores(answer, static_cast<int>(problem.operands[0]), j.scores, error);
    result.parsed = j.valid;
    result.correct = singles_out(j, static_cast<int>(problem.operands[1]));
    return result;
}

JudgeEnvironment::JudgeEnvironment(std::shared_ptr<const Task> base, const JudgeItemOptions& items)
    : base_(std::move(base)), items_(items) {
    check_judgeable(checked_base(base_));
    items_.validate("judge environment");
}

RewardEnvironment::Item JudgeEnvironment::sample_train(Rng& rng) const {
    Item out;
    const std::uint64_t seed = rng();
    out.index = static_cast<std::int64_t>(seed);
    const JudgeItem it = item(out);
    out.prompt = judge_prompt(it);
    out.key = it.key;
    return out;
}

JudgeItem JudgeEnvironment::item(const Item& item) const {
    Rng rng(static_cast<std::uint64_t>(item.index));
    return sample_judge_item(*base_, Split::train, rng, items_);
}

RewardBreakdown JudgeEnvironment::score(const Item& handle, std::string_view completion) const {
    RewardBreakdown r;
    try {
        const JudgeItem it = item(handle);
        const Judgment j = parse_judgment(completion, it.size());
        r.accuracy = singles_out(j, it.best) ? 1.0 : 0.0;
        r.format = j.valid ? 1.0 : 0.0;
        r.total = spct_reward(j, it.best);
        r.malformed = !j.valid;
    } catch (const std::exception&) {
        // Only a handle this environment never issued can fail to rebuild: the worst reward.
        r = RewardBreakdown{0.0, 0.0, -1.0, true};
    }
    return r;
}

}  // namespace tinyseek
