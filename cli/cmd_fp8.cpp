// The FP8 lab's commands (docs/ARCHITECTURE.md "FP8"):
//   tinyseek fp8 gemm-error [--k-list 256,1024,4096,16384] [--m M --n N] [--outliers]
//       [--seed S] [--acc-bits B] [--promote-every NC] [--json]
//   tinyseek fp8 quant-error --model DIR [--tile 16|32|64|128] [--format e4m3|e5m2]
//       [--outliers N] [--prompts N] [--seed S] [--json]
//   tinyseek fp8 memory [--preset P | --config FILE] [--json]
//   tinyseek fp8 loss-gap --db FILE --run ID [--json]
// Plain C++ over core/fp8_*: bad values are usage errors (exit 2) before anything runs.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "cli/config_choice.h"
#include "cli/thousands.h"
#include "core/checkpoint.h"
#include "core/errors.h"
#include "core/fp8_gemm_error.h"
#include "core/fp8_memory.h"
#include "core/fp8_quant_error.h"
#include "training/fp8_quant_probe.h"
#include "training/precision_comparison.h"
#include "training/run_store.h"

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

// One table line: K, then max / mean of each method.
std::string table_line(const std::string& k, const std::string& a, const std::string& b,
                       const std::string& c) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%8s  %-24s%-24s%s\n", k.c_str(), a.c_str(), b.c_str(),
                  c.c_str());
    return buf;
}

std::string cell(const RelErrorStats& s) {
    return scientific(s.max) + " / " + scientific(s.mean);
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
              << scientific(last.quant_a.flushed_share()) << ", mean error "
              << scientific(last.quant_a.mean_rel_error()) << "; W flushed to zero "
              << scientific(last.quant_w.flushed_share()) << ", mean error "
              << scientific(last.quant_w.mean_rel_error()) << "\n"
              << fixed(r.seconds, 1) << " s\n";
}

Fp8QuantErrorConfig quant_error_config(const Args& args) {
    Fp8QuantErrorConfig c;
    const long long tile = args.get_int("tile", c.tile);
    if (tile != 16 && tile != 32 && tile != 64 && tile != 128)
        throw UsageError("option --tile expects 16, 32, 64 or 128, got " + std::to_string(tile));
    c.tile = static_cast<int>(tile);
    try {
        c.format = fp8_format_from_string(args.get("format", "e4m3"));
    } catch (const ConfigError& e) {
        throw UsageError(std::string("option --format: ") + e.what());
    }
    const long long outliers = args.get_int("outliers", 4);
    if (outliers < 0 || outliers > 1'000'000)
        throw UsageError("option --outliers expects an integer in 0..1000000, got " +
                         std::to_string(outliers));
    c.outliers = static_cast<int>(outliers);
    const long long seed = args.get_int("seed", 0);
    if (seed < 0) throw UsageError("option --seed expects a non-negative integer");
    c.seed = static_cast<std::uint64_t>(seed);
    return c;
}

std::string stats_cells(const Fp8QuantStats& s) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%-10s%-10s%-10s%-10s", scientific(s.max_rel_error).c_str(),
                  scientific(s.mean_rel_error()).c_str(), scientific(s.flushed_share()).c_str(),
                  scientific(s.saturated_share()).c_str());
    return buf;
}

void print_quant_error(const Fp8QuantErrorResult& r, const std::string& dir, int sequences,
                       std::int64_t tokens) {
    const int t = r.config.tile;
    std::cout << "FP8 scaling granularity on " << dir << ": " << to_string(r.config.format)
              << ", scales from each tile's largest magnitude; weights per tensor vs " << t << "x"
              << t << " blocks, activations per tensor vs 1x" << t << " row tiles\n"
              << "activations of " << sequences << " held-out addition problems (" << tokens
              << " tokens): layer0_attn_input = input_layernorm(embedding), head_input = "
                 "model.norm(h_L)\noutlier rows: "
              << r.config.outliers << " entries per matrix multiplied by 1000 (seed "
              << r.config.seed << ")\n"
              << "max / mean relative error, share flushed to zero, share saturated\n\n";
    char head[256];
    std::snprintf(head, sizeof head, "%-12s%-20s%-9s%-8s%-40s%s\n", "kind", "group", "outliers",
                  "mats", "per tensor: max mean flushed sat", "per tile: max mean flushed sat");
    std::cout << head;
    for (const Fp8QuantErrorRow& row : r.rows) {
        char line[256];
        std::snprintf(line, sizeof line, "%-12s%-20s%-9s%-8d%-40s%s\n", row.kind.c_str(),
                      row.group.c_str(), row.with_outliers ? "yes" : "no", row.matrices,
                      stats_cells(row.per_tensor).c_str(), stats_cells(row.per_tile).c_str());
        std::cout << line;
    }
}

void print_memory(const Fp8MemoryResult& r, const std::string& source) {
    const Fp8ParamSplit& p = r.params;
    std::cout << "Training-state memory of " << source
              << " (computed from the parameter count, not measured)\nparameters "
              << grouped(p.total) << " (trainable " << grouped(p.trainable) << "), GEMM weights "
              << grouped(p.gemm_weights) << " in " << grouped(p.weight_scales)
              << " blocks of 128x128\n\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-16s%14s%14s%14s\n", "", "fp32", "bf16", "fp8");
    std::cout << line;
    const auto row = [&](const char* name, auto field) {
        std::snprintf(line, sizeof line, "%-16s%14s%14s%14s\n", name,
                      human_bytes(field(r.recipes[0])).c_str(),
                      human_bytes(field(r.recipes[1])).c_str(),
                      human_bytes(field(r.recipes[2])).c_str());
        std::cout << line;
    };
    row("weights", [](const MemoryRecipe& m) { return m.weights; });
    row("weight scales", [](const MemoryRecipe& m) { return m.weight_scales; });
    row("master weights", [](const MemoryRecipe& m) { return m.master_weights; });
    row("gradients", [](const MemoryRecipe& m) { return m.gradients; });
    row("AdamW m", [](const MemoryRecipe& m) { return m.adam_m; });
    row("AdamW v", [](const MemoryRecipe& m) { return m.adam_v; });
    row("total", [](const MemoryRecipe& m) { return m.total(); });
    std::snprintf(line, sizeof line, "%-16s%14.2f%14.2f%14.2f\n", "bytes / param",
                  r.recipes[0].total() / double(p.total), r.recipes[1].total() / double(p.total),
                  r.recipes[2].total() / double(p.total));
    std::cout << line
              << "\nfp32: FP32 weights, gradients, AdamW moments. bf16: BF16 weights and "
                 "gradients, FP32 master\nweights and moments. fp8 (DeepSeek-V3 3.3): E4M3 GEMM "
                 "weights + FP32 block scales, BF16\nembedding/head/gates/norms, FP32 master "
                 "weights and gradients, BF16 moments.\n";
}

}  // namespace

int run_fp8_quant_error(const Args& args) {
    const Fp8QuantErrorConfig config = quant_error_config(args);
    if (!args.has("model")) throw UsageError("option --model DIR is required");
    const std::string dir = args.get("model");
    if (!is_checkpoint_dir(dir))
        throw UsageError("option --model: '" + dir +
                         "' is not a checkpoint directory (needs config.json and "
                         "model.safetensors)");
    const int prompts = positive_int(args, "prompts", 16, 1024);
    const Checkpoint ckpt = load_checkpoint(dir, {.optimizer = false});
    const Fp8QuantProbe probe = probe_fp8_quant_error(ckpt, config, prompts);
    if (args.has("json")) {
        nlohmann::json j = probe.result.to_json();
        j["model"] = dir;
        j["sequences"] = probe.sequences;
        j["tokens"] = probe.tokens;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    print_quant_error(probe.result, dir, probe.sequences, probe.tokens);
    return 0;
}

int run_fp8_memory(const Args& args) {
    const ConfigChoice choice = choose_config(args);
    const Fp8MemoryResult result = fp8_training_memory(choice.config);
    if (args.has("json")) {
        nlohmann::json j = result.to_json();
        j["source"] = choice.source;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    print_memory(result, choice.source);
    return 0;
}

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

namespace {

std::string percent_or_dash(double fraction, bool sign) {
    if (!std::isfinite(fraction)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, sign ? "%+.2f%%" : "%.1f%%", 100.0 * fraction);
    return buf;
}

std::string arm_line(const char* label, const PrecisionArm& arm, std::int64_t sft_steps) {
    if (arm.run_id == 0) return std::string(label) + "  none stored\n";
    const double at_1000 = value_at_step(arm.accuracy, 1000);
    const double end = arm.accuracy.empty() ? NAN : arm.accuracy.back().value;
    return std::string(label) + "  run " + std::to_string(arm.run_id) + " '" + arm.name +
           "', seed " + std::to_string(arm.seed) + ": held-out accuracy " +
           (std::isfinite(at_1000) ? percent_or_dash(at_1000, false) + " at step 1000, " : "") +
           percent_or_dash(value_at_step(arm.accuracy, sft_steps), false) + " at the SFT end, " +
           percent_or_dash(end, false) + " at the end\n";
}

void print_loss_gap(const PrecisionComparison& c, const std::string& db) {
    std::cout << "FP8 against its FP32 twin in " << db << ", SFT stage of " << c.sft_steps
              << " steps\n"
              << arm_line("fp8          ", c.fp8, c.sft_steps)
              << arm_line("fp32         ", c.fp32, c.sft_steps)
              << arm_line("fp32, noise  ", c.fp32_other, c.sft_steps);
    std::cout << "relative SFT loss gap (mean a - mean b) / mean b:\n"
              << "  last 10% of steps:  fp8 vs fp32 " << percent_or_dash(c.fp8_gap.last_tenth, true)
              << ", fp32 other seed vs fp32 " << percent_or_dash(c.seed_gap.last_tenth, true)
              << "\n  whole stage:        fp8 vs fp32 " << percent_or_dash(c.fp8_gap.whole, true)
              << ", fp32 other seed vs fp32 " << percent_or_dash(c.seed_gap.whole, true) << "\n";
}

}  // namespace

int run_fp8_loss_gap(const Args& args) {
    if (!args.has("db")) throw UsageError("missing --db FILE (a run database)");
    const std::string db = args.get("db");
    if (!std::filesystem::exists(db)) throw UsageError("option --db: no such file: " + db);
    const long long run = args.get_int("run", 0);
    if (run < 1) throw UsageError("option --run ID is required (an id from `tinyseek runs list`)");
    const RunStore store(db, {.read_only = true});
    const PrecisionComparison c = compare_precision(store, run);
    if (args.has("json")) {
        std::cout << c.to_json().dump(2) << "\n";
        return 0;
    }
    if (c.sft_steps == 0) {
        std::cout << "run " << run << " has no SFT stage to compare\n";
        return 0;
    }
    print_loss_gap(c, db);
    if (!c.complete())
        std::cout << "no FP8/FP32 twin stored beside run " << run
                  << ": train the same config with --precision fp8 (or fp32) into this "
                     "database\n";
    return 0;
}

}  // namespace tinyseek::cli
