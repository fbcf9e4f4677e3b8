#include "training/fp8_quant_probe.h"

#include <memory>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/fp8_quant_inputs.h"
#include "training/task.h"

namespace tinyseek {

namespace {

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

}  // namespace

Fp8QuantProbe probe_fp8_quant_error(const Checkpoint& checkpoint, const Fp8QuantErrorConfig& config,
                                    int prompts) {
    config.validate();
    if (prompts < 1)
        throw ConfigError("fp8 quant-error: prompts must be positive, got " +
                          std::to_string(prompts));
    const auto sequences = addition_sequences(checkpoint.tokenizer, prompts, 1000 + config.seed);
    const auto activations =
        fp8_capture_activations(checkpoint.config, checkpoint.params, sequences);
    Fp8QuantProbe probe;
    probe.result =
        measure_fp8_quant_error(fp8_checkpoint_weights(checkpoint.params), activations, config);
    probe.sequences = prompts;
    probe.tokens = activations.front().rows;
    return probe;
}

}  // namespace tinyseek
