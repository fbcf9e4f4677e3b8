// A small stored run database for the page tests, written through the real RunStore: two
// runs of the tiny model, one with aux-loss-free balancing whose expert load evens out and
// one with no balancing whose load collapses onto two experts, each with rollouts, metrics
// and a checkpoint (randomly initialised tiny weights, so token routing can be recomputed).
// The numbers are synthetic on purpose: a test must know what each cell should show.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checkpoint.h"
#include "core/model_config.h"
#include "core/param_store.h"
#include "core/tokenizer.h"
#include "training/run_store.h"

namespace synthetic {

inline constexpr int kExperts = 8;
inline constexpr int kSteps = 40;
inline const std::vector<int> kLayers = {1, 2, 3, 4};  // 4 = the MTP block of tiny

// Load share of `expert` in row `row` at `step` (rows sum to 1 over the experts).
inline float share(bool balanced, int row, int step, int expert) {
    std::vector<double> w(kExperts);
    double sum = 0;
    for (int e = 0; e < kExperts; ++e) {
        const double skew = ((e + row) % 3 == 0 ? 0.8 : -0.3);
        if (balanced)  // starts skewed, decays towards 1/E
            w[e] = 1.0 + skew * std::exp(-step / 8.0);
        else  // collapses: experts (row) and (row+1) take almost everything
            w[e] = (e == row % kExperts || e == (row + 1) % kExperts)
                       ? 1.0 + step
                       : std::max(0.0, 1.0 - step / 10.0) + 0.0005;
        sum += w[e];
    }
    return static_cast<float>(w[expert] / sum);
}

inline float bias(bool balanced, int row, int step, int expert) {
    if (!balanced) return 0.0f;
    const double skew = ((expert + row) % 3 == 0 ? 0.8 : -0.3);
    return static_cast<float>(-1e-3 * skew * step);
}

inline std::string configJson(const std::string& balance) {
    tinyseek::ModelConfig c = tinyseek::ModelConfig::preset("tiny");
    nlohmann::json j;
    j["name"] = balance + " run";
    j["model"] = c.to_json();
    j["model"]["balance_mode"] = balance;
    return j.dump();
}

inline std::string prompt(int step, int i) {
    return std::to_string(10 + step) + "+" + std::to_string(20 + i) + "=";
}
inline std::string completion(int step, int i) {
    return "<think>" + std::to_string(step % 10) + "+" + std::to_string(i) + "</think><answer>" +
           std::to_string(30 + step + i) + "</answer>";
}

// Rollouts: 4 at every 5th step (steps 0, 5, ...); reward total = (step + i) % 3 * 0.55.
inline constexpr int kRolloutsPerStep = 4;
inline constexpr int kRolloutEvery = 5;

inline std::int64_t addRun(tinyseek::RunStore& store, bool balanced, const std::string& ckDir) {
    const std::string mode = balanced ? "aux_free" : "none";
    tinyseek::NewRun nr;
    nr.name = mode + " run";
    nr.kind = "sft";
    nr.config_json = configJson(mode);
    const std::int64_t id = store.create_run(nr);
    for (int s = 0; s < kSteps; ++s) {
        tinyseek::StepReport r;
        r.run_id = id;
        r.step = s;
        r.wall_time = 0.5 * s;
        r.scalars["loss"] = 3.0 - 0.05 * s;
        r.expert_load = tinyseek::ExpertMatrix(kLayers, kExperts);
        r.router_bias = tinyseek::ExpertMatrix(kLayers, kExperts);
        for (int row = 0; row < static_cast<int>(kLayers.size()); ++row)
            for (int e = 0; e < kExperts; ++e) {
                r.expert_load.at(row, e) = share(balanced, row, s, e);
                r.router_bias.at(row, e) = bias(balanced, row, s, e);
            }
        if (s % kRolloutEvery == 0)
            for (int i = 0; i < kRolloutsPerStep; ++i) {
                tinyseek::RolloutSample sample;
                sample.prompt = prompt(s, i);
                sample.completion = completion(s, i);
                sample.reward.accuracy = (s + i) % 3 == 2 ? 1.0 : 0.0;
                sample.reward.format = (s + i) % 3 >= 1 ? 1.0 : 0.0;
                sample.reward.total = ((s + i) % 3) * 0.55;
                sample.advantage = i - 1.5;
                sample.length = static_cast<int>(sample.completion.size());
                r.rollouts.push_back(sample);
            }
        store.append_step(r);
    }
    if (!ckDir.empty()) {
        tinyseek::ModelConfig c = tinyseek::ModelConfig::preset("tiny");
        c.balance_mode = balanced ? tinyseek::BalanceMode::aux_free : tinyseek::BalanceMode::none;
        tinyseek::ParamStore params(c);
        tinyseek::init_params(params, balanced ? 1 : 2);
        tinyseek::save_checkpoint(ckDir, params, tinyseek::Tokenizer(), nullptr);
        store.add_checkpoint(id, kSteps - 1, ckDir);
    }
    store.finish(id, tinyseek::RunStatus::completed);
    return id;
}

struct Database {
    std::string path;
    std::int64_t balancedRun = 0;
    std::int64_t collapsedRun = 0;
};

// Writes a fresh database under `dir` (which must exist).
inline Database create(const std::string& dir, bool withCheckpoints = true) {
    Database db;
    db.path = dir + "/runs.db";
    std::remove(db.path.c_str());
    tinyseek::RunStore store(db.path);
    db.balancedRun = addRun(store, true, withCheckpoints ? dir + "/ck_aux_free" : "");
    db.collapsedRun = addRun(store, false, withCheckpoints ? dir + "/ck_none" : "");
    return db;
}

}  // namespace synthetic
