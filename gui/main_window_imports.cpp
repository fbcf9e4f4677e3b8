// MainWindow, the import half: File › Import… and Stop Following, answered by the
// ImportFollower (gui/live/import_follower.h); an imported run is listed and shown like any
// other, a followed one updates live.
#include <QAction>
#include <QMessageBox>

#include "gui/dialogs/import_dialog.h"
#include "gui/live/import_follower.h"
#include "gui/live/metrics_hub.h"
#include "gui/main_window.h"
#include "gui/pages/runs_page.h"
#include "gui/pages/training_page.h"

namespace tinyseek::gui {

void MainWindow::createImportActions() {
    m_importFollower = new ImportFollower(m_hub, this);
    m_importAction = new QAction(tr("&Import…"), this);
    m_importAction->setObjectName(QStringLiteral("actionImport"));
    m_importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_importAction->setToolTip(
        tr("Read a run trained by verl, TRL or anything that writes "
           "TensorBoard logs into the open database"));
    connect(m_importAction, &QAction::triggered, this, &MainWindow::chooseImport);
    m_stopFollowingAction = new QAction(tr("Stop &Following"), this);
    m_stopFollowingAction->setObjectName(QStringLiteral("actionStopFollowing"));
    m_stopFollowingAction->setEnabled(false);
    connect(m_stopFollowingAction, &QAction::triggered, m_importFollower, &ImportFollower::stopAll);

    connect(m_importFollower, &ImportFollower::followedCountChanged, this, [this](int count) {
        m_stopFollowingAction->setEnabled(count > 0);
        m_stopFollowingAction->setText(count > 0 ? tr("Stop &Following (%n run(s))", "", count)
                                                 : tr("Stop &Following"));
    });
    connect(m_importFollower, &ImportFollower::imported, this, &MainWindow::onImported);
    connect(m_importFollower, &ImportFollower::failed, this,
            [this](const QString& path, const QString& message) {
                showStatusMessage(tr("Nothing was imported from %1.").arg(path), 0);
                emit importFinished({});
                if (m_persistent) QMessageBox::warning(this, tr("Import"), message);
            });
    connect(m_importFollower, &ImportFollower::runRewritten, this, [this](qint64 runId) {
        if (m_hub->run(runId)) m_hub->loadRun(runId);
    });
    connect(m_hub, &MetricsHub::databaseChanged, m_importFollower, &ImportFollower::stopAll);
}

void MainWindow::chooseImport() {
    ImportDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted) return;
    importPath(dialog.path(), dialog.follow());
}

void MainWindow::importPath(const QString& path, bool follow) {
    if (m_databasePath.isEmpty() && !openDatabase(defaultDatabasePath(), true)) return;
    showStatusMessage(tr("Importing %1…").arg(path), 0);
    m_importFollower->import(m_databasePath, path, follow);
}

void MainWindow::onImported(const QString& path, const QList<qint64>& runIds,
                            const QString& report) {
    auto* runs = qobject_cast<RunsPage*>(page(QString::fromLatin1(RunsPage::kId)));
    runs->refresh();
    if (!runIds.isEmpty()) {
        m_hub->setCurrentRun(runIds.front());
        showPage(QString::fromLatin1(TrainingPage::kId));
    }
    showStatusMessage(tr("Imported %n run(s) from %1.", "", int(runIds.size())).arg(path));
    emit importFinished(runIds);
    if (m_persistent) QMessageBox::information(this, tr("Import"), report);
}

}  // namespace tinyseek::gui
