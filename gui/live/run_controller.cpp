#include "gui/live/run_controller.h"

#include <QCoreApplication>
#include <QEvent>
#include <QThread>

#include "gui/live/metrics_hub.h"

namespace tinyseek::gui {

RunController::RunController(MetricsHub* hub, QObject* parent) : QObject(parent), m_hub(hub) {
    qRegisterMetaType<tinyseek::gui::RunController::State>();
}

RunController::~RunController() {
    if (!m_thread) return;
    if (!stopAndWait()) {
        // A step that ignores cancellation for a minute would be a trainer bug; still never
        // destroy a running thread: wait for it.
        m_thread->wait();
        cleanup();
    }
}

bool RunController::startNew(const QString& dbPath, const TrainConfig& config, QString* error) {
    m_resuming = false;
    return launch(new RunWorker(dbPath, config), error);
}

bool RunController::resume(const QString& dbPath, qint64 runId, QString* error) {
    m_resuming = true;
    return launch(new RunWorker(dbPath, runId), error);
}

bool RunController::launch(RunWorker* worker, QString* error) {
    if (isActive()) {
        delete worker;
        if (error) *error = tr("A run is already training; stop it before starting another.");
        return false;
    }
    m_dbPath = worker->databasePath();
    m_runId = 0;
    m_progress = RunProgressInfo();
    m_worker = worker;
    m_worker->addSink(m_hub);
    // The worker stays on this thread, so its signals arrive here; only start() runs on the
    // training thread, which ends when the run does.
    m_thread = QThread::create([worker] { worker->start(); });
    m_thread->setParent(this);
    m_thread->setObjectName(QStringLiteral("tinyseek-run"));
    connect(m_worker, &RunWorker::runCreated, this, &RunController::onRunCreated);
    connect(m_worker, &RunWorker::progress, this, [this](const RunProgressInfo& p) {
        m_progress = p;
        emit progressChanged(p);
    });
    // Queued: onFinished() deletes the worker, which is still emitting.
    connect(m_worker, &RunWorker::finished, this, &RunController::onFinished, Qt::QueuedConnection);
    setState(State::Running);
    m_thread->start();
    return true;
}

void RunController::onRunCreated(qint64 runId, const QString& name) {
    m_runId = runId;
    if (m_hub && m_hub->databasePath() == m_dbPath) {
        // A resumed run brings its stored steps along; a new one starts empty.
        if (m_resuming) m_hub->loadRun(runId);
        m_hub->setRunLive(runId, true);
        m_hub->setCurrentRun(runId);
    }
    emit runStarted(runId, name);
}

void RunController::onFinished(const QString& status, const QString& error) {
    if (!m_thread) return;
    m_thread->wait();
    const qint64 runId = m_runId != 0 ? m_runId : (m_worker ? m_worker->runId() : 0);
    if (m_hub) {
        // Steps stored just before the end may still be pending in the hub's buffer.
        m_hub->flush();
        for (qint64 id : m_hub->runIds())
            if (m_hub->run(id)->live) m_hub->setRunLive(id, false);
    }
    cleanup();
    setState(State::Idle);
    emit runFinished(runId, status, error);
}

void RunController::cleanup() {
    delete m_worker;
    m_worker = nullptr;
    delete m_thread;
    m_thread = nullptr;
}

void RunController::setState(State state) {
    if (state == m_state) return;
    m_state = state;
    emit stateChanged(state);
}

void RunController::pause() {
    if (m_state != State::Running || !m_worker) return;
    m_worker->setPaused(true);
    setState(State::Paused);
}

void RunController::resumeRun() {
    if (m_state != State::Paused || !m_worker) return;
    m_worker->setPaused(false);
    setState(State::Running);
}

void RunController::stop() {
    if (!m_worker || m_state == State::Stopping || m_state == State::Idle) return;
    m_worker->requestStop();
    setState(State::Stopping);
}

bool RunController::stopAndWait(int timeoutMs) {
    if (!m_thread) return true;
    stop();
    if (!m_thread->wait(timeoutMs)) return false;
    // The run's last reports wait in the worker's mailbox, then its finished() in our event
    // queue: deliver both now.
    m_worker->deliverReports();
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    if (m_thread) onFinished(QStringLiteral("stopped"), QString());
    return true;
}

}  // namespace tinyseek::gui
