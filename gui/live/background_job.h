// BackgroundJob: one piece of heavy work at a time on a thread of its own, for pages that
// compute what they show (the Inference page's measurements), so the GUI thread never waits
// (docs/ARCHITECTURE.md "Threading rules"). The work polls a cancel flag (hand it to the
// core as GenerationOptions::cancel, checked before every decode step) and reports progress;
// the GUI thread sees both through signals. A later request waits for nothing: start()
// refuses while a job runs, and the caller offers Cancel.
#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>

class QThread;

namespace tinyseek::gui {

class BackgroundJob : public QObject {
    Q_OBJECT

  public:
    using Progress = std::function<void(int done, int total)>;
    // Runs on the job's thread. May throw: the message arrives in finished(). A thrown
    // tinyseek::Cancelled, or any end after cancel(), counts as cancelled.
    using Work = std::function<void(const std::atomic<bool>& cancel, const Progress& progress)>;

    explicit BackgroundJob(QObject* parent = nullptr);
    // Cancels a running job and waits for it (it stops within one decode step).
    ~BackgroundJob() override;

    // How the job's thread competes for the CPU: Background lowers it (nice + 5, as
    // training), so the window and a run in training come first; Timing keeps the normal
    // priority, for measurements of speed.
    enum class Priority { Background, Timing };
    // Starts `work` under `name` (echoed by the signals); false when a job is running.
    bool start(const QString& name, Work work, Priority priority = Priority::Background);
    // Raises the cancel flag of the running job (nothing when none runs).
    void cancel();
    bool isRunning() const { return m_thread != nullptr; }
    QString name() const { return m_name; }  // of the running or last job

  signals:
    // On the GUI thread, coalesced: the latest (done, total) the work reported.
    void progressed(int done, int total);
    // Private: the worker's wake-up for deliverProgress(), a queued signal without arguments
    // (a queued invokeMethod allocates its call object in project code on the worker thread,
    // a handoff ThreadSanitizer cannot see; docs/ARCHITECTURE.md "Threading rules").
    void progressPosted();
    // On the GUI thread once the work returned or threw; `error` is empty unless it threw
    // something other than a cancellation.
    void finished(const QString& name, bool cancelled, const QString& error);

  private:
    void report(int done, int total);  // any thread
    void deliverProgress();            // GUI thread

    QThread* m_thread = nullptr;
    QString m_name;
    std::atomic<bool> m_cancel{false};
    std::atomic<int> m_done{0};
    std::atomic<int> m_total{0};
    std::atomic<bool> m_progressPending{false};
};

}  // namespace tinyseek::gui
