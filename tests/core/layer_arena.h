// Gives a layer tested on its own the activation memory the model's shard arena gives it.
#pragma once

#include "core/activation_arena.h"

namespace tinyseek::testing {

// The returned arena holds `layer`'s buffers for B sequences of T tokens; keep it alive
// while the layer runs.
template <typename Layer>
ActivationArena laid_out(Layer& layer, int B, int T) {
    ActivationArena arena;
    arena.bind([&](ArenaPlanner& p) { layer.lay_out(p, B, T); });
    return arena;
}

}  // namespace tinyseek::testing
