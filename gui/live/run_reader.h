// RunReader: the one reader of run databases in the workbench. The MetricsHub owns it; the
// hub and every page read stored runs through it, and no other GUI code opens a RunStore for
// reading.
//
//   GUI thread:     read(db, context, query, done) --request Mailbox-->
//   reader thread:  opens the file read-only, runs query(store), keeps any error's text
//                   --answer Mailbox--> GUI thread: done(result), unless `context` is gone
//
// (A queued signal without arguments rings each mailbox; gui/live/mailbox.h says why the
// requests do not ride the signals.)
//
// One worker thread answers the requests in the order they were made, so the GUI thread never
// waits for SQLite: not for a run with a hundred thousand steps, not for a file another
// process holds locked, not for a damaged one. Each request opens its own short-lived
// connection, so a file replaced on disk is never read through a stale one, and WAL lets the
// reads go on beside the trainer's writes.
//
// readNow() is the exception: a small read a caller cannot go on without (each use says why).
// It opens the file on the calling thread.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>

#include "gui/live/mailbox.h"

namespace tinyseek {
class RunStore;
}

namespace tinyseek::gui {

template <class T>
struct ReadResult {
    T value{};
    QString error;       // empty on success; otherwise the store's reason, naming the file
    quint64 ticket = 0;  // what read() returned for this request (0 from readNow())
    bool ok() const { return error.isEmpty(); }
};

namespace detail {

// One request on its way to the reader thread and back, with its types erased.
struct ReadJob {
    QString dbPath;
    QPointer<QObject> context;  // the requester; no answer once it is destroyed
    bool guarded = false;       // false: answered whatever happens (no context given)
    std::function<void(const RunStore&)> run;              // reader thread
    std::function<void(const QString&, quint64)> deliver;  // GUI thread: error, ticket
    QString error;
    quint64 ticket = 0;
};
using ReadJobPtr = std::shared_ptr<ReadJob>;

class ReadWorker;

}  // namespace detail

class RunReader : public QObject {
    Q_OBJECT

  public:
    template <class T>
    using Query = std::function<T(const RunStore&)>;
    template <class T>
    using Done = std::function<void(ReadResult<T>)>;

    explicit RunReader(QObject* parent = nullptr);
    ~RunReader() override;  // waits for the read in progress; later ones are dropped

    // Runs `query` on the reader thread against `dbPath` (opened read-only), then calls
    // `done` on this object's thread with its value or the error, unless `context` (the
    // requester, may be null) was destroyed meanwhile. Returns a ticket, increasing with
    // every request and handed back in the result, so a requester can drop the answer to a
    // request it has since replaced.
    template <class T>
    quint64 read(const QString& dbPath, QObject* context, Query<T> query, Done<T> done) {
        auto value = std::make_shared<T>();
        auto job = std::make_shared<detail::ReadJob>();
        job->dbPath = dbPath;
        job->context = context;
        job->guarded = context != nullptr;
        job->run = [query = std::move(query), value](const RunStore& store) {
            *value = query(store);
        };
        job->deliver = [done = std::move(done), value](const QString& error, quint64 ticket) {
            done(ReadResult<T>{std::move(*value), error, ticket});
        };
        return submit(std::move(job));
    }

    // The same read, on the calling thread, returning when it is done.
    template <class T>
    ReadResult<T> readNow(const QString& dbPath, const Query<T>& query) const {
        ReadResult<T> result;
        result.error = runNow(dbPath, [&](const RunStore& store) { result.value = query(store); });
        return result;
    }

    // Requests made and not answered yet (an answer counts once its `done` has run, so a
    // request made from inside `done` keeps the reader busy without a gap).
    int pendingCount() const { return m_pending; }
    bool isIdle() const { return m_pending == 0; }
    // The thread the reads run on.
    const QThread* readerThread() const { return &m_thread; }

  signals:
    // The last pending request was answered.
    void idle();
    // Internal: the request mailbox was empty (queued to the reader thread).
    void requestsPosted(QPrivateSignal);

  private:
    quint64 submit(detail::ReadJobPtr job);
    void deliverAnswers();
    void answer(const detail::ReadJobPtr& job);
    static QString runNow(const QString& dbPath, const std::function<void(const RunStore&)>& run);

    Mailbox<detail::ReadJobPtr> m_requests;  // GUI thread -> reader thread
    Mailbox<detail::ReadJobPtr> m_answers;   // reader thread -> GUI thread
    QThread m_thread;
    std::unique_ptr<detail::ReadWorker> m_worker;
    int m_pending = 0;
    quint64 m_lastTicket = 0;
};

}  // namespace tinyseek::gui
