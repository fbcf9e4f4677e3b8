// JobStrip: the line under a computed figure — a button that asks for the computation, a
// status line, and while it runs a progress bar and Cancel — over a BackgroundJob of its own
// (one computation at a time per strip; docs/ARCHITECTURE.md "Threading rules"). The owner
// answers startRequested() by calling start() with the work and what to do with its result.
#pragma once

#include <QString>
#include <QWidget>

#include <functional>

#include "gui/live/background_job.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace tinyseek::gui {

class JobStrip : public QWidget {
    Q_OBJECT

  public:
    JobStrip(const QString& buttonText, const QString& buttonToolTip, QWidget* parent = nullptr);

    // Runs `work` on the strip's thread with `text` as the status; `onDone` runs on the GUI
    // thread when it returned (not when it was cancelled or threw: the status says so). False
    // while a computation runs.
    bool start(const QString& text, BackgroundJob::Work work, std::function<void()> onDone);
    void cancel();
    bool isRunning() const;
    void setStatus(const QString& text);
    QString status() const;
    void setButtonEnabled(bool enabled);
    QPushButton* button() const { return m_button; }

  signals:
    void startRequested();
    // After onDone (or the cancellation or error message) has been shown.
    void finished(bool succeeded);

  private:
    void onFinished(bool cancelled, const QString& error);

    BackgroundJob* m_job = nullptr;
    std::function<void()> m_onDone;
    QPushButton* m_button = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    bool m_buttonEnabled = true;
};

}  // namespace tinyseek::gui
