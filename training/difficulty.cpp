#include "training/difficulty.h"

#include <unordered_set>

#include "training/step_report.h"

namespace tinyseek {

void tally_buckets(const Task& task, const Problem& problem, bool correct, BucketTallies& tallies) {
    for (const std::string& label : task.difficulty_buckets(problem)) {
        BucketTally& t = tallies[label];
        ++t.n;
        t.correct += correct ? 1 : 0;
    }
}

void merge_top_up(const Task& task, const BucketTallies& top_up, BucketTallies& into) {
    for (const std::string& label : task.drawable_buckets()) {
        const auto it = top_up.find(label);
        if (it == top_up.end()) continue;
        into[label].n += it->second.n;
        into[label].correct += it->second.correct;
    }
}

std::vector<Problem> difficulty_top_up(const Task& task, const std::vector<Problem>& set,
                                       int min_per_bucket, std::uint64_t seed, Split split) {
    std::vector<Problem> out;
    if (min_per_bucket <= 0) return out;
    std::map<std::string, int> count;
    std::unordered_set<std::string> seen;
    for (const Problem& p : set) {
        seen.insert(p.key);
        for (const std::string& label : task.difficulty_buckets(p)) ++count[label];
    }
    Rng rng(seed);
    for (const std::string& label : task.drawable_buckets()) {
        const int missing = min_per_bucket - count[label];
        if (missing <= 0) continue;
        int found = 0;
        for (int draw = 0; found < missing && draw < 50 * missing + 1000; ++draw) {
            Problem p = task.draw_in_bucket(label, rng);
            if (p.split != split || !seen.insert(p.key).second) continue;
            ++found;
            for (const std::string& l : task.difficulty_buckets(p)) ++count[l];
            out.push_back(std::move(p));
        }
    }
    return out;
}

std::string bucket_accuracy_metric(const std::string& label) {
    return metric::kEvalBucketPrefix + label;
}

std::string bucket_count_metric(const std::string& label) {
    return metric::kEvalBucketCountPrefix + label;
}

void write_bucket_metrics(const BucketTallies& tallies, std::map<std::string, double>& scalars) {
    for (const auto& [label, t] : tallies) {
        if (t.n == 0) continue;
        scalars[bucket_accuracy_metric(label)] = t.accuracy();
        scalars[bucket_count_metric(label)] = t.n;
    }
}

}  // namespace tinyseek
