#include "gui/pages/job_strip.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace tinyseek::gui {

JobStrip::JobStrip(const QString& buttonText, const QString& buttonToolTip, QWidget* parent)
    : QWidget(parent), m_job(new BackgroundJob(this)) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_button = new QPushButton(buttonText, this);
    m_button->setToolTip(buttonToolTip);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(220);
    m_progress->setVisible(false);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setToolTip(tr("Stop the computation"));
    m_cancel->setVisible(false);
    layout->addWidget(m_button);
    layout->addWidget(m_status, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    connect(m_button, &QPushButton::clicked, this, &JobStrip::startRequested);
    connect(m_cancel, &QPushButton::clicked, this, &JobStrip::cancel);
    connect(m_job, &BackgroundJob::progressed, this, [this](int done, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
    });
    connect(m_job, &BackgroundJob::finished, this,
            [this](const QString&, bool cancelled, const QString& error) {
                onFinished(cancelled, error);
            });
}

bool JobStrip::start(const QString& text, BackgroundJob::Work work, std::function<void()> onDone) {
    if (!m_job->start(text, std::move(work))) return false;
    m_onDone = std::move(onDone);
    m_status->setText(text);
    m_progress->setRange(0, 0);  // busy until the first report
    m_progress->setVisible(true);
    m_cancel->setVisible(true);
    m_button->setEnabled(false);
    return true;
}

void JobStrip::cancel() {
    m_job->cancel();
}

bool JobStrip::isRunning() const {
    return m_job->isRunning();
}

void JobStrip::setStatus(const QString& text) {
    m_status->setText(text);
}

QString JobStrip::status() const {
    return m_status->text();
}

void JobStrip::setButtonEnabled(bool enabled) {
    m_buttonEnabled = enabled;
    if (!isRunning()) m_button->setEnabled(enabled);
}

void JobStrip::onFinished(bool cancelled, const QString& error) {
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    m_button->setEnabled(m_buttonEnabled);
    const std::function<void()> done = std::move(m_onDone);
    m_onDone = nullptr;
    const bool succeeded = !cancelled && error.isEmpty();
    if (cancelled)
        m_status->setText(tr("Cancelled: press the button to compute again."));
    else if (!error.isEmpty())
        m_status->setText(tr("Failed: %1").arg(error));
    else if (done)
        done();
    emit finished(succeeded);
}

}  // namespace tinyseek::gui
