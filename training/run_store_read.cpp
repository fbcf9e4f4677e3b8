// RunStore readers: runs, steps, metric series, expert statistics, checkpoints and scaling
// results (rollouts: run_store_rollouts.cpp). Writers live in run_store.cpp.
#include <algorithm>
#include <limits>

#include "training/run_store.h"
#include "training/run_store_impl.h"

namespace tinyseek {

namespace {

using K = StoreError::Kind;

std::string run_text(std::int64_t run_id) {
    return "run " + std::to_string(run_id);
}

// A step's stage as stored; text no version of the program writes means a damaged file.
Stage stored_stage(const std::string& text) {
    try {
        return parse_stage(text);
    } catch (const Error& e) {
        throw StoreError(K::corrupt,
                         std::string("the step's stored stage is damaged: ") + e.what());
    }
}

RunInfo read_run(const sqlite::Statement& s) {
    RunInfo r;
    r.id = s.column_int(0);
    r.name = s.column_text(1);
    r.kind = s.column_text(2);
    r.config_json = s.column_text(3);
    r.status = parse_run_status(s.column_text(4));
    r.created = s.column_text(5);
    r.finished = s.column_text(6);
    r.parent_run_id = s.column_optional_int(7);
    r.error = s.column_text(8);
    r.n_steps = s.column_int(9);
    r.last_step = s.column_optional_int(10);
    r.best_eval_accuracy = s.column_optional_double(11);
    return r;
}

constexpr const char* kRunColumns =
    "SELECT r.id, r.name, r.kind, r.config, r.status, r.created, r.finished, r.parent_run_id, "
    "r.error, (SELECT count(*) FROM steps s WHERE s.run_id = r.id), "
    "(SELECT max(step) FROM steps s WHERE s.run_id = r.id), "
    "(SELECT max(value) FROM metrics m WHERE m.run_id = r.id AND m.key = 'eval/accuracy') "
    "FROM runs r";

ExpertSnapshot query_expert_snapshot(const sqlite::Connection& conn, std::int64_t run_id,
                                     std::int64_t step) {
    sqlite::Statement s(conn,
                        "SELECT layer, expert, load, gate_weight, bias FROM expert_load "
                        "WHERE run_id = ?1 AND step = ?2 ORDER BY layer, expert");
    s.bind(1, run_id).bind(2, step);
    struct Cell {
        int layer, expert;
        double v[3];
        bool present[3];
    };
    std::vector<Cell> cells;
    std::vector<int> layers;
    int experts = 0;
    bool any[3] = {false, false, false};
    while (s.step()) {
        Cell c{static_cast<int>(s.column_int(0)), static_cast<int>(s.column_int(1)), {}, {}};
        for (int k = 0; k < 3; ++k) {
            c.present[k] = !s.is_null(2 + k);
            c.v[k] = s.column_double(2 + k);
            any[k] = any[k] || c.present[k];
        }
        if (layers.empty() || layers.back() != c.layer) layers.push_back(c.layer);
        experts = std::max(experts, c.expert + 1);
        cells.push_back(c);
    }
    ExpertSnapshot snap;
    snap.step = step;
    ExpertMatrix* targets[3] = {&snap.load, &snap.gate_weight, &snap.bias};
    for (int k = 0; k < 3; ++k) {
        if (!any[k]) continue;
        // Cells never written (NULL) read as NaN rather than a made-up number.
        *targets[k] = ExpertMatrix(layers, experts, std::numeric_limits<float>::quiet_NaN());
    }
    for (const Cell& c : cells) {
        const int row =
            static_cast<int>(std::find(layers.begin(), layers.end(), c.layer) - layers.begin());
        for (int k = 0; k < 3; ++k) {
            if (any[k] && c.present[k]) targets[k]->at(row, c.expert) = static_cast<float>(c.v[k]);
        }
    }
    return snap;
}

}  // namespace

std::vector<RunInfo> RunStore::list_runs() const {
    return impl_->guard("cannot list the runs", [&] {
        sqlite::Statement s(impl_->conn, std::string(kRunColumns) + " ORDER BY r.id");
        std::vector<RunInfo> out;
        while (s.step()) out.push_back(read_run(s));
        return out;
    });
}

RunInfo RunStore::run(std::int64_t run_id) const {
    return impl_->guard("cannot read " + run_text(run_id), [&] {
        sqlite::Statement s(impl_->conn, std::string(kRunColumns) + " WHERE r.id = ?1");
        s.bind(1, run_id);
        if (!s.step()) throw StoreError(K::not_found, run_text(run_id) + " does not exist");
        return read_run(s);
    });
}

std::vector<std::int64_t> RunStore::steps(std::int64_t run_id) const {
    return impl_->guard("cannot read the steps of " + run_text(run_id), [&] {
        sqlite::Statement s(impl_->conn, "SELECT step FROM steps WHERE run_id = ?1 ORDER BY step");
        s.bind(1, run_id);
        std::vector<std::int64_t> out;
        while (s.step()) out.push_back(s.column_int(0));
        return out;
    });
}

StepReport RunStore::load_step(std::int64_t run_id, std::int64_t step) const {
    return impl_->guard(
        "cannot read step " + std::to_string(step) + " of " + run_text(run_id), [&] {
            StepReport r;
            r.run_id = run_id;
            r.step = step;
            sqlite::Statement head(impl_->conn,
                                   "SELECT stage, wall_time, kv_cache_bytes FROM "
                                   "steps WHERE run_id = ?1 AND step = ?2");
            head.bind(1, run_id).bind(2, step);
            if (!head.step()) {
                impl_->require_run(run_id);
                throw StoreError(K::not_found, "the step is not stored");
            }
            r.stage = stored_stage(head.column_text(0));
            r.wall_time = head.column_double(1);
            r.kv_cache_bytes = head.column_int(2);

            sqlite::Statement m(impl_->conn,
                                "SELECT key, value FROM metrics WHERE run_id = ?1 "
                                "AND step = ?2");
            m.bind(1, run_id).bind(2, step);
            while (m.step()) r.scalars[m.column_text(0)] = m.column_double(1);

            ExpertSnapshot snap = query_expert_snapshot(impl_->conn, run_id, step);
            r.expert_load = std::move(snap.load);
            r.gate_weight = std::move(snap.gate_weight);
            r.router_bias = std::move(snap.bias);
            for (RolloutSource source : {RolloutSource::train, RolloutSource::eval}) {
                RolloutQuery q;
                q.source = source;
                q.min_step = step;
                q.max_step = step;
                q.with_tokens = true;
                for (auto& sr : query_rollouts(impl_->conn, run_id, q, -1))
                    r.rollouts.push_back(std::move(sr.sample));
            }
            return r;
        });
}

std::vector<std::string> RunStore::metric_keys(std::int64_t run_id) const {
    return impl_->guard("cannot read the metric names of " + run_text(run_id), [&] {
        sqlite::Statement s(impl_->conn,
                            "SELECT DISTINCT key FROM metrics WHERE run_id = ?1 ORDER BY key");
        s.bind(1, run_id);
        std::vector<std::string> out;
        while (s.step()) out.push_back(s.column_text(0));
        return out;
    });
}

MetricSeries RunStore::metric_series(std::int64_t run_id, const std::string& key) const {
    return metric_series(run_id, key, std::numeric_limits<std::int64_t>::min(),
                         std::numeric_limits<std::int64_t>::max());
}

MetricSeries RunStore::metric_series(std::int64_t run_id, const std::string& key,
                                     std::int64_t first_step, std::int64_t last_step) const {
    return impl_->guard("cannot read metric '" + key + "' of " + run_text(run_id), [&] {
        sqlite::Statement s(impl_->conn,
                            "SELECT step, wall_time, value FROM metrics WHERE run_id = ?1 AND "
                            "key = ?2 AND step BETWEEN ?3 AND ?4 ORDER BY step");
        s.bind(1, run_id).bind(2, key).bind(3, first_step).bind(4, last_step);
        MetricSeries out;
        while (s.step()) out.push_back({s.column_int(0), s.column_double(1), s.column_double(2)});
        return out;
    });
}

std::map<std::string, MetricSeries> RunStore::metric_series(
    std::int64_t run_id, const std::vector<std::string>& keys) const {
    std::map<std::string, MetricSeries> out;
    if (keys.empty()) {
        impl_->guard("cannot read the metrics of " + run_text(run_id), [&] {
            sqlite::Statement s(impl_->conn,
                                "SELECT key, step, wall_time, value FROM metrics WHERE run_id = "
                                "?1 ORDER BY key, step");
            s.bind(1, run_id);
            while (s.step()) {
                out[s.column_text(0)].push_back(
                    {s.column_int(1), s.column_double(2), s.column_double(3)});
            }
        });
        return out;
    }
    for (const auto& key : keys) out[key] = metric_series(run_id, key);
    return out;
}

ExpertSnapshot RunStore::expert_load_at(std::int64_t run_id, std::int64_t step) const {
    return impl_->guard(
        "cannot read the expert load of step " + std::to_string(step) + " of " + run_text(run_id),
        [&] { return query_expert_snapshot(impl_->conn, run_id, step); });
}

ExpertHistory RunStore::expert_load_history(std::int64_t run_id, int layer) const {
    return impl_->guard(
        "cannot read the expert load history of layer " + std::to_string(layer) + " of " +
            run_text(run_id),
        [&] {
            ExpertHistory h;
            h.layer = layer;
            sqlite::Statement s(impl_->conn,
                                "SELECT max(expert) + 1, max(gate_weight IS NOT NULL), "
                                "max(bias IS NOT NULL) FROM expert_load WHERE run_id = ?1 AND "
                                "layer = ?2");
            s.bind(1, run_id).bind(2, layer);
            s.step();
            if (s.is_null(0)) return h;
            h.experts = static_cast<int>(s.column_int(0));
            const bool has_gate = s.column_int(1) != 0, has_bias = s.column_int(2) != 0;

            sqlite::Statement rows(impl_->conn,
                                   "SELECT step, expert, load, gate_weight, bias FROM expert_load "
                                   "WHERE run_id = ?1 AND layer = ?2 ORDER BY step, expert");
            rows.bind(1, run_id).bind(2, layer);
            const float nan = std::numeric_limits<float>::quiet_NaN();
            while (rows.step()) {
                const auto step = rows.column_int(0);
                if (h.steps.empty() || h.steps.back() != step) {
                    h.steps.push_back(step);
                    h.load.resize(h.steps.size() * h.experts, nan);
                    if (has_gate) h.gate_weight.resize(h.steps.size() * h.experts, nan);
                    if (has_bias) h.bias.resize(h.steps.size() * h.experts, nan);
                }
                const std::size_t at = (h.steps.size() - 1) * h.experts + rows.column_int(1);
                h.load[at] = static_cast<float>(rows.column_double(2));
                if (has_gate) h.gate_weight[at] = static_cast<float>(rows.column_double(3));
                if (has_bias) h.bias[at] = static_cast<float>(rows.column_double(4));
            }
            return h;
        });
}

std::vector<CheckpointInfo> RunStore::checkpoints(std::int64_t run_id) const {
    return impl_->guard("cannot read the checkpoints of " + run_text(run_id), [&] {
        sqlite::Statement s(impl_->conn,
                            "SELECT step, path, created FROM checkpoints WHERE run_id = ?1 ORDER "
                            "BY step");
        s.bind(1, run_id);
        std::vector<CheckpointInfo> out;
        while (s.step()) out.push_back({s.column_int(0), s.column_text(1), s.column_text(2)});
        return out;
    });
}

std::optional<CheckpointInfo> RunStore::latest_checkpoint(std::int64_t run_id) const {
    auto all = checkpoints(run_id);
    if (all.empty()) return std::nullopt;
    return all.back();
}

std::vector<ScalingResult> RunStore::scaling_results(std::int64_t run_id) const {
    return impl_->guard("cannot read the scaling results of " + run_text(run_id), [&] {
        sqlite::Statement s(impl_->conn,
                            "SELECT run_id, method, k, accuracy, tokens_per_item, seed, n_items "
                            "FROM scaling_results WHERE run_id = ?1 ORDER BY method, k, id");
        s.bind(1, run_id);
        std::vector<ScalingResult> out;
        while (s.step()) {
            out.push_back({s.column_int(0), s.column_text(1), static_cast<int>(s.column_int(2)),
                           s.column_double(3), s.column_double(4), s.column_int(5),
                           s.column_int(6)});
        }
        return out;
    });
}

std::vector<StoredPassAtK> RunStore::pass_at_k_curves(std::int64_t run_id) const {
    return impl_->guard("cannot read the pass@k curves of " + run_text(run_id), [&] {
        sqlite::Statement s(impl_->conn,
                            "SELECT step, temperature, problems, samples, seed, k, pass, "
                            "majority, created FROM pass_at_k WHERE run_id = ?1 "
                            "ORDER BY step, temperature, problems, samples, seed, k");
        s.bind(1, run_id);
        std::vector<StoredPassAtK> out;
        while (s.step()) {
            const std::int64_t step = s.column_int(0);
            const double temperature = s.column_double(1);
            const int problems = static_cast<int>(s.column_int(2));
            const int samples = static_cast<int>(s.column_int(3));
            const std::int64_t seed = s.column_int(4);
            const bool same_curve = !out.empty() && out.back().step == step &&
                                    out.back().temperature == temperature &&
                                    out.back().problems == problems &&
                                    out.back().samples == samples && out.back().seed == seed;
            if (!same_curve) {
                out.push_back({run_id,
                               step,
                               temperature,
                               problems,
                               samples,
                               seed,
                               {},
                               {},
                               {},
                               s.column_text(8)});
            }
            out.back().ks.push_back(static_cast<int>(s.column_int(5)));
            out.back().pass.push_back(s.column_double(6));
            out.back().majority.push_back(s.column_double(7));
        }
        return out;
    });
}

}  // namespace tinyseek
