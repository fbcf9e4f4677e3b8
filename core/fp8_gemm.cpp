// The fast path of the simulated FP8 GEMM: the tensor-core step of core/fp8_accumulator.h in
// integer arithmetic. Every FP8 value is an integer significand (hidden bit included) times a
// power of two, so each aligned summand is that integer shifted, and the step's exact sum is
// an int64: no floating-point rounding happens except where the model says so.
#include "core/fp8_gemm.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/errors.h"
#include "core/plain_gemm.h"

namespace tinyseek {

namespace {

// A matrix unpacked for the inner loop: value = sig * 2^(exp - mantissa_bits), sig signed.
struct Unpacked {
    std::vector<std::int16_t> sig;
    std::vector<std::int8_t> exp;
    std::vector<char> row_finite;  // per row: no NaN or infinity
    int mantissa_bits = 0;
};

// Significand and exponent of one code, from its bit fields.
void code_fields(std::uint8_t code, const Fp8Spec& s, std::int16_t& sig, std::int8_t& exp) {
    const int m = s.mantissa_bits;
    const int field = (code & 0x7F) >> m;
    const int mantissa = code & ((1 << m) - 1);
    const int magnitude = field == 0 ? mantissa : (1 << m) + mantissa;
    sig = static_cast<std::int16_t>((code & 0x80) ? -magnitude : magnitude);
    exp = static_cast<std::int8_t>(field == 0 ? s.min_exponent() : field - s.bias);
}

Unpacked unpack(const Fp8Matrix& x) {
    const Fp8Spec& spec = fp8_spec(x.format);
    std::int16_t sig_of[256];
    std::int8_t exp_of[256];
    for (int c = 0; c < 256; ++c)
        code_fields(static_cast<std::uint8_t>(c), spec, sig_of[c], exp_of[c]);
    Unpacked u;
    u.mantissa_bits = spec.mantissa_bits;
    u.sig.resize(x.codes.size());
    u.exp.resize(x.codes.size());
    u.row_finite.assign(x.rows, 1);
    for (int r = 0; r < x.rows; ++r)
        for (int c = 0; c < x.cols; ++c) {
            const std::size_t i = static_cast<std::size_t>(r) * x.cols + c;
            u.sig[i] = sig_of[x.codes[i]];
            u.exp[i] = exp_of[x.codes[i]];
            if (!fp8_is_finite(x.codes[i], x.format)) u.row_finite[r] = 0;
        }
    return u;
}

// mag / 2^shift as an integer: truncated, or to nearest with ties to even.
std::uint64_t shift_round(std::uint64_t mag, int shift, AccRounding r) {
    if (shift <= 0) return mag;
    if (shift >= 64) return 0;
    const std::uint64_t q = mag >> shift;
    if (r == AccRounding::truncate) return q;
    const std::uint64_t rem = mag & ((std::uint64_t{1} << shift) - 1);
    const std::uint64_t half = std::uint64_t{1} << (shift - 1);
    return (rem > half || (rem == half && (q & 1))) ? q + 1 : q;
}

struct StepOperands {
    const std::int16_t* a_sig;
    const std::int8_t* a_exp;
    const std::int16_t* w_sig;
    const std::int8_t* w_exp;
    int n;           // products in this step
    int unit_shift;  // (mantissa bits of a) + (mantissa bits of w) - accumulator bits
};

// Products are shifted left by this much before they are cut, so that every cut is a right
// shift by at least 1: the widest case, two E5M2 operands (2 + 2 mantissa bits) into a 23-bit
// accumulator, would otherwise need a left shift by 19. |p| < 2^8, so |p| << 20 < 2^28.
constexpr int kHeadroom = 20;
// Below every exponent a summand can have (FP8 products: >= -28; c: >= -149).
constexpr int kNoExponent = -1000;
// A right shift this long leaves nothing of |p| << kHeadroom, even rounded to nearest.
constexpr int kMaxShift = 40;

// The products' share of one step in units of 2^(e_max - bits): a product sa * sw *
// 2^(ea + ew - ma - mw) is sa * sw shifted right by e_max - (ea + ew) + ma + mw - bits; the
// bits shifted out are what alignment cuts. Branch-free, so the loop vectorises.
template <AccRounding R>
std::int64_t aligned_products(const StepOperands& s, int e_max) {
    const int base = e_max + s.unit_shift + kHeadroom;
    std::int64_t sum = 0;
    for (int t = 0; t < s.n; ++t) {
        const std::int64_t p = std::int64_t{s.a_sig[t]} * s.w_sig[t];
        // A zero product may carry any exponent: the clamp keeps its (empty) shift defined.
        const int shift = std::clamp(base - (s.a_exp[t] + s.w_exp[t]), 1, kMaxShift);
        const std::uint64_t mag = std::uint64_t(p < 0 ? -p : p) << kHeadroom;
        std::uint64_t q;
        if constexpr (R == AccRounding::truncate) {
            q = mag >> shift;
        } else {  // add half a unit less one, plus the kept lowest bit: ties go to even
            q = (mag + ((std::uint64_t{1} << (shift - 1)) - 1) + ((mag >> shift) & 1)) >> shift;
        }
        sum += p < 0 ? -std::int64_t(q) : std::int64_t(q);
    }
    return sum;
}

// One tensor-core step: c plus n products, aligned, cut, summed and cut again.
float fused_step(float c, const StepOperands& s, int bits, AccRounding r) {
    int e_max = kNoExponent;
    for (int t = 0; t < s.n; ++t) {
        const bool nonzero = (s.a_sig[t] != 0) & (s.w_sig[t] != 0);  // a zero never sets e_max
        e_max = std::max(e_max, nonzero ? s.a_exp[t] + s.w_exp[t] : kNoExponent);
    }
    int c_exp = 0;
    if (c != 0.0f) {
        std::frexp(c, &c_exp);
        e_max = std::max(e_max, c_exp - 1);  // c normalised: significand in [1, 2)
    }
    if (e_max == kNoExponent) return 0.0f;
    std::int64_t sum = r == AccRounding::truncate
                           ? aligned_products<AccRounding::truncate>(s, e_max)
                           : aligned_products<AccRounding::nearest_even>(s, e_max);
    if (c != 0.0f) {
        // c * 2^(bits - e_max) is exact in double; its fraction is what alignment cuts.
        const double v = std::ldexp(std::fabs(double(c)), bits - e_max);
        double q = r == AccRounding::truncate ? std::trunc(v) : std::nearbyint(v);
        sum += static_cast<std::int64_t>(c < 0.0f ? -q : q);
    }
    if (sum == 0) return 0.0f;
    // Normalise: keep 1 + bits significant bits.
    std::uint64_t mag = std::uint64_t(std::llabs(sum));
    int unit = e_max - bits;
    const int drop = std::bit_width(mag) - (bits + 1);
    if (drop > 0) {
        mag = shift_round(mag, drop, r);
        unit += drop;
    }
    const double v = std::ldexp(double(mag), unit);
    return static_cast<float>(sum < 0 ? -v : v);
}

// Double sum of the decoded products: the result when a NaN or infinity is involved.
float nonfinite_dot(const Fp8Matrix& a, const Fp8Matrix& w, int i, int j) {
    double s = 0.0;
    for (int k = 0; k < a.cols; ++k)
        s += double(fp8_decode(a.code_at(i, k), a.format)) *
             double(fp8_decode(w.code_at(j, k), w.format));
    return static_cast<float>(s);
}

}  // namespace

void fp8_gemm_check(const Fp8Matrix& a, const Fp8Matrix& w, const Fp8AccumulatorModel& model) {
    model.validate();
    if (a.cols != w.cols)
        throw ConfigError("FP8 GEMM: A has K = " + std::to_string(a.cols) + " columns, W has " +
                          std::to_string(w.cols));
}

std::vector<float> fp8_gemm(const Fp8Matrix& a, const Fp8Matrix& w,
                            const Fp8AccumulatorModel& model) {
    fp8_gemm_check(a, w, model);
    const int m = a.rows, n = w.rows, k = a.cols;
    const Unpacked ua = unpack(a), uw = unpack(w);
    const std::vector<int> starts =
        fp8_promotion_starts(k, a.tile_cols, w.tile_cols, model.promote_every);
    const int unit_shift = ua.mantissa_bits + uw.mantissa_bits - model.mantissa_bits;
    std::vector<float> y(static_cast<std::size_t>(m) * n);
#pragma omp parallel for schedule(static) if (gemm_worth_threads(m, n, k))
    for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
            float& out = y[static_cast<std::size_t>(i) * n + j];
            if (!ua.row_finite[i] || !uw.row_finite[j]) {
                out = nonfinite_dot(a, w, i, j);
                continue;
            }
            const std::size_t ai = static_cast<std::size_t>(i) * k;
            const std::size_t wj = static_cast<std::size_t>(j) * k;
            float acc = 0.0f;
            for (std::size_t c = 0; c < starts.size(); ++c) {
                const int k0 = starts[c];
                const int k1 = c + 1 < starts.size() ? starts[c + 1] : k;
                float partial = 0.0f;
                for (int g = k0; g < k1; g += model.fused_terms) {
                    const StepOperands s{ua.sig.data() + ai + g,
                                         ua.exp.data() + ai + g,
                                         uw.sig.data() + wj + g,
                                         uw.exp.data() + wj + g,
                                         std::min(model.fused_terms, k1 - g),
                                         unit_shift};
                    partial = fused_step(partial, s, model.mantissa_bits, model.rounding);
                }
                acc = std::fmaf(a.scale_at(i, k0) * w.scale_at(j, k0), partial, acc);
            }
            out = acc;
        }
    }
    return y;
}

}  // namespace tinyseek
