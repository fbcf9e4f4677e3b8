// Inference commands (docs/ARCHITECTURE.md "Command line"):
//   tinyseek logits   --model DIR --text STR [--json] [--cache latent|expanded]
//   tinyseek generate --model DIR --prompt STR [--max-new N] [--temperature T] [--top-k K]
//                     [--top-p P] [--seed N] [--cache latent|expanded] [--json]
//                     [--speculative]
// The text is encoded as given: special tags such as "<bos>" inside it become their tokens,
// nothing is added implicitly, so `logits` reports exactly the ids that were fed.
// Plain C++ over core/ (checkpoint loading, tokenizer, Generator); errors propagate to
// run_command_line, which prints them on stderr and exits non-zero (2 for bad usage).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/model_input.h"
#include "cli/speculation_report.h"
#include "core/checkpoint.h"
#include "core/errors.h"
#include "core/generator.h"
#include "core/tokenizer.h"

namespace tinyseek::cli {

namespace {

// --cache, defaulting to latent for MLA models and expanded (their only form) otherwise.
CacheMode cache_mode(const Args& args, const ModelConfig& config) {
    if (!args.has("cache"))
        return config.attention == AttentionKind::mla ? CacheMode::latent : CacheMode::expanded;
    try {
        const CacheMode mode = cache_mode_from_string(args.get("cache"));
        KvCacheGeometry::of(config, mode);  // latent needs an MLA model
        return mode;
    } catch (const ConfigError& e) {
        throw UsageError(std::string("option --cache: ") + e.what());
    }
}

// Shortest round-trip text of a float, so JSON consumers see the exact value.
nlohmann::json exact(float x) {
    return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json();
}

}  // namespace

int run_logits(const Args& args) {
    if (!args.has("text")) throw UsageError("missing --text STR");
    const Checkpoint ck = load_model(args);
    const CacheMode mode = cache_mode(args, ck.config);
    const std::vector<int> tokens = encode_text(ck.tokenizer, args.get("text"), "text");
    Generator generator(ck.params, mode);
    const Logits logits = generator.logits(tokens);  // (T, V)
    if (args.has("json")) {
        nlohmann::json rows = nlohmann::json::array();
        for (int t = 0; t < logits.tokens; ++t) {
            nlohmann::json row = nlohmann::json::array();
            for (int v = 0; v < logits.vocab; ++v) row.push_back(exact(logits(t, v)));
            rows.push_back(std::move(row));
        }
        const nlohmann::json j = {{"tokens", tokens}, {"logits", rows}, {"cache", to_string(mode)}};
        std::cout << j.dump() << "\n";
        return 0;
    }
    // Human form: per position, the input token and the three most likely next tokens.
    std::cout << tokens.size() << " tokens, " << logits.vocab << " logits each (" << to_string(mode)
              << " cache)\n";
    for (int t = 0; t < logits.tokens; ++t) {
        std::vector<int> order(logits.vocab);
        for (int v = 0; v < static_cast<int>(order.size()); ++v) order[v] = v;
        std::partial_sort(order.begin(), order.begin() + std::min<size_t>(3, order.size()),
                          order.end(), [&](int a, int b) { return logits(t, a) > logits(t, b); });
        std::cout << "  " << t << "  " << ck.tokenizer.token_text(tokens[t]) << "  ->";
        for (size_t k = 0; k < std::min<size_t>(3, order.size()); ++k) {
            char buf[64];
            std::snprintf(buf, sizeof buf, " %s (%.3f)", ck.tokenizer.token_text(order[k]).c_str(),
                          logits(t, order[k]));
            std::cout << buf;
        }
        std::cout << "\n";
    }
    return 0;
}

int run_generate(const Args& args) {
    if (!args.has("prompt")) throw UsageError("missing --prompt STR");
    GenerationOptions opt;
    const long long max_new = args.get_int("max-new", 64);
    if (max_new < 1 || max_new > 1'000'000)
        throw UsageError("option --max-new expects a positive integer, got " +
                         std::to_string(max_new));
    opt.max_new_tokens = static_cast<int>(max_new);
    opt.sampling = sampling_options(args, 1.0);
    const long long seed = args.get_int("seed", 0);
    if (seed < 0) throw UsageError("option --seed expects a non-negative integer");
    opt.seed = static_cast<uint64_t>(seed);
    opt.stop_tokens = {Tokenizer::eos_id};
    opt.speculative = args.has("speculative");

    const Checkpoint ck = load_model(args);
    const CacheMode mode = cache_mode(args, ck.config);
    const std::vector<int> prompt = encode_text(ck.tokenizer, args.get("prompt"), "prompt");
    Generator generator(ck.params, mode);
    GenerationResult result;
    try {
        result = generator.generate({prompt}, opt);
    } catch (const ConfigError& e) {
        if (!opt.speculative) throw;
        throw UsageError(std::string("option --speculative: ") + e.what());
    }
    const SequenceOutput& out = result.sequences[0];
    // The completion as text, without the <eos> that ended it.
    std::vector<TokenId> shown(out.tokens.begin(), out.tokens.end());
    if (out.stop_reason == StopReason::stop_token && !shown.empty()) shown.pop_back();
    const std::string text = ck.tokenizer.decode(shown);
    if (args.has("json")) {
        nlohmann::json lp_model = nlohmann::json::array(), lp_sample = nlohmann::json::array();
        for (float x : out.logprob_model) lp_model.push_back(exact(x));
        for (float x : out.logprob_sampling) lp_sample.push_back(exact(x));
        nlohmann::json j = {{"prompt_tokens", prompt},
                            {"tokens", out.tokens},
                            {"text", text},
                            {"stop_reason", to_string(out.stop_reason)},
                            {"logprob_model", lp_model},
                            {"logprob_sampling", lp_sample},
                            {"cache", to_string(mode)}};
        if (opt.speculative) {
            j["speculative"] = speculation_json(ck.tokenizer, {prompt}, result);
            j["speculative"]["mtp_hidden_input"] = to_string(ck.config.mtp_hidden_input);
        }
        std::cout << j.dump() << "\n";
        return 0;
    }
    std::cout << text << "\n";
    if (opt.speculative) std::cout << speculation_summary(result) << "\n";
    return 0;
}

}  // namespace tinyseek::cli
