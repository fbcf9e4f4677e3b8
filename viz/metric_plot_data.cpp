#include "viz/metric_plot_data.h"

#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "viz/color_map.h"
#include "viz/exporters.h"
#include "viz/series_thinning.h"
#include "viz/smoothing.h"

namespace tinyseek::viz {

namespace {

// The series cut to its shortest vector and in step order (stable: logging order on ties).
MetricSeries normalised(const MetricSeries& series) {
    MetricSeries s = series;
    if (!s.isConsistent()) {
        const std::size_t n = std::min({s.steps.size(), s.wallTimes.size(), s.values.size()});
        s.steps.resize(n);
        s.wallTimes.resize(n);
        s.values.resize(n);
    }
    if (isAscending(s.steps)) return s;
    std::vector<std::size_t> order(s.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return s.steps[a] < s.steps[b]; });
    MetricSeries sorted;
    sorted.name = s.name;
    sorted.reserve(order.size());
    for (std::size_t i : order) sorted.append(s.steps[i], s.wallTimes[i], s.values[i]);
    return sorted;
}

// `base` with its points of steps first..last replaced by `detail`'s. Points of `base`
// newer than the detail's last one stay: a live run's newest steps may reach the chart before
// the store that the detail was read from has them.
MetricSeries spliced(const MetricSeries& base, double first, double last,
                     const MetricSeries& detail) {
    if (detail.isEmpty()) return base;
    last = std::min(last, detail.steps.back());
    const auto begin = base.steps.begin();
    const auto cut0 =
        static_cast<std::size_t>(std::lower_bound(begin, base.steps.end(), first) - begin);
    const auto cut1 =
        static_cast<std::size_t>(std::upper_bound(begin, base.steps.end(), last) - begin);
    MetricSeries out;
    out.name = base.name;
    out.reserve(cut0 + detail.size() + (base.size() - cut1));
    for (std::size_t i = 0; i < cut0; ++i)
        out.append(base.steps[i], base.wallTimes[i], base.values[i]);
    for (std::size_t i = 0; i < detail.size(); ++i)
        if (detail.steps[i] >= first && detail.steps[i] <= last)
            out.append(detail.steps[i], detail.wallTimes[i], detail.values[i]);
    for (std::size_t i = cut1; i < base.size(); ++i)
        out.append(base.steps[i], base.wallTimes[i], base.values[i]);
    return out;
}

}  // namespace

void MetricPlotData::setRun(int runId, const QString& name, const MetricSeries& series) {
    Run run;
    run.runId = runId;
    run.name = name;
    run.series = normalised(series);
    prepare(run);
    insert(std::move(run));
}

void MetricPlotData::setThinnedRun(int runId, const QString& name, const MetricSeries& series) {
    Run run;
    run.runId = runId;
    run.name = name;
    run.thinned = true;
    run.base = normalised(series);
    prepare(run);
    insert(std::move(run));
}

void MetricPlotData::insert(Run run) {
    auto it = std::lower_bound(m_runs.begin(), m_runs.end(), run.runId,
                               [](const Run& r, int id) { return r.runId < id; });
    if (it != m_runs.end() && it->runId == run.runId)
        *it = std::move(run);
    else
        m_runs.insert(it, std::move(run));
}

void MetricPlotData::prepare(Run& run) const {
    if (run.thinned) {
        const auto detail = m_details.find(run.runId);
        run.series = detail == m_details.end()
                         ? run.base
                         : spliced(run.base, detail->second.first, detail->second.last,
                                   detail->second.series);
    }
    const MetricSeries& s = run.series;
    // A resumed run may restart its clock; a running maximum keeps the wall-time axis ordered
    // (needed for decimation and lookup) without moving any point backwards.
    run.wallX.resize(s.size());
    double maxSoFar = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < s.size(); ++i) {
        const double t = std::isfinite(s.wallTimes[i]) ? s.wallTimes[i] : maxSoFar;
        maxSoFar = std::max(maxSoFar, t);
        run.wallX[i] = std::isfinite(maxSoFar) ? maxSoFar : 0.0;
    }
    smooth(run);
}

bool MetricPlotData::setDetail(int runId, double firstStep, double lastStep,
                               const MetricSeries& detail) {
    const auto it = std::find_if(m_runs.begin(), m_runs.end(),
                                 [runId](const Run& r) { return r.runId == runId; });
    if (it == m_runs.end() || !it->thinned || !(firstStep <= lastStep)) return false;
    m_details[runId] = Detail{firstStep, lastStep, normalised(detail)};
    prepare(*it);
    return true;
}

bool MetricPlotData::detailCovers(int runId, double firstStep, double lastStep) const {
    const auto it = m_details.find(runId);
    return it != m_details.end() && it->second.first <= firstStep && it->second.last >= lastStep;
}

void MetricPlotData::clearDetails() {
    if (m_details.empty()) return;
    m_details.clear();
    for (Run& run : m_runs)
        if (run.thinned) prepare(run);
}

bool MetricPlotData::hasThinnedRuns() const {
    return std::any_of(m_runs.begin(), m_runs.end(), [](const Run& r) { return r.thinned; });
}

void MetricPlotData::setRun(int runId, const QString& name, const MetricSeries& series,
                            const std::vector<double>& low, const std::vector<double>& high) {
    setRun(runId, name, series);
    const bool aligned = series.isConsistent() && isAscending(series.steps) &&
                         low.size() == series.size() && high.size() == series.size();
    if (!aligned || low.empty()) return;
    for (Run& r : m_runs) {
        if (r.runId != runId) continue;
        r.bandLow = low;
        r.bandHigh = high;
        smooth(r);
    }
}

bool MetricPlotData::removeRun(int runId) {
    const auto it = std::find_if(m_runs.begin(), m_runs.end(),
                                 [runId](const Run& r) { return r.runId == runId; });
    if (it == m_runs.end()) return false;
    m_runs.erase(it);
    return true;
}

const MetricPlotData::Run* MetricPlotData::run(int runId) const {
    for (const Run& r : m_runs)
        if (r.runId == runId) return &r;
    return nullptr;
}

void MetricPlotData::setSmoothing(double weight) {
    weight = std::clamp(std::isfinite(weight) ? weight : 0.0, 0.0, 0.99);
    if (weight == m_smoothing) return;
    m_smoothing = weight;
    for (Run& r : m_runs) smooth(r);
}

void MetricPlotData::smooth(Run& run) const {
    run.smoothed = emaSmooth(run.series.values, m_smoothing);
    run.smoothedLow = run.hasBand() ? emaSmooth(run.bandLow, m_smoothing) : std::vector<double>();
    run.smoothedHigh = run.hasBand() ? emaSmooth(run.bandHigh, m_smoothing) : std::vector<double>();
}

bool MetricPlotData::hasData() const {
    for (const Run& r : m_runs)
        for (double v : r.series.values)
            if (std::isfinite(v)) return true;
    return false;
}

MetricPlotData::Bounds MetricPlotData::bounds(XAxisMode mode, bool positiveOnly,
                                              bool positiveX) const {
    Bounds b;
    b.xMin = b.yMin = std::numeric_limits<double>::infinity();
    b.xMax = b.yMax = -std::numeric_limits<double>::infinity();
    auto take = [&](double x, double y) {
        if (!std::isfinite(y) || (positiveOnly && y <= 0.0) || (positiveX && x <= 0.0)) return;
        b.valid = true;
        b.xMin = std::min(b.xMin, x);
        b.xMax = std::max(b.xMax, x);
        b.yMin = std::min(b.yMin, y);
        b.yMax = std::max(b.yMax, y);
    };
    for (const Run& r : m_runs) {
        const std::vector<double>& xs = r.xs(mode);
        for (std::size_t i = 0; i < xs.size(); ++i) {
            take(xs[i], r.series.values[i]);
            take(xs[i], r.smoothed[i]);
            if (r.hasBand()) {
                take(xs[i], r.smoothedLow[i]);
                take(xs[i], r.smoothedHigh[i]);
            }
        }
    }
    if (!b.valid) b = Bounds();
    return b;
}

std::size_t MetricPlotData::nonPositiveCount() const {
    std::size_t n = 0;
    for (const Run& r : m_runs)
        for (double v : r.series.values) n += (std::isfinite(v) && v <= 0.0) ? 1 : 0;
    return n;
}

QList<HoverValue> MetricPlotData::hoverValues(double x, XAxisMode mode) const {
    QList<HoverValue> out;
    for (const Run& r : m_runs) {
        if (r.series.isEmpty()) continue;
        const std::size_t i = nearestIndex(r.xs(mode), x);
        HoverValue h;
        h.runId = r.runId;
        h.runName = r.name;
        h.color = runColor(r.runId);
        h.step = r.series.steps[i];
        h.wallTime = r.series.wallTimes[i];
        h.raw = r.series.values[i];
        h.smoothed = r.smoothed[i];
        out.append(h);
    }
    return out;
}

void MetricPlotData::writeCsv(QTextStream& out, const FullSeriesSource& full) const {
    const bool bands =
        std::any_of(m_runs.begin(), m_runs.end(), [](const Run& r) { return r.hasBand(); });
    out << "run,step,wall_time,value,smoothed" << (bands ? ",band_low,band_high\n" : "\n");
    for (const Run& r : m_runs) {
        const QString run = csvField(r.name.isEmpty() ? QString::number(r.runId) : r.name);
        MetricSeries every;
        const bool whole = r.thinned && full && full(r.runId, &every);
        const MetricSeries& s = whole ? every : r.series;
        const std::vector<double> smoothed =
            whole ? emaSmooth(every.values, m_smoothing) : r.smoothed;
        for (std::size_t i = 0; i < s.size(); ++i) {
            out << run << ',' << csvNumber(s.steps[i]) << ',' << csvNumber(s.wallTimes[i]) << ','
                << csvNumber(s.values[i]) << ',' << csvNumber(smoothed[i]);
            if (bands && r.hasBand())
                out << ',' << csvNumber(r.bandLow[i]) << ',' << csvNumber(r.bandHigh[i]);
            else if (bands)
                out << ",,";
            out << '\n';
        }
    }
}

std::size_t MetricPlotData::heldBytes() const {
    std::size_t bytes = 0;
    const auto vec = [](const std::vector<double>& v) { return v.capacity() * sizeof(double); };
    for (const Run& r : m_runs) {
        bytes += viz::heldBytes(r.base) + viz::heldBytes(r.series) + vec(r.wallX) + vec(r.smoothed);
        for (const auto* v : {&r.bandLow, &r.bandHigh, &r.smoothedLow, &r.smoothedHigh})
            bytes += vec(*v);
    }
    for (const auto& [id, detail] : m_details) bytes += viz::heldBytes(detail.series);
    return bytes;
}

}  // namespace tinyseek::viz
