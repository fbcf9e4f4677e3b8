// RunStore::merge_steps: steps whose content arrives in pieces and may arrive again (a log
// another program is still writing, read by imports/). append_step stays append-only for runs
// this program trains.
#include <cmath>
#include <set>

#include "training/run_store.h"
#include "training/run_store_impl.h"

namespace tinyseek {

namespace {

// Removes the rows of every step of the run (inside the caller's transaction).
void remove_all_steps(sqlite::Connection& conn, std::int64_t run_id) {
    for (const char* table : {"metrics", "expert_load", "rollouts", "checkpoints", "steps"}) {
        sqlite::Statement(conn, std::string("DELETE FROM ") + table + " WHERE run_id = ?1")
            .bind(1, run_id)
            .run();
    }
}

struct MergeStatements {
    explicit MergeStatements(sqlite::Connection& conn)
        : upsert_step(conn,
                      "INSERT INTO steps (run_id, step, stage, wall_time, kv_cache_bytes) "
                      "VALUES (?1, ?2, ?3, COALESCE(?4, 0), 0) "
                      "ON CONFLICT (run_id, step) DO UPDATE SET "
                      "wall_time = COALESCE(?4, wall_time)"),
          upsert_metric(conn,
                        "INSERT OR REPLACE INTO metrics (run_id, step, key, value, wall_time) "
                        "SELECT ?1, ?2, ?3, ?4, wall_time FROM steps "
                        "WHERE run_id = ?1 AND step = ?2"),
          stored_time(conn, "SELECT wall_time FROM steps WHERE run_id = ?1 AND step = ?2"),
          refresh_metric_times(conn,
                               "UPDATE metrics SET wall_time = ?3 "
                               "WHERE run_id = ?1 AND step = ?2 AND wall_time != ?3"),
          remove_rollouts(conn,
                          "DELETE FROM rollouts WHERE run_id = ?1 AND step = ?2 AND source = ?3") {}
    // The steps row and the metrics of `r`.
    void merge_scalars(std::int64_t run_id, const StepReport& r) {
        if (time_changes(run_id, r)) {
            // Rare (a source that gives a step's time after its values), and a scan: metrics
            // are keyed by (run, key, step).
            refresh_metric_times.bind(1, run_id).bind(2, r.step).bind(3, r.wall_time).run();
        }
        upsert_step.bind(1, run_id)
            .bind(2, r.step)
            .bind(3, to_string(r.stage))
            .bind(4, r.wall_time);
        upsert_step.run();
        for (const auto& [key, value] : r.scalars) {
            upsert_metric.bind(1, run_id).bind(2, r.step).bind(3, key).bind(4, value).run();
        }
    }

    // The stored rollouts of the step in each source `r` brings rollouts of.
    void remove_replaced_rollouts(std::int64_t run_id, const StepReport& r) {
        std::set<RolloutSource> sources;
        for (const RolloutSample& s : r.rollouts) sources.insert(s.source);
        for (RolloutSource source : sources) {
            remove_rollouts.bind(1, run_id).bind(2, r.step).bind(3, to_string(source)).run();
        }
    }

    // True when the step is stored with another wall_time than the one `r` knows.
    bool time_changes(std::int64_t run_id, const StepReport& r) {
        if (std::isnan(r.wall_time)) return false;
        stored_time.bind(1, run_id).bind(2, r.step);
        const bool changes = stored_time.step() && stored_time.column_double(0) != r.wall_time;
        stored_time.reset();
        return changes;
    }

    sqlite::Statement upsert_step, upsert_metric, stored_time, refresh_metric_times,
        remove_rollouts;
};

}  // namespace

void RunStore::merge_steps(std::int64_t run_id, const std::vector<StepReport>& reports,
                           bool replace_all) {
    impl_->guard("cannot merge " + std::to_string(reports.size()) + " steps into run " +
                     std::to_string(run_id) + " (nothing of them was stored)",
                 [&] {
                     impl_->require_writable();
                     Impl& m = *impl_;
                     sqlite::Transaction t(m.conn);
                     m.require_run(run_id);
                     if (replace_all) remove_all_steps(m.conn, run_id);
                     MergeStatements sql(m.conn);
                     for (const StepReport& r : reports) {
                         sql.merge_scalars(run_id, r);
                         sql.remove_replaced_rollouts(run_id, r);
                         m.insert_rollouts(run_id, r.step, r.rollouts);
                     }
                     t.commit();
                 });
}

}  // namespace tinyseek
