// The FP8 lab's commands (docs/ARCHITECTURE.md "FP8"):
//   tinyseek fp8 gemm-error [--k-list 256,1024,4096,16384] [--m M --n N] [--outliers]
//       [--seed S] [--acc-bits B] [--promote-every NC] [--json]
//   tinyseek fp8 quant-error --model DIR [--tile 16|32|64|128] [--format e4m3|e5m2]
//       [--outliers N] [--prompts N] [--seed S] [--json]
//   tinyseek fp8 memory [--preset P | --config FILE] [--json]
// Plain C++ over core/fp8_*: bad values are usage errors (exit 2) before anything runs.
#include <cstdio>
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
#include "training/task.h"

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

// Worked held-out addition problems, "<bos>57+68=<think>…</think><answer>125</answer><eos>",
// the text the default training run learns: the activations of the model at work.
std::vector<std::vector<TokenId>> addition_sequences(const Tokenizer& tokenizer, int count,
                                                     std::uint64_t seed) {
    const std::unique_ptr<Task> task = make_task("addition");
    Rng rng(seed);
    std::vector<std::vector<TokenId>> out;
    for (int i = 0; i < count; ++i) {
        const Problem p = task->sample(Split::held_out, rng);
        out.push_back(tokenizer.encode("<bos>" + p.prompt + p.trace + "<eos>"));
    }
    return out;
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
    const auto sequences = addition_sequences(ckpt.tokenizer, prompts, 1000 + config.seed);
    const auto activations = fp8_capture_activations(ckpt.config, ckpt.params, sequences);
    const Fp8QuantErrorResult result =
        measure_fp8_quant_error(fp8_checkpoint_weights(ckpt.params), activations, config);
    if (args.has("json")) {
        nlohmann::json j = result.to_json();
        j["model"] = dir;
        j["sequences"] = prompts;
        j["tokens"] = activations.front().rows;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    print_quant_error(result, dir, prompts, activations.front().rows);
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

}  // namespace tinyseek::cli
