#include "gui/live/background_job.h"

#include "core/errors.h"
#include "gui/live/thread_priority.h"

#include <QThread>

#include <exception>
#include <memory>

namespace tinyseek::gui {

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {
    connect(this, &BackgroundJob::progressPosted, this, &BackgroundJob::deliverProgress,
            Qt::QueuedConnection);
}

BackgroundJob::~BackgroundJob() {
    if (!m_thread) return;
    m_cancel = true;
    m_thread->wait();
    delete m_thread;
}

bool BackgroundJob::start(const QString& name, Work work, Priority priority) {
    if (m_thread) return false;
    m_name = name;
    m_cancel = false;
    m_done = 0;
    m_total = 0;
    // What the thread found, read on the GUI thread once it has finished.
    struct Outcome {
        bool cancelled = false;
        QString error;
    };
    auto outcome = std::make_shared<Outcome>();
    m_thread = QThread::create([this, work = std::move(work), outcome, priority] {
        if (priority == Priority::Background) lowerCurrentThreadPriority();
        try {
            work(m_cancel, [this](int done, int total) { report(done, total); });
        } catch (const Cancelled&) {
            outcome->cancelled = true;
        } catch (const std::exception& e) {
            outcome->error = QString::fromUtf8(e.what());
        }
        outcome->cancelled = outcome->cancelled || m_cancel.load();
    });
    connect(m_thread, &QThread::finished, this, [this, outcome] {
        m_thread->deleteLater();
        m_thread = nullptr;
        emit finished(m_name, outcome->cancelled, outcome->cancelled ? QString() : outcome->error);
    });
    m_thread->start();
    return true;
}

void BackgroundJob::cancel() {
    if (m_thread) m_cancel = true;
}

void BackgroundJob::report(int done, int total) {
    m_done = done;
    m_total = total;
    // One queued delivery at a time: a fast worker does not flood the event loop.
    if (m_progressPending.exchange(true)) return;
    emit progressPosted();
}

void BackgroundJob::deliverProgress() {
    m_progressPending = false;
    if (m_thread) emit progressed(m_done.load(), m_total.load());
}

}  // namespace tinyseek::gui
