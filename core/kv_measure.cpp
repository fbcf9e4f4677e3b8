#include "core/kv_measure.h"

#include <omp.h>

#include "core/generator.h"
#include "core/param_store.h"
#include "core/tokenizer.h"

namespace tinyseek {

std::vector<std::int64_t> measure_cache_bytes(const ParamStore& params, CacheMode mode, int batch,
                                              const std::vector<int>& lengths) {
    // Only one-token prompts run: one thread is fastest (no team to wake, nothing to split),
    // and the caller's thread count is restored afterwards.
    struct OneThread {
        int saved = omp_get_max_threads();
        OneThread() { omp_set_num_threads(1); }
        ~OneThread() { omp_set_num_threads(saved); }
    } one_thread;
    Generator generator(params, mode);
    const std::atomic<bool> stop{true};
    const std::vector<std::vector<int>> prompts(static_cast<std::size_t>(batch),
                                                std::vector<int>{Tokenizer::bos_id});
    std::vector<std::int64_t> out;
    for (int tokens : lengths) {
        GenerationOptions options;
        // A one-token prompt plus tokens - 1 new ones: the generator sizes its cache for
        // `tokens` cells per sequence. Cancelled before the first decode step.
        options.max_new_tokens = std::max(1, tokens - 1);
        options.cancel = &stop;
        generator.generate(prompts, options);
        out.push_back(static_cast<std::int64_t>(generator.cache().bytes()));
    }
    return out;
}

}  // namespace tinyseek
