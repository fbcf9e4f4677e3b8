// Training the linear layers in FP8, as DeepSeek-V3 does (§3.3, docs/ARCHITECTURE.md "FP8"):
// the three GEMMs of y = x W^T (forward, input gradient dx = dy W, weight gradient
// dW = dy^T x) take E4M3 operands with fine-grained scales, and the master weights, the
// gradients and the optimizer stay FP32.
//
// Scales follow the GEMM's contraction: each tile is cut along the summed dimension, so one
// scale multiplies a whole partial sum as V3 applies it at promotion.
//   forward  x: 1 x T tiles of a row (per token per T channels)   W: T x T blocks
//   dx       dy: 1 x T tiles of a row                              W: the same T x T blocks
//   dW       dy and x: T x 1 tiles of a column (T tokens of one channel)
// `per_tensor` replaces every tile by one scale per operand (the ablation V3's tiles answer).
//
// Accumulation, by default FP32: products of FP8 values are summed as V3's promoted
// accumulator does after each N_C chunk, without simulating the tensor core's limited register
// inside a chunk. The operands are quantised then dequantised (decode(code) * scale, as
// fp8_dequantize gives) and multiplied by Eigen, so a step costs the FP32 GEMMs plus one pass
// over each operand. `limited_accumulator` runs the three GEMMs through core/fp8_gemm.h
// instead: the simulated Hopper register (13 mantissa bits, truncation, 32 products per step)
// promoted to FP32 every `promote_every` elements and where a scale tile ends (0: only
// there, which with per-tensor scales is never: the ablation of V3's fix). Bit-exact, and
// about two orders of magnitude slower.
//
// `bf16_moments` keeps AdamW's first and second moments in BF16 as V3 does (the optimizer
// rounds them after each update, core/adamw.h; the shared update of core/train_step.h turns
// it on from the model's recipe); the master weights stay FP32.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/fp8_format.h"

namespace tinyseek {

struct Fp8TrainingRecipe {
    int tile = 128;                           // T
    bool per_tensor = false;                  // one scale per operand instead of tiles
    Fp8Format grad_format = Fp8Format::e4m3;  // of dy (V3: E4M3; E5M2 is the usual choice)
    bool limited_accumulator = false;         // simulate the tensor core's register
    int promote_every = 128;                  // N_C of the limited accumulator; 0 = never
    bool bf16_moments = false;                // AdamW's m and v rounded to BF16

    // Throws ConfigError (tile < 1, promote_every < 0).
    void validate() const;
    nlohmann::json to_json() const;
    // Every key optional; unknown keys are refused (ConfigError naming `where`).
    static Fp8TrainingRecipe from_json(const nlohmann::json& j, const std::string& where);
    bool operator==(const Fp8TrainingRecipe&) const = default;
};

// dst = x quantised to `format` with one scale per (tile_rows x tile_cols) tile and decoded
// again, (rows, cols) row-major; dst and x must not overlap. Bit for bit
// fp8_dequantize(fp8_quantize(x, ..., saturate)) without the codes.
void fp8_round_trip(float* dst, const float* x, int rows, int cols, int tile_rows, int tile_cols,
                    Fp8Format format);

// The FP8 forms of linear_forward / linear_backward (core/linear.h), on the calling thread.
void fp8_linear_forward(const Fp8TrainingRecipe& recipe, float* y, const float* x, const float* w,
                        int n, int in, int out, bool accumulate);
void fp8_linear_backward(const Fp8TrainingRecipe& recipe, float* dx, float* dw, const float* dy,
                         const float* x, const float* w, int n, int in, int out);

}  // namespace tinyseek
