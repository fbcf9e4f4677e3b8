// The FP8 lab's commands (docs/ARCHITECTURE.md "FP8"):
//   tinyseek fp8 gemm-error [--k-list 256,1024,4096,16384] [--m M --n N] [--outliers]
//       [--seed S] [--acc-bits B] [--promote-every NC] [--json]
// Plain C++ over core/fp8_*: bad values are usage errors (exit 2) before anything runs.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "core/errors.h"
#include "core/fp8_gemm_error.h"

namespace tinyseek::cli {

namespace {

int positive_int(const Args& args, const std::string& name, int fallback, int max) {
    const long long v = args.get_int(name, fallback);
    if (v < 1 || v > max)
        throw UsageError("option --" + name + " expects an integer in 1.." + std::to_string(max) +
                         ", got " + std::to_string(v));
    return static_cast<int>(v);
}

Fp8GemmErrorConfig gemm_error_config(const Args& args) {
    Fp8GemmErrorConfig c;
    if (args.has("k-list")) {
        c.k_list.clear();
        for (long long k : args.get_int_list("k-list", {})) {
            if (k < 1 || k > (1 << 20))
                throw UsageError("option --k-list expects positive integers up to 1048576, got " +
                                 std::to_string(k));
            c.k_list.push_back(static_cast<int>(k));
        }
    }
    c.m = positive_int(args, "m", c.m, 4096);
    c.n = positive_int(args, "n", c.n, 4096);
    const long long seed = args.get_int("seed", 0);
    if (seed < 0) throw UsageError("option --seed expects a non-negative integer");
    c.seed = static_cast<std::uint64_t>(seed);
    c.outliers = args.has("outliers");
    c.model.mantissa_bits = positive_int(args, "acc-bits", c.model.mantissa_bits, 23);
    c.model.fused_terms = positive_int(args, "fused-terms", c.model.fused_terms, 1 << 20);
    const long long every = args.get_int("promote-every", c.model.promote_every);
    if (every < 0 || every > (1 << 20))
        throw UsageError("option --promote-every expects 0 (never) or a positive integer, got " +
                         std::to_string(every));
    c.model.promote_every = static_cast<int>(every);
    try {
        c.model.rounding = acc_rounding_from_string(args.get("rounding", "truncate"));
    } catch (const ConfigError& e) {
        throw UsageError(std::string("option --rounding: ") + e.what());
    }
    try {
        c.entries = random_entries_from_string(args.get("entries", "uniform"));
    } catch (const ConfigError& e) {
        throw UsageError(std::string("option --entries: ") + e.what());
    }
    return c;
}

std::string sci(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2e", v);
    return buf;
}

std::string fixed(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

// One table line: K, then max / mean of each method.
std::string table_line(const std::string& k, const std::string& a, const std::string& b,
                       const std::string& c) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%8s  %-24s%-24s%s\n", k.c_str(), a.c_str(), b.c_str(),
                  c.c_str());
    return buf;
}

std::string cell(const RelErrorStats& s) {
    return sci(s.max) + " / " + sci(s.mean);
}

void print_gemm_error(const Fp8GemmErrorResult& r) {
    const Fp8GemmErrorConfig& c = r.config;
    const Fp8AccumulatorModel& m = c.model;
    std::cout << "FP8 GEMM accumulation error: A (" << c.m << " x K) W (" << c.n
              << " x K)^T, E4M3 operands with one scale per tensor, " << to_string(c.entries)
              << " entries" << (c.outliers ? " with outliers" : "") << ", seed " << c.seed
              << "\ntensor core: " << m.mantissa_bits << " mantissa bits, " << to_string(m.rounding)
              << ", " << m.fused_terms << " products per step; FP32 promotion every "
              << m.promote_every
              << " (scales applied there)\nrelative error against the FP64 product of the same "
                 "operands, max / mean over the outputs\n\n";
    std::cout << table_line("K", "never promoted",
                            "promoted every " + std::to_string(m.promote_every), "FP32");
    for (const Fp8GemmErrorRow& row : r.rows)
        std::cout << table_line(std::to_string(row.k), cell(row.no_promotion), cell(row.promoted),
                                cell(row.fp32));
    const Fp8GemmErrorRow& last = r.rows.back();
    std::cout << "\nE4M3 inputs at K = " << last.k << ": A flushed to zero "
              << sci(last.quant_a.flushed_share()) << ", mean error "
              << sci(last.quant_a.mean_rel_error()) << "; W flushed to zero "
              << sci(last.quant_w.flushed_share()) << ", mean error "
              << sci(last.quant_w.mean_rel_error()) << "\n"
              << fixed(r.seconds, 1) << " s\n";
}

}  // namespace

int run_fp8_gemm_error(const Args& args) {
    const Fp8GemmErrorConfig config = gemm_error_config(args);
    const Fp8GemmErrorResult result = measure_fp8_gemm_error(config);
    if (args.has("json")) {
        std::cout << result.to_json().dump(2) << "\n";
        return 0;
    }
    print_gemm_error(result);
    return 0;
}

}  // namespace tinyseek::cli
