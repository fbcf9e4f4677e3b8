#include "core/causal_attention.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "core/eigen.h"
#include "core/sgemm.h"

namespace tinyseek {

namespace {

// First element of head h of sequence b.
template <typename T>
T* head_start(Heads<T> x, int b, int h, int Tn) {
    return x.data + static_cast<size_t>(b) * Tn * x.row_stride +
           static_cast<size_t>(h) * x.head_stride;
}

// The (T, width) block of head `h` of sequence `b`.
template <typename T>
StridedMap<T> head_block(Heads<T> x, int b, int h, int Tn, int width) {
    return {head_start(x, b, h, Tn), Tn, width, Eigen::OuterStride<>(x.row_stride)};
}

template <typename T>
ConstStridedMap<T> const_head_block(Heads<const T> x, int b, int h, int Tn, int width) {
    return {head_start(x, b, h, Tn), Tn, width, Eigen::OuterStride<>(x.row_stride)};
}

// P (T, T) holds scores in its lower triangle; each row i becomes
// p_j = exp(scale (s_j - max)) / sum over j <= i (vectorised exp), and zero above.
template <typename T>
void causal_softmax(T* P, int Tn, T scale) {
    for (int i = 0; i < Tn; ++i) {
        Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> row(P + size_t(i) * Tn, i + 1);
        row = ((row - row.maxCoeff()) * scale).exp();
        row *= T(1) / row.sum();
        std::fill(P + size_t(i) * Tn + i + 1, P + size_t(i + 1) * Tn, T(0));
    }
}

// dS (T, T) holds dP in its lower triangle; each row becomes the softmax backward times the
// score scale (S = scale Q K^T), dS = scale P * (dP - rowsum(P * dP)), and zero above.
template <typename T>
void causal_softmax_backward(T* dS, const T* P, int Tn, T scale) {
    for (int i = 0; i < Tn; ++i) {
        Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>> p(P + size_t(i) * Tn, i + 1);
        Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> ds(dS + size_t(i) * Tn, i + 1);
        const T dot = (p * ds).sum();
        ds = scale * p * (ds - dot);
        std::fill(dS + size_t(i) * Tn + i + 1, dS + size_t(i + 1) * Tn, T(0));
    }
}

// The float path on the AVX-512 GEMM (core/sgemm.h): the same products, each skipping the
// zero half of its causal operand (1.8x fewer FLOPs than full products at T = 128).
void forward_sgemm(float* out, float* probs, Heads<const float> q, Heads<const float> k,
                   Heads<const float> v, const AttentionDims& d) {
    const int Tn = d.T, group = d.H / d.Hkv, ldo = d.H * d.Dv;
    for (int b = 0; b < d.B; ++b) {
        for (int h = 0; h < d.H; ++h) {
            const int g = h / group;
            float* P = probs + (static_cast<size_t>(b) * d.H + h) * Tn * Tn;
            sgemm_strided({.m = Tn,
                           .n = Tn,
                           .k = d.Dqk,
                           .a = head_start(q, b, h, Tn),
                           .a_row_stride = q.row_stride,
                           .a_col_stride = 1,
                           .b = head_start(k, b, g, Tn),  // K^T
                           .ldb = k.row_stride,
                           .b_transposed = true,
                           .c = P,
                           .ldc = Tn,
                           .triangle = SgemmTriangle::lower_out});
            causal_softmax(P, Tn, static_cast<float>(d.scale));
            sgemm_strided({.m = Tn,
                           .n = d.Dv,
                           .k = Tn,
                           .a = P,
                           .a_row_stride = Tn,
                           .a_col_stride = 1,
                           .b = head_start(v, b, g, Tn),
                           .ldb = v.row_stride,
                           .c = out + static_cast<size_t>(b) * Tn * ldo + h * d.Dv,
                           .ldc = ldo,
                           .triangle = SgemmTriangle::lower_left});
        }
    }
}

void backward_sgemm(Heads<float> dq, Heads<float> dk, Heads<float> dv, const float* dout,
                    const float* probs, Heads<const float> q, Heads<const float> k,
                    Heads<const float> v, const AttentionDims& d, float* dS) {
    const int Tn = d.T, group = d.H / d.Hkv, ldo = d.H * d.Dv;
    for (int b = 0; b < d.B; ++b) {
        for (int h = 0; h < d.H; ++h) {
            const int g = h / group;
            // dK and dV sum over the group's query heads: the first one writes them (nothing
            // has to zero them first), the others add.
            const bool add_to_kv = h % group != 0;
            const float* P = probs + (static_cast<size_t>(b) * d.H + h) * Tn * Tn;
            const float* dO = dout + static_cast<size_t>(b) * Tn * ldo + h * d.Dv;
            // dV (+)= P^T dO (P^T is upper triangular)
            sgemm_strided({.m = Tn,
                           .n = d.Dv,
                           .k = Tn,
                           .a = P,
                           .a_row_stride = 1,
                           .a_col_stride = Tn,
                           .b = dO,
                           .ldb = ldo,
                           .c = head_start(dv, b, g, Tn),
                           .ldc = dv.row_stride,
                           .accumulate = add_to_kv,
                           .triangle = SgemmTriangle::upper_left});
            // dP = dO V^T, lower triangle, then dS in place
            sgemm_strided({.m = Tn,
                           .n = Tn,
                           .k = d.Dv,
                           .a = dO,
                           .a_row_stride = ldo,
                           .a_col_stride = 1,
                           .b = head_start(v, b, g, Tn),  // V^T
                           .ldb = v.row_stride,
                           .b_transposed = true,
                           .c = dS,
                           .ldc = Tn,
                           .triangle = SgemmTriangle::lower_out});
            causal_softmax_backward(dS, P, Tn, static_cast<float>(d.scale));
            // dQ = dS K, dK (+)= dS^T Q
            sgemm_strided({.m = Tn,
                           .n = d.Dqk,
                           .k = Tn,
                           .a = dS,
                           .a_row_stride = Tn,
                           .a_col_stride = 1,
                           .b = head_start(k, b, g, Tn),
                           .ldb = k.row_stride,
                           .c = head_start(dq, b, h, Tn),
                           .ldc = dq.row_stride,
                           .triangle = SgemmTriangle::lower_left});
            sgemm_strided({.m = Tn,
                           .n = d.Dqk,
                           .k = Tn,
                           .a = dS,
                           .a_row_stride = 1,
                           .a_col_stride = Tn,
                           .b = head_start(q, b, h, Tn),
                           .ldb = q.row_stride,
                           .c = head_start(dk, b, g, Tn),
                           .ldc = dk.row_stride,
                           .accumulate = add_to_kv,
                           .triangle = SgemmTriangle::upper_left});
        }
    }
}

}  // namespace

template <typename T>
void causal_attention_forward(T* out, T* probs, Heads<const T> q, Heads<const T> k,
                              Heads<const T> v, const AttentionDims& d) {
    if constexpr (std::is_same_v<T, float>)
        if (sgemm_native_available()) return forward_sgemm(out, probs, q, k, v, d);
    const int Tn = d.T;
    const int group = d.H / d.Hkv;
    const T scale = static_cast<T>(d.scale);
    Heads<T> o{out, d.H * d.Dv, d.Dv};
    for (int b = 0; b < d.B; ++b) {
        for (int h = 0; h < d.H; ++h) {
            const int g = h / group;
            auto Q = const_head_block(q, b, h, Tn, d.Dqk);  // (T, Dqk)
            auto K = const_head_block(k, b, g, Tn, d.Dqk);  // (T, Dqk)
            auto V = const_head_block(v, b, g, Tn, d.Dv);   // (T, Dv)
            MatMap<T> P(probs + (static_cast<size_t>(b) * d.H + h) * Tn * Tn, Tn, Tn);
            // Only the causal (lower) triangle of Q K^T is computed.
            P.template triangularView<Eigen::Lower>() = Q * K.transpose();
            causal_softmax(P.data(), Tn, scale);
            head_block(o, b, h, Tn, d.Dv).noalias() = P.template triangularView<Eigen::Lower>() * V;
        }
    }
}

template <typename T>
void causal_attention_backward(Heads<T> dq, Heads<T> dk, Heads<T> dv, const T* dout, const T* probs,
                               Heads<const T> q, Heads<const T> k, Heads<const T> v,
                               const AttentionDims& d, T* scratch) {
    if constexpr (std::is_same_v<T, float>)
        if (sgemm_native_available())
            return backward_sgemm(dq, dk, dv, dout, probs, q, k, v, d, scratch);
    const int Tn = d.T;
    const int group = d.H / d.Hkv;
    const T scale = static_cast<T>(d.scale);
    const Heads<const T> dO_heads{dout, d.H * d.Dv, d.Dv};
    MatMap<T> dS(scratch, Tn, Tn);
    for (int b = 0; b < d.B; ++b) {
        for (int g = 0; g < d.Hkv; ++g) {
            head_block(dk, b, g, Tn, d.Dqk).setZero();
            head_block(dv, b, g, Tn, d.Dv).setZero();
        }
        for (int h = 0; h < d.H; ++h) {
            const int g = h / group;
            auto Q = const_head_block(q, b, h, Tn, d.Dqk);
            auto K = const_head_block(k, b, g, Tn, d.Dqk);
            auto V = const_head_block(v, b, g, Tn, d.Dv);
            auto dO = const_head_block(dO_heads, b, h, Tn, d.Dv);
            ConstMatMap<T> P(probs + (static_cast<size_t>(b) * d.H + h) * Tn * Tn, Tn, Tn);
            const auto Pl = P.template triangularView<Eigen::Lower>();
            head_block(dv, b, g, Tn, d.Dv).noalias() += Pl.transpose() * dO;
            dS.template triangularView<Eigen::Lower>() = dO * V.transpose();  // dP
            causal_softmax_backward(dS.data(), P.data(), Tn, scale);
            const auto dSl = dS.template triangularView<Eigen::Lower>();
            head_block(dq, b, h, Tn, d.Dqk).noalias() = dSl * K;
            head_block(dk, b, g, Tn, d.Dqk).noalias() += dSl.transpose() * Q;
        }
    }
}

#define TINYSEEK_INSTANTIATE(T)                                                                  \
    template void causal_attention_forward<T>(T*, T*, Heads<const T>, Heads<const T>,            \
                                              Heads<const T>, const AttentionDims&);             \
    template void causal_attention_backward<T>(Heads<T>, Heads<T>, Heads<T>, const T*, const T*, \
                                               Heads<const T>, Heads<const T>, Heads<const T>,   \
                                               const AttentionDims&, T*);
TINYSEEK_INSTANTIATE(float)
TINYSEEK_INSTANTIATE(double)
#undef TINYSEEK_INSTANTIATE

}  // namespace tinyseek
