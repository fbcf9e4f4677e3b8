// RunWorker: executes one training run (a RunLoop for a new TrainConfig, or RunLoop::resume of
// a stored run) on the thread that calls start(), and reports it to the thread it belongs to.
//
// The worker object stays on the thread that created it (the GUI thread); start() runs on
// the training thread (the RunController's QThread) and blocks it until the run ends, so
// that thread runs no event loop: setPaused() and requestStop() are therefore plain
// thread-safe calls that forward to RunLoop::request_pause / request_cancel, which the
// loop checks between steps and inside generation. A request made before the RunLoop exists
// is kept and applied as soon as it does.
//
// Signals are emitted on the worker's own thread: the training thread posts each report
// (run created, progress, finished) into a Mailbox and one queued signal without arguments
// has them emitted there (gui/live/mailbox.h says why values never ride a queued signal).
// Progress is throttled (kProgressIntervalMs) so a fast trainer cannot flood the event loop;
// the steps themselves travel through the sinks (the MetricsHub).
#pragma once

#include <QElapsedTimer>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "gui/live/mailbox.h"
#include "training/run_loop.h"

namespace tinyseek::gui {

// RunProgress as Qt values.
struct RunProgressInfo {
    qint64 runId = 0;
    QString stage;  // "sft" | "grpo"
    qint64 step = 0;
    qint64 totalSteps = 0;
    double elapsedSeconds = 0.0;
    double stepsPerSecond = 0.0;
    double etaSeconds = -1.0;  // negative: unknown
    QString message;           // e.g. "evaluating", "control arm"

    static RunProgressInfo from(const RunProgress& progress);
};

class RunWorker : public QObject {
    Q_OBJECT

  public:
    static constexpr int kProgressIntervalMs = 100;

    // A new run of `config` in the database `dbPath`.
    RunWorker(const QString& dbPath, const TrainConfig& config, QObject* parent = nullptr);
    // Continues stored run `resumeRunId` of `dbPath` from its last checkpoint.
    RunWorker(const QString& dbPath, qint64 resumeRunId, QObject* parent = nullptr);
    ~RunWorker() override;

    // Sinks receive every stored step on the worker thread (not owned; add before start()).
    void addSink(StepSink* sink);

    QString databasePath() const { return m_dbPath; }
    qint64 runId() const { return m_runId.load(); }  // 0 until the run row exists
    bool isPaused() const { return m_paused.load(); }
    bool isStopRequested() const { return m_stop.load(); }

    // Thread-safe; call directly (a queued call would wait for start() to return).
    void setPaused(bool paused);
    void requestStop();

    // Runs to the end on the calling thread (not the worker's own); runCreated, progress...,
    // finished follow on the worker's thread.
    void start();

    // Emits now the signals of what the run has reported so far. The event loop does it by
    // itself; a caller that blocked its event loop waiting for the training thread catches up.
    void deliverReports();

  signals:
    void runCreated(qint64 runId, const QString& name);
    void progress(const tinyseek::gui::RunProgressInfo& progress);
    void pausedChanged(bool paused);
    // status: "completed", "stopped" or "failed" (then `error` says why; the steps done so far
    // stay stored and the run is marked failed in the database when it was created).
    void finished(const QString& status, const QString& error);
    // Internal: the training thread found the report mailbox empty (queued to deliverReports).
    void reportsPosted(QPrivateSignal);

  private:
    RunWorker(const QString& dbPath, std::optional<TrainConfig> config, qint64 resumeRunId,
              QObject* parent);
    void onProgress(const RunProgress& progress);
    // Training thread: has `emitSignal` run on the worker's thread.
    void report(std::function<void()> emitSignal);

    QString m_dbPath;
    std::optional<TrainConfig> m_config;
    qint64 m_resumeRunId = 0;
    std::vector<StepSink*> m_sinks;

    // Guards m_loop against start() creating/destroying it. A std::mutex, which
    // ThreadSanitizer sees (QMutex waits inside the uninstrumented libQt6Core).
    std::mutex m_loopMutex;
    RunLoop* m_loop = nullptr;
    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_runId{0};
    QElapsedTimer m_clock;                     // training thread only
    qint64 m_lastProgressMs = -1;              // training thread only
    Mailbox<std::function<void()>> m_reports;  // training thread -> the worker's thread
};

}  // namespace tinyseek::gui

Q_DECLARE_METATYPE(tinyseek::gui::RunProgressInfo)
