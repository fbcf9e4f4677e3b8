#include "gui/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <algorithm>
#include <cmath>
#include <limits>

#include "gui/about_dialog.h"
#include "gui/app_settings.h"
#include "gui/database_file.h"
#include "gui/live/import_follower.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_controller.h"
#include "gui/pages/page.h"
#include "gui/pages/page_registry.h"
#include "gui/pages/runs_page.h"
#include "gui/pages/training_page.h"
#include "gui/resources.h"
#include "gui/translations.h"

namespace tinyseek::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    ensureResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/tinyseek.svg")));
    // Docks fill the whole window: there is no central widget, so pages can be tabbed,
    // split and floated freely, and every page gets the same treatment.
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks |
                   QMainWindow::AllowTabbedDocks | QMainWindow::GroupedDragging);
    setTabPosition(Qt::AllDockWidgetAreas, QTabWidget::North);

    m_hub = new MetricsHub(this);
    m_controller = new RunController(m_hub, this);
    createDocks();
    createActions();
    createImportActions();
    createMenus();
    createToolBar();
    createStatusBar();
    arrangeDefaultLayout();
    connectRuns();
    connectAnalysisPages();
    updateTitle();
    updateRunActions();
    updateDemoOffer();
    resize(1280, 800);
}

MainWindow::~MainWindow() {
    // The run's and the import follower's threads feed the hub: stop and join them while the
    // hub still exists.
    delete m_controller;
    m_controller = nullptr;
    delete m_importFollower;
    m_importFollower = nullptr;
}

void MainWindow::createDocks() {
    m_pages = createPages(this);
    for (Page* page : m_pages) {
        auto* dock = new QDockWidget(page->title(), this);
        dock->setObjectName(QStringLiteral("dock_") + page->id());
        dock->setWidget(page);
        dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                          QDockWidget::DockWidgetFloatable);
        m_docks.insert(page->id(), dock);
        page->setReader(m_hub->reader());
    }
}

void MainWindow::createActions() {
    createFileActions();
    createLayoutAndAboutActions();
    createRunActions();
    createThemeActions();
    createLanguageActions();
}

void MainWindow::createFileActions() {
    m_newRunAction = new QAction(tr("&New Run…"), this);
    m_newRunAction->setObjectName(QStringLiteral("actionNewRun"));
    m_newRunAction->setShortcut(QKeySequence::New);
    m_newRunAction->setToolTip(tr("Configure and start a training run in the open database"));
    connect(m_newRunAction, &QAction::triggered, this, &MainWindow::newRun);

    m_openAction = new QAction(tr("&Open Database…"), this);
    m_openAction->setObjectName(QStringLiteral("actionOpenDatabase"));
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open a TinySeek run database (*.db, *.sqlite)"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseDatabase);

    m_exportAction = new QAction(tr("&Export…"), this);
    m_exportAction->setObjectName(QStringLiteral("actionExport"));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setEnabled(false);  // text and tooltip: once the pages exist

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("actionQuit"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::createLayoutAndAboutActions() {
    m_resetLayoutAction = new QAction(tr("&Reset Layout"), this);
    m_resetLayoutAction->setObjectName(QStringLiteral("actionResetLayout"));
    m_resetLayoutAction->setToolTip(tr("Show every page again, tabbed, with Training in front"));
    connect(m_resetLayoutAction, &QAction::triggered, this, &MainWindow::resetLayout);

    m_aboutAction = new QAction(tr("&About TinySeek Workbench"), this);
    m_aboutAction->setObjectName(QStringLiteral("actionAbout"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        AboutDialog dialog(this);
        dialog.exec();
    });
}

void MainWindow::createRunActions() {
    QStyle* s = style();
    m_startAction = new QAction(s->standardIcon(QStyle::SP_MediaPlay), tr("Start"), this);
    m_startAction->setObjectName(QStringLiteral("actionStart"));
    m_startAction->setToolTip(tr("Start a new run, or continue the paused one"));
    connect(m_startAction, &QAction::triggered, this, [this] {
        if (m_controller->state() == RunController::State::Paused)
            m_controller->resumeRun();
        else
            newRun();
    });
    m_pauseAction = new QAction(s->standardIcon(QStyle::SP_MediaPause), tr("Pause"), this);
    m_pauseAction->setObjectName(QStringLiteral("actionPause"));
    m_pauseAction->setToolTip(tr("Pause training after the current step"));
    connect(m_pauseAction, &QAction::triggered, this, [this] { m_controller->pause(); });
    m_stopAction = new QAction(s->standardIcon(QStyle::SP_MediaStop), tr("Stop"), this);
    m_stopAction->setObjectName(QStringLiteral("actionStop"));
    m_stopAction->setToolTip(tr("Stop training and keep the completed steps"));
    connect(m_stopAction, &QAction::triggered, this, [this] { m_controller->stop(); });
}

void MainWindow::createThemeActions() {
    const AppSettings settings;
    m_themeGroup = new QActionGroup(this);
    const QList<QPair<Theme, QString>> themes = {
        {Theme::System, tr("&System")}, {Theme::Light, tr("&Light")}, {Theme::Dark, tr("&Dark")}};
    for (const auto& entry : themes) {
        const Theme theme = entry.first;  // a named copy: clang 14 cannot capture a binding
        QAction* a = m_themeGroup->addAction(entry.second);
        a->setObjectName(QStringLiteral("actionTheme_") + themeKey(theme));
        a->setCheckable(true);
        a->setChecked(theme == settings.theme());
        a->setData(themeKey(theme));
        connect(a, &QAction::triggered, this, [this, theme] { setTheme(theme); });
    }
}

void MainWindow::createLanguageActions() {
    m_languageGroup = new QActionGroup(this);
    // Each language is named in itself (an endonym), as language menus conventionally do, so
    // these two names are deliberately not translated.
    const QList<QPair<QString, QString>> languages = {
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("zh_CN"), QString::fromUtf8("\u7b80\u4f53\u4e2d\u6587")}};
    for (const auto& [code, name] : languages) {
        QAction* a = m_languageGroup->addAction(name);
        a->setObjectName(QStringLiteral("actionLanguage_") + code);
        a->setCheckable(true);
        a->setChecked(code == installedLanguage());
        connect(a, &QAction::triggered, this, [this, code = code] { chooseLanguage(code); });
    }
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
    file->setToolTipsVisible(true);
    file->addAction(m_newRunAction);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("menuRecent"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(m_importAction);
    file->addAction(m_stopFollowingAction);
    file->addSeparator();
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("menuView"));
    view->setToolTipsVisible(true);
    for (Page* page : m_pages) {
        QAction* toggle = m_docks.value(page->id())->toggleViewAction();
        toggle->setObjectName(QStringLiteral("actionShow_") + page->id());
        view->addAction(toggle);
    }
    view->addSeparator();
    m_layoutsMenu = view->addMenu(tr("La&youts"));
    m_layoutsMenu->setObjectName(QStringLiteral("menuLayouts"));
    connect(m_layoutsMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildLayoutsMenu);
    view->addAction(m_resetLayoutAction);
    QMenu* themeMenu = view->addMenu(tr("&Theme"));
    themeMenu->setObjectName(QStringLiteral("menuTheme"));
    themeMenu->addActions(m_themeGroup->actions());
    QMenu* languageMenu = view->addMenu(tr("&Language"));
    languageMenu->setObjectName(QStringLiteral("menuLanguage"));
    languageMenu->addActions(m_languageGroup->actions());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    help->addAction(m_aboutAction);
    QAction* aboutQt = help->addAction(tr("About &Qt"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createToolBar() {
    m_runToolBar = addToolBar(tr("Run"));
    m_runToolBar->setObjectName(QStringLiteral("runToolBar"));
    m_runToolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_runToolBar->setMovable(true);
    m_runToolBar->addAction(m_startAction);
    m_runToolBar->addAction(m_pauseAction);
    m_runToolBar->addAction(m_stopAction);
    m_runToolBar->toggleViewAction()->setObjectName(QStringLiteral("actionShowRunToolBar"));
}

void MainWindow::createStatusBar() {
    m_databaseLabel = new QLabel(this);
    m_databaseLabel->setObjectName(QStringLiteral("databaseLabel"));
    m_databaseLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_databaseLabel, 1);

    m_progressBar = new QProgressBar(this);
    m_progressBar->setObjectName(QStringLiteral("progressBar"));
    // The counts go into the label beside the bar: drawn inside it, some styles and palettes
    // put them under the fill, where they cannot be read.
    m_progressBar->setTextVisible(false);
    m_progressBar->setMaximumWidth(200);
    m_progressBar->setMaximumHeight(statusBar()->fontMetrics().height());
    m_etaLabel = new QLabel(this);
    m_etaLabel->setObjectName(QStringLiteral("etaLabel"));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setToolTip(tr("Cancel the running job; completed steps are kept"));
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelRequested);
    statusBar()->addPermanentWidget(m_progressBar);
    statusBar()->addPermanentWidget(m_etaLabel);
    statusBar()->addPermanentWidget(m_cancelButton);
    clearProgress();
}

void MainWindow::arrangeDefaultLayout() {
    QDockWidget* first = nullptr;
    for (Page* page : m_pages) {
        QDockWidget* dock = m_docks.value(page->id());
        dock->setFloating(false);
        addDockWidget(Qt::LeftDockWidgetArea, dock);
        dock->show();
        if (first)
            tabifyDockWidget(first, dock);
        else
            first = dock;
    }
    if (first) first->raise();
    if (m_runToolBar) {
        addToolBar(Qt::TopToolBarArea, m_runToolBar);
        m_runToolBar->show();
    }
}

QStringList MainWindow::pageIds() const {
    QStringList ids;
    for (const Page* page : m_pages) ids << page->id();
    return ids;
}

Page* MainWindow::page(const QString& id) const {
    for (Page* page : m_pages)
        if (page->id() == id) return page;
    return nullptr;
}

QDockWidget* MainWindow::dock(const QString& id) const {
    return m_docks.value(id, nullptr);
}

QString MainWindow::currentPageId() const {
    // A tabified dock that is not in front has a hidden widget (visibleRegion is empty).
    for (const Page* page : m_pages) {
        const QDockWidget* d = m_docks.value(page->id());
        if (d->isVisible() && !page->visibleRegion().isEmpty()) return page->id();
    }
    return QString();
}

bool MainWindow::showPage(const QString& id) {
    QDockWidget* d = dock(id);
    if (!d) return false;
    d->show();
    d->raise();
    return true;
}

void MainWindow::saveNamedLayout(const QString& name) {
    QVariantMap layout{{QStringLiteral("state"), saveState(kStateVersion)}};
    if (auto* training = qobject_cast<TrainingPage*>(page(QString::fromLatin1(TrainingPage::kId))))
        layout.insert(QStringLiteral("training"), training->viewState());
    AppSettings().setNamedLayout(name, layout);
}

bool MainWindow::loadNamedLayout(const QString& name) {
    const QVariantMap layout = AppSettings().namedLayout(name);
    if (layout.isEmpty()) return false;
    restoreState(layout.value(QStringLiteral("state")).toByteArray(), kStateVersion);
    if (auto* training = qobject_cast<TrainingPage*>(page(QString::fromLatin1(TrainingPage::kId))))
        training->restoreViewState(layout.value(QStringLiteral("training")).toMap());
    return true;
}

void MainWindow::rebuildLayoutsMenu() {
    m_layoutsMenu->clear();
    QAction* save = m_layoutsMenu->addAction(tr("&Save Layout As…"));
    connect(save, &QAction::triggered, this, [this] {
        bool ok = false;
        const QString name =
            QInputDialog::getText(this, tr("Save Layout"), tr("Name of the layout:"),
                                  QLineEdit::Normal, QString(), &ok)
                .trimmed();
        if (ok && !name.isEmpty()) saveNamedLayout(name);
    });
    const QStringList names = AppSettings().layoutNames();
    if (!names.isEmpty()) m_layoutsMenu->addSeparator();
    for (const QString& name : names) {
        QAction* load = m_layoutsMenu->addAction(name);
        load->setToolTip(tr("Arrange the pages and the Training page's view as saved"));
        connect(load, &QAction::triggered, this, [this, name] { loadNamedLayout(name); });
    }
}

void MainWindow::resetLayout() {
    arrangeDefaultLayout();
    if (m_persistent) AppSettings().clearWindowLayout();
}

bool MainWindow::restoreLayout() {
    const AppSettings settings;
    const QByteArray geometry = settings.windowGeometry();
    const QByteArray state = settings.windowState();
    bool restored = false;
    if (!geometry.isEmpty()) restored = restoreGeometry(geometry);
    if (!state.isEmpty()) restored = restoreState(state, kStateVersion) && restored;
    return restored;
}

void MainWindow::saveLayout() {
    if (!m_persistent) return;
    AppSettings settings;
    settings.setWindowGeometry(saveGeometry());
    settings.setWindowState(saveState(kStateVersion));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_controller->isActive()) {
        QMessageBox box(QMessageBox::Question, tr("Training Is Running"),
                        tr("Run %1 is still training. Stop it and quit?\n\nThe steps completed so "
                           "far stay stored; the run can be resumed from its last checkpoint.")
                            .arg(m_controller->runId()),
                        QMessageBox::NoButton, this);
        box.setObjectName(QStringLiteral("confirmQuitDuringRun"));
        QPushButton* stop = box.addButton(tr("Stop and Quit"), QMessageBox::AcceptRole);
        QPushButton* cancel = box.addButton(tr("Cancel"), QMessageBox::RejectRole);
        box.setDefaultButton(cancel);
        box.exec();
        if (box.clickedButton() != stop) {
            event->ignore();
            return;
        }
        showStatusMessage(tr("Stopping the run after its current step…"), 0);
        QApplication::setOverrideCursor(Qt::WaitCursor);
        m_controller->stopAndWait();
        QApplication::restoreOverrideCursor();
    }
    saveLayout();
    event->accept();
}

void MainWindow::setTheme(Theme theme) {
    applyTheme(*qApp, theme);
    for (QAction* a : m_themeGroup->actions())
        a->setChecked(a->data().toString() == themeKey(theme));
    AppSettings().setTheme(theme);
    emit themeChanged(theme);
}

void MainWindow::chooseLanguage(const QString& language) {
    AppSettings().setLanguage(language);
    if (language == installedLanguage()) return;
    // The window is not retranslated live (later pages would each need a retranslate path);
    // say so, in the current language and in the chosen one.
    static const char* const kText =
        QT_TR_NOOP("The language will change the next time TinySeek Workbench starts.");
    QString text = tr(kText);
    const QString chosen = translateInto(language, "tinyseek::gui::MainWindow", kText);
    if (chosen != text) text += QStringLiteral("\n\n") + chosen;
    showMessage(QMessageBox::Information, tr("Language"), text);
}

void MainWindow::chooseDatabase() {
    QString dir = QFileInfo(m_databasePath).absolutePath();
    if (m_databasePath.isEmpty()) dir = QDir::homePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Database"), dir, tr("TinySeek databases (*.db *.sqlite);;All files (*)"));
    if (!path.isEmpty()) openDatabase(path);
}

bool MainWindow::openDatabase(const QString& path, bool interactive) {
    if (m_controller->isActive() && QFileInfo(path).absoluteFilePath() != m_databasePath) {
        const QString busy = tr("Stop the training run before opening another database.");
        if (interactive)
            showMessage(QMessageBox::Warning, tr("Cannot Open Database"), busy);
        else
            showStatusMessage(busy, 0);
        return false;
    }
    QString error = DatabaseFile::check(path);
    if (error.isEmpty()) error = DatabaseFile::migrateIfOlder(path);
    if (!error.isEmpty()) {
        if (interactive)
            showMessage(QMessageBox::Warning, tr("Cannot Open Database"), error);
        else
            showStatusMessage(error, 0);
        return false;
    }
    m_databasePath = QFileInfo(path).absoluteFilePath();
    if (m_persistent) AppSettings().setLastDatabase(m_databasePath);
    rebuildRecentMenu();
    updateTitle();
    m_hub->setDatabase(m_databasePath);
    restorePageViews();
    // The run to show is chosen from the Runs page's list once it has been read.
    m_restoreRunPending = true;
    if (auto* runs = qobject_cast<RunsPage*>(page(QString::fromLatin1(RunsPage::kId))))
        runs->setDatabase(m_databasePath);
    updateDemoOffer();
    emit databaseOpened(m_databasePath);
    return true;
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = AppSettings().recentDatabases();
    if (recent.isEmpty()) {
        m_recentMenu->addAction(tr("No Recent Databases"))->setEnabled(false);
        return;
    }
    int n = 1;
    for (const QString& path : recent) {
        // "&1 name.db  (/full/dir)": a mnemonic digit, then the name, then where it lives.
        const QFileInfo info(path);
        QString label = tr("%1  (%2)").arg(info.fileName(), QDir::toNativeSeparators(info.path()));
        label.replace(QLatin1Char('&'), QLatin1String("&&"));
        if (n <= 9) label = QStringLiteral("&%1 ").arg(n) + label;
        QAction* a = m_recentMenu->addAction(label);
        a->setData(path);
        connect(a, &QAction::triggered, this, [this, path] { openDatabase(path); });
        ++n;
    }
    m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("&Clear List"));
    connect(clear, &QAction::triggered, this, [this] {
        if (m_persistent) AppSettings().clearRecentDatabases();
        rebuildRecentMenu();
    });
}

void MainWindow::updateTitle() {
    const QString app = tr("TinySeek Workbench");
    if (m_databasePath.isEmpty()) {
        setWindowTitle(app);
        m_databaseLabel->setText(tr("No database open (File > Open Database…)"));
    } else {
        setWindowTitle(tr("%1 — %2").arg(QFileInfo(m_databasePath).fileName(), app));
        m_databaseLabel->setText(tr("Database: %1").arg(QDir::toNativeSeparators(m_databasePath)));
    }
}

void MainWindow::showStatusMessage(const QString& text, int timeoutMs) {
    statusBar()->showMessage(text, timeoutMs);
}

QString MainWindow::formatEta(double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds)) return tr("ETA --");
    const qint64 s = std::llround(seconds);
    if (s < 60) return tr("ETA %1 s").arg(s);
    if (s < 3600) return tr("ETA %1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return tr("ETA %1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

void MainWindow::setProgress(qint64 done, qint64 total, double etaSeconds) {
    // QProgressBar holds ints; step counts stay far below that, but clamp rather than wrap.
    const auto clampInt = [](qint64 v) {
        return static_cast<int>(std::clamp<qint64>(v, 0, std::numeric_limits<int>::max()));
    };
    m_progressBar->setRange(0, clampInt(total));
    m_progressBar->setValue(clampInt(qMin(done, total)));
    m_etaLabel->setText(tr("%1/%2 · %3").arg(done).arg(total).arg(formatEta(etaSeconds)));
    m_progressBar->show();
    m_etaLabel->show();
    m_cancelButton->show();
    m_cancelButton->setEnabled(true);
}

void MainWindow::clearProgress() {
    m_progressBar->reset();
    m_progressBar->hide();
    m_etaLabel->clear();
    m_etaLabel->hide();
    m_cancelButton->hide();
    m_cancelButton->setEnabled(false);
}

void MainWindow::showMessage(QMessageBox::Icon icon, const QString& title, const QString& text) {
    QMessageBox box(icon, title, text, QMessageBox::NoButton, this);
    box.addButton(tr("OK"), QMessageBox::AcceptRole);
    box.exec();
}

}  // namespace tinyseek::gui
