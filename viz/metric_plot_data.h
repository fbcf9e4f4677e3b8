// The data behind a MetricChart, kept apart from the widget: full-resolution series per run,
// their EMA-smoothed copies, bounds, nearest-point lookup for the hover callout and the CSV.
// No widgets here; the chart only decimates what it draws.
#pragma once

#include <QColor>
#include <QList>
#include <QString>

#include <vector>

#include "viz/plot_data.h"

class QTextStream;

namespace tinyseek::viz {

enum class XAxisMode { Step, WallTime };
// How a chart chooses its y range when it follows the data: all of it; the 1st to 99th
// percentile of the values (a spike does not flatten the rest); or all of it and zero.
enum class YRangeMode { Auto, IgnoreOutliers, StartAtZero };

// One point per run under the hover crosshair.
struct HoverValue {
    int runId = 0;
    QString runName;
    QColor color;
    double step = 0.0;
    double wallTime = 0.0;  // seconds
    double raw = 0.0;
    double smoothed = 0.0;
};

class MetricPlotData {
  public:
    struct Run {
        int runId = 0;
        QString name;
        MetricSeries series;           // sorted by step
        std::vector<double> wallX;     // wall times made non-decreasing (running maximum)
        std::vector<double> smoothed;  // emaSmooth(series.values, smoothing)
        // A band around the series (a group of runs: min..max or mean ± std at each step),
        // aligned with it and smoothed like it; empty when the run has none.
        std::vector<double> bandLow, bandHigh;
        std::vector<double> smoothedLow, smoothedHigh;
        bool hasBand() const { return !bandLow.empty(); }
        const std::vector<double>& xs(XAxisMode mode) const {
            return mode == XAxisMode::Step ? series.steps : wallX;
        }
    };

    struct Bounds {
        bool valid = false;
        double xMin = 0.0, xMax = 0.0, yMin = 0.0, yMax = 0.0;
    };

    // Adds or replaces the run with this id. Inconsistent series (vectors of different
    // lengths) are cut to the shortest length; out-of-order steps are sorted.
    void setRun(int runId, const QString& name, const MetricSeries& series);
    // The same with a band (low, high aligned with the series' points). A band whose length
    // differs from the series', or a series out of step order, is dropped.
    void setRun(int runId, const QString& name, const MetricSeries& series,
                const std::vector<double>& low, const std::vector<double>& high);
    bool removeRun(int runId);
    void clear() { m_runs.clear(); }
    const std::vector<Run>& runs() const { return m_runs; }
    const Run* run(int runId) const;

    // EMA weight in [0, 0.99]; values outside are clamped (it comes from a slider).
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }

    // True when some run has at least one finite value.
    bool hasData() const;
    // Bounds of the finite points (raw and smoothed); positiveOnly drops y <= 0 (log scale).
    Bounds bounds(XAxisMode mode, bool positiveOnly) const;
    // Number of finite raw values <= 0, over all runs (what a log scale has to hide).
    std::size_t nonPositiveCount() const;

    // For every run with data: the point whose x is nearest to `x` (in seconds for wall time).
    QList<HoverValue> hoverValues(double x, XAxisMode mode) const;

    // run,step,wall_time,value,smoothed: one row per (run, step), every point, full precision;
    // with bands, two more columns band_low,band_high (empty for runs without one).
    void writeCsv(QTextStream& out) const;

  private:
    void smooth(Run& run) const;

    std::vector<Run> m_runs;  // ordered by run id so legends and CSV do not depend on call order
    double m_smoothing = 0.6;
};

}  // namespace tinyseek::viz
