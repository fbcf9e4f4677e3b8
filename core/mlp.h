// SwiGLU MLP (the dense FFN, each routed expert and the fused shared experts):
//   out = down_proj( silu(gate_proj x) * up_proj x )
// gate_proj and up_proj are adjacent in the parameter layout, so they are used as one fused
// (2F, in) weight: a single GEMM gives gu = [gate | up] (see swiglu.h).
#pragma once

#include <cstddef>
#include <string>

#include "core/linear.h"
#include "core/param_layout.h"

namespace tinyseek {

struct Fp8TrainingRecipe;

// Float offsets of one MLP's weights in the flat parameter block.
struct SwigluMlpWeights {
    size_t gate_up = 0;  // (2F, in): gate_proj rows then up_proj rows
    size_t down = 0;     // (in, F)
    int in = 0;
    int f = 0;

    // `prefix` is e.g. "model.layers.0.mlp." or "model.layers.1.mlp.experts.3.". Throws Error
    // when gate_proj and up_proj are not adjacent (the fused GEMM relies on it).
    static SwigluMlpWeights resolve(const ParamLayout& layout, const std::string& prefix);
};

// out (n, in) = MLP(x); gu (n, 2F) and h (n, F) receive the activations the backward needs.
template <typename T>
void swiglu_mlp_forward(T* out, T* gu, T* h, const T* x, const T* w_gate_up, const T* w_down, int n,
                        int in, int f, const Fp8TrainingRecipe* fp8 = nullptr);

// dx (n, in) += dL/dx (= with GradWrite::overwrite; dx may be null), dw_gate_up and dw_down
// accumulate. `scratch` holds n * 3F elements.
template <typename T>
void swiglu_mlp_backward(T* dx, T* dw_gate_up, T* dw_down, const T* dout, const T* x, const T* gu,
                         const T* h, const T* w_gate_up, const T* w_down, int n, int in, int f,
                         T* scratch, const Fp8TrainingRecipe* fp8 = nullptr,
                         GradWrite dx_write = GradWrite::add);

}  // namespace tinyseek
