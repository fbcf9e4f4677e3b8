// 64-byte aligned storage for every buffer a numeric kernel reads or writes.
//
// Why: reproducible training. Eigen's vectorised loops (sums, exp, the softmax of attention
// and cross-entropy, SwiGLU) treat the elements before the first packet boundary with scalar
// code and the rest with SIMD packets, so the same computation on a buffer at another address
// rounds differently. When every buffer starts on a 64-byte boundary (one AVX-512 packet of
// floats; a multiple of every smaller packet) the split is a function of the shapes alone, and
// a run resumed from a checkpoint, or a second run in the same process, is bit-identical to an
// uninterrupted one (tests/training/test_run_loop.cpp). Intel's MKL states the same condition
// for its reproducible mode: aligned inputs.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace tinyseek {

inline constexpr std::size_t kBufferAlignment = 64;

// Rounds a byte count up to the next multiple of kBufferAlignment.
constexpr std::size_t align_up(std::size_t bytes) {
    return (bytes + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
}

// Blocks of at least this size are backed by 2 MiB pages where the kernel offers them.
inline constexpr std::size_t kHugePageBlock = std::size_t{4} << 20;
inline constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Rounds a byte count up to whole 2 MiB pages.
constexpr std::size_t huge_page_rounded(std::size_t bytes) {
    return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

// Asks for transparent huge pages over [p, p + bytes); advice only: without it the block
// still works.
inline void advise_huge_pages([[maybe_unused]] void* p, [[maybe_unused]] std::size_t bytes) {
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
}

// Allocates `bytes` (rounded up, at least one line) on a 64-byte boundary; throws bad_alloc.
// Large blocks (KV caches, parameters and optimizer moments; the activation arenas map their
// own, core/activation_arena.cpp) start on a 2 MiB boundary and ask for transparent huge pages: the
// first touch of a 4 KiB page costs about 23 us on the virtual machines the project is measured on
// (1.3 s for a 220 MiB arena, 0.04 s with 2 MiB pages), and every new arena, cache or evaluation
// touches its pages again.
inline void* aligned_allocate(std::size_t bytes) {
    const std::size_t size = align_up(bytes == 0 ? 1 : bytes);
    if (size < kHugePageBlock) {
        void* p = std::aligned_alloc(kBufferAlignment, size);
        if (!p) throw std::bad_alloc();
        return p;
    }
    const std::size_t rounded = huge_page_rounded(size);
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (!p) throw std::bad_alloc();
    advise_huge_pages(p, rounded);
    return p;
}

template <typename T>
struct AlignedAllocator {
    using value_type = T;
    AlignedAllocator() noexcept = default;
    template <typename U>
    AlignedAllocator(const AlignedAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit

    T* allocate(std::size_t n) { return static_cast<T*>(aligned_allocate(n * sizeof(T))); }
    void deallocate(T* p, std::size_t) noexcept { std::free(p); }

    template <typename U>
    bool operator==(const AlignedAllocator<U>&) const noexcept {
        return true;
    }
};

// A std::vector whose data() is 64-byte aligned (parameters, gradients, logits and the
// other buffers that outlive one forward).
template <typename T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

}  // namespace tinyseek
