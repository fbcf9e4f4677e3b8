// ParamLayout: every trainable (and buffer) tensor of the model, keyed by its Hugging Face
// DeepSeek-V3 name, with shape and offset into one flat float block. One table drives
// safetensors I/O, AdamW, grad norm and weight-decay mask (docs/ARCHITECTURE.md "Tensor names").
//
// Conventions: row-major; a Linear weight is (out_features, in_features) as in PyTorch,
// so y = x W^T. MTP blocks sit at layer index num_hidden_layers and share the embedding
// and lm_head with the main model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model_config.h"

namespace tinyseek {

struct TensorSpec {
    std::string name;            // e.g. "model.layers.1.mlp.experts.3.up_proj.weight"
    std::vector<int64_t> shape;  // row-major
    size_t offset = 0;           // in floats, into the flat parameter block
    size_t numel = 0;
    bool trainable = true;      // false for e_score_correction_bias (moved by balancing)
    bool weight_decay = false;  // true for matrices (2-D) only
};

class ParamLayout {
  public:
    explicit ParamLayout(const ModelConfig& config);

    const std::vector<TensorSpec>& tensors() const { return tensors_; }
    size_t total_floats() const { return total_; }
    // Throws std::out_of_range naming the tensor when absent.
    const TensorSpec& at(std::string_view name) const;
    const TensorSpec* find(std::string_view name) const;

  private:
    void add(std::string name, std::vector<int64_t> shape, bool trainable = true);
    void add_block(const ModelConfig& c, int layer);

    std::vector<TensorSpec> tensors_;
    std::unordered_map<std::string, size_t> index_;
    size_t total_ = 0;
};

// "model.layers.{i}." — the prefix of every tensor of block i.
std::string layer_prefix(int layer);

// Whether a tensor name contains `part` (e.g. "mlp.experts.").
bool name_contains(std::string_view name, std::string_view part);

}  // namespace tinyseek
