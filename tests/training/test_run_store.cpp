// RunStore round trips: runs, steps (every part of a StepReport), metric series, expert
// statistics, rollouts with filters and paging, checkpoints, scaling results, renames,
// statuses and deletes.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "tests/scratch_dir.h"
#include "training/run_store.h"

namespace tinyseek {
namespace {

namespace fs = std::filesystem;

// Rows of `table` belonging to `run_id`, counted through a separate raw connection.
std::int64_t count_rows(const std::string& path, const std::string& table, std::int64_t run_id) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    const std::string column = table == "runs" ? "id" : "run_id";
    const std::string sql =
        "SELECT count(*) FROM " + table + " WHERE " + column + " = " + std::to_string(run_id);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    const std::int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

ExpertMatrix matrix(float base) {
    ExpertMatrix m({1, 2, 3, 4}, 8);
    for (int r = 0; r < m.rows(); ++r) {
        for (int e = 0; e < m.experts; ++e) m.at(r, e) = base + 0.01f * r + 0.001f * e;
    }
    return m;
}

StepReport make_report(std::int64_t run_id, std::int64_t step) {
    StepReport r;
    r.run_id = run_id;
    r.step = step;
    r.wall_time = 0.5 * step + 0.125;
    r.stage = step < 3 ? Stage::sft : Stage::grpo;
    r.scalars[metric::kLoss] = 2.0 / (step + 1);
    r.scalars[metric::kReward] = 0.1 * step;
    r.scalars[metric::kLearningRate] = 1e-4;
    if (step % 2 == 0) r.scalars[metric::kEvalAccuracy] = 0.2 + 0.1 * step;
    r.expert_load = matrix(0.1f * step);
    r.router_bias = matrix(-0.5f);
    r.gate_weight = matrix(0.25f);
    for (int i = 0; i < 3; ++i) {
        RolloutSample s;
        s.prompt = "12+" + std::to_string(step) + "=";
        s.completion =
            "<think>2+" + std::to_string(i) + "</think><answer>" + std::to_string(i) + "</answer>";
        s.reward.accuracy = i == 0 ? 1.0 : 0.0;
        s.reward.format = i < 2 ? 1.0 : 0.0;
        s.reward.total = s.reward.accuracy + 0.1 * s.reward.format;
        s.reward.malformed = i == 2;
        s.advantage = (i - 1) * 0.75;
        s.length = 10 + i;
        s.group = i;  // a sample of its own group (the store's numbering)
        r.rollouts.push_back(s);
    }
    r.kv_cache_bytes = 1024 * (step + 1);
    return r;
}

void expect_same(const StepReport& a, const StepReport& b) {
    EXPECT_EQ(a.run_id, b.run_id);
    EXPECT_EQ(a.step, b.step);
    EXPECT_EQ(a.wall_time, b.wall_time);
    EXPECT_EQ(a.stage, b.stage);
    EXPECT_EQ(a.scalars, b.scalars);
    EXPECT_EQ(a.expert_load, b.expert_load);
    EXPECT_EQ(a.router_bias, b.router_bias);
    EXPECT_EQ(a.gate_weight, b.gate_weight);
    EXPECT_EQ(a.rollouts, b.rollouts);
    EXPECT_EQ(a.kv_cache_bytes, b.kv_cache_bytes);
}

TEST(RunStore, CreatesRunsWithTheirFields) {
    const auto path = tinyseek::testing::fresh_db("training_store", "create");
    RunStore store(path);
    EXPECT_EQ(RunStore::schema_version(), 4);
    const auto a = store.create_run({"sft then grpo", "pipeline", R"({"lr":0.0001})", {}});
    const auto b = store.create_run({"control", "control", "{}", a});
    EXPECT_NE(a, b);
    const auto runs = store.list_runs();
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].id, a);
    EXPECT_EQ(runs[0].name, "sft then grpo");
    EXPECT_EQ(runs[0].kind, "pipeline");
    EXPECT_EQ(runs[0].config_json, R"({"lr":0.0001})");
    EXPECT_EQ(runs[0].status, RunStatus::running);
    EXPECT_EQ(runs[0].created.size(), 24u) << runs[0].created;  // 2026-11-23T14:16:13.512Z
    EXPECT_TRUE(runs[0].finished.empty());
    EXPECT_FALSE(runs[0].parent_run_id.has_value());
    EXPECT_EQ(runs[0].n_steps, 0);
    EXPECT_FALSE(runs[0].last_step.has_value());
    EXPECT_FALSE(runs[0].best_eval_accuracy.has_value());
    EXPECT_EQ(runs[1].parent_run_id, a);
    EXPECT_EQ(store.run(b).name, "control");

    EXPECT_THROW(store.create_run({"x", "sft", "{not json", {}}), StoreError);
    EXPECT_THROW(store.create_run({"", "sft", "{}", {}}), StoreError);
    try {
        store.create_run({"orphan", "control", "{}", 999});
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::not_found);
        EXPECT_NE(std::string(e.what()).find("run 999 does not exist"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
    }
    EXPECT_EQ(store.list_runs().size(), 2u);
}

TEST(RunStore, StepReportsRoundTripExactly) {
    const auto path = tinyseek::testing::fresh_db("training_store", "roundtrip");
    std::int64_t run = 0;
    {
        RunStore store(path);
        run = store.create_run({"r", "pipeline", "{}", {}});
        StepSink& sink = store;  // the trainer only knows the sink interface
        for (int s = 0; s < 6; ++s) sink.on_step(make_report(run, s));
    }
    RunStore store(path, {.read_only = true});
    EXPECT_EQ(store.steps(run), (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5}));
    for (int s = 0; s < 6; ++s) expect_same(store.load_step(run, s), make_report(run, s));

    const auto info = store.run(run);
    EXPECT_EQ(info.n_steps, 6);
    EXPECT_EQ(info.last_step, 5);
    ASSERT_TRUE(info.best_eval_accuracy.has_value());
    EXPECT_DOUBLE_EQ(*info.best_eval_accuracy, 0.2 + 0.1 * 4);
    try {
        store.load_step(run, 99);
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::not_found);
    }
}

TEST(RunStore, NonFiniteScalarsSurvive) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "nonfinite"));
    const auto run = store.create_run({"r", "grpo", "{}", {}});
    StepReport r;
    r.run_id = run;
    r.step = 1;
    r.scalars["kl"] = std::numeric_limits<double>::infinity();
    r.scalars["loss"] = std::numeric_limits<double>::quiet_NaN();
    r.scalars["grad_norm"] = -std::numeric_limits<double>::infinity();
    RolloutSample diverged;
    diverged.prompt = "1+1=";
    diverged.advantage = std::numeric_limits<double>::quiet_NaN();
    diverged.reward.total = std::numeric_limits<double>::quiet_NaN();
    r.rollouts.push_back(diverged);
    store.append_step(r);
    const auto back = store.load_step(run, 1);
    EXPECT_EQ(back.scalars.at("kl"), std::numeric_limits<double>::infinity());
    EXPECT_EQ(back.scalars.at("grad_norm"), -std::numeric_limits<double>::infinity());
    EXPECT_TRUE(std::isnan(back.scalars.at("loss")));
    EXPECT_TRUE(back.expert_load.empty());
    ASSERT_EQ(back.rollouts.size(), 1u);
    EXPECT_TRUE(std::isnan(back.rollouts[0].advantage));
    EXPECT_TRUE(std::isnan(back.rollouts[0].reward.total));
    EXPECT_EQ(back.rollouts[0].reward.accuracy, 0.0);

    // A NaN wall time is a trainer bug: refused with a message, nothing stored.
    StepReport bad;
    bad.run_id = run;
    bad.step = 2;
    bad.wall_time = std::numeric_limits<double>::quiet_NaN();
    try {
        store.append_step(bad);
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("wall_time is NaN"), std::string::npos) << e.what();
    }
    EXPECT_EQ(store.steps(run), (std::vector<std::int64_t>{1}));
}

TEST(RunStore, MetricSeriesAndKeys) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "metrics"));
    const auto run = store.create_run({"r", "grpo", "{}", {}});
    const auto other = store.create_run({"o", "grpo", "{}", {}});
    for (int s = 0; s < 5; ++s) store.append_step(make_report(run, s));
    store.append_step(make_report(other, 0));

    EXPECT_EQ(store.metric_keys(run),
              (std::vector<std::string>{"eval/accuracy", "learning_rate", "loss", "reward"}));
    const auto loss = store.metric_series(run, "loss");
    ASSERT_EQ(loss.size(), 5u);
    for (int s = 0; s < 5; ++s) {
        EXPECT_EQ(loss[s].step, s);
        EXPECT_EQ(loss[s].wall_time, 0.5 * s + 0.125);
        EXPECT_EQ(loss[s].value, 2.0 / (s + 1));
    }
    const auto eval = store.metric_series(run, "eval/accuracy");
    ASSERT_EQ(eval.size(), 3u);  // logged every other step
    EXPECT_EQ(eval[2].step, 4);

    const auto all = store.metric_series(run);
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all.at("loss"), loss);
    const auto some = store.metric_series(run, std::vector<std::string>{"reward", "nope"});
    ASSERT_EQ(some.size(), 2u);
    EXPECT_EQ(some.at("reward").size(), 5u);
    EXPECT_TRUE(some.at("nope").empty());

    // A step range, both ends included (what a zoomed-in chart of a thinned run reads).
    const auto middle = store.metric_series(run, "loss", 1, 3);
    ASSERT_EQ(middle.size(), 3u);
    EXPECT_EQ(middle.front(), loss[1]);
    EXPECT_EQ(middle.back(), loss[3]);
    EXPECT_EQ(store.metric_series(run, "eval/accuracy", 1, 3).size(), 1u);  // step 2
    EXPECT_TRUE(store.metric_series(run, "loss", 7, 9).empty());
}

TEST(RunStore, ExpertLoadSnapshotsAndHistory) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "experts"));
    const auto run = store.create_run({"r", "grpo", "{}", {}});
    for (int s = 0; s < 4; ++s) store.append_step(make_report(run, s));
    StepReport load_only;
    load_only.run_id = run;
    load_only.step = 4;
    load_only.expert_load = matrix(0.9f);
    store.append_step(load_only);

    const auto snap = store.expert_load_at(run, 2);
    EXPECT_EQ(snap.step, 2);
    EXPECT_EQ(snap.load, matrix(0.2f));
    EXPECT_EQ(snap.gate_weight, matrix(0.25f));
    EXPECT_EQ(snap.bias, matrix(-0.5f));
    const auto partial = store.expert_load_at(run, 4);
    EXPECT_EQ(partial.load, matrix(0.9f));
    EXPECT_TRUE(partial.gate_weight.empty());
    EXPECT_TRUE(partial.bias.empty());
    EXPECT_TRUE(store.expert_load_at(run, 77).load.empty());

    const auto h = store.expert_load_history(run, 3);
    EXPECT_EQ(h.layer, 3);
    EXPECT_EQ(h.experts, 8);
    ASSERT_EQ(h.steps, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
    ASSERT_EQ(h.load.size(), 5u * 8u);
    const int row_of_layer3 = 2;
    for (int s = 0; s < 5; ++s) {
        const ExpertMatrix m = s < 4 ? matrix(0.1f * s) : matrix(0.9f);
        for (int e = 0; e < 8; ++e) EXPECT_EQ(h.load[s * 8 + e], m.at(row_of_layer3, e));
    }
    ASSERT_EQ(h.bias.size(), 40u);
    EXPECT_EQ(h.bias[0], matrix(-0.5f).at(row_of_layer3, 0));
    EXPECT_TRUE(std::isnan(h.bias[4 * 8]));  // step 4 recorded no bias
    EXPECT_TRUE(store.expert_load_history(run, 9).steps.empty());
}

TEST(RunStore, MismatchedExpertMatricesAreRefusedWhole) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "mismatch"));
    const auto run = store.create_run({"r", "grpo", "{}", {}});
    StepReport r = make_report(run, 0);
    r.router_bias = ExpertMatrix({1, 2}, 8);
    EXPECT_THROW(store.append_step(r), StoreError);
    r = make_report(run, 0);
    r.expert_load.values.pop_back();
    try {
        store.append_step(r);
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("step 0 of run"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(store.steps(run).empty());
    store.append_step(make_report(run, 0));
    EXPECT_EQ(store.steps(run).size(), 1u);
}

TEST(RunStore, RolloutFiltersAndPaging) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "rollouts"));
    const auto run = store.create_run({"r", "grpo", "{}", {}});
    for (int s = 0; s < 10; ++s) store.append_step(make_report(run, s));
    EXPECT_EQ(store.count_rollouts(run), 30);
    auto page = store.rollouts(run, {.limit = 7});
    ASSERT_EQ(page.size(), 7u);
    EXPECT_EQ(page[0].step, 0);
    EXPECT_EQ(page[6].step, 2);  // ordered by step, then insertion
    EXPECT_EQ(page[6].sample, make_report(run, 2).rollouts[0]);

    // Paging walks every row exactly once.
    std::vector<std::int64_t> ids;
    for (std::int64_t off = 0;; off += 4) {
        const auto p = store.rollouts(run, {.limit = 4, .offset = off});
        if (p.empty()) break;
        for (const auto& r : p) ids.push_back(r.id);
    }
    ASSERT_EQ(ids.size(), 30u);
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));

    const RolloutQuery range{.min_step = 3, .max_step = 5};
    EXPECT_EQ(store.count_rollouts(run, range), 9);
    for (const auto& r : store.rollouts(run, range)) {
        EXPECT_GE(r.step, 3);
        EXPECT_LE(r.step, 5);
    }
    const RolloutQuery good{.min_step = 8, .min_reward = 1.0};
    const auto best = store.rollouts(run, good);
    ASSERT_EQ(best.size(), 2u);  // steps 8 and 9, the one correct rollout each
    EXPECT_DOUBLE_EQ(best[0].sample.reward.total, 1.1);
    EXPECT_EQ(store.count_rollouts(run, good), 2);
    EXPECT_THROW(store.rollouts(run, {.limit = -1}), StoreError);
}

// A step of two GRPO groups of three and two held-out evaluation samples, with per-token
// values chosen exactly representable in BF16 so the report reads back as written.
StepReport grouped_report(std::int64_t run_id, std::int64_t step) {
    StepReport r;
    r.run_id = run_id;
    r.step = step;
    r.stage = Stage::grpo;
    for (int p = 0; p < 2; ++p)
        for (int g = 0; g < 3; ++g) {
            RolloutSample s;
            s.prompt = std::to_string(p) + "+" + std::to_string(step) + "=";
            s.completion = "<answer>" + std::to_string(g) + "</answer>";
            // Group 1 of the first two steps has no right answer.
            s.reward.accuracy = (g == 0 && !(p == 1 && step < 2)) ? 1.0 : 0.0;
            s.reward.format = 1.0;
            s.reward.total = s.reward.accuracy + 0.1;
            s.advantage = g == 0 ? 1.0 : -0.5;
            s.length = 3 + g;
            s.group = p;
            s.member = g;
            s.tokens.ids.assign(static_cast<std::size_t>(s.length), 20 + g);
            s.tokens.logprob.assign(s.tokens.ids.size(), -0.5f * (g + 1));
            s.tokens.entropy.assign(s.tokens.ids.size(), 0.75f);
            s.mean_logprob = -0.5 * (g + 1);
            s.mean_entropy = 0.75;
            r.rollouts.push_back(s);
        }
    for (int problem : {0, 7}) {
        RolloutSample e;
        e.source = RolloutSource::eval;
        e.prompt = std::to_string(problem) + "+1=";
        e.completion = "<answer>" + std::to_string(problem + 1) + "</answer>";
        e.reward = {1.0, 1.0, 1.1, false};
        e.length = 2;
        e.group = problem;
        e.member = 0;
        e.tokens = {{5, 6}, {-0.125f}, {2.0f}};  // the second token has no values
        e.mean_logprob = -0.125;
        e.mean_entropy = 2.0;
        r.rollouts.push_back(e);
    }
    return r;
}

TEST(RunStore, GroupsAndEvaluationSamplesAreStoredApart) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "groups"));
    const auto run = store.create_run({"g", "grpo", "{}", {}});
    for (int s = 0; s < 4; ++s) store.append_step(grouped_report(run, s));
    for (int s = 0; s < 4; ++s) expect_same(store.load_step(run, s), grouped_report(run, s));

    const RolloutQuery eval{.source = RolloutSource::eval};
    EXPECT_EQ(store.count_rollouts(run), 24);
    EXPECT_EQ(store.count_rollouts(run, eval), 8);
    const auto samples = store.rollouts(run, {.source = RolloutSource::eval, .limit = 3});
    ASSERT_EQ(samples.size(), 3u);
    EXPECT_EQ(samples[1].sample.group, 7);
    EXPECT_EQ(samples[2].step, 1);
    EXPECT_TRUE(samples[0].sample.tokens.empty()) << "token values only when asked for";
    EXPECT_EQ(samples[0].sample.mean_entropy, 2.0);

    // One group: its members in order, step by step.
    const auto group1 = store.rollouts(run, {.group = 1, .with_tokens = true});
    ASSERT_EQ(group1.size(), 12u);
    for (std::size_t i = 0; i < group1.size(); ++i) {
        EXPECT_EQ(group1[i].step, static_cast<std::int64_t>(i / 3));
        EXPECT_EQ(group1[i].sample.member, static_cast<int>(i % 3));
        EXPECT_EQ(group1[i].sample.tokens.ids.size(), 3u + i % 3);
    }

    // Summaries by group, computed by hand: step 0, group 0 has rewards 1.1, 0.1, 0.1 and
    // lengths 3, 4, 5.
    EXPECT_EQ(store.count_rollout_groups(run, {}), 8);
    const auto groups = store.rollout_groups(run, {.limit = 3, .offset = 0});
    ASSERT_EQ(groups.size(), 3u);
    EXPECT_EQ(groups[0].step, 0);
    EXPECT_EQ(groups[0].group, 0);
    EXPECT_EQ(groups[0].prompt, "0+0=");
    EXPECT_EQ(groups[0].completions, 3);
    EXPECT_EQ(groups[0].correct, 1);
    EXPECT_NEAR(groups[0].mean_reward, 1.3 / 3, 1e-12);
    EXPECT_DOUBLE_EQ(groups[0].min_reward, 0.1);
    EXPECT_DOUBLE_EQ(groups[0].max_reward, 1.1);
    EXPECT_DOUBLE_EQ(groups[0].mean_length, 4.0);
    EXPECT_EQ(groups[1].correct, 0);
    EXPECT_EQ(groups[2].step, 1);
    // A minimum reward keeps the groups where some completion reaches it.
    const RolloutQuery solved{.min_reward = 1.0};
    EXPECT_EQ(store.count_rollout_groups(run, solved), 6);
    for (const RolloutGroup& g : store.rollout_groups(run, solved))
        EXPECT_FALSE(g.group == 1 && g.step < 2);
    EXPECT_EQ(store.count_rollout_groups(run, eval), 8);

    const RolloutColumns c = store.rollout_columns(run, RolloutSource::train);
    ASSERT_EQ(c.step.size(), 24u);
    EXPECT_TRUE(std::is_sorted(c.step.begin(), c.step.end()));
    EXPECT_EQ(c.length.size(), 24u);
    EXPECT_DOUBLE_EQ(c.advantage[0] + c.advantage[1] + c.advantage[2], 0.0);
    EXPECT_EQ(store.rollout_columns(run, RolloutSource::eval).reward.size(), 8u);
}

TEST(RunStore, CheckpointsAndScalingResults) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "checkpoints"));
    const auto run = store.create_run({"r", "grpo", "{}", {}});
    EXPECT_FALSE(store.latest_checkpoint(run).has_value());
    store.add_checkpoint(run, 100, "/ckpt/step-100");
    store.add_checkpoint(run, 50, "/ckpt/step-50");
    store.add_checkpoint(run, 100, "/ckpt/step-100b");  // replaces
    const auto cps = store.checkpoints(run);
    ASSERT_EQ(cps.size(), 2u);
    EXPECT_EQ(cps[0].step, 50);
    EXPECT_EQ(cps[1].path, "/ckpt/step-100b");
    EXPECT_EQ(store.latest_checkpoint(run)->step, 100);
    EXPECT_THROW(store.add_checkpoint(run + 5, 1, "/x"), StoreError);

    const ScalingResult a{run, "voting", 8, 0.71, 1234.5, 7, 500};
    const ScalingResult b{run, "greedy", 1, 0.55, 150.0, 7, 500};
    const ScalingResult c{run, "voting", 2, 0.62, 300.25, 7, 500};
    for (const auto& s : {a, b, c}) store.add_scaling_result(s);
    EXPECT_EQ(store.scaling_results(run), (std::vector<ScalingResult>{b, c, a}));
    EXPECT_THROW(store.add_scaling_result({run, "voting", 0, 0.5, 1, 1, 1}), StoreError);
}

// Curves come back grouped as stored; measuring one again replaces it, a different temperature
// or step is another curve, and malformed curves are refused without storing anything.
TEST(RunStore, StoresPassAtKCurvesAndReplacesARemeasuredOne) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "pass_at_k"));
    const auto run = store.create_run({"r", "pipeline", "{}", {}});
    StoredPassAtK a{run, 1000, 1.0, 100, 4, 7, {1, 2, 4}, {0.25, 0.4, 0.5}, {0.25, 0.25, 0.3}, {}};
    StoredPassAtK b = a;
    b.temperature = 0.6;
    b.pass = {0.3, 0.35, 0.4};
    StoredPassAtK c = a;
    c.step = 500;
    c.ks = {1};
    c.pass = {0.1};
    c.majority = {0.1};
    for (const auto& curve : {a, b, c}) store.add_pass_at_k(curve);
    a.pass[2] = 0.55;  // remeasured
    store.add_pass_at_k(a);

    const auto curves = store.pass_at_k_curves(run);
    ASSERT_EQ(curves.size(), 3u);
    EXPECT_EQ(curves[0].step, 500);
    EXPECT_EQ(curves[0].ks, std::vector<int>{1});
    EXPECT_EQ(curves[1].temperature, 0.6);  // same step: by temperature
    EXPECT_EQ(curves[1].pass, b.pass);
    EXPECT_EQ(curves[2].pass, (std::vector<double>{0.25, 0.4, 0.55}));
    EXPECT_EQ(curves[2].majority, a.majority);
    EXPECT_EQ(curves[2].samples, 4);
    EXPECT_EQ(curves[2].problems, 100);
    EXPECT_EQ(curves[2].seed, 7);
    EXPECT_FALSE(curves[2].created.empty());

    StoredPassAtK bad = a;
    bad.ks = {1, 8, 4};  // 8 > samples
    EXPECT_THROW(store.add_pass_at_k(bad), StoreError);
    bad = a;
    bad.ks = {2, 1, 4};  // not ascending
    EXPECT_THROW(store.add_pass_at_k(bad), StoreError);
    bad = a;
    bad.majority = {0.1, 1.5, 0.2};
    EXPECT_THROW(store.add_pass_at_k(bad), StoreError);
    bad = a;
    bad.pass.pop_back();
    EXPECT_THROW(store.add_pass_at_k(bad), StoreError);
    bad = a;
    bad.run_id = run + 9;
    EXPECT_THROW(store.add_pass_at_k(bad), StoreError);
    EXPECT_EQ(store.pass_at_k_curves(run).size(), 3u);
    EXPECT_TRUE(store.pass_at_k_curves(run + 9).empty());
}

TEST(RunStore, RemoveCheckpointsForgetsOnlyTheGivenSteps) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "remove_checkpoints"));
    const auto run = store.create_run({"r", "sft", "{}", {}});
    const auto other = store.create_run({"o", "sft", "{}", {}});
    for (std::int64_t s : {2, 4, 6, 8}) store.add_checkpoint(run, s, "/c" + std::to_string(s));
    store.add_checkpoint(other, 2, "/o2");
    store.remove_checkpoints(run, {2, 6, 7});  // 7 has none: ignored
    std::vector<std::int64_t> left;
    for (const CheckpointInfo& ck : store.checkpoints(run)) left.push_back(ck.step);
    EXPECT_EQ(left, (std::vector<std::int64_t>{4, 8}));
    EXPECT_EQ(store.checkpoints(other).size(), 1u);  // another run's step 2 stays
    store.remove_checkpoints(run, {});
    EXPECT_EQ(store.checkpoints(run).size(), 2u);
    try {
        store.remove_checkpoints(42, {1});
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::not_found) << e.what();
    }
}

TEST(RunStore, SetConfigReplacesTheStoredConfiguration) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "set_config"));
    const auto run = store.create_run({"r", "control", R"({"sft": {"steps": 1}})", {}});
    store.set_config(run, R"({"sft": {"steps": 38}})");
    EXPECT_EQ(store.run(run).config_json, R"({"sft": {"steps": 38}})");
    try {
        store.set_config(42, "{}");
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::not_found) << e.what();
    }
}

TEST(RunStore, RenameStatusAndFinish) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "status"));
    const auto run = store.create_run({"first", "sft", "{}", {}});
    store.rename_run(run, "renamed");
    EXPECT_EQ(store.run(run).name, "renamed");
    store.finish(run, RunStatus::failed, "NaN in loss at step 12");
    auto info = store.run(run);
    EXPECT_EQ(info.status, RunStatus::failed);
    EXPECT_EQ(info.error, "NaN in loss at step 12");
    EXPECT_FALSE(info.finished.empty());
    store.set_status(run, RunStatus::running);  // resumed
    info = store.run(run);
    EXPECT_EQ(info.status, RunStatus::running);
    EXPECT_TRUE(info.finished.empty());
    EXPECT_TRUE(info.error.empty());
    store.finish(run, RunStatus::completed);
    EXPECT_EQ(store.run(run).status, RunStatus::completed);
    EXPECT_THROW(store.finish(run, RunStatus::running), StoreError);
    for (auto f : {+[](RunStore& s) { s.rename_run(42, "x"); },
                   +[](RunStore& s) { s.set_status(42, RunStatus::stopped); },
                   +[](RunStore& s) { s.delete_run(42); }, +[](RunStore& s) { s.run(42); }}) {
        try {
            f(store);
            FAIL();
        } catch (const StoreError& e) {
            EXPECT_EQ(e.kind(), StoreError::Kind::not_found) << e.what();
        }
    }
    EXPECT_EQ(parse_run_status("stopped"), RunStatus::stopped);
    EXPECT_THROW(parse_run_status("paused"), StoreError);
}

TEST(RunStore, DeleteRunRemovesEveryRowAndOnlyThoseRows) {
    const auto path = tinyseek::testing::fresh_db("training_store", "delete");
    RunStore store(path);
    const auto a = store.create_run({"a", "grpo", "{}", {}});
    const auto b = store.create_run({"b", "control", "{}", a});
    for (int s = 0; s < 3; ++s) {
        store.append_step(make_report(a, s));
        store.append_step(make_report(b, s));
    }
    for (auto run : {a, b}) {
        store.add_checkpoint(run, 2, "/c");
        store.add_scaling_result({run, "voting", 1, 0.5, 10, 1, 10});
        store.add_pass_at_k({run, 2, 1.0, 4, 2, 7, {1, 2}, {0.5, 0.75}, {0.5, 0.5}, {}});
    }
    store.delete_run(a);
    const char* tables[] = {"runs",     "steps",       "metrics",         "expert_load",
                            "rollouts", "checkpoints", "scaling_results", "pass_at_k"};
    for (const char* t : tables) {
        EXPECT_EQ(count_rows(path, t, a), 0) << t;
        EXPECT_GT(count_rows(path, t, b), 0) << t;
    }
    const auto runs = store.list_runs();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_FALSE(runs[0].parent_run_id.has_value());  // the link to the deleted run is gone
    EXPECT_EQ(runs[0].n_steps, 3);
    EXPECT_EQ(store.integrity_check(), "ok");
}

TEST(RunStore, StepsAreAppendOnlyAndTruncateAfterReopensThem) {
    RunStore store(tinyseek::testing::fresh_db("training_store", "truncate"));
    const auto run = store.create_run({"r", "grpo", "{}", {}});
    for (int s = 0; s < 6; ++s) store.append_step(make_report(run, s));
    store.add_checkpoint(run, 2, "/c2");
    store.add_checkpoint(run, 5, "/c5");
    StepReport dup = make_report(run, 3);
    dup.scalars["loss"] = 123.0;
    try {
        store.append_step(dup);
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("already stored"), std::string::npos) << e.what();
    }
    EXPECT_EQ(store.load_step(run, 3).scalars.at("loss"), 2.0 / 4);  // the original stays

    store.truncate_after(run, 2);  // resume from the checkpoint at step 2
    EXPECT_EQ(store.steps(run), (std::vector<std::int64_t>{0, 1, 2}));
    EXPECT_EQ(store.metric_series(run, "loss").size(), 3u);
    EXPECT_EQ(store.count_rollouts(run), 9);
    EXPECT_EQ(store.latest_checkpoint(run)->step, 2);
    EXPECT_TRUE(store.expert_load_at(run, 4).load.empty());
    store.append_step(dup);
    EXPECT_EQ(store.load_step(run, 3).scalars.at("loss"), 123.0);
}

TEST(RunStore, AppendToAMissingRunFailsClearly) {
    const auto path = tinyseek::testing::fresh_db("training_store", "missing_run");
    RunStore store(path);
    try {
        store.append_step(make_report(7, 1));
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::not_found);
        const std::string msg = e.what();
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
        EXPECT_NE(msg.find("step 1 of run 7 was not stored"), std::string::npos) << msg;
    }
}

TEST(RunStore, ReaderSeesCommittedStepsWhileTheWriterWorks) {
    const auto path = tinyseek::testing::fresh_db("training_store", "wal_reader");
    RunStore writer(path);
    const auto run = writer.create_run({"live", "grpo", "{}", {}});
    writer.append_step(make_report(run, 0));
    RunStore reader(path, {.read_only = true});
    EXPECT_EQ(reader.steps(run).size(), 1u);
    writer.append_step(make_report(run, 1));
    EXPECT_EQ(reader.steps(run).size(), 2u);
    EXPECT_EQ(reader.metric_series(run, "loss").size(), 2u);
    try {
        reader.append_step(make_report(run, 2));
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::read_only);
    }
    EXPECT_THROW(reader.create_run({"x", "sft", "{}", {}}), StoreError);
    EXPECT_TRUE(reader.read_only());
    EXPECT_FALSE(writer.read_only());
}

}  // namespace
}  // namespace tinyseek
