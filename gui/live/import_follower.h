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

class QThread;

namespace tinyseek::gui {

class MetricsHub;
class ImportWorker;

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
    // Nothing could be imported from `path` (translated reason); nothing was written.
    void failed(const QString& path, const QString& message);
    // A followed run's source started over: the run was rewritten and should be read again.
    void runRewritten(qint64 runId);
    void followedCountChanged(int count);

  private:
    QThread* m_thread = nullptr;
    ImportWorker* m_worker = nullptr;
    MetricsHub* m_hub = nullptr;
    int m_followed = 0;
};

}  // namespace tinyseek::gui
