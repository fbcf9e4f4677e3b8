// The data behind a MetricChart, kept apart from the widget: full-resolution series per run,
// their EMA-smoothed copies, bounds, nearest-point lookup for the hover callout and the CSV.
// No widgets here; the chart only decimates what it draws.
#pragma once

#include <QColor>
#include <QList>
#include <QString>

#include <functional>
#include <map>
#include <vector>

#include "viz/plot_data.h"

class QTextStream;

namespace tinyseek::viz {

enum class XAxisMode { Step, WallTime };
// How a chart chooses its y range when it follows the data: all of it; the 1st to 99th
// percentile of the values (a spike does not flatten the rest); all of it and zero; or limits
// the user set (a page showing every chart on one scale sets them too).
enum class YRangeMode { Auto, IgnoreOutliers, StartAtZero, Fixed };

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

// Every point of one run's series (a thinned run's, from the store); false when unavailable.
using FullSeriesSource = std::function<bool(int runId, MetricSeries* out)>;

class MetricPlotData {
  public:
    struct Run {
        int runId = 0;
        QString name;
        // A thinned run (viz/series_thinning.h) holds fewer points than were logged: `base`
        // is the thinned series as given, and `series` is it with the detail of a zoomed-in
        // stretch (setDetail) put in place of its thinned points.
        bool thinned = false;
        MetricSeries base;
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
    // A run held thinned: zoomed-in stretches of it can be given in full with setDetail().
    void setThinnedRun(int runId, const QString& name, const MetricSeries& series);

    // Every point of steps first..last of a thinned run, in place of its thinned points there;
    // kept for the run's later setThinnedRun() calls (a live run) until clearDetails().
    // False (nothing kept) when the run is not held or not thinned.
    bool setDetail(int runId, double firstStep, double lastStep, const MetricSeries& detail);
    // True when the run's detail spans first..last.
    bool detailCovers(int runId, double firstStep, double lastStep) const;
    bool hasDetails() const { return !m_details.empty(); }
    void clearDetails();
    bool hasThinnedRuns() const;
    bool removeRun(int runId);
    void clear() { m_runs.clear(); }  // details stay for the runs set again
    const std::vector<Run>& runs() const { return m_runs; }
    const Run* run(int runId) const;

    // EMA weight in [0, 0.99]; values outside are clamped (it comes from a slider).
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }

    // True when some run has at least one finite value.
    bool hasData() const;
    // Bounds of the finite points (raw and smoothed); positiveOnly drops y <= 0 (log scale),
    // positiveX drops x <= 0 (log x).
    Bounds bounds(XAxisMode mode, bool positiveOnly, bool positiveX = false) const;
    // Number of finite raw values <= 0, over all runs (what a log scale has to hide).
    std::size_t nonPositiveCount() const;

    // For every run with data: the point whose x is nearest to `x` (in seconds for wall time).
    QList<HoverValue> hoverValues(double x, XAxisMode mode) const;

    // run,step,wall_time,value,smoothed: one row per (run, step), every point, full precision;
    // with bands, two more columns band_low,band_high (empty for runs without one). A thinned
    // run is written from `full` when it gives its every point, else as held.
    void writeCsv(QTextStream& out, const FullSeriesSource& full = {}) const;

    // Bytes the runs' vectors hold (their capacity).
    std::size_t heldBytes() const;

  private:
    struct Detail {
        double first = 0.0, last = 0.0;
        MetricSeries series;
    };
    void insert(Run run);
    void prepare(Run& run) const;  // detail spliced in, wall-time axis, smoothing
    void smooth(Run& run) const;

    std::vector<Run> m_runs;  // ordered by run id so legends and CSV do not depend on call order
    std::map<int, Detail> m_details;
    double m_smoothing = 0.6;
};

}  // namespace tinyseek::viz
