// Imports in the window (docs/ARCHITECTURE.md "Imported runs"): File › Import… reads a verl,
// TRL or TensorBoard log into the open database on a thread of its own, and a source that is
// still being written can be followed: it is read again every second, what it added is
// written to the store through the thread's own connection, and the hub receives it as live
// steps (or reloads the run when the source started over), so the pages update as they do for
// a local run.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QThread>

#include <condition_variable>
#include <memory>
#include <mutex>

#include "gui/live/mailbox.h"

namespace tinyseek::gui {

class MetricsHub;
class ImportWorker;

// What the GUI thread asks of the follower's thread, and what comes back. Both travel through
// Mailboxes (docs/ARCHITECTURE.md "Threading rules"), never as queued signal arguments.
struct ImportRequest {
    enum class Kind { import, stop, finish } kind = Kind::import;  // finish: stop, then tell
    QString db, path;
    bool follow = false;
};
struct ImportAnswer {
    enum class Kind { imported, failed, rewritten, followed } kind = Kind::imported;
    QString path;
    QList<qint64> runIds;  // imported; rewritten: the run
    QString text;          // imported: the report; failed: the reason
    int followed = 0;      // how many sources are followed now
};

class ImportFollower : public QObject {
    Q_OBJECT

  public:
    static constexpr int kPollIntervalMs = 1000;

    explicit ImportFollower(MetricsHub* hub, QObject* parent = nullptr);
    // Stops following (the followed runs are marked stopped) and joins the thread.
    ~ImportFollower() override;

    // Reads the sources at `path` into the database `db` in the background; imported() or
    // failed() answers. With `follow`, the sources stay followed until stopAll().
    void import(const QString& db, const QString& path, bool follow);
    // Stops following every source (their runs are marked stopped).
    void stopAll();
    int followedCount() const { return m_followed; }

  signals:
    // The first read of `path` is stored: its runs (new or updated) and one line per source
    // (translated), with the problems found in the input.
    void imported(const QString& path, const QList<qint64>& runIds, const QString& report);
    // Nothing could be imported from `path` (the reason); nothing was written.
    void failed(const QString& path, const QString& message);
    // A followed run's source started over: the run was rewritten and should be read again.
    void runRewritten(qint64 runId);
    void followedCountChanged(int count);
    // Internal: a request was posted (queued to the worker's thread; no payload).
    void requestsPosted(QPrivateSignal);

  private:
    void post(ImportRequest request);
    void deliverAnswers();

    Mailbox<ImportRequest> m_requests;
    Mailbox<ImportAnswer> m_answers;
    // Set by the worker once it handled the destructor's last request: the destructor waits
    // for it before ending the thread, so the followed runs are marked stopped and the poll
    // timer is gone.
    std::mutex m_stopMutex;
    std::condition_variable m_stopped;
    bool m_finished = false;  // guarded by m_stopMutex
    std::unique_ptr<ImportWorker> m_worker;
    QThread m_thread;
    int m_followed = 0;
};

}  // namespace tinyseek::gui
