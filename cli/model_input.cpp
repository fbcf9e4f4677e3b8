#include "cli/model_input.h"

#include "core/errors.h"

namespace tinyseek::cli {

Checkpoint load_model(const Args& args) {
    if (!args.has("model")) throw UsageError("missing --model DIR (a checkpoint directory)");
    const std::string dir = args.get("model");
    if (!is_checkpoint_dir(dir))
        throw CheckpointError("'" + dir +
                              "' is not a checkpoint directory (expected config.json and "
                              "model.safetensors in it; create one with: tinyseek init --out " +
                              dir + ")");
    CheckpointLoadOptions options;
    options.optimizer = false;  // inference needs only the weights
    return load_checkpoint(dir, options);
}

std::vector<int> encode_text(const Tokenizer& tokenizer, const std::string& text,
                             const std::string& option) {
    if (text.empty()) throw UsageError("option --" + option + " is empty");
    const std::vector<TokenId> ids = tokenizer.encode(text);
    return std::vector<int>(ids.begin(), ids.end());
}

SamplingParams sampling_options(const Args& args, double temperature) {
    SamplingParams sampling;
    sampling.temperature = static_cast<float>(args.get_double("temperature", temperature));
    const long long top_k = args.get_int("top-k", 0);
    if (top_k < 0 || top_k > 1'000'000)
        throw UsageError("option --top-k expects a non-negative integer (0 = off)");
    sampling.top_k = static_cast<int>(top_k);
    sampling.top_p = static_cast<float>(args.get_double("top-p", 1.0));
    try {
        sampling.validate();
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
    return sampling;
}

}  // namespace tinyseek::cli
