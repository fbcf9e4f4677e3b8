#include "core/causal_attention.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/eigen.h"

namespace tinyseek {

namespace {

// The (T, width) block of head `h` of sequence `b`.
template <typename T>
StridedMap<T> head_block(Heads<T> x, int b, int h, int Tn, int width) {
    return {x.data + static_cast<size_t>(b) * Tn * x.row_stride +
                static_cast<size_t>(h) * x.head_stride,
            Tn, width, Eigen::OuterStride<>(x.row_stride)};
}

template <typename T>
ConstStridedMap<T> const_head_block(Heads<const T> x, int b, int h, int Tn, int width) {
    return {x.data + static_cast<size_t>(b) * Tn * x.row_stride +
                static_cast<size_t>(h) * x.head_stride,
            Tn, width, Eigen::OuterStride<>(x.row_stride)};
}

}  // namespace

template <typename T>
void causal_attention_forward(T* out, T* probs, Heads<const T> q, Heads<const T> k,
                              Heads<const T> v, const AttentionDims& d) {
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
            for (int i = 0; i < Tn; ++i) {
                // p_j = exp(scale (s_j - max)) / sum, j <= i (vectorised exp)
                Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> row(P.data() + size_t(i) * Tn,
                                                                   i + 1);
                row = ((row - row.maxCoeff()) * scale).exp();
                row *= T(1) / row.sum();
                std::fill(P.data() + size_t(i) * Tn + i + 1, P.data() + size_t(i + 1) * Tn, T(0));
            }
            head_block(o, b, h, Tn, d.Dv).noalias() = P.template triangularView<Eigen::Lower>() * V;
        }
    }
}

template <typename T>
void causal_attention_backward(Heads<T> dq, Heads<T> dk, Heads<T> dv, const T* dout, const T* probs,
                               Heads<const T> q, Heads<const T> k, Heads<const T> v,
                               const AttentionDims& d, T* scratch) {
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
            for (int i = 0; i < Tn; ++i) {
                // softmax backward, times the score scale (S = scale Q K^T)
                Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>> p(P.data() + size_t(i) * Tn,
                                                                       i + 1);
                Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> ds(dS.data() + size_t(i) * Tn,
                                                                  i + 1);
                const T dot = (p * ds).sum();
                ds = scale * p * (ds - dot);
            }
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
