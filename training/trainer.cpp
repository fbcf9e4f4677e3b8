#include "training/trainer.h"

namespace tinyseek {

namespace {

// splitmix64 finaliser (Steele, Lea & Flood 2014): a bijection whose outputs of consecutive
// inputs are statistically independent, so nearby (seed, step) pairs give unrelated streams.
std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace

TrainingState::TrainingState(const ModelConfig& model_config, std::uint64_t init_seed)
    : config(model_config), params(model_config), optimizer(model_config) {
    config.validate("model config");
    tokenizer.check_fits(config.vocab_size, "model config");
    init_params(params, init_seed);
}

std::uint64_t step_seed(std::uint64_t seed, std::int64_t step, std::uint64_t stream) {
    // Chained rather than XOR-ed, so (seed, step) and (step, seed) do not collide.
    return splitmix64(splitmix64(splitmix64(seed) ^ static_cast<std::uint64_t>(step)) ^ stream);
}

Rng step_rng(std::uint64_t seed, std::int64_t step, std::uint64_t stream) {
    return Rng(step_seed(seed, step, stream));
}

}  // namespace tinyseek
