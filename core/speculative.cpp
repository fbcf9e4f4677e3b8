#include "core/speculative.h"

#include <algorithm>

namespace tinyseek {

DraftVerdict verify_draft(const double* p, const double* q, int vocab, int draft,
                          SequenceRng& rng) {
    DraftVerdict v;
    // u < p/q  <=>  u q < p, which also covers q(d) = 0 (never drawn) without a division.
    if (rng.uniform() * q[draft] < p[draft]) {
        v.token = draft;
        v.accepted = true;
        return v;
    }
    // Rejected: the residual max(0, p - q) has positive mass, because p(d) < q(d) and both
    // sum to one. Rounding could still leave nothing; p itself is then the right fallback.
    double total = 0.0;
    for (int i = 0; i < vocab; ++i) total += std::max(0.0, p[i] - q[i]);
    const bool residual = total > 0.0;
    if (!residual)
        for (int i = 0; i < vocab; ++i) total += p[i];
    const double u = rng.uniform() * total;
    double acc = 0.0;
    v.token = -1;
    for (int i = 0; i < vocab; ++i) {
        const double mass = residual ? std::max(0.0, p[i] - q[i]) : p[i];
        if (mass <= 0.0) continue;
        v.token = i;  // the last token with mass, should rounding leave u beyond the sum
        acc += mass;
        if (u < acc) break;
    }
    return v;
}

}  // namespace tinyseek
