// RunStore readers of the rollouts table: pages of completions, their groups and the columns
// the histogram views draw (training/SCHEMA.md "rollouts").
#include <string>

#include "training/run_store.h"
#include "training/run_store_impl.h"
#include "training/token_values_codec.h"

namespace tinyseek {

namespace {

using RolloutErrorKind = StoreError::Kind;

std::string rollouts_context(const char* what, std::int64_t run_id) {
    return std::string("cannot ") + what + " of run " + std::to_string(run_id);
}

// The filter of a RolloutQuery, bound by bind_rollout_filter() to ?1..?5; the minimum reward
// (?6) is applied per completion or per group by the caller.
constexpr const char* kRolloutWhere =
    " WHERE run_id = ?1 AND source = ?2 AND (?3 IS NULL OR step >= ?3) "
    "AND (?4 IS NULL OR step <= ?4) AND (?5 IS NULL OR group_index = ?5)";
constexpr const char* kRewardAtLeast = " AND (?6 IS NULL OR reward >= ?6)";
constexpr const char* kGroupsSql =
    " GROUP BY step, group_index HAVING (?6 IS NULL OR max(reward) >= ?6)";

void bind_rollout_filter(sqlite::Statement& s, std::int64_t run_id, const RolloutQuery& q) {
    s.bind(1, run_id)
        .bind(2, to_string(q.source))
        .bind(3, q.min_step)
        .bind(4, q.max_step)
        .bind(5, q.group ? std::optional<std::int64_t>(*q.group) : std::nullopt)
        .bind(6, q.min_reward);
}

void check_rollout_page(const RolloutQuery& q) {
    if (q.limit < 0 || q.offset < 0)
        throw StoreError(RolloutErrorKind::invalid_argument,
                         "rollout page limit and offset must be >= 0, got " +
                             std::to_string(q.limit) + " and " + std::to_string(q.offset));
}

int optional_index(const sqlite::Statement& s, int column) {
    const auto v = s.column_optional_int(column);
    return v ? static_cast<int>(*v) : -1;
}

StoredRollout read_rollout(const sqlite::Statement& s, RolloutSource source) {
    StoredRollout r;
    r.id = s.column_int(0);
    r.step = s.column_int(1);
    RolloutSample& x = r.sample;
    x.prompt = s.column_text(2);
    x.completion = s.column_text(3);
    x.reward.accuracy = s.column_double(4);
    x.reward.format = s.column_double(5);
    x.reward.total = s.column_double(6);
    x.advantage = s.column_double(7);
    x.length = static_cast<int>(s.column_int(8));
    x.reward.malformed = s.column_int(9) != 0;
    x.source = source;
    x.group = optional_index(s, 10);
    x.member = optional_index(s, 11);
    x.mean_logprob = s.column_double(12);
    x.mean_entropy = s.column_double(13);
    const std::string blob = s.column_blob(14);
    if (!blob.empty()) x.tokens = decode_token_values(blob);
    return r;
}

}  // namespace

std::vector<StoredRollout> query_rollouts(const sqlite::Connection& conn, std::int64_t run_id,
                                          const RolloutQuery& q, std::int64_t limit) {
    sqlite::Statement s(
        conn, std::string("SELECT id, step, prompt, completion, accuracy, format, reward, "
                          "advantage, length, malformed, group_index, member, "
                          "mean_logprob, mean_entropy, "
                          "CASE WHEN ?7 THEN token_values END FROM rollouts") +
                  kRolloutWhere + kRewardAtLeast +
                  " ORDER BY step, group_index, member, id LIMIT ?8 OFFSET ?9");
    bind_rollout_filter(s, run_id, q);
    s.bind(7, q.with_tokens ? 1 : 0).bind(8, limit).bind(9, q.offset);
    std::vector<StoredRollout> out;
    while (s.step()) out.push_back(read_rollout(s, q.source));
    return out;
}

std::vector<StoredRollout> RunStore::rollouts(std::int64_t run_id, const RolloutQuery& q) const {
    return impl_->guard(rollouts_context("read the rollouts", run_id), [&] {
        check_rollout_page(q);
        return query_rollouts(impl_->conn, run_id, q, q.limit);
    });
}

std::int64_t RunStore::count_rollouts(std::int64_t run_id, const RolloutQuery& q) const {
    return impl_->guard(rollouts_context("count the rollouts", run_id), [&] {
        sqlite::Statement s(impl_->conn, std::string("SELECT count(*) FROM rollouts") +
                                             kRolloutWhere + kRewardAtLeast);
        bind_rollout_filter(s, run_id, q);
        s.step();
        return s.column_int(0);
    });
}

std::vector<RolloutGroup> RunStore::rollout_groups(std::int64_t run_id,
                                                   const RolloutQuery& q) const {
    return impl_->guard(rollouts_context("read the rollout groups", run_id), [&] {
        check_rollout_page(q);
        sqlite::Statement s(impl_->conn,
                            std::string("SELECT step, group_index, min(prompt), count(*), "
                                        "sum(accuracy >= 0.5), avg(reward), min(reward), "
                                        "max(reward), avg(length) FROM rollouts") +
                                kRolloutWhere + kGroupsSql +
                                " ORDER BY step, group_index LIMIT ?7 OFFSET ?8");
        bind_rollout_filter(s, run_id, q);
        s.bind(7, q.limit).bind(8, q.offset);
        std::vector<RolloutGroup> out;
        while (s.step()) {
            RolloutGroup g;
            g.step = s.column_int(0);
            g.group = optional_index(s, 1);
            g.prompt = s.column_text(2);
            g.completions = static_cast<int>(s.column_int(3));
            g.correct = static_cast<int>(s.column_int(4));
            g.mean_reward = s.column_double(5);
            g.min_reward = s.column_double(6);
            g.max_reward = s.column_double(7);
            g.mean_length = s.column_double(8);
            out.push_back(std::move(g));
        }
        return out;
    });
}

std::int64_t RunStore::count_rollout_groups(std::int64_t run_id, const RolloutQuery& q) const {
    return impl_->guard(rollouts_context("count the rollout groups", run_id), [&] {
        sqlite::Statement s(impl_->conn,
                            std::string("SELECT count(*) FROM (SELECT 1 FROM rollouts") +
                                kRolloutWhere + kGroupsSql + ")");
        bind_rollout_filter(s, run_id, q);
        s.step();
        return s.column_int(0);
    });
}

RolloutColumns RunStore::rollout_columns(std::int64_t run_id, RolloutSource source) const {
    return impl_->guard(rollouts_context("read the rollout rewards", run_id), [&] {
        sqlite::Statement s(impl_->conn,
                            "SELECT step, reward, advantage, length FROM rollouts "
                            "WHERE run_id = ?1 AND source = ?2 ORDER BY step");
        s.bind(1, run_id).bind(2, to_string(source));
        RolloutColumns c;
        while (s.step()) {
            c.step.push_back(s.column_int(0));
            c.reward.push_back(s.column_double(1));
            c.advantage.push_back(s.column_double(2));
            c.length.push_back(static_cast<double>(s.column_int(3)));
        }
        return c;
    });
}

}  // namespace tinyseek
