#include "core/sampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/errors.h"

namespace tinyseek {

namespace {
uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}
}  // namespace

void SamplingParams::validate() const {
    if (!std::isfinite(temperature) || temperature < 0.0f)
        throw ConfigError("sampling: temperature must be a finite number >= 0 (0 = greedy), got " +
                          std::to_string(temperature));
    if (top_k < 0)
        throw ConfigError("sampling: top_k must be >= 0 (0 = off), got " + std::to_string(top_k));
    if (!(top_p > 0.0f && top_p <= 1.0f))
        throw ConfigError("sampling: top_p must be in (0, 1] (1 = off), got " +
                          std::to_string(top_p));
}

SequenceRng::SequenceRng(uint64_t seed, uint64_t sequence_id) {
    // Mix the sequence id through one splitmix round before combining with the seed, so
    // neighbouring (seed, id) pairs give unrelated streams.
    uint64_t id_mix = sequence_id;
    uint64_t x = seed ^ splitmix64(id_mix);
    for (uint64_t& s : s_) s = splitmix64(x);
}

uint64_t SequenceRng::next() {
    // xoshiro256** (Blackman & Vigna).
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

double SequenceRng::uniform() {
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

float log_softmax_at(const float* logits, int vocab_size, int token) {
    const float m = *std::max_element(logits, logits + vocab_size);
    double sum = 0.0;
    for (int i = 0; i < vocab_size; ++i) sum += std::exp(static_cast<double>(logits[i] - m));
    return static_cast<float>(static_cast<double>(logits[token] - m) - std::log(sum));
}

ModelTokenStats model_token_stats(const float* logits, int vocab_size, int token) {
    const float m = *std::max_element(logits, logits + vocab_size);
    double sum = 0.0, weighted = 0.0;
    for (int i = 0; i < vocab_size; ++i) {
        const double z = static_cast<double>(logits[i] - m);
        const double e = std::exp(z);
        sum += e;
        weighted += e * z;
    }
    const double log_sum = std::log(sum);
    return {static_cast<float>(static_cast<double>(logits[token] - m) - log_sum),
            static_cast<float>(log_sum - weighted / sum)};
}

Sampler::Sampler(int vocab_size) : vocab_(vocab_size), order_(vocab_size), probs_(vocab_size) {
    if (vocab_size <= 0)
        throw ConfigError("sampler: vocab_size must be > 0, got " + std::to_string(vocab_size));
}

int Sampler::keep(const float* logits, const SamplingParams& params, double& total) {
    // q_i ∝ exp((z_i - max z) / T); the order of the filters follows Hugging Face:
    // temperature, then top-k, then top-p on the renormalised top-k distribution.
    const double inv_t = 1.0 / static_cast<double>(params.temperature);
    const float zmax = *std::max_element(logits, logits + vocab_);
    std::iota(order_.begin(), order_.end(), 0);
    int kept = vocab_;
    const bool use_top_k = params.top_k > 0 && params.top_k < vocab_;
    const bool use_top_p = params.top_p < 1.0f;
    if (use_top_k || use_top_p) {
        // Descending logit, ties by lower id, so the kept set is unique.
        auto by_logit = [logits](int a, int b) {
            return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
        };
        kept = use_top_k ? params.top_k : vocab_;
        if (kept < vocab_) {
            std::partial_sort(order_.begin(), order_.begin() + kept, order_.end(), by_logit);
        } else {
            std::sort(order_.begin(), order_.end(), by_logit);
        }
    }
    total = 0.0;
    for (int i = 0; i < kept; ++i) {
        probs_[i] = std::exp((static_cast<double>(logits[order_[i]]) - zmax) * inv_t);
        total += probs_[i];
    }
    if (use_top_p) {
        // Smallest prefix of the sorted list whose mass reaches top_p (at least one token).
        const double target = static_cast<double>(params.top_p) * total;
        double acc = 0.0;
        int n = 0;
        while (n < kept) {
            acc += probs_[n++];
            if (acc >= target) break;
        }
        kept = n;
        total = acc;
    }
    return kept;
}

void Sampler::distribution(const float* logits, const SamplingParams& params, double* probs) {
    std::fill(probs, probs + vocab_, 0.0);
    if (params.greedy()) {
        probs[std::max_element(logits, logits + vocab_) - logits] = 1.0;
        return;
    }
    double total = 0.0;
    const int kept = keep(logits, params, total);
    for (int i = 0; i < kept; ++i) probs[order_[i]] = probs_[i] / total;
}

SampledToken Sampler::sample(const float* logits, const SamplingParams& params, SequenceRng& rng) {
    SampledToken out;
    if (params.greedy()) {
        // First index of the maximum, so ties resolve the same way everywhere.
        out.token = static_cast<int>(std::max_element(logits, logits + vocab_) - logits);
        out.logprob_sampling = 0.0f;  // the greedy distribution is a point mass
        set_model_stats(out, logits);
        return out;
    }
    double total = 0.0;
    const int kept = keep(logits, params, total);
    // Inverse-CDF draw over the kept tokens with exactly one uniform number.
    const double u = rng.uniform() * total;
    double acc = 0.0;
    int pick = kept - 1;
    for (int i = 0; i < kept; ++i) {
        acc += probs_[i];
        if (u < acc) {
            pick = i;
            break;
        }
    }
    out.token = order_[pick];
    out.logprob_sampling = static_cast<float>(std::log(probs_[pick] / total));
    set_model_stats(out, logits);
    return out;
}

void Sampler::set_model_stats(SampledToken& t, const float* logits) const {
    const ModelTokenStats stats = model_token_stats(logits, vocab_, t.token);
    t.logprob_model = stats.logprob;
    t.entropy_model = stats.entropy;
}

}  // namespace tinyseek
