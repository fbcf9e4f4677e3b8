// RunController: owns the worker thread of the one training run the window executes at a
// time, and turns the toolbar's Start / Pause / Resume / Stop into RunWorker calls. The
// MetricsHub is the worker's sink, so steps reach the pages through the coalescing buffer.
//
// States: Idle -> Running <-> Paused -> Stopping -> Idle. Shutting down (stopAndWait or the
// destructor) cancels the run and joins the thread; the RunLoop keeps the last complete step
// stored, so nothing finished is lost.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include "gui/live/run_worker.h"

class QThread;

namespace tinyseek::gui {

class MetricsHub;

class RunController : public QObject {
    Q_OBJECT

  public:
    enum class State { Idle, Running, Paused, Stopping };
    Q_ENUM(State)

    explicit RunController(MetricsHub* hub, QObject* parent = nullptr);
    ~RunController() override;  // stops a running run and waits for its thread

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Idle; }
    qint64 runId() const { return m_runId; }  // 0 until the worker created the run row
    QString databasePath() const { return m_dbPath; }
    RunProgressInfo lastProgress() const { return m_progress; }

    // Starts a new run / resumes a stored one in a new worker thread. False (with a
    // translated reason) when a run is already active.
    bool startNew(const QString& dbPath, const TrainConfig& config, QString* error = nullptr);
    bool resume(const QString& dbPath, qint64 runId, QString* error = nullptr);

    // Asks the run to stop and waits up to `timeoutMs` for its thread; true when it ended.
    bool stopAndWait(int timeoutMs = 60000);

  public slots:
    void pause();
    void resumeRun();  // continue after pause()
    void stop();

  signals:
    void stateChanged(tinyseek::gui::RunController::State state);
    void runStarted(qint64 runId, const QString& name);
    void progressChanged(const tinyseek::gui::RunProgressInfo& progress);
    // status: "completed", "stopped" or "failed" (with `error`).
    void runFinished(qint64 runId, const QString& status, const QString& error);

  private:
    bool launch(RunWorker* worker, QString* error);
    void setState(State state);
    void onRunCreated(qint64 runId, const QString& name);
    void onFinished(const QString& status, const QString& error);
    void cleanup();

    MetricsHub* m_hub;
    QThread* m_thread = nullptr;
    RunWorker* m_worker = nullptr;
    State m_state = State::Idle;
    bool m_resuming = false;
    qint64 m_runId = 0;
    QString m_dbPath;
    RunProgressInfo m_progress;
};

}  // namespace tinyseek::gui
