// The KV cache the generator really allocates (core/generator.h), measured for the Inference
// page's KV cache charts. Plain C++ (no Qt): core headers must not meet Qt's keyword macros.
// Throughput is core/throughput_measure.h.
#pragma once

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

}  // namespace tinyseek
