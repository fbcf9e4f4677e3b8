// Full-sequence causal softmax attention (training path), shared by MLA and MHA/GQA.
//
// Per sequence b and query head h (KV head g = h / (H / H_kv)):
//   S = scale * Q_bh K_bg^T          (T, T), only j <= i is used (causal)
//   P = softmax_rows(S)               saved for the backward
//   O_bh = P V_bg                     (T, Dv)
// Q, K, V and O are per-head column blocks of row-major activations: element (row r, head h,
// d) sits at data[r * row_stride + h * head_stride + d], rows are T-major (r = b*T + t).
// Every (sequence, head) pair is independent; the functions run on the calling thread.
#pragma once

namespace tinyseek {

template <typename T>
struct Heads {
    T* data;
    int row_stride;
    int head_stride;
};

struct AttentionDims {
    int B = 0;    // sequences
    int T = 0;    // tokens per sequence
    int H = 0;    // query heads
    int Hkv = 0;  // key/value heads (H for MHA and MLA's expanded K/V)
    int Dqk = 0;  // query/key width per head
    int Dv = 0;   // value width per head
    double scale = 1.0;
};

// out (B*T, H*Dv) is overwritten; probs (B, H, T, T) receives P (zero above the diagonal).
template <typename T>
void causal_attention_forward(T* out, T* probs, Heads<const T> q, Heads<const T> k,
                              Heads<const T> v, const AttentionDims& dims);

// Overwrites dq, dk, dv (same layouts as q, k, v) given dout (B*T, H*Dv) and the forward's
// probs. `scratch` holds T*T elements. With GQA the heads of a group accumulate into their
// shared dk/dv. Forward was O = P V, P = softmax(S), S = scale Q K^T, so
//   dV = P^T dO,  dP = dO V^T,  dS = P * (dP - rowsum(P * dP)),  dQ = scale dS K,
//   dK = scale dS^T Q.
template <typename T>
void causal_attention_backward(Heads<T> dq, Heads<T> dk, Heads<T> dv, const T* dout, const T* probs,
                               Heads<const T> q, Heads<const T> k, Heads<const T> v,
                               const AttentionDims& dims, T* scratch);

}  // namespace tinyseek
