// SwiGLU activation (Shazeer 2020) of a gated MLP: h = silu(gate) * up, silu(g) = g * sigmoid(g).
//
// Rows of `gu` hold [gate (f) | up (f)]: gate_proj and up_proj are adjacent tensors in the
// parameter layout, so together they form one (2f, in) weight and one GEMM produces both.
#pragma once

namespace tinyseek {

// h (n, f) = silu(gu[:, :f]) * gu[:, f:], gu (n, 2f).
template <typename T>
void swiglu_forward(T* h, const T* gu, int n, int f);

// dgu (n, 2f) is overwritten with [dL/dgate | dL/dup] given dh (n, f) and the forward's gu:
//   dup = dh * silu(g),  dgate = dh * up * sigmoid(g) * (1 + g * (1 - sigmoid(g))).
template <typename T>
void swiglu_backward(T* dgu, const T* dh, const T* gu, int n, int f);

}  // namespace tinyseek
