#include "gui/live/metrics_hub.h"

#include <QElapsedTimer>
#include <QSet>

#include <algorithm>
#include <exception>

#include "gui/live/run_reader.h"
#include "training/run_store.h"

namespace tinyseek::gui {

namespace {

// Cuts every series of `run` to the steps before `step`: a resumed run re-runs the steps
// after its checkpoint (RunStore::truncate_after), so a report for a step the hub already
// holds replaces that step and everything after it.
void truncateFrom(HubRun& run, qint64 step) {
    const double s = static_cast<double>(step);
    for (auto& [key, series] : run.metrics) {
        const auto it = std::lower_bound(series.steps.begin(), series.steps.end(), s);
        const auto n = static_cast<std::size_t>(it - series.steps.begin());
        series.steps.resize(n);
        series.wallTimes.resize(n);
        series.values.resize(n);
    }
    run.steps.erase(std::lower_bound(run.steps.begin(), run.steps.end(), step), run.steps.end());
}

// Thins the run's series of `key` once it outgrows the budget (viz::boundSeries).
void boundHeldSeries(HubRun& run, const QString& key, viz::MetricSeries& series,
                     std::size_t budget) {
    if (series.size() <= 2 * budget) return;
    const auto it = run.thinning.find(key);
    run.thinning[key] =
        viz::boundSeries(series, budget, it == run.thinning.end() ? 0.0 : it->second);
}

// Everything stored of a run, as the hub holds it (long series thinned to `budget` points,
// one metric read at a time so a long run never sits in memory in full). Reader thread.
HubRun readStoredRun(const RunStore& store, qint64 runId, std::size_t budget) {
    HubRun loaded;
    loaded.id = runId;
    const RunInfo info = store.run(runId);
    loaded.name = QString::fromStdString(info.name);
    loaded.kind = QString::fromStdString(info.kind);
    loaded.config = QString::fromStdString(info.config_json);
    for (const std::string& name : store.metric_keys(runId)) {
        const QString key = QString::fromStdString(name);
        viz::MetricSeries& series = loaded.metrics[key];
        series = chartSeries(key, store.metric_series(runId, name));
        boundHeldSeries(loaded, key, series, budget);
    }
    const std::vector<std::int64_t> steps = store.steps(runId);
    loaded.steps.assign(steps.begin(), steps.end());
    if (!steps.empty()) loaded.latest = store.load_step(runId, steps.back());
    return loaded;
}

// Steps that arrived live while `loaded` was being read are newer than what the read saw (or
// replace it, for a resumed run): keep `held`'s steps from `from` on, and `loaded`'s before.
void spliceLiveSteps(HubRun& loaded, const HubRun& held, qint64 from) {
    truncateFrom(loaded, from);
    const double s = static_cast<double>(from);
    for (const auto& [key, series] : held.metrics) {
        const auto first = std::lower_bound(series.steps.begin(), series.steps.end(), s);
        if (first == series.steps.end()) continue;
        viz::MetricSeries& out = loaded.metrics[key];
        if (out.name.isEmpty()) out.name = key;
        for (auto i = static_cast<std::size_t>(first - series.steps.begin());
             i < series.steps.size(); ++i)
            out.append(series.steps[i], series.wallTimes[i], series.values[i]);
        if (held.isThinned(key))  // its live part was thinned at that width
            loaded.thinning[key] = std::max(loaded.thinning[key], held.thinning.at(key));
    }
    loaded.steps.insert(loaded.steps.end(),
                        std::lower_bound(held.steps.begin(), held.steps.end(), from),
                        held.steps.end());
    if (held.latest && held.latest->step >= from) loaded.latest = held.latest;
}

}  // namespace

viz::MetricSeries chartSeries(const QString& key, const MetricSeries& points) {
    viz::MetricSeries series;
    series.name = key;
    series.reserve(points.size());
    for (const MetricPoint& p : points)
        series.append(static_cast<double>(p.step), p.wall_time, p.value);
    return series;
}

MetricsHub::MetricsHub(QObject* parent)
    : QObject(parent), m_reader(new RunReader(this)), m_pointBudget(viz::kSeriesPointBudget) {
    qRegisterMetaType<tinyseek::StepReport>();
    qRegisterMetaType<QList<tinyseek::StepReport>>();
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &MetricsHub::flush);
    // Connected here, on the hub's thread, so that on_step() allocates nothing Qt would hand
    // over: the reports themselves go through m_pending (gui/live/mailbox.h says why).
    connect(this, &MetricsHub::stepsPosted, this, &MetricsHub::scheduleFlush, Qt::QueuedConnection);
}

MetricsHub::~MetricsHub() = default;

void MetricsHub::on_step(const StepReport& report) {
    // Only the first report of a batch wakes the GUI thread; the rest ride along.
    m_pending.post(report, [this] { emit stepsPosted(QPrivateSignal()); });
}

void MetricsHub::scheduleFlush() {
    if (!m_flushTimer.isActive()) m_flushTimer.start();
}

int MetricsHub::pendingCount() const {
    return static_cast<int>(m_pending.size());
}

void MetricsHub::flush() {
    m_flushTimer.stop();
    // O(1): the worker continues into an empty mailbox.
    std::deque<StepReport> batch = m_pending.takeAll();
    if (batch.empty()) return;
    ++m_flushCount;
    QElapsedTimer clock;
    clock.start();

    QList<qint64> touched;
    for (const StepReport& report : batch) {
        integrate(report);
        if (!touched.contains(report.run_id)) touched.append(report.run_id);
    }
    QList<StepReport> steps;
    steps.reserve(static_cast<qsizetype>(batch.size()));
    for (StepReport& report : batch) steps.append(std::move(report));
    for (qint64 id : touched) emit runDataChanged(id);
    emit stepsArrived(steps);
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    ++m_flushStats.count;
    m_flushStats.totalMs += ms;
    m_flushStats.maxMs = std::max(m_flushStats.maxMs, ms);
}

HubRun& MetricsHub::ensureRun(qint64 runId) {
    auto it = m_runs.find(runId);
    if (it != m_runs.end()) return it->second;
    HubRun& run = m_runs[runId];
    run.id = runId;
    run.name = tr("Run %1").arg(runId);
    // A step of a run nobody announced (e.g. the control arm the RunLoop created itself):
    // its name comes from the database; the id-based name above stays if that fails.
    if (!m_databasePath.isEmpty()) requestRunName(runId);
    return run;
}

void MetricsHub::requestRunName(qint64 runId) {
    const quint64 generation = m_databaseGeneration;
    m_reader->read<RunInfo>(
        m_databasePath, this, [runId](const RunStore& store) { return store.run(runId); },
        [this, runId, generation](const ReadResult<RunInfo>& info) {
            const auto it = m_runs.find(runId);
            if (!info.ok() || generation != m_databaseGeneration || it == m_runs.end()) return;
            it->second.name = QString::fromStdString(info.value.name);
            it->second.kind = QString::fromStdString(info.value.kind);
            emit runDataChanged(runId);
        });
}

void MetricsHub::integrate(const StepReport& report) {
    HubRun& run = ensureRun(report.run_id);
    if (const auto load = m_loads.find(report.run_id);
        load != m_loads.end() && !load->second.liveFrom)
        load->second.liveFrom = report.step;
    run.live = true;
    if (!run.steps.empty() && report.step <= run.steps.back()) truncateFrom(run, report.step);
    run.steps.push_back(report.step);
    const double step = static_cast<double>(report.step);
    for (const auto& [name, value] : report.scalars) {
        const QString key = QString::fromStdString(name);
        viz::MetricSeries& series = run.metrics[key];
        if (series.name.isEmpty()) series.name = key;
        series.append(step, report.wall_time, value);
        boundHeldSeries(run, key, series, m_pointBudget);
    }
    run.latest = report;
}

void MetricsHub::setDatabase(const QString& path) {
    flush();
    const bool hadSelection = m_currentRun != 0 || !m_overlays.isEmpty();
    const QList<qint64> ids = runIds();
    m_runs.clear();
    m_loads.clear();
    m_currentRun = 0;
    m_overlays.clear();
    m_databasePath = path;
    ++m_databaseGeneration;
    for (qint64 id : ids) emit runRemoved(id);
    if (hadSelection) emit selectionChanged();
    emit currentRunChanged(m_databasePath, 0);
    emit databaseChanged(path);
}

bool MetricsHub::loadRun(qint64 runId, QString* error) {
    if (m_databasePath.isEmpty()) {
        if (error) *error = tr("No database is open.");
        return false;
    }
    // One row, read at once: the Open button's message and --run's exit status need to know
    // now whether the run can be shown. Its series (the slow part) follow from the reader.
    const ReadResult<RunInfo> info = m_reader->readNow<RunInfo>(
        m_databasePath, [runId](const RunStore& store) { return store.run(runId); });
    if (!info.ok()) {
        if (error)
            *error =
                tr("Cannot read run %1 from '%2': %3").arg(runId).arg(m_databasePath, info.error);
        return false;
    }
    HubRun& run = m_runs[runId];
    run.id = runId;
    run.name = QString::fromStdString(info.value.name);
    run.kind = QString::fromStdString(info.value.kind);
    run.config = QString::fromStdString(info.value.config_json);
    run.loading = true;
    requestStoredSteps(runId);
    return true;
}

void MetricsHub::requestStoredSteps(qint64 runId) {
    const quint64 ticket = m_reader->read<HubRun>(
        m_databasePath, this,
        [runId, budget = m_pointBudget](const RunStore& store) {
            return readStoredRun(store, runId, budget);
        },
        [this, runId](ReadResult<HubRun> result) {
            storedStepsRead(runId, result.ticket, std::move(result.value), result.error);
        });
    m_loads[runId] = PendingLoad{ticket, std::nullopt};
}

void MetricsHub::storedStepsRead(qint64 runId, quint64 ticket, HubRun loaded,
                                 const QString& error) {
    // Dropped when the run was let go of, the database changed, or a later load replaced it.
    const auto load = m_loads.find(runId);
    if (load == m_loads.end() || load->second.ticket != ticket) return;
    const std::optional<qint64> liveFrom = load->second.liveFrom;
    m_loads.erase(load);
    const auto it = m_runs.find(runId);
    if (it == m_runs.end()) return;
    HubRun& held = it->second;
    if (!error.isEmpty()) {
        held.loading = false;
        emit runDataChanged(runId);
        emit readFailed(
            tr("Cannot read run %1 from '%2': %3").arg(runId).arg(m_databasePath, error));
        return;
    }
    if (liveFrom) spliceLiveSteps(loaded, held, *liveFrom);
    loaded.live = held.live;
    held = std::move(loaded);
    emit runDataChanged(runId);
}

void MetricsHub::forget(qint64 runId) {
    m_runs.erase(runId);
    m_loads.erase(runId);
}

void MetricsHub::unloadRun(qint64 runId) {
    auto it = m_runs.find(runId);
    if (it == m_runs.end() || it->second.live) return;
    const bool selected = m_currentRun == runId || m_overlays.contains(runId);
    if (m_currentRun == runId) m_currentRun = 0;
    m_overlays.removeAll(runId);
    forget(runId);
    emit runRemoved(runId);
    if (selected) emit selectionChanged();
    if (m_currentRun == 0 && selected) emit currentRunChanged(m_databasePath, 0);
}

void MetricsHub::setRunLive(qint64 runId, bool live) {
    HubRun& run = ensureRun(runId);
    if (run.live == live) return;
    run.live = live;
    emit runDataChanged(runId);
    if (!live) dropUnselected(runId);
}

void MetricsHub::setRunName(qint64 runId, const QString& name) {
    auto it = m_runs.find(runId);
    if (it == m_runs.end() || it->second.name == name) return;
    it->second.name = name;
    emit runDataChanged(runId);
}

std::size_t MetricsHub::heldBytes() const {
    std::size_t bytes = 0;
    for (const auto& [id, run] : m_runs) {
        bytes += run.steps.capacity() * sizeof(qint64);
        for (const auto& [key, series] : run.metrics) bytes += viz::heldBytes(series);
    }
    return bytes;
}

const HubRun* MetricsHub::run(qint64 runId) const {
    const auto it = m_runs.find(runId);
    return it == m_runs.end() ? nullptr : &it->second;
}

QList<qint64> MetricsHub::runIds() const {
    QList<qint64> ids;
    for (const auto& [id, run] : m_runs) ids.append(id);
    return ids;
}

QStringList MetricsHub::metricKeys(const QList<qint64>& runIds) const {
    QSet<QString> keys;
    for (qint64 id : runIds)
        if (const HubRun* r = run(id))
            for (const auto& [key, series] : r->metrics) keys.insert(key);
    QStringList sorted(keys.begin(), keys.end());
    sorted.sort();
    return sorted;
}

bool MetricsHub::setCurrentRun(qint64 runId, QString* error) {
    if (runId == m_currentRun) return true;
    if (!run(runId) && !loadRun(runId, error)) return false;
    const qint64 previous = m_currentRun;
    m_currentRun = runId;
    m_overlays.removeAll(runId);
    if (previous != 0) dropUnselected(previous);
    emit selectionChanged();
    emit currentRunChanged(m_databasePath, runId);
    return true;
}

void MetricsHub::clearCurrentRun() {
    if (m_currentRun == 0) return;
    const qint64 previous = m_currentRun;
    m_currentRun = 0;
    dropUnselected(previous);
    emit selectionChanged();
    emit currentRunChanged(m_databasePath, 0);
}

bool MetricsHub::addOverlay(qint64 runId, QString* error) {
    if (runId == m_currentRun || m_overlays.contains(runId)) return true;
    if (!run(runId) && !loadRun(runId, error)) return false;
    m_overlays.append(runId);
    emit selectionChanged();
    return true;
}

void MetricsHub::removeOverlay(qint64 runId) {
    if (!m_overlays.removeAll(runId)) return;
    dropUnselected(runId);
    emit selectionChanged();
}

QList<qint64> MetricsHub::shownRuns() const {
    QList<qint64> shown;
    if (m_currentRun != 0) shown.append(m_currentRun);
    shown.append(m_overlays);
    return shown;
}

void MetricsHub::dropUnselected(qint64 runId) {
    // Keep memory to what is shown: a run neither selected nor live is dropped (reloading it
    // from the database is cheap).
    auto it = m_runs.find(runId);
    if (it == m_runs.end() || it->second.live) return;
    if (runId == m_currentRun || m_overlays.contains(runId)) return;
    forget(runId);
    emit runRemoved(runId);
}

}  // namespace tinyseek::gui
