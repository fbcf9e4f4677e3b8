#include "training/grm/scaling.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/checkpoint.h"
#include "core/errors.h"
#include "training/grm/lab.h"
#include "training/grm/pooling.h"
#include "training/pass_at_k.h"
#include "training/trainer.h"

namespace tinyseek {

namespace {

constexpr std::uint64_t kScaleSampleStream = 0x67726d10;

// Running sums of one (method, k) cell over the items of one seed.
struct Cell {
    double credit = 0.0;  // expected accuracy with random tie-breaking (training/grm/pooling.h)
    double strict = 0.0;  // the truth alone on top
    double tokens = 0.0;
    void add(const PooledDecision& d, int truth, double generated) {
        credit += d.credit(truth);
        strict += d.correct(truth);
        tokens += generated;
    }
};

int k_meta_for(const GrmScaleConfig& c, int k) {
    return c.k_meta > 0 ? std::min(c.k_meta, k) : default_k_meta(k);
}

// One experiment's inputs and the result its phases fill in.
struct ScalingRun {
    GrmModels& models;
    const GrmScaleConfig& config;
    const std::function<void(const GrmScaleProgress&)>& progress;
    const std::atomic<bool>* cancel;
    std::vector<JudgeItem> items{};
    int max_new = 0;  // judge tokens per judgment
    int k_max = 0;
    std::int64_t n = 0;  // items
    GrmScaleResult result{};

    void tell(const std::string& phase, std::int64_t done, std::int64_t total) const {
        if (progress) progress({phase, done, total});
    }
    void check_cancel() const {
        if (cancel && cancel->load(std::memory_order_relaxed))
            throw Cancelled("scaling experiment cancelled");
    }
    void add_row(const std::string& method, int k, std::int64_t seed, const Cell& cell) {
        ScalingResult r;
        r.method = method;
        r.k = k;
        r.seed = seed;
        r.n_items = n;
        r.accuracy = cell.credit / static_cast<double>(n);
        r.tokens_per_item = cell.tokens / static_cast<double>(n);
        result.rows.push_back(r);
        result.strict_accuracy.push_back(cell.strict / static_cast<double>(n));
    }
};

// The cells of one seed, per k.
struct SeedCells {
    std::map<int, Cell> voting, meta;
    // The ceiling: pass@k of the samples (training/pass_at_k.h), the chance that k of an item's
    // k_max judgments hold one that singles out the truth, i.e. what a perfect pick among k
    // samples would score.
    std::map<int, Cell> ceiling;
};

// Sampled judgments over all seeds, for the invalid fraction.
struct SampleCounts {
    std::int64_t sampled = 0;
    std::int64_t invalid = 0;
};

// What a pick at random among each item's candidates scores: the mean of 1/candidates (the
// line a judge must clear to have learnt anything).
void add_chance(ScalingRun& run) {
    Cell cell;
    for (const JudgeItem& it : run.items) {
        cell.credit += 1.0 / it.size();
        cell.strict += 1.0 / it.size();
    }
    run.add_row("chance", 1, 0, cell);
}

// One judgment per item at temperature 0.
void run_greedy(ScalingRun& run) {
    JudgmentSamplingOptions o;
    o.sampling.temperature = 0.0f;
    o.max_new_tokens = run.max_new;
    o.batch_sequences = run.config.batch_sequences;
    o.cancel = run.cancel;
    o.progress = [&](std::size_t done) { run.tell("greedy", std::int64_t(done), run.n); };
    const auto greedy = sample_judgments(run.models.judge, run.models.tokenizer, run.items, o);
    Cell cell;
    std::int64_t invalid = 0;
    for (std::size_t i = 0; i < run.items.size(); ++i) {
        cell.add(vote({greedy[i][0].judgment}, run.items[i].size()), run.items[i].best,
                 greedy[i][0].generated);
        invalid += !greedy[i][0].judgment.valid;
    }
    run.result.greedy_invalid_fraction = double(invalid) / double(run.n);
    run.add_row("greedy", 1, 0, cell);
}

// Meta RM scores (part, k_max) of every valid sample of a chunk, in one batched pass; 0 where
// a sample is invalid.
std::vector<std::vector<float>> meta_rm_scores(
    const ScalingRun& run, const std::vector<JudgeItem>& part,
    const std::vector<std::vector<SampledJudgment>>& samples) {
    std::vector<std::vector<float>> scores(part.size(), std::vector<float>(std::size_t(run.k_max)));
    if (!run.models.meta_rm) return scores;
    const Tokenizer& tok = run.models.tokenizer;
    std::vector<std::vector<int>> seqs;
    std::vector<int> pool_from;
    std::vector<std::pair<std::size_t, std::size_t>> where;
    for (std::size_t i = 0; i < part.size(); ++i) {
        const int from = meta_rm_pool_from(part[i], tok);  // once per item
        for (std::size_t j = 0; j < samples[i].size(); ++j)
            if (samples[i][j].judgment.valid) {
                seqs.push_back(meta_rm_tokens(part[i], samples[i][j], tok));
                pool_from.push_back(from);
                where.emplace_back(i, j);
            }
    }
    const std::vector<float> r = run.models.meta_rm->score(seqs, 64, &pool_from);
    for (std::size_t s = 0; s < r.size(); ++s) scores[where[s].first][where[s].second] = r[s];
    return scores;
}

// Voting (and meta RM voting) over the first k samples of one item, for every k.
void pool_item(const ScalingRun& run, const JudgeItem& item,
               const std::vector<SampledJudgment>& samples, const std::vector<float>& meta_scores,
               SeedCells& cells) {
    std::vector<Judgment> js;
    double tokens = 0.0;
    std::size_t next = 0;
    int right = 0;
    for (const SampledJudgment& s : samples) right += singles_out(s.judgment, item.best) ? 1 : 0;
    const int n = static_cast<int>(samples.size());
    for (int k : run.config.ks) {
        const double ceiling = pass_at_k(n, right, k);
        cells.ceiling[k].credit += ceiling;  // singling out is strict already
        cells.ceiling[k].strict += ceiling;
        for (; next < static_cast<std::size_t>(k); ++next) {
            js.push_back(samples[next].judgment);
            tokens += samples[next].generated;
        }
        cells.voting[k].add(vote(js, item.size()), item.best, tokens);
        if (run.models.meta_rm) {
            const std::vector<float> ms(meta_scores.begin(), meta_scores.begin() + k);
            cells.meta[k].add(meta_rm_vote(js, ms, k_meta_for(run.config, k), item.size()),
                              item.best, tokens);
        }
    }
}

// Items [start, end) under seed `seed`: k_max samples each, pooled for every k.
void run_chunk(ScalingRun& run, int seed, std::size_t start, std::size_t end, SeedCells& cells,
               SampleCounts& counts) {
    const std::vector<JudgeItem> part(run.items.begin() + std::ptrdiff_t(start),
                                      run.items.begin() + std::ptrdiff_t(end));
    JudgmentSamplingOptions o;
    o.sampling.temperature = run.config.temperature;
    o.seed = step_seed(run.config.sample_seed, seed, kScaleSampleStream);
    o.samples_per_item = run.k_max;
    o.max_new_tokens = run.max_new;
    o.batch_sequences = run.config.batch_sequences;
    o.first_item = start;
    o.cancel = run.cancel;
    const auto samples = sample_judgments(run.models.judge, run.models.tokenizer, part, o);
    const std::vector<std::vector<float>> meta_scores = meta_rm_scores(run, part, samples);
    for (std::size_t i = 0; i < part.size(); ++i) {
        pool_item(run, part[i], samples[i], meta_scores[i], cells);
        for (const SampledJudgment& s : samples[i]) counts.invalid += !s.judgment.valid;
        counts.sampled += static_cast<std::int64_t>(samples[i].size());
        if (seed == 0 && start + i < static_cast<std::size_t>(run.config.examples))
            run.result.examples.push_back({part[i], samples[i], meta_scores[i]});
    }
}

// Every item under one seed, chunk by chunk; then the seed's voting and meta RM rows.
void run_seed(ScalingRun& run, int seed, std::size_t chunk, SampleCounts& counts) {
    SeedCells cells;
    const std::string phase =
        "sampling seed " + std::to_string(seed + 1) + "/" + std::to_string(run.config.seeds);
    for (std::size_t start = 0; start < run.items.size(); start += chunk) {
        run.check_cancel();
        const std::size_t end = std::min(run.items.size(), start + chunk);
        run_chunk(run, seed, start, end, cells, counts);
        run.tell(phase, static_cast<std::int64_t>(end), run.n);
    }
    for (int k : run.config.ks) {
        run.add_row("voting", k, seed, cells.voting[k]);
        if (run.models.meta_rm) run.add_row("meta_rm", k, seed, cells.meta[k]);
        Cell ceiling = cells.ceiling[k];
        ceiling.tokens = cells.voting[k].tokens;  // the same samples
        run.add_row("ceiling", k, seed, ceiling);
    }
}

// Every candidate scored once; the item's pick is its highest-scoring one.
void run_scalar_rm(ScalingRun& run) {
    run.check_cancel();
    run.tell("scalar rm", 0, run.n);
    std::vector<std::vector<int>> seqs;
    for (const JudgeItem& it : run.items)
        for (int c = 0; c < it.size(); ++c)
            seqs.push_back(scalar_rm_tokens(it, c, run.models.tokenizer));
    const std::vector<float> r = run.models.scalar_rm->score(seqs);
    Cell cell;
    std::size_t at = 0;
    for (const JudgeItem& it : run.items) {
        const std::vector<double> scores(r.begin() + static_cast<std::ptrdiff_t>(at),
                                         r.begin() + static_cast<std::ptrdiff_t>(at) + it.size());
        const double credit = tie_credit(scores, it.best);
        cell.credit += credit;
        cell.strict += credit == 1.0;
        at += static_cast<std::size_t>(it.size());
    }
    run.add_row("scalar_rm", 1, 0, cell);
    run.tell("scalar rm", run.n, run.n);
}

}  // namespace

void GrmScaleConfig::validate() const {
    const std::string src = "grm scale";
    if (ks.empty()) throw ConfigError(src + ": the list of k is empty");
    for (std::size_t i = 0; i < ks.size(); ++i) {
        if (ks[i] < 1 || static_cast<std::uint64_t>(ks[i]) > kSampleStride)
            throw ConfigError(src + ": k = " + std::to_string(ks[i]) + ", expected 1.." +
                              std::to_string(kSampleStride));
        if (i > 0 && ks[i] <= ks[i - 1])
            throw ConfigError(src + ": the list of k must be strictly increasing");
    }
    if (n < 1) throw ConfigError(src + ": n = " + std::to_string(n) + ", expected >= 1");
    if (!(temperature > 0.0f) || temperature > 10.0f)
        throw ConfigError(src + ": temperature = " + std::to_string(temperature) +
                          ", expected in (0, 10] (the samples must differ)");
    if (seeds < 1 || seeds > 100)
        throw ConfigError(src + ": seeds = " + std::to_string(seeds) + ", expected 1..100");
    if (k_meta < 0) throw ConfigError(src + ": k_meta must be >= 0 (0 = k/2)");
    if (examples < 0) throw ConfigError(src + ": examples must be >= 0");
    if (max_new_tokens < 0) throw ConfigError(src + ": max_new_tokens must be >= 0");
    if (batch_sequences < 1) throw ConfigError(src + ": batch_sequences must be >= 1");
}

nlohmann::json GrmScaleConfig::to_json() const {
    nlohmann::json j = {{"ks", ks},
                        {"n", n},
                        {"temperature", temperature},
                        {"seeds", seeds},
                        {"items_seed", items_seed},
                        {"sample_seed", sample_seed},
                        {"k_meta", k_meta},
                        {"examples", examples},
                        {"max_new_tokens", max_new_tokens}};
    if (split == Split::train) j["split"] = "train";
    return j;
}

GrmModels GrmModels::load(const std::string& dir, const std::string& judge) {
    namespace fs = std::filesystem;
    const std::string manifest = (fs::path(dir) / kGrmManifest).string();
    std::ifstream in(manifest);
    if (!in)
        throw CheckpointError(manifest + ": cannot open (is '" + dir +
                              "' the output directory of `tinyseek grm train`?)");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw CheckpointError(manifest + ": not valid JSON: " + e.what());
    }
    if (!j.is_object() || j.value("format", "") != "tinyseek-grm" || !j.contains("config"))
        throw CheckpointError(manifest + ": not a reward-model lab manifest (format tinyseek-grm)");
    const int version = j.value("version", 0);
    if (version != kGrmFormatVersion)
        throw CheckpointError(manifest + ": the judge was trained on judgment format " +
                              std::to_string(version) + ", this build reads format " +
                              std::to_string(kGrmFormatVersion) +
                              "; retrain it with `tinyseek grm train`");
    GrmModels m;
    m.dir = dir;
    m.config = GrmLabConfig::from_json(j["config"], manifest);
    if (j.contains("run_id") && j["run_id"].is_number_integer())
        m.run_id = j["run_id"].get<std::int64_t>();
    if (judge != "judge" && judge != "judge_sft")
        throw ConfigError("grm models: judge must be 'judge' or 'judge_sft', got '" + judge + "'");
    CheckpointLoadOptions options;
    options.optimizer = false;
    Checkpoint ckpt = load_checkpoint((fs::path(dir) / judge).string(), options);
    m.tokenizer = ckpt.tokenizer;
    m.judge = std::move(ckpt.params);
    for (const char* name : {"meta_rm", "scalar_rm"}) {
        const std::string sub = (fs::path(dir) / name).string();
        if (!is_checkpoint_dir(sub)) continue;
        auto rm = std::make_unique<ScalarRewardModel>(ScalarRewardModel::load(sub));
        (std::string(name) == "meta_rm" ? m.meta_rm : m.scalar_rm) = std::move(rm);
    }
    return m;
}

const ScalingResult* GrmScaleResult::find(const std::string& method, int k,
                                          std::int64_t seed) const {
    for (const ScalingResult& r : rows)
        if (r.method == method && r.k == k && r.seed == seed) return &r;
    return nullptr;
}

nlohmann::json GrmScaleResult::to_json() const {
    nlohmann::json rs = nlohmann::json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ScalingResult& r = rows[i];
        rs.push_back({{"method", r.method},
                      {"k", r.k},
                      {"seed", r.seed},
                      {"accuracy", r.accuracy},
                      {"strict_accuracy", i < strict_accuracy.size() ? strict_accuracy[i] : 0.0},
                      {"tokens_per_item", r.tokens_per_item},
                      {"n_items", r.n_items}});
    }
    return {{"rows", rs},
            {"n_items", n_items},
            {"invalid_fraction", invalid_fraction},
            {"greedy_invalid_fraction", greedy_invalid_fraction},
            {"seconds", seconds}};
}

GrmScaleResult run_grm_scaling(GrmModels& models, const GrmScaleConfig& config,
                               const std::function<void(const GrmScaleProgress&)>& progress,
                               const std::atomic<bool>* cancel) {
    config.validate();
    const auto t0 = std::chrono::steady_clock::now();
    const GrmLabConfig& lab = models.config;
    const auto task = lab.make_questions();
    ScalingRun run{models, config, progress, cancel};
    run.items = judge_items(*task, config.split, static_cast<std::size_t>(config.n),
                            config.items_seed, lab.items);
    run.max_new = config.max_new_tokens > 0 ? config.max_new_tokens : lab.max_new_tokens;
    run.k_max = config.ks.back();
    run.n = static_cast<std::int64_t>(run.items.size());
    run.result.n_items = run.n;

    add_chance(run);
    run_greedy(run);
    // A chunk's k_max samples are pooled for every k, then dropped.
    const std::size_t chunk =
        std::max<std::size_t>(1, static_cast<std::size_t>(config.batch_sequences / run.k_max)) * 4;
    SampleCounts counts;
    for (int seed = 0; seed < config.seeds; ++seed) run_seed(run, seed, chunk, counts);
    run.result.invalid_fraction =
        counts.sampled ? double(counts.invalid) / double(counts.sampled) : 0.0;
    if (models.scalar_rm) run_scalar_rm(run);
    run.result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::move(run.result);
}

std::int64_t store_grm_scaling(RunStore& store, const GrmScaleResult& result,
                               const GrmScaleConfig& config, const GrmModels& models,
                               const nlohmann::json& extra) {
    NewRun run;
    run.kind = "grm_scale";
    nlohmann::json cfg = config.to_json();
    cfg["model_dir"] = models.dir;
    cfg["lab"] = models.config.to_json();
    for (const auto& [key, value] : extra.items()) cfg[key] = value;
    const GrmLabConfig& lab = models.config;
    run.name = extra.contains("lab_seeds")
                   ? "grm experiment " + (lab.name.empty() ? lab.task : lab.name) + " (" +
                         std::to_string(extra["lab_seeds"].get<int>()) + " lab seeds)"
                   : "grm scale " + lab.display_name();
    run.config_json = cfg.dump();
    if (models.run_id > 0) {
        for (const RunInfo& info : store.list_runs())
            if (info.id == models.run_id) run.parent_run_id = models.run_id;
    }
    const std::int64_t id = store.create_run(run);
    try {
        for (ScalingResult r : result.rows) {
            r.run_id = id;
            store.add_scaling_result(r);
        }
        const int k_max = config.ks.back();
        for (std::size_t e = 0; e < result.examples.size(); ++e) {
            const ScalingExample& ex = result.examples[e];
            StepReport report;
            report.run_id = id;
            report.step = static_cast<std::int64_t>(e);
            report.stage = Stage::grpo;
            report.scalars["grm/best"] = ex.item.best;
            report.scalars["grm/candidates"] = ex.item.size();
            report.scalars["grm/k_max"] = k_max;
            report.scalars["grm/k_meta"] = k_meta_for(config, k_max);
            const std::string prompt = judge_prompt(ex.item);
            for (std::size_t j = 0; j < ex.samples.size(); ++j) {
                const SampledJudgment& s = ex.samples[j];
                RolloutSample r;
                r.prompt = prompt;
                r.completion = s.text;
                r.reward.accuracy = singles_out(s.judgment, ex.item.best) ? 1.0 : 0.0;
                r.reward.format = s.judgment.valid ? 1.0 : 0.0;
                r.reward.total = spct_reward(s.judgment, ex.item.best);
                r.reward.malformed = !s.judgment.valid;
                r.advantage = ex.meta_scores.at(j);
                r.length = s.generated;
                report.rollouts.push_back(std::move(r));
            }
            store.append_step(report);
        }
    } catch (const std::exception& e) {
        store.finish(id, RunStatus::failed, e.what());
        throw;
    }
    store.finish(id, RunStatus::completed);
    return id;
}

}  // namespace tinyseek
