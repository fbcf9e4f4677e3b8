// The Eigen include and the row-major views used by every kernel in core/.
//
// GCC 12 reports false -W(maybe-)uninitialized warnings inside Eigen's AVX-512 code (GEMM packing
// of doubles, vectorised exp). The pragma is location based, so it covers Eigen's headers only when
// this is the first inclusion of Eigen in a translation unit: core files include this header
// (directly or through linear.h) before any other Eigen user.
#pragma once

#pragma GCC diagnostic push
#if !defined(__clang__)  // clang (the sanitizer and fuzz builds) has no -Wmaybe-uninitialized
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <Eigen/Core>
#pragma GCC diagnostic pop

namespace tinyseek {

template <typename T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using MatMap = Eigen::Map<Mat<T>>;
template <typename T>
using ConstMatMap = Eigen::Map<const Mat<T>>;
// A block of rows whose consecutive rows are `stride` elements apart (a column slice).
template <typename T>
using StridedMap = Eigen::Map<Mat<T>, 0, Eigen::OuterStride<>>;
template <typename T>
using ConstStridedMap = Eigen::Map<const Mat<T>, 0, Eigen::OuterStride<>>;

}  // namespace tinyseek
