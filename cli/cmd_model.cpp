// Model commands (docs/ARCHITECTURE.md "Command line"):
//   tinyseek model-info [--preset tiny|--config FILE] [--batch B] [--seq T] [--json]
//   tinyseek init --preset tiny --out DIR [--seed N]
//   tinyseek kv-report [--preset P|--config FILE] [--dtype fp32|bf16|fp8] [--seq N] [--json]
// Plain C++ over core/: no Qt objects are created. Errors propagate as exceptions to
// run_command_line, which prints them on stderr and exits non-zero (2 for bad usage).
#include <algorithm>
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
#include "core/kv_accounting.h"
#include "core/model.h"
#include "core/model_config.h"
#include "core/model_flops.h"
#include "core/model_structure.h"
#include "core/param_count.h"
#include "core/param_store.h"
#include "core/tokenizer.h"

namespace tinyseek::cli {

namespace {

// init allocates the parameters (and writes them): refuse configs that would take more
// than ~2 GB, such as the accounting-only deepseek-v2/v3 presets.
constexpr int64_t kMaxInitParams = 500'000'000;

std::string pad(const std::string& s, size_t width) {
    return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

std::string pad_left(const std::string& s, size_t width) {
    return s.size() >= width ? " " + s : std::string(width - s.size(), ' ') + s;
}

void print_row(std::ostream& out, const std::string& name, const std::string& value) {
    out << "  " << pad(name, 28) << value << "\n";
}

// The activation memory of one training step (forward + backward) of B sequences of T tokens,
// as the model lays it out: one arena per thread, holding its shard (one per thread when the
// lengths are equal), plus the outputs.
struct ActivationReport {
    int batch = 0, seq = 0;
    Model::ActivationLayout layout;
    std::string unavailable;  // why there is no layout (a config the training path refuses)
};

ActivationReport activation_report(const Args& args, const ModelConfig& c) {
    ActivationReport r;
    r.batch = static_cast<int>(args.get_int("batch", 32));
    r.seq = static_cast<int>(args.get_int("seq", std::min(128, c.max_position_embeddings)));
    if (r.batch <= 0 || r.seq <= 0) throw UsageError("options --batch and --seq must be positive");
    if (r.seq > c.max_position_embeddings)
        throw UsageError("option --seq: " + std::to_string(r.seq) +
                         " exceeds max_position_embeddings " +
                         std::to_string(c.max_position_embeddings));
    try {
        r.layout = Model(c).activation_layout(r.batch, r.seq);
    } catch (const Error& e) {
        r.unavailable = e.what();
    }
    return r;
}

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + ")";
}

// One line per slot (name, shape, bytes), columns as wide as their longest entry.
void print_activation_table(std::ostream& out, const std::vector<ActivationSlot>& table) {
    std::size_t name_width = 4, shape_width = 5;
    for (const ActivationSlot& s : table) {
        name_width = std::max(name_width, s.name.size());
        shape_width = std::max(shape_width, shape_text(s.shape).size());
    }
    out << "  " << pad("name", name_width + 2) << pad("shape", shape_width + 2) << "bytes\n";
    for (const ActivationSlot& s : table)
        out << "  " << pad(s.name, name_width + 2) << pad(shape_text(s.shape), shape_width + 2)
            << human_bytes(double(s.bytes)) << "\n";
}

std::size_t table_bytes(const std::vector<ActivationSlot>& table) {
    return table.empty() ? 0 : table.back().offset + table.back().bytes;
}

nlohmann::json activation_json(const ActivationReport& r) {
    if (!r.unavailable.empty()) return {{"unavailable", r.unavailable}};
    auto slots = [](const std::vector<ActivationSlot>& table) {
        nlohmann::json rows = nlohmann::json::array();
        for (const ActivationSlot& s : table)
            rows.push_back(
                {{"name", s.name}, {"shape", s.shape}, {"offset", s.offset}, {"bytes", s.bytes}});
        return rows;
    };
    return {{"batch", r.batch},
            {"seq", r.seq},
            {"shards", r.layout.shards},
            {"shard_sequences", r.layout.shard_sequences},
            {"shard_bytes", table_bytes(r.layout.shard)},
            {"output_bytes", table_bytes(r.layout.outputs)},
            {"shard", slots(r.layout.shard)},
            {"outputs", slots(r.layout.outputs)}};
}

void print_activations(std::ostream& out, const ActivationReport& r) {
    out << "\nActivations of one training step, " << r.batch << " sequences x " << r.seq
        << " tokens (--batch, --seq):\n";
    if (!r.unavailable.empty()) {
        out << "  not available: " << r.unavailable << "\n";
        return;
    }
    const Model::ActivationLayout& l = r.layout;
    const std::size_t shard = table_bytes(l.shard), outputs = table_bytes(l.outputs);
    out << "One arena per shard (" << l.shards
        << " shard(s), one per thread, for sequences of one length; the largest holds "
        << l.shard_sequences << " sequences), every slot on a 64-byte boundary:\n";
    print_activation_table(out, l.shard);
    out << "Outputs of the whole batch:\n";
    print_activation_table(out, l.outputs);
    out << "\n";
    print_row(out, "arena per shard", human_bytes(double(shard)));
    print_row(out, "outputs", human_bytes(double(outputs)));
    print_row(out, "total",
              human_bytes(double(shard) * l.shards + double(outputs)) + " (" +
                  std::to_string(l.shards) + " x " + human_bytes(double(shard)) + " + " +
                  human_bytes(double(outputs)) + ")");
}

nlohmann::json flops_json(const ModelConfig& c, int seq) {
    const FlopsPerToken f = model_flops_per_token(c, seq);
    return {{"seq", seq},
            {"matmul_weights", f.matmul_weights},
            {"forward", f.forward},
            {"training", f.training}};
}

void print_flops(std::ostream& out, const ModelConfig& c, int seq) {
    const FlopsPerToken f = model_flops_per_token(c, seq);
    out << "\nModel FLOPs per token at " << seq
        << " tokens (PaLM's count, the numerator of MFU; MTP included):\n";
    print_row(out, "matmul weights per token", pad_left(grouped(int64_t(f.matmul_weights)), 20));
    print_row(out, "forward", pad_left(grouped(int64_t(f.forward)), 20));
    print_row(out, "training (3 x forward)", pad_left(grouped(int64_t(f.training)), 20));
}

// The latent (MLA) or per-head cache one token keeps, from the same accounting as kv-report.
nlohmann::json kv_json(const ModelConfig& c) {
    const ModelStructure bf16 = model_structure(c, 0, KvDtype::bf16);
    const ModelStructure fp32 = model_structure(c, 0, KvDtype::fp32);
    return {{"scheme", to_string(bf16.scheme)},
            {"layers", kv_cached_layers(c)},
            {"bf16", bf16.kv_bytes_per_token},
            {"fp32", fp32.kv_bytes_per_token}};
}

void print_kv(std::ostream& out, const ModelConfig& c) {
    const nlohmann::json kv = kv_json(c);
    out << "\nKV cache per token (" << kv["scheme"].get<std::string>() << ", "
        << kv["layers"].get<int>() << " layers, MTP not counted; see kv-report):\n";
    print_row(out, "bf16", pad_left(grouped(kv["bf16"].get<int64_t>()) + " B", 20));
    print_row(out, "fp32 (the generator's cache)",
              pad_left(grouped(kv["fp32"].get<int64_t>()) + " B", 20));
}

}  // namespace

int run_model_info(const Args& args) {
    const ConfigChoice choice = choose_config(args);
    const ModelConfig& c = choice.config;
    const ParamCounts counts = count_params(c);
    const ActivationReport activations = activation_report(args, c);
    if (args.has("json")) {
        const nlohmann::json j = {{"name", c.name},
                                  {"source", choice.source},
                                  {"config", c.to_json()},
                                  {"parameters", counts.to_json()},
                                  {"activations", activation_json(activations)},
                                  {"flops_per_token", flops_json(c, activations.seq)},
                                  {"kv_cache_per_token", kv_json(c)}};
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::cout << "Model '" << c.name << "' (" << choice.source
              << ")\n\nConfig (config.json keys):\n";
    const nlohmann::json fields = c.to_json();  // items() must not outlive its json
    for (const auto& [key, value] : fields.items()) print_row(std::cout, key, value.dump());
    std::cout << "\nParameters by group:\n";
    for (const auto& [group, n] : counts.groups()) {
        const double share = counts.total > 0 ? 100.0 * n / counts.total : 0.0;
        char pct[16];
        std::snprintf(pct, sizeof pct, "%5.1f%%", share);
        print_row(std::cout, group, pad_left(grouped(n), 20) + "  " + pct);
    }
    std::cout << "\n";
    print_row(std::cout, "total (model.safetensors)", pad_left(grouped(counts.total), 20));
    print_row(std::cout, "main model (without MTP)", pad_left(grouped(counts.main_model), 20));
    print_row(std::cout, "active per token", pad_left(grouped(counts.active_per_token), 20));
    std::cout << "\nActive = all main-model parameters except the routed experts, plus "
              << c.num_experts_per_tok << " of " << c.n_routed_experts
              << " routed experts per MoE layer.\n";
    print_flops(std::cout, c, activations.seq);
    print_kv(std::cout, c);
    print_activations(std::cout, activations);
    return 0;
}

int run_init(const Args& args) {
    if (!args.has("out")) throw UsageError("missing --out DIR (where to write the checkpoint)");
    const long long seed = args.get_int("seed", 0);
    if (seed < 0) throw UsageError("option --seed expects a non-negative integer");
    const ConfigChoice choice = choose_config(args);
    const ModelConfig& c = choice.config;
    const ParamCounts counts = count_params(c);
    if (counts.total > kMaxInitParams)
        throw Error("'" + c.name + "' has " + grouped(counts.total) +
                    " parameters; init allocates them and is limited to " +
                    grouped(kMaxInitParams) +
                    " (the deepseek-v2/v3 presets are for model-info and kv-report only)");
    const Tokenizer tokenizer;
    tokenizer.check_fits(c.vocab_size, choice.source);

    const std::string out = args.get("out");
    std::error_code ec;
    if (std::filesystem::exists(out, ec) && !std::filesystem::is_empty(out, ec) &&
        !args.has("force"))
        throw Error(out +
                    ": already exists and is not empty (use --force to replace a checkpoint)");

    ParamStore params(c);
    init_params(params, static_cast<uint64_t>(seed));
    save_checkpoint(out, params, tokenizer, nullptr,
                    {{"seed", std::to_string(seed)},
                     {"created_by", "tinyseek init"},
                     {"tinyseek_version", TINYSEEK_VERSION}});
    std::cout << "wrote " << out << ": '" << c.name << "', " << grouped(counts.total)
              << " parameters, seed " << seed << ", vocabulary " << tokenizer.vocab_size()
              << " tokens\n  " << kConfigFile << ", " << kModelFile << ", " << kTokenizerFile
              << "\n";
    return 0;
}

int run_kv_report(const Args& args) {
    const ConfigChoice choice = choose_config(args);
    const ModelConfig& c = choice.config;
    KvAccountingOptions options;
    try {
        options.dtype = kv_dtype_from_string(args.get("dtype", "bf16"));
    } catch (const ConfigError& e) {
        throw UsageError(std::string("option --dtype: ") + e.what());
    }
    const long long seq = args.get_int("seq", c.max_position_embeddings);
    if (seq <= 0) throw UsageError("option --seq expects a positive number of tokens");
    const long long gqa = args.get_int("gqa-heads", 0);
    if (gqa < 0 || gqa > c.num_attention_heads)
        throw UsageError("option --gqa-heads expects 1.." + std::to_string(c.num_attention_heads));
    options.gqa_kv_heads = static_cast<int>(gqa);
    options.include_mtp = args.has("include-mtp");
    const double budget_gib = args.get_double("budget-gib", 0.0);
    if (budget_gib < 0.0 || budget_gib > 1e9)
        throw UsageError("option --budget-gib expects a size in GiB");
    const auto budget = static_cast<int64_t>(budget_gib * 1024.0 * 1024.0 * 1024.0);

    const KvReport report = kv_report(c, options);
    if (args.has("json")) {
        nlohmann::json j = report.to_json(seq);
        j["source"] = choice.source;
        if (budget > 0) {
            j["budget_bytes"] = budget;
            for (size_t i = 0; i < report.rows.size(); ++i)
                j["schemes"][i]["max_batch"] =
                    kv_max_batch(report.rows[i].bytes_per_token, seq, budget);
        }
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::cout << "KV cache of '" << c.name << "' (" << choice.source
              << "): " << to_string(options.dtype) << " (" << bytes_per_element(options.dtype)
              << " bytes/element), " << report.layers << " layers"
              << (report.mtp_counted ? " (MTP counted)" : " (MTP not counted)") << ", "
              << grouped(seq) << " tokens\n\n";
    std::cout << pad("scheme", 30) << pad_left("elem/tok/layer", 15)
              << pad_left("bytes/tok/layer", 17) << pad_left("bytes/token", 14)
              << pad_left("cache for " + grouped(seq), 22) << pad_left("vs MHA", 9)
              << (budget > 0 ? pad_left("max batch", 11) : "") << "\n";
    for (const KvRow& r : report.rows) {
        char ratio[16];
        std::snprintf(ratio, sizeof ratio, "%.2f%%", 100.0 * r.ratio_to_mha);
        std::cout << pad(r.label, 30) << pad_left(grouped(r.elements_per_token_per_layer), 15)
                  << pad_left(grouped(r.bytes_per_token_per_layer), 17)
                  << pad_left(grouped(r.bytes_per_token), 14)
                  << pad_left(
                         human_bytes(static_cast<double>(kv_cache_bytes(r.bytes_per_token, seq))),
                         22)
                  << pad_left(ratio, 9)
                  << (budget > 0
                          ? pad_left(grouped(kv_max_batch(r.bytes_per_token, seq, budget)), 11)
                          : "")
                  << "\n";
    }
    std::cout << "\nPer token per layer: MHA/GQA/MQA keep K and V of " << c.qk_head_dim() << " + "
              << c.v_head_dim << " elements per KV head; MLA keeps c_KV (" << c.kv_lora_rank
              << ") + the shared RoPE key (" << c.qk_rope_head_dim << ").\n";
    return 0;
}

}  // namespace tinyseek::cli
