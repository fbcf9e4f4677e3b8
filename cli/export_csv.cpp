#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/csv_file.h"
#include "cli/export_formats.h"
#include "core/errors.h"

namespace tinyseek::cli {

namespace fs = std::filesystem;

namespace {

std::string num_or_empty(const std::vector<float>& values, std::size_t i) {
    return i < values.size() ? csv_number(values[i]) : std::string();
}

// "rewards/accuracy" -> "rewards_accuracy"; anything outside [A-Za-z0-9._-] becomes '_'.
std::string file_stem(const std::string& key) {
    std::string out;
    for (char c : key) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        out += ok ? c : '_';
    }
    return out.empty() ? "metric" : out;
}

// One file per metric key, then all of them in one long file (by step).
void write_metrics(const ExportJob& job, std::vector<std::string>& files) {
    const std::map<std::string, MetricSeries> series = job.store.metric_series(job.run.id);
    struct Row {
        std::int64_t step;
        double wall_time;
        const std::string* key;
        double value;
    };
    std::vector<Row> rows;
    const fs::path metrics_dir = job.out_dir / "metrics";
    fs::create_directories(metrics_dir);
    std::set<std::string> stems;
    for (const auto& [key, points] : series) {
        std::string stem = file_stem(key);
        for (int k = 2; !stems.insert(stem).second; ++k)
            stem = file_stem(key) + "-" + std::to_string(k);
        CsvFile f(metrics_dir / (stem + ".csv"), "step,wall_time,value");
        for (const MetricPoint& p : points) {
            f.row({std::to_string(p.step), csv_number(p.wall_time), csv_number(p.value)});
            rows.push_back({p.step, p.wall_time, &key, p.value});
        }
        files.push_back(f.close());
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.step < b.step; });
    CsvFile all(job.out_dir / "metrics.csv", "step,wall_time,key,value");
    for (const Row& r : rows)
        all.row({std::to_string(r.step), csv_number(r.wall_time), csv_field(*r.key),
                 csv_number(r.value)});
    files.push_back(all.close());
}

// The layers of the last step that recorded expert statistics.
std::vector<int> expert_layers(const RunStore& store, std::int64_t id) {
    std::vector<int> layers;
    const std::vector<std::int64_t> steps = store.steps(id);
    for (auto s = steps.rbegin(); s != steps.rend() && layers.empty(); ++s) {
        const ExpertSnapshot snap = store.expert_load_at(id, *s);
        layers = !snap.load.empty() ? snap.load.layers : snap.bias.layers;
    }
    return layers;
}

// Expert statistics of every layer that has any, by step.
std::string write_expert_load(const ExportJob& job) {
    const RunStore& store = job.store;
    const std::int64_t id = job.run.id;
    CsvFile experts(job.out_dir / "expert_load.csv", "step,layer,expert,load,gate_weight,bias");
    struct ExpertRow {
        std::int64_t step;
        int layer;
        int expert;
        std::string load, gate, bias;
    };
    std::vector<ExpertRow> expert_rows;
    for (int layer : expert_layers(store, id)) {
        const ExpertHistory h = store.expert_load_history(id, layer);
        for (std::size_t s = 0; s < h.steps.size(); ++s)
            for (int e = 0; e < h.experts; ++e) {
                const std::size_t i = s * static_cast<std::size_t>(h.experts) + e;
                expert_rows.push_back({h.steps[s], layer, e, num_or_empty(h.load, i),
                                       num_or_empty(h.gate_weight, i), num_or_empty(h.bias, i)});
            }
    }
    std::stable_sort(expert_rows.begin(), expert_rows.end(),
                     [](const ExpertRow& a, const ExpertRow& b) { return a.step < b.step; });
    for (const ExpertRow& r : expert_rows)
        experts.row({std::to_string(r.step), std::to_string(r.layer), std::to_string(r.expert),
                     r.load, r.gate, r.bias});
    return experts.close();
}

// Page by page, so a long run's rollouts are never all in memory: the training rollouts, then
// the held-out evaluation samples. Per-token values stay in the database.
std::string write_rollouts(const ExportJob& job) {
    CsvFile rollouts(job.out_dir / "rollouts.csv",
                     "id,source,step,group,member,prompt,completion,accuracy,format,reward,"
                     "advantage,length,malformed,mean_logprob,mean_entropy");
    constexpr std::int64_t kPage = 1000;
    for (RolloutSource source : {RolloutSource::train, RolloutSource::eval}) {
        for (std::int64_t offset = 0;; offset += kPage) {
            RolloutQuery q;
            q.source = source;
            q.limit = kPage;
            q.offset = offset;
            const std::vector<StoredRollout> page = job.store.rollouts(job.run.id, q);
            for (const StoredRollout& r : page) {
                const RolloutSample& x = r.sample;
                rollouts.row({std::to_string(r.id), to_string(source), std::to_string(r.step),
                              std::to_string(x.group), std::to_string(x.member),
                              csv_field(x.prompt), csv_field(x.completion),
                              csv_number(x.reward.accuracy), csv_number(x.reward.format),
                              csv_number(x.reward.total), csv_number(x.advantage),
                              std::to_string(x.length), x.reward.malformed ? "1" : "0",
                              csv_number(x.mean_logprob), csv_number(x.mean_entropy)});
            }
            if (static_cast<std::int64_t>(page.size()) < kPage) break;
        }
    }
    return rollouts.close();
}

// The run row, with its configuration as a JSON object (as text when it is not JSON).
std::string write_run_json(const ExportJob& job) {
    const RunInfo& info = job.run;
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(info.config_json);
    } catch (const nlohmann::json::exception&) {
        config = info.config_json;
    }
    const nlohmann::json run = {
        {"id", info.id},
        {"name", info.name},
        {"kind", info.kind},
        {"status", to_string(info.status)},
        {"created", info.created},
        {"finished", info.finished},
        {"parent_run_id",
         info.parent_run_id ? nlohmann::json(*info.parent_run_id) : nlohmann::json()},
        {"error", info.error},
        {"steps", info.n_steps},
        {"config", config},
    };
    const fs::path run_path = job.out_dir / "run.json";
    std::ofstream out(run_path);
    out << run.dump(2) << "\n";
    out.close();
    if (!out) throw Error(run_path.string() + ": write failed");
    return run_path.string();
}

}  // namespace

std::vector<std::string> export_csv(const ExportJob& job) {
    std::vector<std::string> files;
    write_metrics(job, files);
    files.push_back(write_expert_load(job));
    files.push_back(write_rollouts(job));
    files.push_back(write_run_json(job));
    return files;
}

}  // namespace tinyseek::cli
