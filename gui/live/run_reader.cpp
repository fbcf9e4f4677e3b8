#include "gui/live/run_reader.h"

#include <exception>

#include "training/run_store.h"

namespace tinyseek::gui {

namespace {

OpenOptions browseOptions() {
    OpenOptions options;
    options.read_only = true;
    // The full check is O(file size) and the trainer's own connection already ran it; a
    // reader only reads rows, and SQLite reports any damage it meets on the way.
    options.integrity_check = false;
    return options;
}

// Opens the file read-only on the calling thread and runs `run`; the error's text, or empty.
QString openAndRun(const QString& dbPath, const std::function<void(const RunStore&)>& run) {
    try {
        const RunStore store(dbPath.toStdString(), browseOptions());
        run(store);
    } catch (const std::exception& e) {
        const QString what = QString::fromUtf8(e.what());
        return what.isEmpty() ? QStringLiteral("unknown error") : what;
    }
    return QString();
}

}  // namespace

namespace detail {

// Lives on the reader thread and answers one job at a time.
class ReadWorker : public QObject {
    Q_OBJECT

  public:
    void run(const ReadJobPtr& job) {
        job->error = openAndRun(job->dbPath, job->run);
        emit finished(job);
    }

  signals:
    void finished(const tinyseek::gui::detail::ReadJobPtr& job);
};

}  // namespace detail

RunReader::RunReader(QObject* parent)
    : QObject(parent), m_worker(std::make_unique<detail::ReadWorker>()) {
    qRegisterMetaType<detail::ReadJobPtr>();
    m_thread.setObjectName(QStringLiteral("tinyseek-reader"));
    m_worker->moveToThread(&m_thread);
    connect(this, &RunReader::jobSubmitted, m_worker.get(), &detail::ReadWorker::run,
            Qt::QueuedConnection);
    connect(m_worker.get(), &detail::ReadWorker::finished, this, &RunReader::answer,
            Qt::QueuedConnection);
    m_thread.start();
}

RunReader::~RunReader() {
    m_thread.quit();
    m_thread.wait();
    // The thread has ended: nothing runs on the worker any more.
    m_worker.reset();
}

quint64 RunReader::submit(detail::ReadJobPtr job) {
    ++m_pending;
    job->ticket = ++m_lastTicket;
    emit jobSubmitted(job, QPrivateSignal());
    return job->ticket;
}

void RunReader::answer(const detail::ReadJobPtr& job) {
    if (!job->guarded || job->context) job->deliver(job->error, job->ticket);
    // After delivering: a request made by `deliver` keeps the count above zero throughout.
    if (--m_pending == 0) emit idle();
}

QString RunReader::runNow(const QString& dbPath, const std::function<void(const RunStore&)>& run) {
    return openAndRun(dbPath, run);
}

}  // namespace tinyseek::gui

#include "run_reader.moc"
