// y = x W^T for inference, with W packed once per generate() call.
//
// Why not Eigen here: decode GEMMs have few rows (64 sequences, or the ~16 rows one expert
// receives), so Eigen spends as long re-packing the weight on every call as multiplying
// (perf: gemm_pack_lhs ~20% of a decode run). Packing the weights once, in panels of 16
// output features laid out k-major, lets a register-blocked kernel stream each panel straight
// from memory: per k, one broadcast of x[r][k] per row and one FMA per (row, panel).
//
// Every output element is accumulated in k order by one kernel invocation, so a row's result
// does not depend on how many other rows are in the batch, on the row blocking or on the
// thread count: batched and single-sequence generation agree bit for bit in these GEMMs.
#pragma once

#include <cstddef>
#include <vector>

#include "core/eigen.h"

namespace tinyseek {

class PackedMatrix {
  public:
    static constexpr int kPanel = 16;  // output features per panel (one AVX-512 register)

    // Shape (out, in) for y = x W^T; keeps the allocation when it is large enough. Padding
    // features of the last panel are zero.
    void resize(int out, int in);
    // Copies rows [row0, row0 + rows) of W from `w` (rows, in) with leading dimension `ld`.
    void set_rows(int row0, const float* w, int rows, int ld);
    // The same rows given as a transposed source s (in, rows), W[row0 + j][k] = s[k * ld + j]:
    // for y = x S with S stored (in, out), e.g. W_UK in the absorbed query.
    void set_rows_transposed(int row0, const float* s, int rows, int ld);

    int out() const { return out_; }
    int in() const { return in_; }
    int panels() const { return (out_ + kPanel - 1) / kPanel; }
    const float* panel(int p) const { return data_.data() + static_cast<size_t>(p) * in_ * kPanel; }

  private:
    int out_ = 0, in_ = 0;
    std::vector<float, Eigen::aligned_allocator<float>> data_;  // (panels, in, kPanel)
};

// y (n, out) = x (n, in) W^T on the calling thread, for output panels [p0, p1).
// Rows of x are `ldx` apart, rows of y `ldy` apart; `accumulate` adds into y.
void packed_gemm(float* y, int ldy, const float* x, int ldx, int n, const PackedMatrix& w, int p0,
                 int p1, bool accumulate = false);

inline void packed_gemm(float* y, int ldy, const float* x, int ldx, int n, const PackedMatrix& w) {
    packed_gemm(y, ldy, x, ldx, n, w, 0, w.panels());
}

}  // namespace tinyseek
