// What every layer of the training path receives besides its tensors: the batch geometry
// (B right-padded sequences of T tokens, T-major rows) and a scratch arena for backward
// temporaries.
#pragma once

#include <cstddef>
#include <vector>

#include "core/aligned.h"
#include "core/rope.h"

namespace tinyseek {

struct Fp8TrainingRecipe;

template <typename Scalar>
struct SequenceBatch {
    int B = 0;                       // sequences
    int T = 0;                       // tokens per sequence (rows b*T .. b*T+T-1)
    const int* positions = nullptr;  // (B*T) RoPE position of each row
    const int* lengths = nullptr;    // (B) valid tokens per sequence; null = all T valid
    const RopeTable<Scalar>* rope = nullptr;
    // Non-empty sequences of the WHOLE batch (the model may hand each thread a shard of it):
    // per-sequence losses such as the MoE balance loss are averaged over this many.
    int total_sequences = 0;
    // FP8 GEMMs for the linear layers (core/fp8_training.h; the head and the router stay
    // FP32, as in DeepSeek-V3); null = FP32 throughout.
    const Fp8TrainingRecipe* fp8 = nullptr;

    int rows() const { return B * T; }
    int length(int b) const { return lengths ? lengths[b] : T; }
    bool valid(int row) const { return !lengths || row % T < lengths[row / T]; }
};

// Bump allocator for backward temporaries. take() hands out uninitialised memory that stays
// valid until reset(); when a pass needed more than the arena held, reset() grows it to the
// peak, so from the second pass on nothing is allocated. Every piece starts on a 64-byte
// boundary, in the arena and in the overflow alike, so a pass computes the same bits whether
// it ran from overflow blocks (the first pass after a resume) or from the arena (core/aligned.h).
template <typename T>
class Scratch {
  public:
    T* take(size_t n) {
        const size_t rounded = align_up(n * sizeof(T)) / sizeof(T);
        if (used_ + rounded <= arena_.size()) {
            T* p = arena_.data() + used_;
            used_ += rounded;
            return p;
        }
        overflow_.emplace_back(rounded);
        overflow_total_ += rounded;
        return overflow_.back().data();
    }
    void reset() {
        if (!overflow_.empty()) {
            const size_t need = used_ + overflow_total_;
            overflow_.clear();
            overflow_total_ = 0;
            arena_.assign(need, T(0));
        }
        used_ = 0;
    }

  private:
    AlignedVector<T> arena_;
    std::vector<AlignedVector<T>> overflow_;
    size_t used_ = 0;
    size_t overflow_total_ = 0;
};

}  // namespace tinyseek
