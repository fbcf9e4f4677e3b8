#include "core/fp8_gemm_reference.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "core/fp8_gemm.h"

namespace tinyseek {

namespace {

// To an integer: toward zero, or to nearest with ties to even (the default rounding mode).
double to_integer(double v, AccRounding r) {
    return r == AccRounding::truncate ? std::trunc(v) : std::nearbyint(v);
}

// v kept to 1 + bits significant bits.
double round_to_bits(double v, int bits, AccRounding r) {
    if (v == 0.0) return 0.0;
    int e = 0;
    std::frexp(v, &e);  // v = f * 2^e, 0.5 <= |f| < 1
    return std::ldexp(to_integer(std::ldexp(v, bits + 1 - e), r), e - bits - 1);
}

// Does an operand's scale tile, or N_C, start a new chunk at column k (k > 0)?
bool chunk_starts_at(int k, const Fp8Matrix& a, const Fp8Matrix& w, int promote_every) {
    return k % a.tile_cols == 0 || k % w.tile_cols == 0 ||
           (promote_every > 0 && k % promote_every == 0);
}

float dot_reference(const Fp8Matrix& a, const Fp8Matrix& w, int i, int j,
                    const Fp8AccumulatorModel& model) {
    const int k_total = a.cols;
    double nonfinite_sum = 0.0;
    bool finite = true;
    for (int k = 0; k < k_total; ++k) {
        const double p = double(fp8_decode(a.code_at(i, k), a.format)) *
                         double(fp8_decode(w.code_at(j, k), w.format));
        finite = finite && std::isfinite(p);
        nonfinite_sum += p;
    }
    if (!finite) return static_cast<float>(nonfinite_sum);

    float acc = 0.0f;      // the FP32 register on the CUDA cores
    double partial = 0.0;  // the tensor core's accumulator
    std::vector<Fp8Term> step;
    auto promote = [&](int k_in_chunk) {
        partial = fp8_fused_step_reference(partial, step, model.mantissa_bits, model.rounding);
        step.clear();
        const float scale = a.scale_at(i, k_in_chunk) * w.scale_at(j, k_in_chunk);
        acc = std::fmaf(scale, static_cast<float>(partial), acc);
        partial = 0.0;
    };
    for (int k = 0; k < k_total; ++k) {
        if (k > 0 && chunk_starts_at(k, a, w, model.promote_every)) promote(k - 1);
        if (static_cast<int>(step.size()) == model.fused_terms) {
            partial = fp8_fused_step_reference(partial, step, model.mantissa_bits, model.rounding);
            step.clear();
        }
        const Fp8Term ta = fp8_operand_term(fp8_decode(a.code_at(i, k), a.format), a.format);
        const Fp8Term tw = fp8_operand_term(fp8_decode(w.code_at(j, k), w.format), w.format);
        step.push_back({ta.significand * tw.significand, ta.exponent + tw.exponent});
    }
    promote(k_total - 1);
    return acc;
}

}  // namespace

Fp8Term fp8_operand_term(float value, Fp8Format format) {
    if (value == 0.0f) return {0.0, 0};
    int e = 0;
    const double f = std::frexp(double(value), &e);  // value = f * 2^e, 0.5 <= |f| < 1
    Fp8Term t{2.0 * f, e - 1};
    const int min_exponent = fp8_spec(format).min_exponent();
    if (t.exponent < min_exponent) {  // subnormal: the significand shrinks, the exponent stays
        t.significand = std::ldexp(t.significand, t.exponent - min_exponent);
        t.exponent = min_exponent;
    }
    return t;
}

double fp8_fused_step_reference(double c, const std::vector<Fp8Term>& products, int mantissa_bits,
                                AccRounding rounding) {
    std::vector<Fp8Term> summands;
    for (const Fp8Term& p : products)
        if (p.significand != 0.0) summands.push_back(p);
    if (c != 0.0) {
        int e = 0;
        const double f = std::frexp(c, &e);
        summands.push_back({2.0 * f, e - 1});
    }
    if (summands.empty()) return 0.0;
    int e_max = INT_MIN;
    for (const Fp8Term& s : summands) e_max = std::max(e_max, s.exponent);
    // Aligned to e_max and cut to mantissa_bits fractional bits there; the sum of these
    // integers is exact in double (a few dozen bits at most).
    double sum = 0.0;
    for (const Fp8Term& s : summands)
        sum += to_integer(std::ldexp(s.significand, s.exponent - e_max + mantissa_bits), rounding);
    return round_to_bits(std::ldexp(sum, e_max - mantissa_bits), mantissa_bits, rounding);
}

std::vector<float> fp8_gemm_reference(const Fp8Matrix& a, const Fp8Matrix& w,
                                      const Fp8AccumulatorModel& model) {
    fp8_gemm_check(a, w, model);
    std::vector<float> y(static_cast<std::size_t>(a.rows) * w.rows);
    for (int i = 0; i < a.rows; ++i)
        for (int j = 0; j < w.rows; ++j)
            y[static_cast<std::size_t>(i) * w.rows + j] = dot_reference(a, w, i, j, model);
    return y;
}

}  // namespace tinyseek
