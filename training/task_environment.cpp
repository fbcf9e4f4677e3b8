#include "training/task_environment.h"

#include <string>

#include "core/errors.h"

namespace tinyseek {

TaskEnvironment::TaskEnvironment(std::shared_ptr<const Task> task, const RewardConfig& reward)
    : task_(std::move(task)), reward_(reward) {
    if (!task_) throw ConfigError("TaskEnvironment: no task given");
    reward_.validate("reward config");
}

TaskEnvironment::TaskEnvironment(std::string_view task_name, const TaskOptions& options,
                                 const RewardConfig& reward)
    : TaskEnvironment(std::shared_ptr<const Task>(make_task(task_name, options)), reward) {}

RewardEnvironment::Item TaskEnvironment::sample_train(Rng& rng) const {
    const std::uint64_t seed = rng();
    Rng draw(seed);
    Problem p = task_->sample(Split::train, draw);
    Item item;
    item.prompt = std::move(p.prompt);
    item.key = std::move(p.key);
    item.index = static_cast<std::int64_t>(seed);
    return item;
}

Problem TaskEnvironment::problem(const Item& item) const {
    Rng draw(static_cast<std::uint64_t>(item.index));
    Problem p = task_->sample(Split::train, draw);
    if (p.key != item.key)
        throw Error("TaskEnvironment: item '" + item.key + "' (index " +
                    std::to_string(item.index) + ") was not drawn by this " +
                    std::string(task_->name()) + " environment (index gives '" + p.key + "')");
    return p;
}

RewardBreakdown TaskEnvironment::score(const Item& item, std::string_view completion) const {
    return score_completion(*task_, problem(item), completion, reward_);
}

}  // namespace tinyseek
