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

// Lives on the reader thread and answers the requests in order, one at a time.
class ReadWorker : public QObject {
    Q_OBJECT

  public:
    ReadWorker(Mailbox<ReadJobPtr>& requests, Mailbox<ReadJobPtr>& answers)
        : m_requests(requests), m_answers(answers) {}

    void runRequests() {
        // One at a time, so that ~RunReader, by emptying the request mailbox, stops the
        // thread after the read in progress.
        while (std::optional<ReadJobPtr> job = m_requests.takeFirst()) {
            (*job)->error = openAndRun((*job)->dbPath, (*job)->run);
            // Moved: the reader thread keeps no reference to an answered job.
            m_answers.post(std::move(*job), [this] { emit answersPosted(); });
        }
    }

  signals:
    void answersPosted();

  private:
    Mailbox<ReadJobPtr>& m_requests;
    Mailbox<ReadJobPtr>& m_answers;
};

}  // namespace detail

RunReader::RunReader(QObject* parent)
    : QObject(parent), m_worker(std::make_unique<detail::ReadWorker>(m_requests, m_answers)) {
    m_thread.setObjectName(QStringLiteral("tinyseek-reader"));
    m_worker->moveToThread(&m_thread);
    connect(this, &RunReader::requestsPosted, m_worker.get(), &detail::ReadWorker::runRequests,
            Qt::QueuedConnection);
    connect(m_worker.get(), &detail::ReadWorker::answersPosted, this, &RunReader::deliverAnswers,
            Qt::QueuedConnection);
    m_thread.start();
}

RunReader::~RunReader() {
    m_requests.takeAll();  // dropped: the thread ends after the read in progress
    m_thread.quit();
    m_thread.wait();
    // The thread has ended: nothing runs on the worker any more. Its last step was taking
    // from m_requests; locking that mailbox once more orders it before the worker's
    // destruction for ThreadSanitizer too, which cannot see QThread::wait() learn of the end
    // inside libQt6Core (tests/tsan.supp).
    m_requests.takeAll();
    m_worker.reset();
}

quint64 RunReader::submit(detail::ReadJobPtr job) {
    ++m_pending;
    job->ticket = ++m_lastTicket;
    const quint64 ticket = job->ticket;
    m_requests.post(std::move(job), [this] { emit requestsPosted(QPrivateSignal()); });
    return ticket;
}

void RunReader::deliverAnswers() {
    // One at a time: a `done` that runs an event loop cannot reorder the answers.
    while (std::optional<detail::ReadJobPtr> job = m_answers.takeFirst()) answer(*job);
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
