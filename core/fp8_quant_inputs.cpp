#include "core/fp8_quant_inputs.h"

#include <algorithm>
#include <cstddef>

#include "core/errors.h"
#include "core/model.h"
#include "core/rmsnorm.h"

namespace tinyseek {

namespace {

// The block index of "model.layers.{i}.…", or -1.
int layer_of(const std::string& name) {
    const std::string prefix = "model.layers.";
    if (name.rfind(prefix, 0) != 0) return -1;
    return std::stoi(name.substr(prefix.size()));
}

}  // namespace

std::string fp8_weight_group(const std::string& name, const ModelConfig& config) {
    if (layer_of(name) >= config.num_hidden_layers) return "mtp";
    if (name_contains(name, "mlp.experts.")) return "routed_experts";
    if (name_contains(name, "mlp.shared_experts.")) return "shared_experts";
    if (name_contains(name, "mlp.gate.")) return "router";
    if (name_contains(name, "mlp.")) return "dense_mlp";
    if (name_contains(name, "self_attn.")) return "attention";
    if (name_contains(name, "embed_tokens")) return "embedding";
    if (name_contains(name, "lm_head")) return "head";
    return "other";
}

std::vector<Fp8NamedMatrix> fp8_checkpoint_weights(const ParamStore& params) {
    std::vector<Fp8NamedMatrix> out;
    for (const TensorSpec& t : params.layout().tensors()) {
        if (t.shape.size() != 2) continue;
        const float* p = params.ptr(t.name);
        out.push_back({fp8_weight_group(t.name, params.config()), t.name, int(t.shape[0]),
                       int(t.shape[1]), std::vector<float>(p, p + t.numel)});
    }
    return out;
}

std::vector<Fp8NamedMatrix> fp8_capture_activations(const ModelConfig& config,
                                                    const ParamStore& params,
                                                    const std::vector<std::vector<TokenId>>& seqs) {
    if (seqs.empty()) throw ConfigError("FP8 activation capture: no token sequences");
    int T = 0;
    for (const auto& s : seqs) T = std::max(T, int(s.size()));
    if (T == 0) throw ConfigError("FP8 activation capture: every token sequence is empty");
    const int B = int(seqs.size());
    const int C = config.hidden_size;
    std::vector<int> tokens(std::size_t(B) * T, Tokenizer::pad_id);
    std::vector<int> lengths(B);
    for (int b = 0; b < B; ++b) {
        lengths[b] = int(seqs[b].size());
        std::copy(seqs[b].begin(), seqs[b].end(), tokens.begin() + std::ptrdiff_t(b) * T);
    }
    Model model(config);
    model.forward(params, tokens.data(), B, T, lengths.data(), /*with_mtp=*/false);

    // Real tokens only: (rows, C) of embedding rows and of the final hidden states.
    std::vector<float> embedded, head_input;
    for (int b = 0; b < B; ++b)
        for (int t = 0; t < lengths[b]; ++t) {
            const int id = tokens[std::size_t(b) * T + t];
            const float* e = params.ptr("model.embed_tokens.weight") + std::size_t(id) * C;
            embedded.insert(embedded.end(), e, e + C);
            const float* h = model.hidden() + (std::size_t(b) * T + t) * C;
            head_input.insert(head_input.end(), h, h + C);
        }
    const int rows = int(embedded.size() / C);
    std::vector<float> normed(embedded.size()), rstd(rows);
    rmsnorm_forward(normed.data(), rstd.data(), embedded.data(),
                    params.ptr(layer_prefix(0) + "input_layernorm.weight"), rows, C,
                    config.rms_norm_eps);
    return {{"layer0_attn_input", "input_layernorm(embedding) of block 0", rows, C, normed},
            {"head_input", "model.norm(h_L)", rows, C, head_input}};
}

}  // namespace tinyseek
