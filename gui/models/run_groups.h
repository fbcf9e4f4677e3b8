// Runs grouped by configuration: runs of the same kind whose stored configurations agree on
// every key but one the user picks (the seed, typically) are one group, which the Training page
// draws as one curve inside a band (viz/series_band.h). Keys are dotted JSON paths of the run's
// config ("seed", "grpo.lr", "model.hidden_size").
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace tinyseek::gui {

struct RunConfig {
    qint64 id = 0;
    QString kind;        // "pipeline", "control", ...: runs of different kinds never group
    QString configJson;  // as stored; a run without a readable config stays alone
    bool operator==(const RunConfig&) const = default;
};

// The keys whose values differ among the runs with a readable config, sorted. "name" and
// "out_dir" (which differ between any two runs) are left out.
QStringList differingConfigKeys(const QList<RunConfig>& runs);

// The runs in groups, each group in input order and the groups by their first run: runs fall
// together when kind and config agree once `key`, "name" and "out_dir" are ignored (and, for
// control arms, "sft.steps": the step budget each measured from its GRPO stage's time).
QList<QList<qint64>> groupRuns(const QList<RunConfig>& runs, const QString& key);

}  // namespace tinyseek::gui
