// The state of one generate() call that its phases share (core/generator.cpp, and
// core/generator_speculative.cpp for speculative decoding). Internal to the Generator.
#pragma once

#include <vector>

#include <omp.h>

#include "core/generator.h"

namespace tinyseek {

// Rows [r0, r1) of n that the calling thread of a forward's team owns: contiguous blocks.
struct OwnRows {
    int r0 = 0, r1 = 0;
    int size() const { return r1 - r0; }
};
inline OwnRows own_rows(int n) {
    const long parts = omp_get_num_threads(), part = omp_get_thread_num();
    return {static_cast<int>(n * part / parts), static_cast<int>(n * (part + 1) / parts)};
}

struct Generator::Batch {
    const std::vector<std::vector<int>>& prompts;
    const GenerationOptions& opt;
    GenerationResult& result;
    std::vector<SequenceRng> rng;
    std::vector<int> last;  // token to feed next
    std::vector<char> done;
    // Speculative decoding: the pending draft of each sequence (-1 = none) and, when
    // sampling, the MTP distribution it was drawn from; p is scratch for the main model's.
    std::vector<int> draft;
    std::vector<double> q;       // (B, V)
    std::vector<double> p;       // (V)
    std::vector<int> first_row;  // (B) a step's first row of each sequence

    Batch(const std::vector<std::vector<int>>& pr, const GenerationOptions& o, GenerationResult& r,
          int vocab)
        : prompts(pr), opt(o), result(r), rng(pr.size()), last(pr.size(), -1), done(pr.size(), 0) {
        for (size_t i = 0; i < pr.size(); ++i)
            rng[i] = SequenceRng(o.seed, o.sequence_ids.empty() ? i : o.sequence_ids[i]);
        if (o.speculative) {
            draft.assign(pr.size(), -1);
            if (!o.sampling.greedy()) q.resize(pr.size() * static_cast<size_t>(vocab));
            p.resize(vocab);
            first_row.assign(pr.size(), -1);
        }
    }
    int size() const { return static_cast<int>(prompts.size()); }
};

}  // namespace tinyseek
