// The training metrics as the pages present them: a readable title, a one-line explanation
// (chart tooltip) and a reading order (rewards first, then held-out accuracy, the GRPO
// diagnostics, optimisation, throughput). Keys are the names in training/step_report.h; a key
// the catalog does not know keeps its own name and goes after the known ones.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace tinyseek::gui {

class MetricCatalog {
    Q_DECLARE_TR_FUNCTIONS(MetricCatalog)

  public:
    static bool isKnown(const QString& key);
    // False for metrics another page draws instead of a chart each: the accuracy per
    // difficulty bucket (eval/bucket/*, eval/bucket_n/*) on the Evaluation page's heatmap.
    static bool isCharted(const QString& key);
    // Translated title, e.g. "Held-out accuracy (greedy)"; the key itself when unknown.
    static QString title(const QString& key);
    // Translated short y-axis label ("fraction", "tokens/s"); the key itself when unknown.
    static QString axisLabel(const QString& key);
    // Translated one-line explanation; empty when unknown.
    static QString description(const QString& key);
    // Series recorded only every N steps (held-out evaluations, eval/*). An EMA over a point
    // per hundred steps lags by hundreds of steps, so the Training page draws them unsmoothed.
    static bool isSparse(const QString& key);
    // `keys` in reading order: known keys in catalog order, then unknown keys alphabetically.
    static QStringList sorted(const QStringList& keys);
};

}  // namespace tinyseek::gui
