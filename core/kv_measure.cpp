#include "core/kv_measure.h"

#include <chrono>

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

std::vector<ThroughputPoint> measure_throughput(const ParamStore& params,
                                                const std::vector<CacheMode>& modes,
                                                const std::vector<int>& batches, int new_tokens,
                                                int repeats, const std::atomic<bool>* cancel) {
    std::vector<ThroughputPoint> out;
    for (CacheMode mode : modes) {
        Generator generator(params, mode);
        GenerationOptions options;
        options.max_new_tokens = new_tokens;
        options.sampling.temperature = 1.0f;
        options.cancel = cancel;
        // Warm-up: caches and packed weights are sized for the largest batch first.
        int largest = 1;
        for (int b : batches) largest = std::max(largest, b);
        generator.generate(std::vector<std::vector<int>>(static_cast<std::size_t>(largest),
                                                         std::vector<int>{Tokenizer::bos_id}),
                           options);
        for (int batch : batches) {
            const std::vector<std::vector<int>> prompts(static_cast<std::size_t>(batch),
                                                        std::vector<int>{Tokenizer::bos_id});
            ThroughputPoint best;
            best.mode = mode;
            best.batch = batch;
            for (int r = 0; r < std::max(1, repeats); ++r) {
                if (cancel && cancel->load()) return out;
                options.seed = static_cast<std::uint64_t>(r);
                const auto t0 = std::chrono::steady_clock::now();
                const GenerationResult result = generator.generate(prompts, options);
                const auto t1 = std::chrono::steady_clock::now();
                if (cancel && cancel->load()) return out;
                const double seconds = std::chrono::duration<double>(t1 - t0).count();
                if (r == 0 || seconds < best.seconds) {
                    best.seconds = seconds;
                    best.tokens = result.generated_tokens;
                }
            }
            out.push_back(best);
        }
    }
    return out;
}

}  // namespace tinyseek
