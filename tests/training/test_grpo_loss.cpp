// GRPO math: advantage invariants, the clipped-ratio + k3 loss and its gradient against a
// direct double-precision computation and finite differences, the chain rule to the logits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "core/cross_entropy.h"
#include "core/errors.h"
#include "training/grpo_loss.h"

namespace tinyseek {
namespace {

// The objective written out literally, token by token, as the formulas read (TRL's
// -min(coef_1 * A, clamp(coef_1) * A) + beta * k3), independently of the implementation.
double direct_loss(const std::vector<double>& logp, const std::vector<double>& old,
                   const std::vector<double>& ref, const std::vector<int>& offsets,
                   const std::vector<double>& adv, const GrpoLossParams& p) {
    double total = 0;
    int n_total = offsets.back(), seqs = 0;
    std::vector<double> per_seq;
    for (std::size_t s = 0; s + 1 < offsets.size(); ++s) {
        double sum = 0;
        for (int t = offsets[s]; t < offsets[s + 1]; ++t) {
            const double ratio = std::exp(logp[t] - old[t]);
            const double clipped = std::clamp(ratio, 1 - p.epsilon, 1 + p.epsilon_high);
            const double kl = std::exp(ref[t] - logp[t]) - (ref[t] - logp[t]) - 1;
            sum += -std::min(ratio * adv[s], clipped * adv[s]) + p.beta * kl;
        }
        total += sum;
        const int n = offsets[s + 1] - offsets[s];
        if (n > 0) {
            per_seq.push_back(sum / n);
            ++seqs;
        }
    }
    if (p.averaging == LossAveraging::token) return total / n_total;
    double m = 0;
    for (double v : per_seq) m += v;
    return m / seqs;
}

// A hand-made batch: 4 sequences of 3, 1, 0 and 2 tokens.
struct Batch {
    std::vector<int> offsets{0, 3, 4, 4, 6};
    std::vector<double> logp{-0.5, -1.2, -0.1, -2.0, -0.7, -0.3};
    std::vector<double> ref{-0.6, -1.0, -0.1, -2.5, -0.9, -0.2};
    std::vector<double> adv{1.3, -0.8, 0.9, 0.0};
    std::vector<double> old;
};

// old log-probs giving ratios exp(logp - old) that are inside the clip range everywhere
// (`clip_none`) or, for chosen tokens, far outside it on the side where the clip binds.
Batch make_batch(bool clip_some) {
    Batch b;
    b.old = b.logp;
    const std::vector<double> shift = clip_some
                                          ? std::vector<double>{0.05, 0.6, -0.5, -0.6, 0.3, 0.1}
                                          : std::vector<double>{0.05, -0.1, 0.08, -0.05, 0.1, 0.0};
    for (std::size_t i = 0; i < b.old.size(); ++i) b.old[i] = b.logp[i] - shift[i];
    return b;
}

GrpoLossParams params(LossAveraging avg, double beta, double eps_high = 0.2) {
    GrpoLossParams p;
    p.beta = beta;
    p.epsilon = 0.2;
    p.epsilon_high = eps_high;
    p.averaging = avg;
    return p;
}

TEST(GrpoAdvantages, ZeroMeanPerGroupAndUnitScale) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0.0, 1.1);
    const int G = 5, groups = 6;
    std::vector<double> r(G * groups);
    for (double& x : r) x = u(rng);
    for (bool scale : {true, false}) {
        const std::vector<double> a = group_advantages(r, G, scale);
        const std::vector<double> sd = group_std(r, G);
        for (int g = 0; g < groups; ++g) {
            double sum = 0, mean = 0;
            for (int i = 0; i < G; ++i) mean += r[g * G + i] / G;
            for (int i = 0; i < G; ++i) {
                sum += a[g * G + i];
                const double want = (r[g * G + i] - mean) / (scale ? sd[g] + 1e-4 : 1.0);
                EXPECT_NEAR(a[g * G + i], want, 1e-12);
            }
            EXPECT_NEAR(sum, 0.0, 1e-12) << "group " << g;
            if (scale) {
                // sample std of the advantages = std / (std + eps), just under 1
                double ss = 0;
                for (int i = 0; i < G; ++i) ss += a[g * G + i] * a[g * G + i];
                EXPECT_NEAR(std::sqrt(ss / (G - 1)), sd[g] / (sd[g] + 1e-4), 1e-12);
                EXPECT_LT(std::sqrt(ss / (G - 1)), 1.0);
            }
        }
    }
}

TEST(GrpoAdvantages, HandValuesUseSampleStd) {
    const std::vector<double> r{1.0, 0.0, 0.0, 1.0};  // mean 0.5, sample std sqrt(1/3)
    const std::vector<double> sd = group_std(r, 4);
    EXPECT_NEAR(sd[0], std::sqrt(1.0 / 3.0), 1e-15);
    const std::vector<double> a = group_advantages(r, 4, true);
    const double want = 0.5 / (std::sqrt(1.0 / 3.0) + 1e-4);
    EXPECT_NEAR(a[0], want, 1e-12);
    EXPECT_NEAR(a[1], -want, 1e-12);
    const std::vector<double> m = group_advantages(r, 4, false);  // Dr. GRPO: mean only
    EXPECT_DOUBLE_EQ(m[0], 0.5);
    EXPECT_DOUBLE_EQ(m[1], -0.5);
}

TEST(GrpoAdvantages, AllEqualRewardsGiveExactlyZero) {
    // 0.1 * 3 / 3 != 0.1 in binary: without the explicit rule r - mean would be ~1e-17, and
    // divided by (0 + 1e-4) a spurious 1e-13 signal.
    const std::vector<double> r{0.1, 0.1, 0.1, 1.1, 1.1, 1.1, 0.0, 1.1, 0.0};
    for (bool scale : {true, false}) {
        const std::vector<double> a = group_advantages(r, 3, scale);
        for (int i = 0; i < 6; ++i) EXPECT_EQ(a[i], 0.0) << i;
        EXPECT_NE(a[7], 0.0);
    }
    const std::vector<float> rf{0.1f, 0.1f, 0.1f};
    EXPECT_EQ(group_advantages(rf, 3, true), std::vector<float>(3, 0.0f));
    EXPECT_THROW(group_advantages(r, 4, true), Error);
}

TEST(GrpoLoss, MatchesDirectComputationAndFiniteDifferences) {
    for (bool clip_some : {false, true})
        for (LossAveraging avg : {LossAveraging::token, LossAveraging::sequence})
            for (double beta : {0.0, 0.04, 0.5})
                for (double eps_high : {0.2, 0.28}) {
                    SCOPED_TRACE(::testing::Message()
                                 << "clip " << clip_some << " avg " << to_string(avg) << " beta "
                                 << beta << " eps_high " << eps_high);
                    const Batch b = make_batch(clip_some);
                    const GrpoLossParams p = params(avg, beta, eps_high);
                    const GrpoLossResult<double> r = grpo_loss(
                        b.logp.data(), b.old.data(), b.ref.data(), b.offsets, b.adv.data(), p);
                    EXPECT_NEAR(r.loss, direct_loss(b.logp, b.old, b.ref, b.offsets, b.adv, p),
                                1e-14);
                    ASSERT_EQ(r.dlogp.size(), b.logp.size());
                    for (std::size_t t = 0; t < b.logp.size(); ++t) {
                        // Central differences; no ratio sits near a clip boundary, so the
                        // objective is smooth around every point.
                        const double h = 1e-6;
                        std::vector<double> lp = b.logp, lm = b.logp;
                        lp[t] += h;
                        lm[t] -= h;
                        const double fd = (direct_loss(lp, b.old, b.ref, b.offsets, b.adv, p) -
                                           direct_loss(lm, b.old, b.ref, b.offsets, b.adv, p)) /
                                          (2 * h);
                        EXPECT_NEAR(r.dlogp[t], fd, 1e-8) << "token " << t;
                    }
                }
}

TEST(GrpoLoss, ClipRatioCountsTokensWhoseClippedBranchIsActive) {
    // clip_some ratios: e^0.05 (A=1.3, in range), e^0.6 (A=1.3 > 0, above 1.2: clipped),
    // e^-0.5 (A=1.3 > 0, below: NOT clipped, min picks ratio*A), e^-0.6 (A=-0.8 < 0, below
    // 0.8: clipped), sequence 4 has A = 0 (never clipped).
    const Batch b = make_batch(true);
    const GrpoLossResult<double> r = grpo_loss(b.logp.data(), b.old.data(), b.ref.data(), b.offsets,
                                               b.adv.data(), params(LossAveraging::token, 0.0));
    EXPECT_DOUBLE_EQ(r.clip_ratio, 2.0 / 6.0);
    EXPECT_EQ(r.dlogp[1], 0.0);  // clipped: no policy gradient, and beta = 0
    EXPECT_EQ(r.dlogp[3], 0.0);
    EXPECT_NE(r.dlogp[2], 0.0);
    EXPECT_EQ(r.dlogp[4], 0.0);  // A = 0 and beta = 0: nothing to learn
    const Batch n = make_batch(false);
    EXPECT_EQ(grpo_loss(n.logp.data(), n.old.data(), n.ref.data(), n.offsets, n.adv.data(),
                        params(LossAveraging::token, 0.04))
                  .clip_ratio,
              0.0);
}

TEST(GrpoLoss, OnPolicyRatioIsOneSoLossIsMinusMeanAdvantage) {
    // mu = 1: old = logp, ratio = 1; with beta = 0 and token averaging the loss is
    // -sum_s A_s n_s / N and dlogp = -A_s / N.
    Batch b = make_batch(false);
    b.old = b.logp;
    const GrpoLossResult<double> r =
        grpo_loss(b.logp.data(), b.old.data(), static_cast<const double*>(nullptr), b.offsets,
                  b.adv.data(), params(LossAveraging::token, 0.0));
    EXPECT_NEAR(r.loss, -(1.3 * 3 - 0.8 * 1 + 0.0 * 2) / 6.0, 1e-15);
    EXPECT_NEAR(r.dlogp[0], -1.3 / 6.0, 1e-15);
    EXPECT_NEAR(r.dlogp[3], 0.8 / 6.0, 1e-15);
    EXPECT_THROW(grpo_loss(b.logp.data(), b.old.data(), static_cast<const double*>(nullptr),
                           b.offsets, b.adv.data(), params(LossAveraging::token, 0.1)),
                 Error);
}

TEST(GrpoLoss, K3IsNonNegativeAndZeroWhenPoliciesMatch) {
    std::mt19937_64 rng(11);
    std::normal_distribution<double> n(0.0, 2.0);
    const int N = 200;
    std::vector<double> logp(N), ref(N), zero_adv(N, 0.0);
    std::vector<int> offsets(N + 1);
    for (int i = 0; i <= N; ++i) offsets[i] = i;  // one token per sequence
    for (int i = 0; i < N; ++i) {
        logp[i] = -std::abs(n(rng));
        ref[i] = -std::abs(n(rng));
    }
    const GrpoLossParams p = params(LossAveraging::token, 1.0);
    for (int i = 0; i < N; ++i) {
        // Per-token k3 through a one-token batch: with A = 0 the loss is beta * k3.
        const std::vector<int> one{0, 1};
        const double lp = logp[i], rf = ref[i], a = 0.0;
        const double k3 = grpo_loss(&lp, &lp, &rf, one, &a, p).loss;
        EXPECT_GE(k3, 0.0) << "token " << i;
        EXPECT_NEAR(k3, std::exp(rf - lp) - (rf - lp) - 1, 1e-15);
    }
    const GrpoLossResult<double> diff =
        grpo_loss(logp.data(), logp.data(), ref.data(), offsets, zero_adv.data(), p);
    EXPECT_GT(diff.mean_kl, 0.0);
    const GrpoLossResult<double> same =
        grpo_loss(logp.data(), logp.data(), logp.data(), offsets, zero_adv.data(), p);
    EXPECT_EQ(same.mean_kl, 0.0);  // exactly: e^0 - 0 - 1
    EXPECT_EQ(same.loss, 0.0);
    for (double d : same.dlogp) EXPECT_EQ(d, 0.0);
}

// Loss as a function of the logits: log-probs through token_logprobs, then grpo_loss.
struct LogitCase {
    int n = 7, V = 5;
    std::vector<double> logits;
    std::vector<int> targets{kIgnoreIndex, 2, 0, 4, kIgnoreIndex, 1, 3};  // 5 tokens
    std::vector<int> rows{1, 2, 3, 5, 6};
    std::vector<int> offsets{0, 3, 5};  // 2 sequences
    std::vector<double> adv{0.7, -1.1};
    std::vector<double> old{-1.2, -1.9, -1.0, -2.4, -1.3};
    std::vector<double> ref{-1.4, -1.5, -1.1, -2.0, -1.6};
    LogitCase() {
        std::mt19937_64 rng(5);
        std::normal_distribution<double> g(0.0, 1.0);
        logits.resize(n * V);
        for (double& z : logits) z = g(rng);
    }
    double loss(const std::vector<double>& z, double inv_tau, const GrpoLossParams& p) const {
        std::vector<double> by_row(n), lp;
        token_logprobs(by_row.data(), static_cast<double*>(nullptr), z.data(), targets.data(), n, V,
                       inv_tau);
        for (int r : rows) lp.push_back(by_row[r]);
        return grpo_loss(lp.data(), old.data(), ref.data(), offsets, adv.data(), p).loss;
    }
};

TEST(GrpoLoss, GradientWrtLogitsMatchesFiniteDifferences) {
    const LogitCase c;
    for (double inv_tau : {1.0, 1.0 / 0.7})
        for (LossAveraging avg : {LossAveraging::token, LossAveraging::sequence}) {
            SCOPED_TRACE(::testing::Message() << "1/tau " << inv_tau << " " << to_string(avg));
            const GrpoLossParams p = params(avg, 0.1);
            std::vector<double> by_row(c.n), lp;
            token_logprobs(by_row.data(), static_cast<double*>(nullptr), c.logits.data(),
                           c.targets.data(), c.n, c.V, inv_tau);
            for (int r : c.rows) lp.push_back(by_row[r]);
            const GrpoLossResult<double> res =
                grpo_loss(lp.data(), c.old.data(), c.ref.data(), c.offsets, c.adv.data(), p);
            EXPECT_GT(res.clip_ratio, 0.0);  // both branches are exercised
            EXPECT_LT(res.clip_ratio, 1.0);
            std::vector<double> dlogp_rows(c.n, 0.0), dz(c.n * c.V, 42.0);
            for (std::size_t i = 0; i < c.rows.size(); ++i) dlogp_rows[c.rows[i]] = res.dlogp[i];
            logprob_logits_grad(dz.data(), c.logits.data(), c.targets.data(), dlogp_rows.data(),
                                c.n, c.V, inv_tau);
            for (int i = 0; i < c.n * c.V; ++i) {
                const double h = 1e-6;
                std::vector<double> zp = c.logits, zm = c.logits;
                zp[i] += h;
                zm[i] -= h;
                const double fd = (c.loss(zp, inv_tau, p) - c.loss(zm, inv_tau, p)) / (2 * h);
                EXPECT_NEAR(dz[i], fd, 1e-8) << "logit " << i;
            }
            for (int v = 0; v < c.V; ++v) EXPECT_EQ(dz[v], 0.0);  // ignored row 0 is zeroed
        }
}

TEST(GrpoLoss, LogprobsAndEntropyMatchDirectSoftmax) {
    const LogitCase c;
    const double inv_tau = 1.0 / 0.8;
    std::vector<double> lp(c.n), ent(c.n);
    token_logprobs(lp.data(), ent.data(), c.logits.data(), c.targets.data(), c.n, c.V, inv_tau);
    for (int r = 0; r < c.n; ++r) {
        if (c.targets[r] == kIgnoreIndex) {
            EXPECT_EQ(lp[r], 0.0);
            EXPECT_EQ(ent[r], 0.0);
            continue;
        }
        double z = 0;
        std::vector<double> p(c.V);
        for (int v = 0; v < c.V; ++v) z += p[v] = std::exp(c.logits[r * c.V + v] * inv_tau);
        double h = 0;
        for (int v = 0; v < c.V; ++v) h -= p[v] / z * std::log(p[v] / z);
        EXPECT_NEAR(lp[r], std::log(p[c.targets[r]] / z), 1e-13);
        EXPECT_NEAR(ent[r], h, 1e-13);
    }
    // Uniform logits: entropy log V.
    const std::vector<double> flat(8, 3.0);
    const int t = 1;
    double l = 0, e = 0;
    token_logprobs(&l, &e, flat.data(), &t, 1, 8, 1.0);
    EXPECT_NEAR(e, std::log(8.0), 1e-14);
    EXPECT_NEAR(l, -std::log(8.0), 1e-14);
    const int bad = 9;
    EXPECT_THROW(token_logprobs(&l, &e, flat.data(), &bad, 1, 8, 1.0), Error);
}

TEST(GrpoLoss, FloatAgreesWithDouble) {
    const Batch b = make_batch(true);
    const std::vector<float> lp(b.logp.begin(), b.logp.end()), old(b.old.begin(), b.old.end()),
        ref(b.ref.begin(), b.ref.end()), adv(b.adv.begin(), b.adv.end());
    for (LossAveraging avg : {LossAveraging::token, LossAveraging::sequence}) {
        const GrpoLossParams p = params(avg, 0.04);
        const auto d =
            grpo_loss(b.logp.data(), b.old.data(), b.ref.data(), b.offsets, b.adv.data(), p);
        const auto f = grpo_loss(lp.data(), old.data(), ref.data(), b.offsets, adv.data(), p);
        EXPECT_NEAR(f.loss, d.loss, 1e-6);
        for (std::size_t t = 0; t < lp.size(); ++t) EXPECT_NEAR(f.dlogp[t], d.dlogp[t], 1e-6);
        EXPECT_EQ(f.clip_ratio, d.clip_ratio);
    }
}

}  // namespace
}  // namespace tinyseek
