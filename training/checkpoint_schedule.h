// When a RunLoop writes a periodic checkpoint and which of a run's checkpoints it keeps
// (docs/ARCHITECTURE.md "Checkpoints and resume"). Plain logic on step numbers and the
// training clock, so tests drive it with any clock they like.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

namespace tinyseek {

// A periodic checkpoint is due after a global step that is a multiple of `every_steps`, or
// once `every_seconds` of training time have passed since the last checkpoint, whichever
// comes first. 0 turns a trigger off. The step trigger counts global steps, not steps since
// the last checkpoint, so a resumed run checkpoints at the same steps as an uninterrupted one.
class CheckpointSchedule {
  public:
    CheckpointSchedule(std::int64_t every_steps, double every_seconds);
    // The time trigger counts from training-clock time `clock` (a checkpoint was just
    // written or loaded there, or training starts).
    void restart(double clock) { last_clock_ = clock; }
    bool due(std::int64_t step, double clock) const;

  private:
    std::int64_t every_steps_;
    double every_seconds_;
    double last_clock_ = 0.0;
};

// The steps of the checkpoints to delete from `steps` (a run's checkpoints) so that only the
// newest `keep` of those not in `kept_always` remain, oldest first; nothing when keep = 0.
std::vector<std::int64_t> checkpoints_to_prune(const std::vector<std::int64_t>& steps,
                                               const std::set<std::int64_t>& kept_always,
                                               std::int64_t keep);

}  // namespace tinyseek
