// Measurements behind the KV Cache page, made on the real generator (core/generator.h) so the
// page shows what this program actually allocates and how fast it actually decodes. Plain
// C++ (no Qt): core headers must not meet Qt's keyword macros.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace tinyseek {
class ParamStore;
// core/kv_cache.h: latent | expanded. Declared here so Qt files can use this header without
// including the cache (whose `slots` member Qt's keyword macro would rewrite).
enum class CacheMode;
}  // namespace tinyseek

namespace tinyseek {

// Bytes the generator's KV cache allocates for `batch` sequences of up to N tokens in `mode`,
// for each N of `lengths` (ascending): one Generator is asked to generate that much per N, the
// allocation is read back from KvCache::bytes() right after it is made (the cache grows to
// exactly the larger size), and generation is stopped before decoding, so only the one-token
// prompts run. Throws ConfigError when `mode` does not fit the model.
std::vector<std::int64_t> measure_cache_bytes(const ParamStore& params, CacheMode mode, int batch,
                                              const std::vector<int>& lengths);

struct ThroughputPoint {
    CacheMode mode{};
    int batch = 1;
    std::int64_t tokens = 0;  // generated
    double seconds = 0.0;
    double tokens_per_second() const { return seconds > 0 ? tokens / seconds : 0.0; }
};

// Times generate() of `batch` sequences from <bos> for `new_tokens` sampled tokens each (no
// stop token, so every sequence runs to the end), after one untimed warm-up call; each point
// is the fastest of `repeats` runs (the least disturbed by other work on the machine).
// `cancel` stops it between decode steps (the point is then left out).
std::vector<ThroughputPoint> measure_throughput(const ParamStore& params,
                                                const std::vector<CacheMode>& modes,
                                                const std::vector<int>& batches, int new_tokens,
                                                int repeats = 3,
                                                const std::atomic<bool>* cancel = nullptr);

}  // namespace tinyseek
