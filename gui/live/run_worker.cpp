#include "gui/live/run_worker.h"

#include <QPointer>

#include <exception>

#include "gui/live/thread_priority.h"

namespace tinyseek::gui {

RunProgressInfo RunProgressInfo::from(const RunProgress& p) {
    RunProgressInfo info;
    info.runId = p.run_id;
    info.stage = QString::fromLatin1(to_string(p.stage));
    info.step = p.step;
    info.totalSteps = p.total_steps;
    info.elapsedSeconds = p.elapsed_seconds;
    info.stepsPerSecond = p.steps_per_second;
    info.etaSeconds = p.eta_seconds;
    info.message = QString::fromStdString(p.message);
    return info;
}

RunWorker::RunWorker(const QString& dbPath, const TrainConfig& config, QObject* parent)
    : RunWorker(dbPath, std::optional<TrainConfig>(config), 0, parent) {}

RunWorker::RunWorker(const QString& dbPath, qint64 resumeRunId, QObject* parent)
    : RunWorker(dbPath, std::nullopt, resumeRunId, parent) {}

RunWorker::RunWorker(const QString& dbPath, std::optional<TrainConfig> config, qint64 resumeRunId,
                     QObject* parent)
    : QObject(parent), m_dbPath(dbPath), m_config(std::move(config)), m_resumeRunId(resumeRunId) {
    qRegisterMetaType<tinyseek::gui::RunProgressInfo>();
    connect(this, &RunWorker::reportsPosted, this, &RunWorker::deliverReports,
            Qt::QueuedConnection);
}

RunWorker::~RunWorker() = default;

void RunWorker::addSink(StepSink* sink) {
    m_sinks.push_back(sink);
}

void RunWorker::setPaused(bool paused) {
    if (m_paused.exchange(paused) == paused) return;
    {
        const std::lock_guard<std::mutex> lock(m_loopMutex);
        if (m_loop) m_loop->request_pause(paused);
    }
    emit pausedChanged(paused);
}

void RunWorker::requestStop() {
    m_stop.store(true);
    const std::lock_guard<std::mutex> lock(m_loopMutex);
    if (m_loop) m_loop->request_cancel();
}

void RunWorker::report(std::function<void()> emitSignal) {
    m_reports.post(std::move(emitSignal), [this] { emit reportsPosted(QPrivateSignal()); });
}

void RunWorker::deliverReports() {
    // One at a time: a receiver that runs an event loop cannot reorder the reports. A
    // receiver may delete the worker when it learns that the run finished.
    const QPointer<RunWorker> alive(this);
    while (alive) {
        std::optional<std::function<void()>> emitSignal = m_reports.takeFirst();
        if (!emitSignal) return;
        (*emitSignal)();
    }
}

void RunWorker::onProgress(const RunProgress& p) {
    const qint64 now = m_clock.elapsed();
    // At most one progress event per interval, plus the last step of the pipeline.
    const bool last = p.total_steps > 0 && p.step >= p.total_steps;
    if (!last && m_lastProgressMs >= 0 && now - m_lastProgressMs < kProgressIntervalMs) return;
    m_lastProgressMs = now;
    report([this, info = RunProgressInfo::from(p)] { emit progress(info); });
}

void RunWorker::start() {
    // Training takes the CPU the window does not need (gui/live/thread_priority.h).
    lowerCurrentThreadPriority();
    m_clock.start();
    std::unique_ptr<RunLoop> loop;
    QString status = QStringLiteral("failed");
    QString error;
    try {
        loop =
            m_config
                ? std::make_unique<RunLoop>(*m_config, m_dbPath.toStdString())
                : std::make_unique<RunLoop>(RunLoop::resume(m_dbPath.toStdString(), m_resumeRunId));
        for (StepSink* sink : m_sinks) loop->add_sink(sink);
        loop->set_progress_callback([this](const RunProgress& p) { onProgress(p); });
        {
            const std::lock_guard<std::mutex> lock(m_loopMutex);
            m_loop = loop.get();
            // Requests that came while the loop was being built.
            if (m_paused.load()) m_loop->request_pause(true);
            if (m_stop.load()) m_loop->request_cancel();
        }
        const qint64 id = loop->create();
        m_runId.store(id);
        report([this, id, name = QString::fromStdString(loop->config().display_name())] {
            emit runCreated(id, name);
        });
        const RunStatus result = loop->run();
        status = QString::fromLatin1(to_string(result));
        error = QString::fromStdString(loop->last_error());
    } catch (const std::exception& e) {
        status = QStringLiteral("failed");
        error = QString::fromUtf8(e.what());
    }
    {
        const std::lock_guard<std::mutex> lock(m_loopMutex);
        m_loop = nullptr;
    }
    loop.reset();
    report([this, status, error] { emit finished(status, error); });
}

}  // namespace tinyseek::gui
