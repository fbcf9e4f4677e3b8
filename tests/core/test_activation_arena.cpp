// The activation arena: the layout table against offsets computed by hand, binding and reuse
// of the block, 64-byte alignment of every buffer a kernel touches, and forwards whose result
// does not depend on what earlier forwards of other shapes left behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/model.h"  // first: the Eigen include (core/eigen.h)

#include "core/activation_arena.h"
#include "core/layer_context.h"
#include "core/mla_attention.h"
#include "core/param_store.h"
#include "tests/core/layer_arena.h"
#include "tests/core/model_fixtures.h"

namespace tinyseek {
namespace {

using testing::small_config;

bool aligned(const void* p) {
    return reinterpret_cast<std::uintptr_t>(p) % 64 == 0;
}

// small_config's MLA layer on B = 2 sequences of T = 3 tokens (n = 6 rows) in double:
// Lq = 8, D_c = 6, R = 4, H = 2, Dn = 4, Dv = 6, so Dqk = 8. Offsets rounded up to 64 by hand.
TEST(ActivationArena, MlaLayoutMatchesOffsetsComputedByHand) {
    const ModelConfig c = small_config();
    MlaAttention<double> attn(c, ParamLayout(c), 0);
    ArenaPlanner plan(nullptr);
    plan.set_scope("attn.");
    attn.lay_out(plan, 2, 3);
    struct Row {
        const char* name;
        std::vector<int64_t> shape;
        std::size_t offset, bytes;
    };
    const std::vector<Row> expected = {
        {"attn.q_a", {6, 8}, 0, 384},
        {"attn.q_a_rstd", {6}, 384, 48},
        {"attn.q_a_normed", {6, 8}, 448, 384},
        {"attn.q", {6, 16}, 832, 768},
        {"attn.kv_a", {6, 10}, 1600, 480},
        {"attn.kv_a_rstd", {6}, 2112, 48},
        {"attn.kv_a_normed", {6, 6}, 2176, 288},
        {"attn.kv", {6, 20}, 2496, 960},
        {"attn.k", {6, 16}, 3456, 768},
        {"attn.probs", {2, 2, 3, 3}, 4224, 288},
        {"attn.attn", {6, 12}, 4544, 576},
    };
    ASSERT_EQ(plan.slots().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const ActivationSlot& s = plan.slots()[i];
        EXPECT_EQ(s.name, expected[i].name);
        EXPECT_EQ(s.shape, expected[i].shape) << s.name;
        EXPECT_EQ(s.offset, expected[i].offset) << s.name;
        EXPECT_EQ(s.bytes, expected[i].bytes) << s.name;
    }
    EXPECT_EQ(plan.bytes(), 5120u);
}

TEST(ActivationArena, BindsAlignedSpansAndReusesTheBlockForSmallerShapes) {
    const ModelConfig c = small_config();
    MlaAttention<float> attn(c, ParamLayout(c), 0);
    ActivationArena arena = testing::laid_out(attn, 2, 8);
    const std::size_t capacity = arena.capacity();
    EXPECT_GE(capacity, arena.bytes());
    for (const ActivationSlot& s : arena.table()) EXPECT_EQ(s.offset % 64, 0u) << s.name;

    arena.bind([&](ArenaPlanner& p) { attn.lay_out(p, 1, 5); });  // smaller: no new block
    EXPECT_EQ(arena.capacity(), capacity);
    EXPECT_LT(arena.bytes(), capacity);
    arena.bind([&](ArenaPlanner& p) { attn.lay_out(p, 4, 16); });  // larger: grows
    EXPECT_GT(arena.capacity(), capacity);
    EXPECT_EQ(arena.capacity() % 64, 0u);
    // A shape a little larger still regrows by a quarter, so that the next few fit.
    const std::size_t grown = arena.capacity();
    arena.bind([&](ArenaPlanner& p) { attn.lay_out(p, 4, 17); });
    EXPECT_GE(arena.capacity(), grown + grown / 4);
    EXPECT_LT(arena.bytes(), grown + grown / 8);
    const std::size_t regrown = arena.capacity();
    arena.bind([&](ArenaPlanner& p) { attn.lay_out(p, 4, 18); });
    EXPECT_EQ(arena.capacity(), regrown);
}

// A new block, and the larger block a regrowth moves to, read zero in every byte, whatever
// the old one held: no forward reads what a differently shaped one left.
TEST(ActivationArena, NewAndRegrownBlocksAreZero) {
    const ModelConfig c = small_config();
    MlaAttention<float> attn(c, ParamLayout(c), 0);
    ActivationArena arena = testing::laid_out(attn, 2, 8);
    auto all_zero = [&] {
        const std::byte* p = arena.data();
        return std::all_of(p, p + arena.capacity(), [](std::byte b) { return b == std::byte{0}; });
    };
    EXPECT_TRUE(all_zero());
    std::memset(const_cast<std::byte*>(arena.data()), 0xA5, arena.capacity());
    const std::size_t old_capacity = arena.capacity();
    arena.bind([&](ArenaPlanner& p) { attn.lay_out(p, 8, 64); });
    ASSERT_GT(arena.capacity(), old_capacity);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(arena.data()) % kBufferAlignment, 0u);
    EXPECT_TRUE(all_zero());
    // A large block starts on a 2 MiB boundary, whole huge pages.
    arena.bind([&](ArenaPlanner& p) { attn.lay_out(p, 64, 256); });
    ASSERT_GE(arena.capacity(), kHugePageBlock);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(arena.data()) % (std::size_t{2} << 20), 0u);
    EXPECT_EQ(arena.capacity() % (std::size_t{2} << 20), 0u);
    EXPECT_TRUE(all_zero());
}

// aligned_allocate: small blocks on 64-byte boundaries, large ones (kHugePageBlock and up)
// on 2 MiB boundaries, so the huge-page advice covers whole pages; both hold every byte asked
// for (written end to end) and are released by std::free.
TEST(ActivationArena, LargeBlocksStartOnHugePageBoundaries) {
    for (const std::size_t bytes :
         {std::size_t{1}, std::size_t{1000}, kHugePageBlock - 1, kHugePageBlock,
          kHugePageBlock + 12345, std::size_t{37} << 20}) {
        auto* p = static_cast<unsigned char*>(aligned_allocate(bytes));
        const auto address = reinterpret_cast<std::uintptr_t>(p);
        EXPECT_EQ(address % kBufferAlignment, 0u) << bytes;
        if (align_up(bytes) >= kHugePageBlock) {
            EXPECT_EQ(address % (std::size_t{2} << 20), 0u) << bytes;
        }
        for (std::size_t i = 0; i < bytes; ++i) p[i] = static_cast<unsigned char>(i);
        EXPECT_EQ(p[bytes - 1], static_cast<unsigned char>(bytes - 1));
        std::free(p);
    }
}

TEST(ActivationArena, KernelBuffersStartOn64ByteBoundaries) {
    ParamStore params(small_config());
    EXPECT_TRUE(aligned(params.data().data()));
    Scratch<float> scratch;
    for (int pass = 0; pass < 2; ++pass) {  // overflow blocks, then the grown arena
        for (std::size_t n : {1, 3, 17, 100, 5})
            EXPECT_TRUE(aligned(scratch.take(n))) << "pass " << pass << " n " << n;
        scratch.reset();
    }
    AlignedVector<double> v(3);
    EXPECT_TRUE(aligned(v.data()));
}

// Logits and parameter gradients of one forward/backward of B sequences of T tokens.
struct Pass {
    std::vector<float> logits, grads;
};

Pass run_pass(Model& model, const ParamStore& params, int B, int T, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<int> tokens(static_cast<std::size_t>(B) * T);
    for (int& t : tokens) t = static_cast<int>(rng() % params.config().vocab_size);
    const auto out = model.forward(params, tokens.data(), B, T);
    EXPECT_TRUE(aligned(out.logits));
    EXPECT_TRUE(aligned(out.mtp_logits));
    EXPECT_TRUE(aligned(model.hidden()));
    Pass p;
    p.logits.assign(out.logits, out.logits + static_cast<std::size_t>(out.rows) * out.vocab);
    std::vector<float> dlogits(p.logits.size());
    for (std::size_t i = 0; i < dlogits.size(); ++i) dlogits[i] = 1e-3f * float(i % 7) - 2e-3f;
    ParamStore grads(params.config());
    model.backward(params, dlogits.data(), dlogits.data(), grads);
    p.grads.assign(grads.data().begin(), grads.data().end());
    return p;
}

TEST(ActivationArena, ForwardDoesNotDependOnEarlierShapes) {
    ParamStore params(small_config());
    init_params(params, 7, 0.2f);
    Model fresh(params.config());
    fresh.set_num_shards(2);
    const Pass reference = run_pass(fresh, params, 4, 6, 1);

    Model reused(params.config());
    reused.set_num_shards(2);
    run_pass(reused, params, 5, 11, 2);  // larger: the arenas grow
    run_pass(reused, params, 2, 3, 3);   // smaller: the arenas are reused
    const Pass again = run_pass(reused, params, 4, 6, 1);
    EXPECT_EQ(again.logits, reference.logits);
    EXPECT_EQ(again.grads, reference.grads);
}

TEST(ActivationArena, ModelLayoutNamesTheTensorsOfEveryBlockAndTheMtpModule) {
    Model model(small_config());
    model.set_num_shards(2);
    const Model::ActivationLayout layout = model.activation_layout(5, 4);
    EXPECT_EQ(layout.shards, 2);
    EXPECT_EQ(layout.shard_sequences, 3);
    auto has = [&](const std::string& name) {
        for (const ActivationSlot& s : layout.shard)
            if (s.name == name) return true;
        return false;
    };
    EXPECT_TRUE(has("model.residual"));
    EXPECT_TRUE(has("model.layers.0.self_attn.probs"));
    EXPECT_TRUE(has("model.layers.0.mlp.gate_up"));          // dense block
    EXPECT_TRUE(has("model.layers.1.mlp.experts_gate_up"));  // MoE block
    EXPECT_TRUE(has("model.layers.2.hnorm"));                // MTP module
    EXPECT_TRUE(has("model.layers.2.mlp.shared_gate_up"));   // its MoE block
    ASSERT_EQ(layout.outputs.size(), 3u);
    EXPECT_EQ(layout.outputs[0].name, "output.logits");
    EXPECT_EQ(layout.outputs[0].shape, (std::vector<int64_t>{20, 11}));
}

}  // namespace
}  // namespace tinyseek
