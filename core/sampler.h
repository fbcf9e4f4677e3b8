// Token sampling for generation: greedy, temperature, top-k, top-p (nucleus).
//
// Every sequence owns its random stream, seeded from (seed, sequence_id), so a sequence's
// samples do not depend on which other sequences share the batch, on their order, or on the
// number of threads (GRPO draws 8 completions per prompt in one batch of 64).
//
// Each draw returns the token with two log-probabilities:
//   logprob_sampling  log q(token), q = the distribution actually sampled from
//                     (temperature, top-k and top-p applied, renormalised);
//   logprob_model     log softmax(logits)[token], the model's untempered probability
//                     (reported by `tinyseek generate --json`).
// GRPO uses neither: it recomputes every log-probability with the training forward at the
// sampling temperature, log softmax(logits / T)[token] as TRL does, so the old, current and
// reference policies come from one code path (training/grpo_trainer.cpp).
#pragma once

#include <cstdint>
#include <vector>

namespace tinyseek {

struct SamplingParams {
    float temperature = 1.0f;  // <= 0 means greedy (argmax)
    int top_k = 0;             // keep the k most likely tokens; 0 = off
    float top_p = 1.0f;        // keep the smallest prefix with mass >= top_p; 1 = off

    // Throws ConfigError naming the field when a value is out of range.
    void validate() const;
    bool greedy() const { return temperature <= 0.0f; }
};

// A small per-sequence generator (xoshiro256**, seeded through splitmix64). Its whole
// state is 32 bytes, so one per sequence costs nothing and copies are cheap.
class SequenceRng {
  public:
    SequenceRng() : SequenceRng(0, 0) {}
    SequenceRng(uint64_t seed, uint64_t sequence_id);
    uint64_t next();
    double uniform();  // in [0, 1), 53 random bits

  private:
    uint64_t s_[4];
};

struct SampledToken {
    int token = -1;
    float logprob_sampling = 0.0f;
    float logprob_model = 0.0f;
    float entropy_model = 0.0f;  // entropy of softmax(logits), nats
};

// Holds scratch space for one vocabulary size so sampling never allocates. Not thread-safe:
// use one Sampler per thread.
class Sampler {
  public:
    explicit Sampler(int vocab_size);
    int vocab_size() const { return vocab_; }

    // logits: (vocab_size). Greedy draws consume no random numbers; every other draw consumes
    // exactly one, so a sequence's stream stays aligned whatever the other sequences do.
    SampledToken sample(const float* logits, const SamplingParams& params, SequenceRng& rng);
    // probs (vocab_size) = the distribution sample() draws from, normalised (zero outside the
    // kept tokens; a point mass on the argmax when greedy). Consumes no random numbers.
    void distribution(const float* logits, const SamplingParams& params, double* probs);

  private:
    // Fills order_ / probs_ with the kept tokens and their unnormalised probabilities (not
    // greedy); returns how many are kept and their mass in `total`.
    int keep(const float* logits, const SamplingParams& params, double& total);
    void set_model_stats(SampledToken& t, const float* logits) const;  // logprob/entropy_model

    int vocab_;
    std::vector<int> order_;     // (V) token ids, sorted by descending logit when needed
    std::vector<double> probs_;  // (V) unnormalised probabilities of the kept tokens
};

// log softmax(logits)[token], computed with the max-shift for stability.
float log_softmax_at(const float* logits, int vocab_size, int token);

// log softmax(logits)[token] and the entropy of softmax(logits) in nats, from one pass of
// exponentials: H = log sum_i e^(z_i - m) - sum_i p_i (z_i - m).
struct ModelTokenStats {
    float logprob = 0.0f;
    float entropy = 0.0f;
};
ModelTokenStats model_token_stats(const float* logits, int vocab_size, int token);

}  // namespace tinyseek
