// The feed-forward half of a block at inference time, for a batch of rows: the dense SwiGLU
// MLP (layers < first_k_dense_replace) or DeepSeekMoE (shared experts + routed experts).
//
// MoE: every row is routed with route_tokens (core/moe_router.h), the batch's (row, k) pairs
// are grouped per expert so each expert runs one small GEMM chain over exactly its rows, and
// idle experts are skipped. Work is cut into tasks of at most `kRowBlock` rows of one expert
// (or of the shared expert / dense MLP) and the tasks are spread over the OpenMP threads:
// decode batches are 64 rows, too small for one GEMM to use two threads well, but 8 experts
// plus the shared expert give enough independent pieces.
#pragma once

#include <vector>

#include "core/decode_gemm.h"
#include "core/eigen.h"

#include "core/model_config.h"
#include "core/moe_router.h"
#include "core/param_store.h"

namespace tinyseek {

// One block's MLP weights, packed for decode_gemm ([gate; up] stacked into one (2F, C)
// matrix, so one GEMM yields the [gate | up] rows swiglu_forward expects).
struct FfnWeights {
    bool moe = false;
    PackedMatrix gate_up;                      // dense (2 I, C)
    PackedMatrix down;                         // dense (C, I)
    PackedMatrix router;                       // (E, C)
    const float* router_bias = nullptr;        // (E) e_score_correction_bias
    std::vector<PackedMatrix> expert_gate_up;  // E x (2 F, C)
    std::vector<PackedMatrix> expert_down;     // E x (C, F)
    bool has_shared = false;
    PackedMatrix shared_gate_up;  // (2 S, C), S = n_shared * F
    PackedMatrix shared_down;     // (C, S)

    void load(const ParamStore& params, int layer);
};

class FfnDecoder {
  public:
    static constexpr int kRowBlock = 16;

    FfnDecoder(const ModelConfig& config, int max_rows);

    // out (n, C) = MLP(h) for h (n, C).
    void forward(float* out, const float* h, const FfnWeights& w, int n);

    // Routing of the last MoE forward: expert ids (n, K) and gate weights (n, K).
    const int* experts() const { return expert_.data(); }
    const float* gate_weights() const { return weight_.data(); }

  private:
    using Buffer = std::vector<float, Eigen::aligned_allocator<float>>;
    struct Task {
        const PackedMatrix* gate_up;  // (2 F, C)
        const PackedMatrix* down;     // (C, F)
        int f;                        // intermediate width of this expert
        const float* x;               // (rows, C) input rows
        float* gu;                    // (rows, 2 F) scratch
        float* act;                   // (rows, F) scratch
        float* y;                     // (rows, C) output rows
        int rows;
    };

    void add_tasks(const PackedMatrix& gate_up, const PackedMatrix& down, int f, const float* x,
                   float* gu, float* act, float* y, int rows);
    void run_tasks();
    void forward_moe(float* out, const float* h, const FfnWeights& w, int n);

    ModelConfig c_;
    RouterConfig router_;
    int max_rows_;
    std::vector<Task> tasks_;
    // Dense or shared-expert path, indexed by row.
    Buffer gu_;        // (N, 2 max(I, S))
    Buffer act_;       // (N, max(I, S))
    Buffer y_shared_;  // (N, C)
    // Routed path, indexed by slot (row, k) after grouping by expert.
    Buffer logit_;             // (N, E)
    Buffer score_;             // (N, E)
    std::vector<int> expert_;  // (N, K)
    Buffer weight_;            // (N, K)
    std::vector<int> count_;   // (E)
    std::vector<int> start_;   // (E + 1) first slot of each expert
    std::vector<int> slot_;    // (N, K) slot of (row, k)
    Buffer x_routed_;          // (N K, C) gathered input rows
    Buffer gu_routed_;         // (N K, 2 F)
    Buffer act_routed_;        // (N K, F)
    Buffer y_routed_;          // (N K, C)
};

}  // namespace tinyseek
