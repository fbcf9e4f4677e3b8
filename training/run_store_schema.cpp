#include "training/run_store_schema.h"

#include <string>

#include "core/errors.h"

namespace tinyseek::run_store_schema {

namespace {

// Version 1, the first layout (docs/ARCHITECTURE.md "Storage rules"): runs, metrics, expert load,
// rollouts, checkpoints and the reward-model lab's scaling results. Measured values are
// nullable because SQLite stores NaN as NULL, and a diverging step must still be stored.
constexpr const char* kV1 = R"sql(
CREATE TABLE runs (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    config   TEXT NOT NULL DEFAULT '{}',
    status   TEXT NOT NULL DEFAULT 'running'
             CHECK (status IN ('running', 'completed', 'failed', 'stopped')),
    created  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished TEXT
);
CREATE TABLE metrics (
    run_id    INTEGER NOT NULL REFERENCES runs(id),
    step      INTEGER NOT NULL,
    key       TEXT NOT NULL,
    value     REAL,
    wall_time REAL NOT NULL,
    PRIMARY KEY (run_id, key, step)
) WITHOUT ROWID;
CREATE TABLE expert_load (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    step   INTEGER NOT NULL,
    layer  INTEGER NOT NULL,
    expert INTEGER NOT NULL,
    load   REAL,
    PRIMARY KEY (run_id, step, layer, expert)
) WITHOUT ROWID;
CREATE TABLE rollouts (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES runs(id),
    step       INTEGER NOT NULL,
    prompt     TEXT NOT NULL,
    completion TEXT NOT NULL,
    accuracy   REAL,
    format     REAL,
    reward     REAL,
    advantage  REAL,
    length     INTEGER NOT NULL
);
CREATE INDEX rollouts_run_step ON rollouts (run_id, step);
CREATE TABLE checkpoints (
    run_id  INTEGER NOT NULL REFERENCES runs(id),
    step    INTEGER NOT NULL,
    path    TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (run_id, step)
);
CREATE TABLE scaling_results (
    id              INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES runs(id),
    method          TEXT NOT NULL,
    k               INTEGER NOT NULL,
    accuracy        REAL NOT NULL,
    tokens_per_item REAL NOT NULL,
    seed            INTEGER NOT NULL,
    n_items         INTEGER NOT NULL
);
CREATE INDEX scaling_results_run ON scaling_results (run_id, method, k);
)sql";

// Version 2: linked control runs and error messages on runs; gate weight and router bias
// beside the expert load; the malformed flag on rollouts; a steps table (stage, wall time,
// KV-cache bytes per step) so a step exists even when it logged no metric. Steps of version-1
// runs are rebuilt from their metrics; version 1 had no stage, so they take 'grpo' for runs
// of kind 'grpo' and 'sft' otherwise.
constexpr const char* kV2 = R"sql(
ALTER TABLE runs ADD COLUMN parent_run_id INTEGER REFERENCES runs(id);
ALTER TABLE runs ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE expert_load ADD COLUMN gate_weight REAL;
ALTER TABLE expert_load ADD COLUMN bias REAL;
ALTER TABLE rollouts ADD COLUMN malformed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE steps (
    run_id         INTEGER NOT NULL REFERENCES runs(id),
    step           INTEGER NOT NULL,
    stage          TEXT NOT NULL CHECK (stage IN ('sft', 'grpo')),
    wall_time      REAL NOT NULL,
    kv_cache_bytes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
INSERT INTO steps (run_id, step, stage, wall_time)
    SELECT m.run_id, m.step,
           CASE WHEN r.kind = 'grpo' THEN 'grpo' ELSE 'sft' END,
           max(m.wall_time)
    FROM metrics m JOIN runs r ON r.id = m.run_id
    GROUP BY m.run_id, m.step;
CREATE INDEX runs_parent ON runs (parent_run_id);
)sql";

// Version 3: pass@k and maj@k curves of a run's checkpoints (training/pass_at_k.h), one row per
// k. A curve is identified by the checkpoint's step and how it was measured; measuring the same
// again replaces it.
constexpr const char* kV3 = R"sql(
CREATE TABLE pass_at_k (
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    step        INTEGER NOT NULL,
    temperature REAL NOT NULL,
    problems    INTEGER NOT NULL,
    samples     INTEGER NOT NULL,
    seed        INTEGER NOT NULL,
    k           INTEGER NOT NULL,
    pass        REAL NOT NULL,
    majority    REAL NOT NULL,
    created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (run_id, step, temperature, problems, samples, seed, k)
) WITHOUT ROWID;
)sql";

// Version 4: every completion of a GRPO group and held-out evaluation samples
// (training/SCHEMA.md "rollouts"). Rows get their source, their group and place in it, mean
// log-prob and entropy and the per-token values (training/token_values_codec.h). The samples
// of older versions had no group: each becomes a group of its own, numbered in order.
constexpr const char* kV4 = R"sql(
ALTER TABLE rollouts ADD COLUMN source TEXT NOT NULL DEFAULT 'train'
    CHECK (source IN ('train', 'eval'));
ALTER TABLE rollouts ADD COLUMN group_index INTEGER;
ALTER TABLE rollouts ADD COLUMN member INTEGER;
ALTER TABLE rollouts ADD COLUMN mean_logprob REAL;
ALTER TABLE rollouts ADD COLUMN mean_entropy REAL;
ALTER TABLE rollouts ADD COLUMN token_values BLOB;
UPDATE rollouts SET group_index = (
    SELECT count(*) FROM rollouts r
    WHERE r.run_id = rollouts.run_id AND r.step = rollouts.step AND r.id < rollouts.id);
DROP INDEX rollouts_run_step;
CREATE INDEX rollouts_by_group ON rollouts (run_id, source, step, group_index, member);
)sql";

}  // namespace

const char* migration_sql(int to_version) {
    switch (to_version) {
        case 1:
            return kV1;
        case 2:
            return kV2;
        case 3:
            return kV3;
        case 4:
            return kV4;
        default:
            throw Error("run store schema: no migration to version " + std::to_string(to_version) +
                        " (known: 1.." + std::to_string(kCurrentVersion) + ")");
    }
}

}  // namespace tinyseek::run_store_schema
