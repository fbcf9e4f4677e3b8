// Accuracy by difficulty: held-out accuracy split into the buckets a task defines
// (Task::difficulty_buckets: addition's operand lengths and carries, Countdown's number count
// and target size, multiplication's product length), so a user sees which problems training
// fixes and which it never learns.
//
// A uniform draw rarely hits some buckets (two 1-digit operands are 1 in 10,000 of 3-digit
// addition problems), so an evaluation tops them up: difficulty_top_up() draws extra held-out
// problems from each bucket the task can draw from (Task::drawable_buckets) until it holds
// `min_per_bucket` problems with the evaluation set, or the split runs out. The extra problems
// count towards the buckets they were drawn for only: not towards the task's other families
// (merge_top_up), never towards eval/accuracy.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "training/task.h"

namespace tinyseek {

struct BucketTally {
    int n = 0;
    int correct = 0;
    double accuracy() const { return n ? double(correct) / n : 0.0; }
};
using BucketTallies = std::map<std::string, BucketTally>;  // by bucket label

// Counts one problem's outcome in each of its buckets.
void tally_buckets(const Task& task, const Problem& problem, bool correct, BucketTallies& tallies);
// Adds the tallies of top-up problems into `into`, for the buckets they were drawn for only
// (task.drawable_buckets()): their other families (addition's carries) keep the distribution
// of the evaluation set, which short operands would otherwise skew.
void merge_top_up(const Task& task, const BucketTallies& top_up, BucketTallies& into);

// Problems of `split` (held-out unless said), distinct from each other and from `set`, that
// bring every drawable bucket to at least `min_per_bucket` problems counting those of `set`;
// drawn with `seed`, in the order of drawable_buckets(). A bucket whose part of the split is
// smaller gets what a bounded number of draws finds (50 per missing problem, plus 1,000).
// Empty when min_per_bucket <= 0.
std::vector<Problem> difficulty_top_up(const Task& task, const std::vector<Problem>& set,
                                       int min_per_bucket, std::uint64_t seed,
                                       Split split = Split::held_out);

// The metrics of a bucket (step_report.h): its accuracy and its number of problems.
std::string bucket_accuracy_metric(const std::string& label);
std::string bucket_count_metric(const std::string& label);
// Writes both metrics of every bucket with problems into `scalars`.
void write_bucket_metrics(const BucketTallies& tallies, std::map<std::string, double>& scalars);

}  // namespace tinyseek
