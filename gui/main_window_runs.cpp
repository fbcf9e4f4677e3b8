// MainWindow, the training-run half: toolbar actions driving the RunController, progress in
// the status bar, the New Run dialog, the first-launch demo offer, and which run every page
// shows (restored per database from the settings). Kept apart from main_window.cpp so the
// shell (docks, menus, layout, themes) and the run wiring each stay readable.
#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>

#include "gui/app_settings.h"
#include "gui/dialogs/new_run_dialog.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_controller.h"
#include "gui/live/run_reader.h"
#include "gui/main_window.h"
#include "gui/pages/evaluation_page.h"
#include "gui/pages/runs_page.h"
#include "gui/pages/training_page.h"
#include "training/run_store.h"

namespace tinyseek::gui {

void MainWindow::connectRuns() {
    auto* training = qobject_cast<TrainingPage*>(page(QString::fromLatin1(TrainingPage::kId)));
    auto* runs = qobject_cast<RunsPage*>(page(QString::fromLatin1(RunsPage::kId)));
    training->setHub(m_hub);
    connect(training, &TrainingPage::demoRequested, this, &MainWindow::startDemoRun);
    runs->setHub(m_hub);
    qobject_cast<EvaluationPage*>(page(QString::fromLatin1(EvaluationPage::kId)))->setHub(m_hub);
    const auto toTraining = [this] { showPage(QString::fromLatin1(TrainingPage::kId)); };
    connect(runs, &RunsPage::runOpened, this, toTraining);
    connect(runs, &RunsPage::runCompared, this, toTraining);
    connect(runs, &RunsPage::runDeleted, this, &MainWindow::updateDemoOffer);
    connect(runs, &RunsPage::openDatabaseRequested, this, &MainWindow::chooseDatabase);
    connect(runs, &RunsPage::resumeRequested, this, &MainWindow::resumeStoredRun);
    connect(runs, &RunsPage::refreshed, this, &MainWindow::onRunsListed);
    connect(m_hub, &MetricsHub::readFailed, this,
            [this](const QString& message) { showStatusMessage(message, 0); });

    connect(m_hub, &MetricsHub::currentRunChanged, this, [this](const QString& db, qint64 runId) {
        if (m_persistent && runId > 0 && !db.isEmpty()) AppSettings().setLastRun(db, runId);
        emit currentRunChanged(db, runId);
    });
    connect(this, &MainWindow::cancelRequested, m_controller, &RunController::stop);
    connect(m_controller, &RunController::stateChanged, this, &MainWindow::updateRunActions);
    connect(m_controller, &RunController::progressChanged, this, [this](const RunProgressInfo& p) {
        setProgress(p.step, p.totalSteps, p.etaSeconds);
        updateRunActions();
    });
    connect(m_controller, &RunController::runStarted, this, [this, runs](qint64 runId) {
        runs->setActiveRun(runId);
        runs->refresh();
        showStatusMessage(tr("Run %1 started.").arg(runId));
    });
    connect(m_controller, &RunController::runFinished, this, &MainWindow::onRunFinished);
}

qint64 MainWindow::currentRunId() const {
    return m_hub->currentRun();
}

QString MainWindow::defaultDatabasePath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/runs.db");
}

void MainWindow::updateRunActions() {
    const RunController::State state = m_controller->state();
    const bool idle = state == RunController::State::Idle;
    const bool paused = state == RunController::State::Paused;
    m_startAction->setEnabled(idle || paused);
    m_startAction->setText(paused ? tr("Resume") : tr("Start"));
    m_pauseAction->setEnabled(state == RunController::State::Running);
    m_stopAction->setEnabled(state == RunController::State::Running || paused);
    m_newRunAction->setEnabled(idle);
    // The hub's run ids belong to one database: switching while a run writes is refused.
    m_openAction->setEnabled(idle);
    m_recentMenu->setEnabled(idle);
    if (auto* runs = qobject_cast<RunsPage*>(page(QString::fromLatin1(RunsPage::kId))))
        runs->setTrainingActive(!idle);
    if (paused)
        m_etaLabel->setText(tr("Paused"));
    else if (state == RunController::State::Stopping)
        m_etaLabel->setText(tr("Stopping…"));
}

void MainWindow::newRun() {
    NewRunDialog dialog(this);
    // Repeat the current run's settings by default: the usual next step is to change one knob.
    const qint64 current = m_hub->currentRun();
    if (current > 0 && !m_databasePath.isEmpty()) {
        // One row, read now: the dialog opens filled in with it.
        const ReadResult<std::string> stored = m_hub->reader()->readNow<std::string>(
            m_databasePath,
            [current](const RunStore& store) { return store.run(current).config_json; });
        try {
            // Unreadable: the defaults.
            if (stored.ok()) {
                TrainConfig config =
                    TrainConfig::from_json(nlohmann::json::parse(stored.value), "run config");
                config.name.clear();
                config.threads = NewRunDialog::defaultConfig().threads;
                dialog.setConfig(config);
            }
        } catch (const std::exception&) {
            // A run of another kind (e.g. the reward-model lab): start from the defaults.
        }
    }
    if (dialog.exec() != QDialog::Accepted) return;
    if (m_databasePath.isEmpty() && !openDatabase(defaultDatabasePath(), true)) return;
    startRun(dialog.config());
}

bool MainWindow::startRun(const TrainConfig& config) {
    if (m_databasePath.isEmpty()) {
        showStatusMessage(tr("Open a database before starting a run."), 0);
        return false;
    }
    QString error;
    if (!m_controller->startNew(m_databasePath, config, &error)) {
        showMessage(QMessageBox::Warning, tr("Cannot Start Run"), error);
        return false;
    }
    setProgress(0, config.total_steps(), -1.0);
    updateDemoOffer();
    showPage(QString::fromLatin1(TrainingPage::kId));
    return true;
}

bool MainWindow::resumeStoredRun(qint64 runId) {
    QString error;
    if (m_databasePath.isEmpty() || !m_controller->resume(m_databasePath, runId, &error)) {
        showMessage(QMessageBox::Warning, tr("Cannot Resume Run"),
                    error.isEmpty() ? tr("Open a database before starting a run.") : error);
        return false;
    }
    setProgress(0, 0, -1.0);
    updateDemoOffer();
    showPage(QString::fromLatin1(TrainingPage::kId));
    return true;
}

bool MainWindow::startDemoRun() {
    if (m_databasePath.isEmpty()) {
        const QString path = defaultDatabasePath();
        QDir().mkpath(QFileInfo(path).absolutePath());
        if (!QFileInfo::exists(path)) {
            try {
                RunStore store(path.toStdString());  // creates the file with the schema
            } catch (const std::exception& e) {
                showMessage(QMessageBox::Warning, tr("Cannot Create Database"),
                            tr("Cannot create the database '%1': %2")
                                .arg(path, QString::fromUtf8(e.what())));
                return false;
            }
        }
        if (!openDatabase(path, true)) return false;
    }
    TrainConfig config = NewRunDialog::defaultConfig();
    config.name =
        tr("Demo: %1, SFT then GRPO").arg(QString::fromStdString(config.task)).toStdString();
    return startRun(config);
}

void MainWindow::onRunFinished(qint64 runId, const QString& status, const QString& error) {
    clearProgress();
    updateRunActions();
    auto* runs = qobject_cast<RunsPage*>(page(QString::fromLatin1(RunsPage::kId)));
    runs->setActiveRun(0);
    runs->refresh();
    updateDemoOffer();
    if (status == QLatin1String("completed")) {
        showStatusMessage(tr("Run %1 completed.").arg(runId), 0);
    } else if (status == QLatin1String("stopped")) {
        showStatusMessage(tr("Run %1 stopped; its completed steps are kept.").arg(runId), 0);
    } else {
        const QString text =
            runId > 0 ? tr("Run %1 failed: %2\n\nThe steps completed before the failure are "
                           "kept, and the run is marked failed in the database.")
                            .arg(runId)
                            .arg(error)
                      : tr("The run could not start: %1").arg(error);
        showStatusMessage(tr("Run %1 failed.").arg(runId), 0);
        // Not exec(): the message must not block the event loop (and tests) until clicked.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Run Failed"), text,
                                    QMessageBox::NoButton, this);
        box->setObjectName(QStringLiteral("runFailedMessage"));
        box->addButton(tr("OK"), QMessageBox::AcceptRole);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

void MainWindow::onRunsListed(bool ok) {
    if (m_restoreRunPending) {
        m_restoreRunPending = false;
        // Unreadable: the Runs page shows why, and no run is shown.
        auto* runs = qobject_cast<RunsPage*>(page(QString::fromLatin1(RunsPage::kId)));
        if (ok && runs) restoreLastRun(runs->runIds());
    }
    updateDemoOffer();
}

void MainWindow::restoreLastRun(const QList<qint64>& runIds) {
    // A run chosen while the list was read (--run, a run started) stays.
    if (m_hub->currentRun() != 0) return;
    qint64 runId = AppSettings().lastRun(m_databasePath);
    // No remembered run (or it was deleted since): show the newest one.
    if (!runIds.contains(runId))
        runId = runIds.isEmpty() ? 0 : *std::max_element(runIds.begin(), runIds.end());
    if (runId > 0) m_hub->setCurrentRun(runId);
}

void MainWindow::updateDemoOffer() {
    auto* training = qobject_cast<TrainingPage*>(page(QString::fromLatin1(TrainingPage::kId)));
    auto* runs = qobject_cast<RunsPage*>(page(QString::fromLatin1(RunsPage::kId)));
    if (!training || !runs) return;
    if (m_controller->isActive()) {
        training->setDemoOffered(false);
        return;
    }
    // While the list is read the offer stays as it was; the list then says whether the
    // database is empty.
    if (!m_databasePath.isEmpty() && runs->isRefreshing()) return;
    const bool emptyDatabase =
        m_databasePath.isEmpty() || (runs->rowCount() == 0 && runs->errorText().isEmpty());
    training->setDemoOffered(emptyDatabase);
}

}  // namespace tinyseek::gui
