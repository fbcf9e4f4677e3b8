#include "training/grm/pooling.h"

#include <algorithm>

#include "core/errors.h"

namespace tinyseek {

namespace {

// Sums the scores of judgments[i] for i in `voters`; `voters` must be valid judgments with
// n_candidates scores each.
PooledDecision pool(const std::vector<Judgment>& judgments, const std::vector<int>& voters,
                    int n_candidates) {
    PooledDecision d;
    d.totals.assign(static_cast<std::size_t>(n_candidates), 0.0);
    for (int i : voters) {
        const Judgment& j = judgments[static_cast<std::size_t>(i)];
        for (int c = 0; c < n_candidates; ++c) d.totals[c] += j.scores[c];
    }
    d.voters = static_cast<int>(voters.size());
    d.kept = voters;
    for (const Judgment& j : judgments) d.invalid += !j.valid;
    if (d.voters == 0) return d;
    const auto top = std::max_element(d.totals.begin(), d.totals.end());
    if (std::count(d.totals.begin(), d.totals.end(), *top) == 1)
        d.best = static_cast<int>(top - d.totals.begin());
    return d;
}

bool usable(const Judgment& j, int n_candidates) {
    return j.valid && static_cast<int>(j.scores.size()) == n_candidates;
}

}  // namespace

PooledDecision vote(const std::vector<Judgment>& judgments, int n_candidates) {
    std::vector<int> voters;
    for (std::size_t i = 0; i < judgments.size(); ++i)
        if (usable(judgments[i], n_candidates)) voters.push_back(static_cast<int>(i));
    return pool(judgments, voters, n_candidates);
}

std::vector<int> meta_rm_select(const std::vector<Judgment>& judgments,
                                const std::vector<float>& meta_scores, int k_meta) {
    if (meta_scores.size() != judgments.size())
        throw Error("meta RM selection: " + std::to_string(meta_scores.size()) +
                    " meta scores for " + std::to_string(judgments.size()) + " judgments");
    if (k_meta < 1)
        throw Error("meta RM selection: k_meta must be >= 1, got " + std::to_string(k_meta));
    std::vector<int> valid;
    for (std::size_t i = 0; i < judgments.size(); ++i)
        if (judgments[i].valid) valid.push_back(static_cast<int>(i));
    // Highest meta score first; stable, so equal scores keep the earlier sample first.
    std::stable_sort(valid.begin(), valid.end(),
                     [&](int a, int b) { return meta_scores[a] > meta_scores[b]; });
    if (static_cast<int>(valid.size()) > k_meta) valid.resize(static_cast<std::size_t>(k_meta));
    std::sort(valid.begin(), valid.end());
    return valid;
}

PooledDecision meta_rm_vote(const std::vector<Judgment>& judgments,
                            const std::vector<float>& meta_scores, int k_meta, int n_candidates) {
    std::vector<int> kept = meta_rm_select(judgments, meta_scores, k_meta);
    kept.erase(std::remove_if(kept.begin(), kept.end(),
                              [&](int i) { return !usable(judgments[i], n_candidates); }),
               kept.end());
    return pool(judgments, kept, n_candidates);
}

double tie_credit(const std::vector<double>& scores, int truth) {
    if (scores.empty() || truth < 0 || truth >= static_cast<int>(scores.size())) return 0.0;
    const double top = *std::max_element(scores.begin(), scores.end());
    if (scores[static_cast<std::size_t>(truth)] != top) return 0.0;
    return 1.0 / static_cast<double>(std::count(scores.begin(), scores.end(), top));
}

double PooledDecision::credit(int truth) const {
    return voters > 0 ? tie_credit(totals, truth) : 0.0;
}

int default_k_meta(int k) {
    return std::max(1, k / 2);
}

bool singles_out(const Judgment& judgment, int truth) {
    return truth >= 0 && judgment.top() == truth;
}

double spct_reward(const Judgment& judgment, int truth) {
    return singles_out(judgment, truth) ? 1.0 : -1.0;
}

}  // namespace tinyseek
