// `logits` and `generate` run as the real binary on a checkpoint made by `tinyseek init`.
// The checks tie the two commands together: greedy `generate` must pick, at every step, the
// argmax of what `logits` reports for the text so far (cache path vs one full pass), and the
// latent and expanded caches must agree through the command line too.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace {

using namespace cli_test;

// One tiny checkpoint for the whole suite, made by `tinyseek init`.
const std::string& model_dir() {
    static const std::string dir = [] {
        const fs::path d = scratch("model") / "ckpt";
        const Result r =
            tinyseek({"init", "--preset", "tiny", "--out", d.string(), "--seed", "3"}, "init");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return d.string();
    }();
    return dir;
}

nlohmann::json logits_json(const std::string& text, const std::string& cache,
                           const std::string& tag) {
    const Result r = tinyseek(
        {"logits", "--model", model_dir(), "--text", text, "--json", "--cache", cache}, tag);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
}

int argmax(const nlohmann::json& row) {
    int best = 0;
    for (int v = 1; v < static_cast<int>(row.size()); ++v)
        if (row[v].get<double>() > row[best].get<double>()) best = v;
    return best;
}

}  // namespace

TEST(CliGenerate, LogitsJsonHasOneRowPerToken) {
    const nlohmann::json j = logits_json("<bos>12+3=", "latent", "logits_shape");
    // Tokenizer ids: <bos> = 1, digits '0'..'9' = 7..16 (core/tokenizer.h).
    ASSERT_GE(j["tokens"].size(), 2u);
    EXPECT_EQ(j["tokens"][0], 1);
    EXPECT_EQ(j["tokens"][1], 8);
    EXPECT_EQ(j["tokens"][2], 9);
    ASSERT_EQ(j["logits"].size(), j["tokens"].size());
    for (const auto& row : j["logits"]) {
        ASSERT_EQ(row.size(), 64u);  // tiny vocab_size
        for (const auto& x : row) ASSERT_TRUE(std::isfinite(x.get<double>()));
    }
    // Rows differ: each position sees a different context.
    EXPECT_NE(j["logits"][0], j["logits"][1]);
}

TEST(CliGenerate, LatentAndExpandedCachesAgreeAndLogitsAreCausal) {
    const nlohmann::json a = logits_json("<bos>7*8=56", "latent", "cmp_latent");
    const nlohmann::json b = logits_json("<bos>7*8=56", "expanded", "cmp_expanded");
    const nlohmann::json prefix = logits_json("<bos>7*8", "latent", "cmp_prefix");
    ASSERT_EQ(a["tokens"], b["tokens"]);
    double max_diff = 0.0, max_prefix_diff = 0.0;
    for (size_t t = 0; t < a["logits"].size(); ++t)
        for (size_t v = 0; v < 64; ++v) {
            const double x = a["logits"][t][v].get<double>();
            max_diff = std::max(max_diff, std::abs(x - b["logits"][t][v].get<double>()));
            if (t < prefix["logits"].size())
                max_prefix_diff =
                    std::max(max_prefix_diff, std::abs(x - prefix["logits"][t][v].get<double>()));
        }
    EXPECT_LT(max_diff, 1e-4);
    EXPECT_LT(max_prefix_diff, 1e-5);
}

TEST(CliGenerate, GreedyGenerationFollowsTheLogitsCommand) {
    const std::string prompt = "<bos>3+4=";
    const Result r = tinyseek({"generate", "--model", model_dir(), "--prompt", prompt, "--max-new",
                               "6", "--temperature", "0", "--json"},
                              "greedy");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json g = nlohmann::json::parse(r.out);
    const std::vector<int> generated = g["tokens"].get<std::vector<int>>();
    ASSERT_FALSE(generated.empty());
    ASSERT_LE(generated.size(), 6u);
    EXPECT_EQ(g["logprob_model"].size(), generated.size());
    // Feed prompt + generated tokens (minus the last) through `logits` in one pass: every
    // generated token must be the argmax of the row before it.
    std::vector<int> all = g["prompt_tokens"].get<std::vector<int>>();
    const size_t prompt_len = all.size();
    all.insert(all.end(), generated.begin(), generated.end() - 1);
    // The completion's text re-encodes to its ids (a final <eos> is not in the text, and is
    // not needed: its own logits row is never used).
    const std::string text = g["text"].get<std::string>();
    const nlohmann::json l = logits_json(prompt + text, "latent", "greedy_logits");
    const std::vector<int> fed = l["tokens"].get<std::vector<int>>();
    ASSERT_GE(fed.size(), all.size());
    for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(fed[i], all[i]);
    for (size_t i = 0; i < generated.size(); ++i)
        EXPECT_EQ(generated[i], argmax(l["logits"][prompt_len - 1 + i])) << "step " << i;

    // The plain form prints the same completion.
    const Result plain = tinyseek({"generate", "--model", model_dir(), "--prompt", prompt,
                                   "--max-new", "6", "--temperature", "0", "--cache", "expanded"},
                                  "greedy_plain");
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    EXPECT_EQ(plain.out, text + "\n");
}

TEST(CliGenerate, SeededSamplingIsReproducible) {
    auto sample = [](const std::string& seed, const std::string& tag) {
        const Result r = tinyseek(
            {"generate", "--model", model_dir(), "--prompt", "<bos>12", "--max-new", "12",
             "--temperature", "1.5", "--top-k", "40", "--top-p", "0.95", "--seed", seed, "--json"},
            tag);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return nlohmann::json::parse(r.out)["tokens"].get<std::vector<int>>();
    };
    const std::vector<int> a = sample("5", "seed5a");
    EXPECT_EQ(a, sample("5", "seed5b"));
    bool differs = false;
    for (const std::string s : {"6", "7", "8"}) differs |= sample(s, "seed" + s) != a;
    EXPECT_TRUE(differs);
}

TEST(CliGenerate, ClearErrors) {
    const fs::path missing = scratch("errors") / "no_such_model";
    Result r = tinyseek({"generate", "--model", missing.string(), "--prompt", "1"}, "missing");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no_such_model"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not a checkpoint"), std::string::npos) << r.err;

    // A checkpoint whose weights file is cut short.
    const fs::path bad = scratch("errors_bad") / "ckpt";
    fs::create_directories(bad);
    for (const char* f : {"config.json", "tokenizer.json", "model.safetensors"})
        fs::copy_file(fs::path(model_dir()) / f, bad / f);
    fs::resize_file(bad / "model.safetensors", fs::file_size(bad / "model.safetensors") / 2);
    r = tinyseek({"logits", "--model", bad.string(), "--text", "1", "--json"}, "truncated");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("model.safetensors"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());

    r = tinyseek({"logits", "--text", "1"}, "no_model");
    EXPECT_EQ(r.exit_code, 2);
    r = tinyseek({"generate", "--model", model_dir(), "--prompt", "1", "--cache", "full"},
                 "bad_cache");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cache"), std::string::npos) << r.err;
    r = tinyseek({"generate", "--model", model_dir(), "--prompt", "1", "--top-p", "0"},
                 "bad_top_p");
    EXPECT_EQ(r.exit_code, 2);
    r = tinyseek({"logits", "--model", model_dir(), "--text", "ABC"}, "bad_char");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("unknown character"), std::string::npos) << r.err;
}

TEST(CliGenerate, SpeculativeGreedyGivesTheSameTokensAndReportsAcceptance) {
    auto run = [](const std::vector<std::string>& extra, const std::string& tag) {
        std::vector<std::string> a = {"generate",   "--model",   model_dir(), "--prompt",
                                      "<bos>12+9=", "--max-new", "16",        "--temperature",
                                      "0",          "--json"};
        a.insert(a.end(), extra.begin(), extra.end());
        const Result r = tinyseek(a, tag);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return nlohmann::json::parse(r.out);
    };
    const nlohmann::json plain = run({}, "spec_plain");
    for (const char* cache : {"latent", "expanded"}) {
        const nlohmann::json spec =
            run({"--speculative", "--cache", cache}, "spec_" + std::string(cache));
        EXPECT_EQ(spec["tokens"], plain["tokens"]) << cache;
        const nlohmann::json& s = spec["speculative"];
        const long drafted = s["drafted"], accepted = s["accepted"], forwards = s["main_forwards"];
        const long tokens = static_cast<long>(spec["tokens"].size());
        EXPECT_GT(drafted, 0);
        EXPECT_LE(accepted, drafted);
        // One token per forward plus at most one bonus per accepted draft.
        EXPECT_LE(tokens, forwards + accepted);
        EXPECT_NEAR(s["tokens_per_forward"].get<double>(), double(tokens) / forwards, 1e-9);
        long by_class = 0, by_position = 0;
        for (const auto& [name, counts] : s["by_class"].items())
            by_class += counts["drafted"].get<long>();
        for (const auto& n : s["drafted_by_position"]) by_position += n.get<long>();
        EXPECT_EQ(by_class, drafted);
        EXPECT_EQ(by_position, drafted);
        EXPECT_EQ(s["mtp_hidden_input"], "final_norm");
    }
    // The plain form prints the completion, then the summary line.
    const Result r =
        tinyseek({"generate", "--model", model_dir(), "--prompt", "<bos>12+9=", "--max-new", "16",
                  "--temperature", "0", "--speculative"},
                 "spec_text");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("tokens per main-model forward"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("accepted ("), std::string::npos) << r.out;
}

TEST(CliGenerate, SpeculativeNeedsAnMtpModule) {
    // A checkpoint of the tiny model without the MTP block.
    std::ifstream in(std::string(TINYSEEK_SOURCE_DIR) + "/assets/configs/tiny.json");
    nlohmann::json config = nlohmann::json::parse(in);
    config["num_nextn_predict_layers"] = 0;
    const fs::path dir = scratch("spec_no_mtp");
    std::ofstream(dir / "config.json") << config.dump(2);
    Result r = tinyseek(
        {"init", "--config", (dir / "config.json").string(), "--out", (dir / "ckpt").string()},
        "init_no_mtp");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = tinyseek(
        {"generate", "--model", (dir / "ckpt").string(), "--prompt", "<bos>1", "--speculative"},
        "spec_no_mtp");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("MTP"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("num_nextn_predict_layers = 0"), std::string::npos) << r.err;
}
