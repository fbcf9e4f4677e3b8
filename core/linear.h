// Linear layers (y = x W^T) and the row-major Eigen views every kernel in core/ uses.
//
// Conventions (core/README.md): row-major buffers, a weight is (out, in) as in PyTorch.
// Every kernel is a template on the scalar type, explicitly instantiated for float (training,
// inference) and double (finite-difference gradient checks) in the .cpp.
//
// Threading: the plain functions run on the calling thread when called inside an OpenMP
// parallel region (Eigen's GEMM does not start threads there), so they can be used per shard,
// per expert or per sequence. The *_parallel variants split one large call across the OpenMP
// threads themselves and must be called from outside a parallel region.
#pragma once

#include "core/eigen.h"

namespace tinyseek {

struct Fp8TrainingRecipe;

// y (n, out) = x (n, in) W^T with W (out, in); `accumulate` adds into y instead. With `fp8`
// (float only; double, the gradient checks' type, ignores it) the GEMM takes FP8 operands
// (core/fp8_training.h).
template <typename T>
void linear_forward(T* y, const T* x, const T* w, int n, int in, int out, bool accumulate = false,
                    const Fp8TrainingRecipe* fp8 = nullptr);

// How a backward writes an input gradient: added to what the buffer holds, or in its place
// (the buffer's first contribution: nothing has to zero it first).
enum class GradWrite { add, overwrite };

// Backward of y = x W^T: dx (n, in) += dy W (or = with GradWrite::overwrite) and dw (out, in)
// += dy^T x. Either dx or dw may be null when that gradient is not wanted. `fp8` as above.
template <typename T>
void linear_backward(T* dx, T* dw, const T* dy, const T* x, const T* w, int n, int in, int out,
                     const Fp8TrainingRecipe* fp8 = nullptr, GradWrite dx_write = GradWrite::add);

// The same maths split over the OpenMP threads: the forward and dx by row blocks, dw by
// blocks of output rows (each thread contracts over all n rows of its slice of dy, so no
// reduction buffer is needed; Eigen alone never splits the shared dimension of dy^T x).
template <typename T>
void linear_forward_parallel(T* y, const T* x, const T* w, int n, int in, int out,
                             bool accumulate = false);
template <typename T>
void linear_backward_parallel(T* dx, T* dw, const T* dy, const T* x, const T* w, int n, int in,
                              int out);

}  // namespace tinyseek
