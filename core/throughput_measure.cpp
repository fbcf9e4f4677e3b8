#include "core/throughput_measure.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "core/tokenizer.h"

namespace tinyseek {

namespace {

std::vector<std::vector<int>> batch_prompts(const ThroughputRequest& request, int batch) {
    std::vector<std::vector<int>> out(static_cast<std::size_t>(batch));
    for (int i = 0; i < batch; ++i)
        out[static_cast<std::size_t>(i)] =
            request.prompts.empty()
                ? std::vector<int>{Tokenizer::bos_id}
                : request.prompts[static_cast<std::size_t>(i) % request.prompts.size()];
    return out;
}

// One sample: generate() calls until min_seconds have passed (at least one; stops early when
// cancelled): seconds, tokens and main-model forwards summed over the calls.
ThroughputPoint time_sample(Generator& generator, const std::vector<std::vector<int>>& prompts,
                            const GenerationOptions& options, double min_seconds) {
    ThroughputPoint p;
    p.calls = 0;
    const auto t0 = std::chrono::steady_clock::now();
    do {
        const GenerationResult result = generator.generate(prompts, options);
        p.tokens += result.generated_tokens;
        for (const SequenceOutput& s : result.sequences) p.main_forwards += s.main_forwards;
        ++p.calls;
        p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } while (p.seconds < min_seconds && !(options.cancel && options.cancel->load()));
    return p;
}

}  // namespace

std::vector<ThroughputPoint> measure_throughput(const ParamStore& params,
                                                const ThroughputRequest& request,
                                                const std::atomic<bool>* cancel,
                                                const MeasureProgress& progress) {
    const int kinds = static_cast<int>(request.speculative.size());
    const int repeats = std::max(1, request.repeats);
    const int total = static_cast<int>(request.modes.size()) *
                      (kinds + static_cast<int>(request.batches.size()) * kinds * repeats);
    int done = 0;
    const auto tick = [&] {
        if (progress) progress(++done, total);
    };
    const auto stopped = [&] { return cancel && cancel->load(); };
    int largest = 1;
    for (int b : request.batches) largest = std::max(largest, b);
    std::vector<ThroughputPoint> out;
    for (CacheMode mode : request.modes) {
        std::vector<std::unique_ptr<Generator>> generators;
        std::vector<GenerationOptions> options(static_cast<std::size_t>(kinds), request.generation);
        for (int k = 0; k < kinds; ++k) {
            generators.push_back(std::make_unique<Generator>(params, mode));
            options[k].speculative = request.speculative[static_cast<std::size_t>(k)];
            options[k].cancel = cancel;
            generators[k]->generate(batch_prompts(request, largest), options[k]);  // warm-up
            tick();
        }
        for (int batch : request.batches) {
            const std::vector<std::vector<int>> prompts = batch_prompts(request, batch);
            std::vector<ThroughputPoint> best(static_cast<std::size_t>(kinds));
            for (int r = 0; r < repeats; ++r)
                for (int k = 0; k < kinds; ++k) {
                    if (stopped()) return out;
                    options[k].seed = static_cast<std::uint64_t>(r);
                    const ThroughputPoint p =
                        time_sample(*generators[k], prompts, options[k], request.min_seconds);
                    if (stopped()) return out;
                    if (r == 0 || p.tokens_per_second() > best[k].tokens_per_second()) best[k] = p;
                    tick();
                }
            for (int k = 0; k < kinds; ++k) {
                best[k].mode = mode;
                best[k].batch = batch;
                best[k].speculative = request.speculative[static_cast<std::size_t>(k)];
                out.push_back(best[k]);
            }
        }
    }
    return out;
}

}  // namespace tinyseek
