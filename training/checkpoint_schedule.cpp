#include "training/checkpoint_schedule.h"

#include <algorithm>

namespace tinyseek {

CheckpointSchedule::CheckpointSchedule(std::int64_t every_steps, double every_seconds)
    : every_steps_(every_steps), every_seconds_(every_seconds) {}

bool CheckpointSchedule::due(std::int64_t step, double clock) const {
    if (every_steps_ > 0 && step % every_steps_ == 0) return true;
    return every_seconds_ > 0.0 && clock - last_clock_ >= every_seconds_;
}

std::vector<std::int64_t> checkpoints_to_prune(const std::vector<std::int64_t>& steps,
                                               const std::set<std::int64_t>& kept_always,
                                               std::int64_t keep) {
    if (keep <= 0) return {};
    std::vector<std::int64_t> periodic;
    for (std::int64_t s : steps)
        if (!kept_always.count(s)) periodic.push_back(s);
    std::sort(periodic.begin(), periodic.end());
    if (static_cast<std::int64_t>(periodic.size()) <= keep) return {};
    periodic.resize(periodic.size() - static_cast<std::size_t>(keep));
    return periodic;
}

}  // namespace tinyseek
