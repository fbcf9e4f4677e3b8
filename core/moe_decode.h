// The feed-forward half of a block at inference time, for a batch of rows: the dense SwiGLU
// MLP (layers < first_k_dense_replace) or DeepSeekMoE (shared experts + routed experts).
//
// MoE: every row is routed with route_tokens (core/moe_router.h), the batch's (row, k) pairs
// are grouped per expert so each expert runs one small GEMM chain over exactly its rows, and
// idle experts are skipped.
//
// Threading: forward() is called by every thread of an OpenMP team, each owning rows
// [r0, r1). Row-local work (dense MLP, router, shared experts, gathering, combining) runs on
// the owner's rows; the routed experts are cut into tasks of at most kRowBlock rows of one
// expert, handed out dynamically (a 64-row decode batch gives ~8-12 tasks). Two barriers
// per MoE layer: after routing (grouping needs every row's choice) and after the expert
// tasks (combining needs every expert's output). The grouping itself (a counting sort of
// n*K ids) is recomputed by every thread into its own scratch instead of being shared,
// which would cost two more barriers; each task gathers its own input rows.
#pragma once

#include <algorithm>
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

    FfnDecoder(const ModelConfig& config, int max_rows, int max_threads);

    // out rows [r0, r1) (C each) = MLP(h) for those rows of h (n, C). Called by every thread
    // of the team with its own row range (or once with [0, n) outside a parallel region).
    void forward(float* out, const float* h, const FfnWeights& w, int n, int r0, int r1);

    int max_rows() const { return max_rows_; }
    // Routing of the last MoE forward: expert ids (n, K) and gate weights (n, K).
    const int* experts() const { return expert_.data(); }
    const float* gate_weights() const { return weight_.data(); }

  private:
    using Buffer = std::vector<float, Eigen::aligned_allocator<float>>;
    struct Task {
        int expert;
        int slot0;  // first slot (row of the grouped buffers)
        int rows;
    };

    // y (rows, C) = down(swiglu(gate_up(x))) on the calling thread.
    void mlp(float* y, const float* x, float* gu, float* act, const PackedMatrix& gate_up,
             const PackedMatrix& down, int f, int rows) const;
    void forward_moe(float* out, const float* h, const FfnWeights& w, int n, int r0, int r1);

    // Grouping of the (row, k) pairs by expert, computed identically by every thread.
    struct Grouping {
        std::vector<int> count;        // (E) pairs per expert, then a fill cursor
        std::vector<int> start;        // (E + 1) first slot of each expert
        std::vector<int> slot_of;      // (N, K) slot of pair (row, k)
        std::vector<int> row_of_slot;  // (N K) row whose input fills the slot
        std::vector<Task> tasks;       // busy experts cut into blocks of kRowBlock slots
    };
    void group(Grouping& g, int n) const;
    // Row stride of gu_ / act_ halves: max(I, S), shared by the dense and shared-expert paths.
    size_t scratch_width() const {
        return std::max<size_t>(c_.intermediate_size, static_cast<size_t>(c_.n_shared_experts) *
                                                          c_.moe_intermediate_size);
    }

    ModelConfig c_;
    RouterConfig router_;
    int max_rows_;
    std::vector<Grouping> groupings_;  // one per thread
    // Dense or shared-expert path, indexed by row.
    Buffer gu_;        // (N, 2 max(I, S))
    Buffer act_;       // (N, max(I, S))
    Buffer y_shared_;  // (N, C)
    // Routing, indexed by row.
    Buffer logit_;             // (N, E)
    Buffer score_;             // (N, E)
    std::vector<int> expert_;  // (N, K)
    Buffer weight_;            // (N, K)
    // Routed path, indexed by slot (rows grouped by expert).
    Buffer x_routed_;    // (N K, C) gathered input rows
    Buffer gu_routed_;   // (N K, 2 F)
    Buffer act_routed_;  // (N K, F)
    Buffer y_routed_;    // (N K, C)
};

}  // namespace tinyseek
