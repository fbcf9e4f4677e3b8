// `tinyseek demo`: what a user without a display gets from `scripts/run.sh`. Until training
// lands it shows the bundled model: its configuration, read from the resource the GUI uses
// (:/configs/tiny.json), and its parameter count per tensor group from the tensor layout.
#include <QFile>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "core/model_config.h"
#include "core/param_count.h"
#include "core/param_layout.h"
#include "gui/cli/commands.h"
#include "gui/resources.h"

namespace tinyseek::cli {

namespace {

constexpr const char* kTinyResource = ":/configs/tiny.json";

// 1234567 -> "1,234,567": parameter counts are easier to compare with separators.
std::string grouped(int64_t n) {
    const std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out = n < 0 ? "-" : "";
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

ModelConfig load_bundled_config() {
    gui::ensureResources();
    QFile file(QString::fromLatin1(kTinyResource));
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(std::string("cannot read the bundled config ") + kTinyResource +
                                 " (the program was built without its resources)");
    const QByteArray bytes = file.readAll();
    const auto json = nlohmann::json::parse(bytes.constBegin(), bytes.constEnd());
    return ModelConfig::from_json(json, kTinyResource);
}

void row(std::ostream& out, const std::string& name, const std::string& value) {
    out << "  " << name << std::string(name.size() < 22 ? 22 - name.size() : 1, ' ') << value
        << "\n";
}

}  // namespace

int run_demo(const Args&) {
    const ModelConfig c = load_bundled_config();
    const ParamLayout layout(c);
    const ParamCounts counts = count_params(c);
    std::ostringstream out;
    out << "TinySeek Workbench " << TINYSEEK_VERSION << " - headless demo\n\n"
        << "TinySeek Workbench trains a tiny DeepSeek-V3-style model (latent attention, "
           "mixture of experts,\nmulti-token prediction) on this CPU and shows what happens "
           "inside: expert routing,\nKV-cache memory, GRPO rewards and reward-model scaling.\n\n";

    out << "Bundled model '" << c.name << "' (" << kTinyResource << "):\n";
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
    out << "\nTraining is not part of this build yet; this demo will train the model once it "
           "is.\nSee `tinyseek --help` for the commands available now.\n";
    std::cout << out.str();
    return 0;
}

}  // namespace tinyseek::cli
