// `tinyseek demo`: what a user without a display gets from `scripts/run.sh`. It shows the
// bundled model (its configuration, assets/configs/tiny.json compiled in, and its parameter
// count per tensor group from the tensor layout), then trains the default pipeline (cold-start
// SFT then GRPO on 3-digit addition) for a few minutes into the run database the workbench
// opens by default (the user's data directory) and says where it is. No Qt.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "cli/bundled_config.h"
#include "cli/commands.h"
#include "cli/data_paths.h"
#include "cli/json_file.h"
#include "cli/thousands.h"
#include "cli/train_runner.h"
#include "core/errors.h"
#include "core/model_config.h"
#include "core/param_count.h"
#include "core/param_layout.h"
#include "training/run_loop.h"

namespace tinyseek::cli {

namespace {

ModelConfig load_bundled_config() {
    return ModelConfig::from_json(nlohmann::json::parse(bundled_tiny_config_json()),
                                  kBundledTinyConfigName);
}

TrainConfig demo_config(const Args& args, const ModelConfig& bundled) {
    TrainConfig c;
    c.model = bundled;
    if (args.has("config")) {
        const std::string path = args.get("config");
        const nlohmann::json j = read_json_file(path);
        c = TrainConfig::from_json(j, path);
    }
    if (c.name.empty()) c.name = "demo: " + c.display_name();
    c.validate();
    return c;
}

void row(std::ostream& out, const std::string& name, const std::string& value) {
    out << "  " << name << std::string(name.size() < 22 ? 22 - name.size() : 1, ' ') << value
        << "\n";
}

}  // namespace

int run_demo(const Args& args) {
    const ModelConfig c = load_bundled_config();
    const ParamLayout layout(c);
    const ParamCounts counts = count_params(c);
    std::ostringstream out;
    out << "TinySeek Workbench " << TINYSEEK_VERSION << " - headless demo\n\n"
        << "TinySeek Workbench trains a tiny DeepSeek-V3-style model (latent attention, "
           "mixture of experts,\nmulti-token prediction) on this CPU and shows what happens "
           "inside: expert routing,\nKV-cache memory, GRPO rewards and reward-model scaling.\n\n";

    out << "Bundled model '" << c.name << "' (" << kBundledTinyConfigName << "):\n";
    const int moe_layers = c.num_hidden_layers - c.first_k_dense_replace;
    row(out, "layers",
        std::to_string(c.num_hidden_layers) + " (" + std::to_string(c.first_k_dense_replace) +
            " dense, " + std::to_string(moe_layers) + " MoE) + " +
            std::to_string(c.num_nextn_predict_layers) + " MTP");
    row(out, "hidden_size", std::to_string(c.hidden_size));
    row(out, "attention",
        std::string(to_string(c.attention)) + ", " + std::to_string(c.num_attention_heads) +
            " heads, q_lora_rank " + std::to_string(c.q_lora_rank) + ", kv_lora_rank " +
            std::to_string(c.kv_lora_rank) + ", rope dim " + std::to_string(c.qk_rope_head_dim));
    row(out, "experts",
        std::to_string(c.n_routed_experts) + " routed (" + std::to_string(c.num_experts_per_tok) +
            " per token) + " + std::to_string(c.n_shared_experts) + " shared, width " +
            std::to_string(c.moe_intermediate_size));
    row(out, "routing",
        c.scoring_func + " scores, " + c.topk_method + ", balancing " + to_string(c.balance_mode));
    row(out, "vocab_size", std::to_string(c.vocab_size));
    row(out, "context", std::to_string(c.max_position_embeddings) + " positions");

    out << "\nParameters per tensor group (" << layout.tensors().size() << " tensors):\n";
    for (const auto& [name, n] : counts.groups()) row(out, name, grouped(n));
    row(out, "total", grouped(counts.total));
    row(out, "main model", grouped(counts.main_model) + " (total without MTP)");
    row(out, "active per token", grouped(counts.active_per_token));

    const TrainConfig config = demo_config(args, c);
    const std::string db = args.has("db") ? args.get("db") : default_database_path();
    std::filesystem::create_directories(std::filesystem::absolute(db).parent_path());
    const std::int64_t total = config.total_steps();
    RunLoop loop(config, db);
    const std::int64_t run_id = loop.create();
    out << "\nTraining '" << config.display_name() << "' as run " << run_id << ": " << total
        << " steps (cold-start SFT on worked traces, then GRPO with rule-based rewards),\n"
        << "held-out accuracy on " << config.eval.n << " " << config.task
        << " problems as it goes. This takes a few minutes; Ctrl-C stops it cleanly\n"
        << "(resume later with: tinyseek train --db " << db << " --resume " << run_id << ").\n"
        << "Database: " << db << "\n\n";
    std::cout << out.str() << std::flush;

    const DriveResult result = drive_run(loop, db, false, std::cout);
    const std::string id = std::to_string(result.summary["run_id"].get<std::int64_t>());
    std::cout << "\nWhere it is and what to do with it:\n";
    row(std::cout, "database", db);
    row(std::cout, "workbench",
        "tinyseek --db " + db + "   (the Training page shows run " + id + ")");
    row(std::cout, "list runs", "tinyseek runs list --db " + db);
    row(std::cout, "export", "tinyseek export --db " + db + " --run " + id + " --out DIR");
    row(std::cout, "query", "sqlite3 -readonly " + db + "   (tables: training/SCHEMA.md)");
    if (!result.summary["checkpoint"].get<std::string>().empty())
        row(std::cout, "evaluate",
            "tinyseek eval --model " + result.summary["checkpoint"].get<std::string>());
    return result.exit_code;
}

}  // namespace tinyseek::cli
