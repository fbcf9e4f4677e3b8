#include "core/mlp.h"

#include <algorithm>

#include "core/errors.h"
#include "core/linear.h"
#include "core/swiglu.h"

namespace tinyseek {

SwigluMlpWeights SwigluMlpWeights::resolve(const ParamLayout& layout, const std::string& prefix) {
    const TensorSpec& gate = layout.at(prefix + "gate_proj.weight");
    const TensorSpec& up = layout.at(prefix + "up_proj.weight");
    const TensorSpec& down = layout.at(prefix + "down_proj.weight");
    if (up.offset != gate.offset + gate.numel || up.shape != gate.shape)
        throw Error("parameter layout: '" + up.name + "' must directly follow '" + gate.name +
                    "' with the same shape (fused gate/up GEMM)");
    SwigluMlpWeights w;
    w.gate_up = gate.offset;
    w.down = down.offset;
    w.f = static_cast<int>(gate.shape[0]);
    w.in = static_cast<int>(gate.shape[1]);
    return w;
}

template <typename T>
void swiglu_mlp_forward(T* out, T* gu, T* h, const T* x, const T* w_gate_up, const T* w_down, int n,
                        int in, int f, const Fp8TrainingRecipe* fp8) {
    linear_forward(gu, x, w_gate_up, n, in, 2 * f, false, fp8);  // (n, 2F)
    swiglu_forward(h, gu, n, f);                                 // (n, F)
    linear_forward(out, h, w_down, n, f, in, false, fp8);        // (n, in)
}

template <typename T>
void swiglu_mlp_backward(T* dx, T* dw_gate_up, T* dw_down, const T* dout, const T* x, const T* gu,
                         const T* h, const T* w_gate_up, const T* w_down, int n, int in, int f,
                         T* scratch, const Fp8TrainingRecipe* fp8, GradWrite dx_write) {
    T* dh = scratch;                                // (n, F)
    T* dgu = scratch + static_cast<size_t>(n) * f;  // (n, 2F)
    linear_backward(dh, dw_down, dout, h, w_down, n, f, in, fp8, GradWrite::overwrite);
    swiglu_backward(dgu, dh, gu, n, f);
    linear_backward(dx, dw_gate_up, dgu, x, w_gate_up, n, in, 2 * f, fp8, dx_write);
}

#define TINYSEEK_INSTANTIATE(T)                                                                  \
    template void swiglu_mlp_forward<T>(T*, T*, T*, const T*, const T*, const T*, int, int, int, \
                                        const Fp8TrainingRecipe*);                               \
    template void swiglu_mlp_backward<T>(T*, T*, T*, const T*, const T*, const T*, const T*,     \
                                         const T*, const T*, int, int, int, T*,                  \
                                         const Fp8TrainingRecipe*, GradWrite);
TINYSEEK_INSTANTIATE(float)
TINYSEEK_INSTANTIATE(double)
#undef TINYSEEK_INSTANTIATE

}  // namespace tinyseek
