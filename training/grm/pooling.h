// Pooling sampled judgments into one decision (DeepSeek-GRM §3.3 / §4), and SPCT's rule reward.
//
// voting@k: each candidate's pooled score is the SUM of its scores over the valid judgments
//   among the k samples (sums, not majority counts, so the pooled scale is [k, 10k] and a
//   confident judgment weighs more than a lukewarm one, as in the paper).
// meta RM@k: a scalar meta RM scores each sampled judgment; only the k_meta valid judgments
//   with the highest meta scores vote (default k_meta = k/2, at least 1). Ties in the meta score
//   keep the earlier sample, so the choice is deterministic.
//
// Ties and invalid judgments, stated once for every method:
//   - invalid judgments never vote (they are counted in `invalid`);
//   - the decision is the candidate with the strictly highest pooled score; a tie for the top
//     gives no decision (best = -1) and correct() is false (strict: the SPCT reward's
//     condition);
//   - credit() is the expected accuracy when a tie is broken uniformly at random: 1/t when the
//     truth is one of t candidates tied for the top, else 0. The scaling experiment reports
//     credit (with 10/1 scores, two disagreeing judgments tie, and a strict rule would make
//     every even k look worse than the odd k below it); its JSON also gives the strict number;
//   - when no judgment is valid there is no decision: best = -1, credit 0 (a miss).
#pragma once

#include <vector>

#include "training/grm/format.h"

namespace tinyseek {

struct PooledDecision {
    std::vector<double> totals;  // (n) pooled score per candidate
    int best = -1;               // strictly highest total; -1 on a tie or with no valid vote
    int voters = 0;              // judgments that voted
    int invalid = 0;             // invalid judgments among those considered
    std::vector<int> kept;       // indices (into the given judgments) that voted, ascending

    bool correct(int truth) const { return best >= 0 && best == truth; }
    double credit(int truth) const;
};

// voting@k over all given judgments (the first k samples of an item).
PooledDecision vote(const std::vector<Judgment>& judgments, int n_candidates);

// Which judgments the meta RM keeps: the k_meta valid ones with the highest meta scores (ties:
// earlier index first), returned in ascending index order. meta_scores (judgments.size()).
// k_meta >= 1; fewer are kept when fewer are valid.
std::vector<int> meta_rm_select(const std::vector<Judgment>& judgments,
                                const std::vector<float>& meta_scores, int k_meta);

// meta RM@k: vote of the selected judgments only (`invalid` counts all given judgments).
PooledDecision meta_rm_vote(const std::vector<Judgment>& judgments,
                            const std::vector<float>& meta_scores, int k_meta, int n_candidates);

// 1/t when scores[truth] is one of t equal maxima of `scores`, else 0 (0 for empty scores).
double tie_credit(const std::vector<double>& scores, int truth);

// The paper's default: half of the k samples, at least one.
int default_k_meta(int k);

// SPCT's rule reward for one judgment: +1 when it is valid and the true best candidate has the
// strictly highest score, -1 otherwise (wrong pick, tie for the top, or invalid).
double spct_reward(const Judgment& judgment, int truth);
// The same condition as a bool (a judgment "singles out the truth").
bool singles_out(const Judgment& judgment, int truth);

}  // namespace tinyseek
