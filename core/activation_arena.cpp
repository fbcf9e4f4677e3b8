#include "core/activation_arena.h"

#include <algorithm>
#include <cstring>

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

void ActivationArena::reserve(std::size_t bytes) {
    if (bytes <= capacity_ && block_) return;
    // A regrowth takes a quarter more than asked: batches of varying lengths (a model shard
    // holds its own sequences, core/model.h) would otherwise reallocate, fault in and zero a
    // slightly larger block on many steps (10% of a GRPO step, bench_grpo_step).
    if (block_) bytes = std::max(bytes, capacity_ + capacity_ / 4);
    const std::size_t capacity = align_up(bytes == 0 ? 1 : bytes);
    // Allocated before anything changes: a failed allocation leaves the old block and its size.
    std::unique_ptr<std::byte, Free> block(static_cast<std::byte*>(aligned_allocate(capacity)));
    // Zeroed so that no forward can read what an earlier, differently shaped one left.
    std::memset(block.get(), 0, capacity);
    block_ = std::move(block);
    capacity_ = capacity;
}

}  // namespace tinyseek
