// tinyseek inspect --model DIR --text STR --out DIR [--temperature T] [--top-k K] [--top-p P]
// One forward of a text with its internals (core/forward_inspection.h) written as CSV, the
// headless form of the Explore page's views; figures join them when the window is built in
// (inspect_figure_writer, gui/figures/render_commands.cpp).
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/csv_file.h"
#include "cli/inspect_output.h"
#include "cli/model_input.h"
#include "core/errors.h"
#include "core/kv_accounting.h"

namespace tinyseek::cli {

namespace fs = std::filesystem;

namespace {

InspectFigureWriter& figure_writer() {
    static InspectFigureWriter writer;
    return writer;
}

std::string token_field(const Tokenizer& tok, int id) {
    return csv_field(tok.token_text(id));
}

std::string write_next_token(const InspectResult& r, const fs::path& dir) {
    CsvFile f(dir / "next_token.csv", "rank,token_id,token,model_prob,sampler_prob");
    int rank = 1;
    for (const NextTokenEntry& e : r.next.top)
        f.row({std::to_string(rank++), std::to_string(e.token), token_field(r.tokenizer, e.token),
               csv_number(e.model_prob), csv_number(e.sampler_prob)});
    f.row({"", "", "rest", csv_number(r.next.rest_model), csv_number(r.next.rest_sampler)});
    return f.close();
}

std::string write_logit_lens(const InspectResult& r, const fs::path& dir) {
    const ForwardInspection& in = r.inspection;
    CsvFile f(dir / "logit_lens.csv", "boundary,position,token,top_token,prob,final_token_prob");
    for (int b = 0; b < in.boundaries; ++b)
        for (size_t t = 0; t < in.tokens.size(); ++t) {
            const LensCell& c = in.lens_at(b, static_cast<int>(t));
            f.row({std::to_string(b), std::to_string(t), token_field(r.tokenizer, in.tokens[t]),
                   token_field(r.tokenizer, c.token), csv_number(c.prob),
                   csv_number(c.final_token_prob)});
        }
    return f.close();
}

std::string write_attention(const InspectResult& r, const fs::path& dir) {
    CsvFile f(dir / "attention.csv", "layer,head,query,key,prob,rope_share");
    for (const AttentionMap& a : r.inspection.attention)
        for (int h = 0; h < a.heads; ++h)
            for (int i = 0; i < a.tokens; ++i)
                for (int j = 0; j <= i; ++j)
                    f.row({std::to_string(a.layer), std::to_string(h), std::to_string(i),
                           std::to_string(j), csv_number(a.prob(h, i, j)),
                           csv_number(a.share(h, i, j))});
    return f.close();
}

// "in" when the bias pushed the expert into the token's choice, "out" when it pushed it out.
std::string bias_effect(const RoutingMap& m, int t, int e) {
    for (int k = 0; k < m.top_k; ++k) {
        if (m.pushed_in[static_cast<size_t>(t) * m.top_k + k] == e) return "in";
        if (m.pushed_out[static_cast<size_t>(t) * m.top_k + k] == e) return "out";
    }
    return "";
}

std::string write_routing(const InspectResult& r, const fs::path& dir) {
    CsvFile f(dir / "routing.csv", "layer,position,token,expert,score,bias,rank,gate,bias_effect");
    for (const RoutingMap& m : r.inspection.routing)
        for (size_t t = 0; t < r.inspection.tokens.size(); ++t)
            for (int e = 0; e < m.experts; ++e) {
                const int ti = static_cast<int>(t);
                std::string rank;
                for (int k = 0; k < m.top_k; ++k)
                    if (m.chosen_at(ti, k) == e) rank = std::to_string(k + 1);
                f.row({std::to_string(m.layer), std::to_string(t),
                       token_field(r.tokenizer, r.inspection.tokens[t]), std::to_string(e),
                       csv_number(m.score[t * m.experts + e]), csv_number(m.bias[e]), rank,
                       csv_number(m.gate(ti, e)), bias_effect(m, ti, e)});
            }
    return f.close();
}

nlohmann::json summary_json(const InspectResult& r) {
    const ForwardInspection& in = r.inspection;
    const Tokenizer& tok = r.tokenizer;
    nlohmann::json top = nlohmann::json::array();
    for (const NextTokenEntry& e : r.next.top)
        top.push_back({{"token", tok.token_text(e.token)},
                       {"model_prob", e.model_prob},
                       {"sampler_prob", e.sampler_prob}});
    nlohmann::json j = {{"tokens", in.tokens.size()},
                        {"next_token", top},
                        {"entropy_model", r.next.entropy_model},
                        {"entropy_sampler", r.next.entropy_sampler},
                        {"kv_bytes_per_token_fp32", r.kv_latent_bytes},
                        {"kv_bytes_per_token_fp32_mha", r.kv_mha_bytes}};
    if (in.mtp_assumed_next >= 0) {
        int best = 0;
        for (int v = 1; v < in.vocab; ++v)
            if (in.mtp_logits[v] > in.mtp_logits[best]) best = v;
        j["mtp"] = {{"assumed_next", tok.token_text(in.mtp_assumed_next)},
                    {"token_after", tok.token_text(best)}};
    }
    return j;
}

void print_summary(const InspectResult& r, const std::vector<std::string>& files) {
    const nlohmann::json s = summary_json(r);
    std::cout << r.inspection.tokens.size() << " tokens; next token:";
    for (size_t i = 0; i < std::min<size_t>(3, r.next.top.size()); ++i) {
        char buf[64];
        std::snprintf(buf, sizeof buf, " %s (%.1f%%)",
                      r.tokenizer.token_text(r.next.top[i].token).c_str(),
                      100.0 * r.next.top[i].model_prob);
        std::cout << buf;
    }
    if (s.contains("mtp"))
        std::cout << "; MTP, after " << s["mtp"]["assumed_next"].get<std::string>() << ": "
                  << s["mtp"]["token_after"].get<std::string>();
    std::cout << "\n";
    for (const std::string& f : files) std::cout << "  " << f << "\n";
}

}  // namespace

void set_inspect_figure_writer(InspectFigureWriter writer) {
    figure_writer() = std::move(writer);
}

InspectResult inspect_text(const Checkpoint& checkpoint, const std::vector<int>& tokens,
                           const SamplingParams& sampling) {
    ForwardInspector inspector(checkpoint.config);
    InspectResult r{checkpoint.tokenizer,
                    checkpoint.config,
                    inspector.inspect(checkpoint.params, tokens),
                    {},
                    0,
                    0};
    r.next = next_token_distribution(r.inspection.next_logits, sampling);
    const ModelConfig& c = checkpoint.config;
    const KvScheme own = kv_scheme_of(c);
    r.kv_latent_bytes = kv_bytes_per_token_per_layer(c, own, KvDtype::fp32) * kv_cached_layers(c);
    r.kv_mha_bytes =
        kv_bytes_per_token_per_layer(c, KvScheme::mha, KvDtype::fp32) * kv_cached_layers(c);
    return r;
}

int run_inspect(const Args& args) {
    if (!args.has("text")) throw UsageError("missing --text STR (the text to look inside)");
    if (!args.has("out")) throw UsageError("missing --out DIR (where the files go)");
    const SamplingParams sampling = sampling_options(args, 1.0);
    const Checkpoint ck = load_model(args);
    const std::vector<int> tokens = encode_text(ck.tokenizer, args.get("text"), "text");
    const InspectResult r = inspect_text(ck, tokens, sampling);
    const fs::path dir = args.get("out");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create the folder (" + ec.message() + ")");
    std::vector<std::string> files = {write_next_token(r, dir), write_logit_lens(r, dir),
                                      write_attention(r, dir), write_routing(r, dir)};
    std::ofstream summary(dir / "summary.json");
    summary << summary_json(r).dump(2) << "\n";
    summary.close();
    if (!summary) throw Error((dir / "summary.json").string() + ": write failed (disk full?)");
    files.push_back((dir / "summary.json").string());
    if (figure_writer()) {
        const std::vector<std::string> figures = figure_writer()(r, dir);
        files.insert(files.end(), figures.begin(), figures.end());
    }
    print_summary(r, files);
    return 0;
}

}  // namespace tinyseek::cli
