// MetricsHub: the one path training data takes to the widgets (docs/ARCHITECTURE.md "Data flow").
//
//   training thread:  RunLoop --on_step(StepReport)--> pending Mailbox (short std::mutex, never
//                     drops); the first report of a batch rings a queued stepsPosted()
//   GUI thread:       single-shot QTimer (kFlushIntervalMs) --> flush(): take the pending
//                     reports out in O(1), append each report to its run's series, then one
//                     stepsArrived(batch) and one runDataChanged(run) per touched run.
//   past runs:        loadRun() --RunReader (reader thread), answer mailbox--> the same series
//
// So a trainer that finishes thousands of steps per second still costs the GUI thread one
// event every 50 ms, and every step reaches the pages exactly once and in order.
//
// Memory stays bounded however long a run is: a series longer than twice the point budget is
// thinned (viz/series_thinning.h: per bucket of steps its lowest and highest value), so a run
// of 100,000 steps x 50 metrics is held in a few MB. Pages that need every point of a range
// (a chart zoomed in, a CSV export) read it from the store (RunStore::metric_series with a
// step range).
//
// The hub owns the RunReader (reader()), the one object in the GUI that reads the database:
// the pages ask it for anything stored (run lists, rollouts, expert statistics, scaling rows,
// checkpoints) rather than opening the file themselves.
//
// The hub also holds the selection the pages share: the current run (what every page shows)
// and the overlay runs compared with it on the Training page. Everything but on_step() is
// GUI-thread only. Run ids are those of one database; setDatabase() clears everything.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <map>
#include <optional>
#include <vector>

#include "gui/live/mailbox.h"
#include "training/run_store.h"
#include "training/step_report.h"
#include "viz/plot_data.h"
#include "viz/series_thinning.h"

namespace tinyseek::gui {

class RunReader;

// Everything the hub holds for one run.
struct HubRun {
    qint64 id = 0;
    QString name;
    QString kind;          // "pipeline", "sft", "grpo", "control", ... (empty until known)
    QString config;        // the stored configuration's JSON (empty until known)
    bool live = false;     // steps are arriving from a worker
    bool loading = false;  // its stored steps are being read; runDataChanged() follows
    std::map<QString, viz::MetricSeries> metrics;  // metric key -> series, ascending steps
    // Metrics held thinned (viz/series_thinning.h) -> their bucket width in steps; a metric
    // not listed is held with every point. The store keeps every point of every metric.
    std::map<QString, double> thinning;
    bool isThinned(const QString& key) const { return thinning.count(key) > 0; }
    std::vector<qint64> steps;  // every step received or loaded, ascending
    std::optional<qint64> lastStep() const {
        return steps.empty() ? std::nullopt : std::optional<qint64>(steps.back());
    }
    std::optional<StepReport> latest;  // the newest step in full (expert matrices, rollouts)
};

// A stored metric's points as the series charts draw, named `key`.
viz::MetricSeries chartSeries(const QString& key, const MetricSeries& points);

class MetricsHub : public QObject, public StepSink {
    Q_OBJECT

  public:
    static constexpr int kFlushIntervalMs = 50;  // ~20 Hz

    explicit MetricsHub(QObject* parent = nullptr);
    ~MetricsHub() override;

    // StepSink, called on the training thread: queues a copy and makes sure a flush is
    // scheduled on the hub's thread. Thread-safe, never blocks for longer than a push_back.
    void on_step(const StepReport& report) override;

    // Integrates everything pending now (the timer calls it; tests and shutdown may too).
    void flush();
    int pendingCount() const;
    qint64 flushCount() const { return m_flushCount; }  // batches delivered so far
    // GUI-thread time spent in flushes that delivered steps, including the slots they ran
    // (the pages' chart updates): what live training costs the event loop.
    struct FlushStats {
        qint64 count = 0;
        double totalMs = 0.0;
        double maxMs = 0.0;
    };
    FlushStats flushStats() const { return m_flushStats; }

    // Points a series is held at most (about; viz::boundSeries): longer ones are thinned.
    void setPointBudget(std::size_t points) { m_pointBudget = points; }
    std::size_t pointBudget() const { return m_pointBudget; }
    // Bytes the held series and step lists take (their vectors' capacity).
    std::size_t heldBytes() const;

    // The database the run ids belong to. Changing it drops every run and the selection.
    void setDatabase(const QString& path);
    QString databasePath() const { return m_databasePath; }

    // Reads the run's metrics (and its latest step) from the database, replacing what the hub
    // held for it. Whether the run can be read is known at once: false with a translated
    // reason in *error when the file or run cannot be read. The series are read on the
    // reader thread: the run is held (name and kind known, `loading` set) at once and
    // runDataChanged(runId) follows when they arrive, or readFailed() when they cannot be read.
    bool loadRun(qint64 runId, QString* error = nullptr);
    // Drops the run's data (and removes it from the selection) unless it is live.
    void unloadRun(qint64 runId);
    void setRunLive(qint64 runId, bool live);
    void setRunName(qint64 runId, const QString& name);

    // The reader every stored read of the workbench goes through.
    RunReader* reader() const { return m_reader; }

    const HubRun* run(qint64 runId) const;
    QList<qint64> runIds() const;
    // Union of the metric keys of these runs, sorted.
    QStringList metricKeys(const QList<qint64>& runIds) const;

    // Selection. setCurrentRun/addOverlay load the run when the hub does not hold it yet.
    qint64 currentRun() const { return m_currentRun; }  // 0 = none
    bool setCurrentRun(qint64 runId, QString* error = nullptr);
    void clearCurrentRun();
    QList<qint64> overlays() const { return m_overlays; }
    bool addOverlay(qint64 runId, QString* error = nullptr);
    void removeOverlay(qint64 runId);
    // The runs the Training page draws: the current run first, then the overlays.
    QList<qint64> shownRuns() const;

  signals:
    // After a flush: the reports in arrival order (already in the runs' series).
    void stepsArrived(const QList<tinyseek::StepReport>& steps);
    // A run's series changed (steps appended, loaded, renamed, or its live flag changed).
    void runDataChanged(qint64 runId);
    void runRemoved(qint64 runId);
    // Current run or overlays changed.
    void selectionChanged();
    // The run every page shows; runId 0 = none.
    void currentRunChanged(const QString& dbPath, qint64 runId);
    void databaseChanged(const QString& path);
    // A run's stored steps could not be read after loadRun() had accepted it (translated).
    void readFailed(const QString& message);
    // Internal: on_step() found the pending mailbox empty (emitted on the training thread,
    // queued to scheduleFlush on the hub's thread; the reports travel in m_pending).
    void stepsPosted(QPrivateSignal);

  private:
    // A read of a run's stored steps on its way: `ticket` tells it from a later request for
    // the same run; `liveFrom` is the first step that arrived live since it was requested.
    struct PendingLoad {
        quint64 ticket = 0;
        std::optional<qint64> liveFrom;
    };

    HubRun& ensureRun(qint64 runId);
    void requestRunName(qint64 runId);
    void requestStoredSteps(qint64 runId);
    void storedStepsRead(qint64 runId, quint64 ticket, HubRun loaded, const QString& error);
    void integrate(const StepReport& report);
    void scheduleFlush();
    void dropUnselected(qint64 runId);
    void forget(qint64 runId);

    Mailbox<StepReport> m_pending;  // training thread -> GUI thread

    QTimer m_flushTimer;
    qint64 m_flushCount = 0;
    FlushStats m_flushStats;
    QString m_databasePath;
    quint64 m_databaseGeneration = 0;  // answers for an earlier database are dropped
    RunReader* m_reader = nullptr;
    std::map<qint64, PendingLoad> m_loads;
    std::map<qint64, HubRun> m_runs;
    std::size_t m_pointBudget;
    qint64 m_currentRun = 0;
    QList<qint64> m_overlays;
};

}  // namespace tinyseek::gui

Q_DECLARE_METATYPE(tinyseek::StepReport)
