// Rotary position embedding (Su et al. 2021) as DeepSeek-V3's reference code applies it:
// ADJACENT pairs (x_{2i}, x_{2i+1}) of a rope vector of width `dim` are rotated by the angle
//   a_i(p) = p * theta^(-2i/dim),   [y_{2i}; y_{2i+1}] = [cos a, -sin a; sin a, cos a] [x_{2i};
//   x_{2i+1}]
// (inference/model.py views the vector as dim/2 complex numbers and multiplies by e^{i a}).
#pragma once

#include <cstddef>
#include <vector>

namespace tinyseek {

// cos/sin of a_i(p) for positions 0..max_positions-1, computed in double and stored as T.
template <typename T>
class RopeTable {
  public:
    RopeTable(int dim, int max_positions, double theta);
    // a_i(p) = p * frequencies[i]: any frequencies, e.g. YaRN's (core/rope_scaling.h); the
    // rope width is 2 * frequencies.size().
    RopeTable(int max_positions, const std::vector<double>& frequencies);

    int dim() const { return dim_; }
    int max_positions() const { return max_positions_; }
    const T* cos_row(int pos) const { return cos_.data() + static_cast<size_t>(pos) * (dim_ / 2); }
    const T* sin_row(int pos) const { return sin_.data() + static_cast<size_t>(pos) * (dim_ / 2); }

  private:
    int dim_;
    int max_positions_;
    std::vector<T> cos_;  // (max_positions, dim/2)
    std::vector<T> sin_;  // (max_positions, dim/2)
};

// Rotates in place `heads` rope vectors in each of `n` rows: the vector of row r, head h
// starts at x + r * row_stride + h * head_stride and sits at position positions[r].
// Throws Error when a position is outside [0, max_positions).
template <typename T>
void rope_forward(T* x, const RopeTable<T>& table, const int* positions, int n, int heads,
                  int row_stride, int head_stride);

// Backward of rope_forward, in place: the rotation is orthogonal, so dx = R(p)^T dy, i.e. the
// same rotation by -a_i(p).
template <typename T>
void rope_backward(T* dx, const RopeTable<T>& table, const int* positions, int n, int heads,
                   int row_stride, int head_stride);

}  // namespace tinyseek
