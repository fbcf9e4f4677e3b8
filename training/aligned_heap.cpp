// Every heap block of 64 bytes or more starts on a 64-byte boundary, in every program that
// links tinyseek_training (the replaceable global operator new, [new.delete.single]).
//
// Why: reproducible training. Eigen's vectorised loops (sums, exp, the softmax of attention
// and cross-entropy, SwiGLU) treat the elements before the first 64-byte boundary with scalar
// code and the rest with SIMD packets, so the same computation on a buffer at another
// address rounds differently. Buffer addresses depend on the allocation history, so a run
// resumed from a checkpoint (or a second run in the same process) drifted from an
// uninterrupted one in the last bits after the first step. With every buffer 64-byte
// aligned, the split is a function of the shapes alone and results are bit-identical for the
// same seed and thread count (tests/training/test_run_loop.cpp). Intel's MKL states the same
// condition for its reproducible mode: aligned inputs.
//
// Blocks under 64 bytes cannot hold one AVX-512 packet of floats, so they keep malloc's
// alignment and cost. Every block is released with free(), which accepts both kinds.
//
// A sanitizer build (TINYSEEK_SANITIZE) links the sanitizer's operator new instead of these:
// the linker then has no reason to take this file from the static library. Its blocks come
// 16-byte aligned, all that the SSE2 packets of such a build (no -march=native) ask for, and
// the reproducibility tests pass there too.
#include <cstdlib>
#include <new>

namespace {

constexpr std::size_t kAlignment = 64;

void* allocate(std::size_t n) {
    if (n < kAlignment) return std::malloc(n == 0 ? 1 : n);
    // aligned_alloc wants a multiple of the alignment.
    return std::aligned_alloc(kAlignment, (n + kAlignment - 1) / kAlignment * kAlignment);
}

void* allocate_or_throw(std::size_t n) {
    for (;;) {
        if (void* p = allocate(n)) return p;
        std::new_handler handler = std::get_new_handler();
        if (!handler) throw std::bad_alloc();
        handler();
    }
}

}  // namespace

void* operator new(std::size_t n) {
    return allocate_or_throw(n);
}

void* operator new[](std::size_t n) {
    return allocate_or_throw(n);
}

void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return allocate_or_throw(n);
    } catch (...) {
        return nullptr;
    }
}

void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return allocate_or_throw(n);
    } catch (...) {
        return nullptr;
    }
}

void operator delete(void* p) noexcept {
    std::free(p);
}

void operator delete[](void* p) noexcept {
    std::free(p);
}

void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}

void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}

void operator delete[](void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
