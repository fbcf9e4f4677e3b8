// ParamStore: one flat float block laid out by ParamLayout. The same type holds parameter
// values, gradients and AdamW moments, so a single loop over `data` serves the optimizer,
// the grad norm and checkpoint I/O.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "core/aligned.h"
#include "core/param_layout.h"

namespace tinyseek {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;

class ParamStore {
  public:
    ParamStore() = default;
    explicit ParamStore(const ModelConfig& config)
        : config_(config), layout_(config), data_(layout_.total_floats(), 0.0f) {}

    const ModelConfig& config() const { return config_; }
    const ParamLayout& layout() const { return layout_; }
    AlignedVector<float>& data() { return data_; }
    const AlignedVector<float>& data() const { return data_; }

    float* ptr(std::string_view name) { return data_.data() + layout_.at(name).offset; }
    const float* ptr(std::string_view name) const { return data_.data() + layout_.at(name).offset; }
    // A 2-D tensor as a row-major matrix (out, in); a 1-D tensor as a (1, n) row.
    MatrixMap mat(std::string_view name);
    ConstMatrixMap mat(std::string_view name) const;

    // Zeroes every value, on all OpenMP threads (it runs before every backward).
    void set_zero();

  private:
    ModelConfig config_;
    ParamLayout layout_{config_};
    AlignedVector<float> data_;  // 64-byte aligned (core/aligned.h)
};

// DeepSeek-V3 style initialisation: matrices ~ N(0, std^2) with std = 0.02 (output
// projections o_proj/down_proj scaled by 1/sqrt(2*num_blocks) as in GPT-2/llm.c),
// RMSNorm weights = 1, routing bias = 0. Deterministic for a given seed.
void init_params(ParamStore& params, uint64_t seed, float std = 0.02f);

}  // namespace tinyseek
