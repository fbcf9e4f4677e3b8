// Softmax cross-entropy over rows of logits, with an ignore index, for the main next-token
// loss, the MTP loss and (through per-token log-probs) GRPO.
#pragma once

#include <cstdint>
#include <vector>

namespace tinyseek {

constexpr int kIgnoreIndex = -1;

struct CrossEntropyResult {
    double loss = 0;    // mean of -log p(target) over the counted rows (0 when none)
    int64_t count = 0;  // rows whose target is not kIgnoreIndex
};

// logits (n, V), targets (n) in [0, V) or kIgnoreIndex.
// dlogits (n, V), if not null, is OVERWRITTEN with d(grad_scale * loss)/dlogits =
//   grad_scale * (softmax(logits) - onehot(target)) / count   (zero rows where ignored).
// logprobs (n), if not null, receives log p(target) (0 where ignored).
// Throws NumericError when the loss is not finite and Error for a target outside [0, V).
template <typename T>
CrossEntropyResult cross_entropy(T* dlogits, T* logprobs, const T* logits, const int* targets,
                                 int n, int V, double grad_scale = 1.0);

// Targets for predicting `shift` tokens ahead in B right-padded sequences of T tokens:
// target[b*T + t] = tokens[b*T + t + shift] when t + shift < lengths[b], else kIgnoreIndex.
// shift 1 is the main next-token loss, shift 2 the depth-1 MTP loss. lengths may be null.
std::vector<int> shifted_targets(const int* tokens, const int* lengths, int B, int T, int shift);

}  // namespace tinyseek
