// Where a forward pass keeps what its backward reads: one 64-byte aligned block per shard,
// laid out by a table computed from the config and the batch shape (llm.c's activation
// layout). See docs/ARCHITECTURE.md, "Activations".
//
// Every layer names its buffers in one function,
//   void lay_out(ArenaPlanner& p, int B, int T);   // p.take<T>("q_a", {n, Lq}) ...
// and the arena runs it twice for a batch shape: once without memory, to measure the table,
// and once to bind each layer's spans into the block. So the memory a forward needs is
// written down in one place per layer, can be printed (`tinyseek model-info`), and is
// allocated once: a later forward of the same or a smaller shape allocates nothing.
//
// Every slot starts on a 64-byte boundary (core/aligned.h says why that makes training
// bit-reproducible).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/aligned.h"

namespace tinyseek {

// One row of the layout table.
struct ActivationSlot {
    std::string name;            // e.g. "model.layers.1.self_attn.probs"
    std::vector<int64_t> shape;  // elements per dimension, row-major
    std::size_t element_bytes = 0;
    std::size_t offset = 0;  // bytes from the start of the block, a multiple of 64
    std::size_t bytes = 0;   // product(shape) * element_bytes

    int64_t elements() const;
};

// Hands out the slots of one layout pass. Measuring (base == nullptr) returns empty spans.
class ArenaPlanner {
  public:
    explicit ArenaPlanner(std::byte* base) : base_(base) {}

    // Names the owner of the following slots: "model.layers.0.self_attn." etc.
    void set_scope(std::string prefix) { scope_ = std::move(prefix); }

    template <typename E>
    std::span<E> take(std::string_view name, std::initializer_list<int64_t> shape) {
        const ActivationSlot& slot = add(name, shape, sizeof(E));
        if (!base_) return {};
        return {reinterpret_cast<E*>(base_ + slot.offset),
                static_cast<std::size_t>(slot.elements())};
    }

    const std::vector<ActivationSlot>& slots() const { return slots_; }
    std::size_t bytes() const { return end_; }

  private:
    const ActivationSlot& add(std::string_view name, std::initializer_list<int64_t> shape,
                              std::size_t element_bytes);

    std::byte* base_;
    std::string scope_;
    std::vector<ActivationSlot> slots_;
    std::size_t end_ = 0;
};

// The block, and the table it was last laid out with.
class ActivationArena {
  public:
    // Lays out with `lay_out(ArenaPlanner&)`: measures, grows the block when the table needs
    // more than it holds (new memory reads zero; its pages cost nothing until touched), then
    // binds. The previous contents are not kept: call it before a forward, never between a
    // forward and its backward.
    template <typename LayOut>
    void bind(LayOut&& lay_out) {
        ArenaPlanner measure(nullptr);
        lay_out(measure);
        reserve(measure.bytes());
        ArenaPlanner binder(block_.get());
        lay_out(binder);
        table_ = binder.slots();
        bytes_ = binder.bytes();
    }

    const std::vector<ActivationSlot>& table() const { return table_; }
    std::size_t bytes() const { return bytes_; }        // of the current table
    std::size_t capacity() const { return capacity_; }  // of the block

    // The first byte of the block (null before the first bind).
    const std::byte* data() const { return block_.get(); }

  private:
    struct Release {
        // Of the mapping. No default member initializer: with one, GCC 12 does not see this
        // nested deleter as default-constructible, which unique_ptr's default constructor needs.
        std::size_t bytes;
        void operator()(std::byte* p) const noexcept;
    };
    void reserve(std::size_t bytes);

    std::unique_ptr<std::byte, Release> block_;
    std::size_t capacity_ = 0;
    std::size_t bytes_ = 0;
    std::vector<ActivationSlot> table_;
};

}  // namespace tinyseek
