// How many steps the control arm takes and after which of them it evaluates
// (docs/ARCHITECTURE.md "Control arm"). The control arm trains for the GRPO stage's training
// time. Its budget in steps is measured once, after its first kCalibrationSteps steps (from
// their median step time and the time still to go), or earlier when its clock already reached
// the target; it is then stored with the control run (sft.steps), so a control arm that is
// interrupted and resumed takes exactly the steps it would have taken, whatever the speed of
// the machine after the resume.
//
// Evaluations: the GRPO stage evaluated at clock times t_e (seconds since it started). The
// control arm evaluates after the step whose share of the budget first reaches t_e, i.e. step
// ceil(t_e * n / target) of n, never before the budget is known, and after its last step.
// Both are functions of n alone, so the stored budget fixes the whole schedule.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

namespace tinyseek {

class ControlArmBudget {
  public:
    static constexpr std::int64_t kCalibrationSteps = 10;
    // sft.steps of a control run whose budget is not measured yet (also what control runs
    // stored before budgets were measured hold): such a run cannot be resumed and is re-run.
    static constexpr std::int64_t kUnknown = 100'000'000;

    // `target`: the GRPO stage's training seconds; `eval_times`: its evaluations' clock
    // times since it began; `stored_steps`: the control run's stored sft.steps.
    ControlArmBudget(double target, std::vector<double> eval_times, std::int64_t stored_steps);

    bool known() const { return steps_ != kUnknown; }
    std::int64_t steps() const { return steps_; }
    // Records control step k (1-based) that took `step_seconds` and brought the control's
    // clock to `clock`. Returns true when this fixes the budget.
    bool calibrate(std::int64_t k, double step_seconds, double clock);
    bool evaluates(std::int64_t k) const { return eval_steps_.count(k) > 0; }
    bool done(std::int64_t k) const { return known() && k >= steps_; }

  private:
    void fix(std::int64_t steps);

    double target_;
    std::vector<double> eval_times_;
    std::int64_t steps_;
    std::vector<double> step_seconds_;  // of the calibration steps
    std::set<std::int64_t> eval_steps_;
};

}  // namespace tinyseek
