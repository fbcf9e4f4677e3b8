#include "core/activation_arena.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "core/errors.h"

namespace tinyseek {

int64_t ActivationSlot::elements() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

const ActivationSlot& ArenaPlanner::add(std::string_view name, std::initializer_list<int64_t> shape,
                                        std::size_t element_bytes) {
    ActivationSlot slot;
    slot.name = scope_ + std::string(name);
    slot.shape.assign(shape.begin(), shape.end());
    for (int64_t d : slot.shape)
        if (d < 0) throw Error("activation arena: negative dimension in " + slot.name);
    slot.element_bytes = element_bytes;
    slot.offset = align_up(end_);
    slot.bytes = static_cast<std::size_t>(slot.elements()) * element_bytes;
    end_ = slot.offset + slot.bytes;
    slots_.push_back(std::move(slot));
    return slots_.back();
}

namespace {

// `bytes` of zeroed memory on a page boundary (on a 2 MiB boundary from kHugePageBlock up, so
// that transparent huge pages cover it: core/aligned.h says what a 4 KiB page's first touch
// costs). On Linux an anonymous mapping: the kernel hands each page out zeroed at its first
// touch, so nothing writes the block before the layers do, and the part of a grown block no
// layout reaches costs nothing (a regrowth used to zero its whole new block, and the kernel
// zeroed each page again as that pass touched it: 0.23-0.37 s instead of 0.05-0.12 s for the
// GRPO stage's first reference pass and first regrowth in a default run). The price: the
// first SFT steps' pages fault in inside the parallel forward, about 0.2 s more over the
// first ten steps. Elsewhere: allocated, then zeroed.
std::byte* zeroed_block(std::size_t bytes) {
#if defined(__linux__)
    const std::size_t slack = bytes >= kHugePageBlock ? kHugePage : 0;
    void* p =
        mmap(nullptr, bytes + slack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    auto* start = static_cast<std::byte*>(p);
    if (slack == 0) return start;
    const auto address = reinterpret_cast<std::uintptr_t>(start);
    const std::size_t head = (kHugePage - address % kHugePage) % kHugePage;
    if (head > 0) munmap(start, head);
    munmap(start + head + bytes, slack - head);  // head < slack: a tail always remains
    advise_huge_pages(start + head, bytes);
    return start + head;
#else
    auto* p = static_cast<std::byte*>(aligned_allocate(bytes));
    std::memset(p, 0, bytes);
    return p;
#endif
}

}  // namespace

void ActivationArena::Release::operator()(std::byte* p) const noexcept {
#if defined(__linux__)
    munmap(p, bytes);
#else
    std::free(p);
#endif
}

void ActivationArena::reserve(std::size_t bytes) {
    if (bytes <= capacity_ && block_) return;
    // A regrowth takes a quarter more than asked: batches of varying lengths (a model shard
    // holds its own sequences, core/model.h) would otherwise move to a slightly larger block,
    // and touch its pages anew, on many steps.
    if (block_) bytes = std::max(bytes, capacity_ + capacity_ / 4);
    std::size_t capacity = align_up(bytes == 0 ? 1 : bytes);
    if (capacity >= kHugePageBlock) capacity = huge_page_rounded(capacity);
    // Allocated before anything changes: a failed allocation leaves the old block and its size.
    // Zeroed, so that no forward can read what an earlier, differently shaped one left.
    std::unique_ptr<std::byte, Release> block(zeroed_block(capacity), Release{capacity});
    block_ = std::move(block);
    capacity_ = capacity;
}

}  // namespace tinyseek
