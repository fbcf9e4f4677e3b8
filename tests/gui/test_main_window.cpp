// MainWindow under the offscreen platform: every page exists and can be brought to the
// front, a screenshot is the expected size and not blank, fonts resolve, settings (theme,
// geometry, dock layout, databases) survive a restart, and the status-bar progress works.
#include <sqlite3.h>

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFontInfo>
#include <QGuiApplication>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "cli/data_paths.h"
#include "gui/about_dialog.h"
#include "gui/app_settings.h"
#include "gui/live/metrics_hub.h"
#include "gui/main_window.h"
#include "gui/pages/page.h"
#include "gui/pages/page_registry.h"
#include "gui/pages/runs_page.h"
#include "gui/pages/training_page.h"
#include "gui/screenshot.h"
#include "gui/theme.h"
#include "scratch_settings.h"
#include "tests/image_stats.h"
#include "training/run_store.h"
#include "training/run_store_schema.h"
#include "viz/color_map.h"

using namespace tinyseek::gui;

namespace {

// A real (tiny) SQLite database, so openDatabase() sees the genuine file header.
bool createSqliteFile(const QString& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(QFile::encodeName(path).constData(), &db) != SQLITE_OK) return false;
    const bool ok = sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", nullptr,
                                 nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void init();
    void titleAndPages();
    void visitsEveryPageAndScreenshots();
    void fontsResolve();
    void themeAndLayoutPersist();
    void resetLayoutShowsEveryPage();
    void databaseOpenAndRecent();
    void rejectsNonDatabaseFile();
    void olderDatabaseIsMigratedOnOpen();
    void trainingViewIsRememberedPerDatabase();
    void namedLayoutsSaveAndLoad();
    void progressInStatusBar();
    void formatsEta();
    void runActionsWaitForController();
    void aboutReportsRealVersions();
    void defaultDatabaseMatchesHeadlessCommands();

  private:
    QTemporaryDir m_settingsDir;
    QString m_outDir;
};

void TestMainWindow::initTestCase() {
    // Never touch the user's real settings: test mode plus an explicit settings path.
    QVERIFY(m_settingsDir.isValid());
    useScratchSettings(m_settingsDir.path(), QStringLiteral("test_main_window"));
    m_outDir = QStringLiteral(TINYSEEK_TEST_TMP) + QStringLiteral("/gui_main_window");
    QVERIFY(QDir().mkpath(m_outDir));
}

void TestMainWindow::init() {
    QSettings().clear();
}

void TestMainWindow::titleAndPages() {
    MainWindow window;
    QCOMPARE(window.windowTitle(), QStringLiteral("TinySeek Workbench"));
    const QStringList expected = {"training",   "routing",   "inference",    "explore", "rollouts",
                                  "evaluation", "precision", "reward-model", "runs"};
    QCOMPARE(window.pageIds(), expected);
    QCOMPARE(pageIds(), expected);
    QSet<QString> objectNames;
    const QStringList titles = {"Training",   "Routing",   "Inference",    "Explore", "Rollouts",
                                "Evaluation", "Precision", "Reward Model", "Runs"};
    for (int i = 0; i < expected.size(); ++i) {
        QDockWidget* dock = window.dock(expected[i]);
        QVERIFY2(dock, qPrintable(expected[i]));
        QCOMPARE(dock->windowTitle(), titles[i]);
        objectNames.insert(dock->objectName());
        Page* page = window.page(expected[i]);
        QVERIFY(page);
        QCOMPARE(dock->widget(), page);
        // One honest sentence of what the page will show, visible until real content lands
        // (the Inference page always has a model: a fresh tiny one until a run is open; the
        // Precision page's accumulation and memory tabs need no run).
        QCOMPARE(page->isEmptyStateVisible(), expected[i] != QLatin1String("inference") &&
                                                  expected[i] != QLatin1String("precision"));
        QVERIFY2(page->emptyStateText().endsWith(QLatin1Char('.')),
                 qPrintable(page->emptyStateText()));
        QVERIFY(page->emptyStateText().size() > 40);
    }
    QCOMPARE(objectNames.size(), expected.size());  // unique, so saveState can restore them
    QVERIFY(!window.dock(QStringLiteral("nosuch")));
    QVERIFY(!window.showPage(QStringLiteral("nosuch")));
}

void TestMainWindow::visitsEveryPageAndScreenshots() {
    MainWindow window;
    window.setPersistent(false);
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.currentPageId(), QStringLiteral("training"));  // default: Training in front
    for (const QString& id : window.pageIds()) {
        QVERIFY(window.showPage(id));
        Screenshot::settle(&window);
        QCOMPARE(window.currentPageId(), id);
        // Only the page in front is visible; the others sit behind their tabs.
        for (const QString& other : window.pageIds())
            if (other != id) QVERIFY(window.page(other)->visibleRegion().isEmpty());

        const QString path = m_outDir + QStringLiteral("/page_") + id + QStringLiteral(".png");
        QFile::remove(path);
        const QString error = Screenshot::save(&window, path);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QImage image;
        QVERIFY(image.load(path, "PNG"));
        QCOMPARE(image.size(), QSize(1400, 900) * window.devicePixelRatio());
        const double sd = greyStdDev(image);
        QVERIFY2(sd > 5.0, qPrintable(QStringLiteral("page %1: grey std dev %2").arg(id).arg(sd)));
    }
    // A missing folder is reported, naming the path, instead of silently writing nothing.
    const QString bad = m_outDir + QStringLiteral("/no/such/dir/x.png");
    const QString error = Screenshot::save(&window, bad);
    QVERIFY(error.contains(bad));
    QVERIFY(!QFile::exists(bad));
}

void TestMainWindow::fontsResolve() {
    // Missing fonts render silently as boxes (TOOLCHAIN.md); the resolved family is the tell.
    QVERIFY(!QFontInfo(QGuiApplication::font()).family().isEmpty());
}

void TestMainWindow::themeAndLayoutPersist() {
    {
        MainWindow window;
        window.setTheme(Theme::Dark);
        QVERIFY(isDarkPalette());
        window.resize(1111, 777);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.dock(QStringLiteral("runs"))->close();  // the user closed the Runs page
        QVERIFY(window.close());                       // closeEvent saves the layout
    }
    QCOMPARE(AppSettings().theme(), Theme::Dark);
    QVERIFY(!AppSettings().windowGeometry().isEmpty());
    QVERIFY(!AppSettings().windowState().isEmpty());

    applyTheme(*qApp, Theme::Light);
    QVERIFY(!isDarkPalette());
    QCOMPARE(AppSettings().theme(), Theme::Dark);  // applyTheme alone does not persist

    MainWindow restored;
    QVERIFY(restored.restoreLayout());
    restored.show();
    QVERIFY(QTest::qWaitForWindowExposed(&restored));
    QCOMPARE(restored.size(), QSize(1111, 777));
    QVERIFY(restored.dock(QStringLiteral("runs"))->isHidden());
    QVERIFY(!restored.dock(QStringLiteral("training"))->isHidden());
    // The theme menu shows the stored choice.
    auto* dark = restored.findChild<QAction*>(QStringLiteral("actionTheme_dark"));
    QVERIFY(dark && dark->isChecked());

    // A layout saved by an older dock arrangement (other version) is not restored.
    AppSettings settings;
    settings.setWindowState(restored.saveState(MainWindow::kStateVersion + 1));
    MainWindow fresh;
    QVERIFY(!fresh.restoreLayout());
    applyTheme(*qApp, Theme::System);
}

void TestMainWindow::resetLayoutShowsEveryPage() {
    MainWindow window;
    window.setPersistent(false);
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.dock(QStringLiteral("routing"))->close();
    window.dock(QStringLiteral("inference"))->setFloating(true);
    window.showPage(QStringLiteral("runs"));
    window.resetLayout();
    Screenshot::settle(&window);
    for (const QString& id : window.pageIds()) {
        QVERIFY2(!window.dock(id)->isHidden(), qPrintable(id));
        QVERIFY2(!window.dock(id)->isFloating(), qPrintable(id));
        QCOMPARE(window.tabifiedDockWidgets(window.dock(id)).size(), window.pageIds().size() - 1);
    }
    QCOMPARE(window.currentPageId(), QStringLiteral("training"));
}

// A database of the first schema version (as an earlier release wrote it) opens with its runs:
// the window migrates it once, since every read it makes is read-only and cannot.
void TestMainWindow::olderDatabaseIsMigratedOnOpen() {
    const QString path = m_outDir + QStringLiteral("/version1.db");
    QFile::remove(path);
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
    const std::string v1 = std::string(tinyseek::run_store_schema::migration_sql(1)) +
                           "PRAGMA user_version = 1;"
                           "INSERT INTO runs (id, name, kind, config, status) VALUES "
                           "(1, 'old run', 'grpo', '{}', 'completed');"
                           "INSERT INTO metrics VALUES (1, 0, 'reward', 0.25, 1.5);";
    QCOMPARE(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);

    MainWindow window;
    QVERIFY(window.openDatabase(path, false));
    QString error;
    QVERIFY2(window.metricsHub()->setCurrentRun(1, &error), qPrintable(error));
    QCOMPARE(window.metricsHub()->run(1)->name, QStringLiteral("old run"));
    QCOMPARE(tinyseek::RunStore(path.toStdString(), {.read_only = true}).list_runs().size(),
             std::size_t(1));  // readable read-only now: the schema is current
}

void TestMainWindow::databaseOpenAndRecent() {
    const QString a = m_outDir + QStringLiteral("/runs_a.db");
    const QString b = m_outDir + QStringLiteral("/runs_b.sqlite");
    QFile::remove(a);
    QFile::remove(b);
    QVERIFY(createSqliteFile(a));
    QVERIFY(createSqliteFile(b));

    MainWindow window;
    QSignalSpy opened(&window, &MainWindow::databaseOpened);
    QVERIFY(window.openDatabase(a, false));
    QVERIFY(window.openDatabase(b, false));
    QCOMPARE(opened.count(), 2);
    QCOMPARE(window.databasePath(), QFileInfo(b).absoluteFilePath());
    QCOMPARE(window.windowTitle(), QStringLiteral("runs_b.sqlite — TinySeek Workbench"));
    auto* label = window.findChild<QLabel*>(QStringLiteral("databaseLabel"));
    QVERIFY(label);
    QCOMPARE(label->text(), QStringLiteral("Database: ") + QFileInfo(b).absoluteFilePath());

    const AppSettings settings;
    QCOMPARE(settings.lastDatabase(), QFileInfo(b).absoluteFilePath());
    QCOMPARE(settings.recentDatabases(),
             QStringList({QFileInfo(b).absoluteFilePath(), QFileInfo(a).absoluteFilePath()}));
    // The File > Open Recent menu lists them, most recent first, and opens them.
    auto* recent = window.findChild<QMenu*>(QStringLiteral("menuRecent"));
    QVERIFY(recent);
    QStringList listed;
    for (QAction* action : recent->actions())
        if (action->data().isValid()) listed << action->data().toString();
    QCOMPARE(listed, settings.recentDatabases());
    recent->actions().at(1)->trigger();
    QCOMPARE(window.databasePath(), QFileInfo(a).absoluteFilePath());

    // A new window (next start) shows the same recent list.
    MainWindow next;
    auto* nextRecent = next.findChild<QMenu*>(QStringLiteral("menuRecent"));
    QCOMPARE(nextRecent->actions().first()->data().toString(), QFileInfo(a).absoluteFilePath());

    // The list is capped.
    AppSettings many;
    for (int i = 0; i < AppSettings::kMaxRecentDatabases + 3; ++i)
        many.setLastDatabase(m_outDir + QStringLiteral("/r%1.db").arg(i));
    QCOMPARE(many.recentDatabases().size(), AppSettings::kMaxRecentDatabases);
    QVERIFY(many.recentDatabases().first().endsWith(
        QStringLiteral("r%1.db").arg(AppSettings::kMaxRecentDatabases + 2)));
}

void TestMainWindow::trainingViewIsRememberedPerDatabase() {
    const QString a = m_outDir + QStringLiteral("/view_a.db");
    const QString b = m_outDir + QStringLiteral("/view_b.db");
    for (const QString& path : {a, b}) {
        QFile::remove(path);
        QVERIFY(createSqliteFile(path));
    }
    const auto trainingOf = [](MainWindow& w) {
        return qobject_cast<TrainingPage*>(w.page(QStringLiteral("training")));
    };
    {
        MainWindow window;
        QVERIFY(window.openDatabase(a, false));
        TrainingPage* training = trainingOf(window);
        training->setSmoothing(0.3);
        training->setWallTimeAxis(true);
        training->setLogY(true);
        training->setFilter(QStringLiteral("loss|kl"));
        training->setYRangeMode(tinyseek::viz::YRangeMode::IgnoreOutliers);
        QVERIFY(window.openDatabase(b, false));
        training->setSmoothing(0.9);  // b's own view
        training->setWallTimeAxis(false);
    }
    MainWindow window;  // a later start
    TrainingPage* training = trainingOf(window);
    QVERIFY(window.openDatabase(a, false));
    QCOMPARE(training->smoothing(), 0.3);
    const QVariantMap view = training->viewState();
    QCOMPARE(view.value(QStringLiteral("xAxis")).toString(), QStringLiteral("time"));
    QCOMPARE(view.value(QStringLiteral("logY")).toBool(), true);
    QCOMPARE(view.value(QStringLiteral("filter")).toString(), QStringLiteral("loss|kl"));
    QCOMPARE(view.value(QStringLiteral("yRange")).toInt(),
             int(tinyseek::viz::YRangeMode::IgnoreOutliers));
    // A run's colour chosen on the Runs page is remembered for its database only.
    auto* runs = qobject_cast<RunsPage*>(window.page(QStringLiteral("runs")));
    runs->setRunColor(7, QColor(10, 200, 30));
    QCOMPARE(tinyseek::viz::runColor(7), QColor(10, 200, 30));
    QVERIFY(window.openDatabase(b, false));
    QVERIFY(tinyseek::viz::runColor(7) != QColor(10, 200, 30));
    QVERIFY(window.openDatabase(a, false));
    QCOMPARE(tinyseek::viz::runColor(7), QColor(10, 200, 30));
    QVERIFY(window.openDatabase(b, false));
    QCOMPARE(training->smoothing(), 0.9);
    QCOMPARE(training->viewState().value(QStringLiteral("xAxis")).toString(),
             QStringLiteral("step"));
}

void TestMainWindow::namedLayoutsSaveAndLoad() {
    MainWindow window;
    window.setPersistent(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* training = qobject_cast<TrainingPage*>(window.page(QStringLiteral("training")));
    // "Study": the Routing page hidden, smoothing 0.2, log scale.
    window.dock(QStringLiteral("routing"))->hide();
    training->setSmoothing(0.2);
    training->setLogY(true);
    window.saveNamedLayout(QStringLiteral("Study"));
    QVERIFY(AppSettings().layoutNames().contains(QStringLiteral("Study")));
    // Something else, then back.
    window.resetLayout();
    training->setSmoothing(0.7);
    training->setLogY(false);
    QVERIFY(!window.dock(QStringLiteral("routing"))->isHidden());
    QVERIFY(window.loadNamedLayout(QStringLiteral("Study")));
    QVERIFY(window.dock(QStringLiteral("routing"))->isHidden());
    QCOMPARE(training->smoothing(), 0.2);
    QCOMPARE(training->viewState().value(QStringLiteral("logY")).toBool(), true);
    QVERIFY(!window.loadNamedLayout(QStringLiteral("no such layout")));
    // The View menu lists it.
    auto* menu = window.findChild<QMenu*>(QStringLiteral("menuLayouts"));
    QVERIFY(menu);
    QMetaObject::invokeMethod(menu, "aboutToShow");
    QStringList texts;
    for (QAction* a : menu->actions()) texts << a->text();
    QVERIFY2(texts.contains(QStringLiteral("Study")), qPrintable(texts.join(", ")));
    window.resetLayout();
}

void TestMainWindow::rejectsNonDatabaseFile() {
    const QString text = m_outDir + QStringLiteral("/not_a_db.db");
    QFile file(text);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is a text file, not SQLite\n");
    file.close();
    MainWindow window;
    window.setPersistent(false);
    QSignalSpy opened(&window, &MainWindow::databaseOpened);
    QVERIFY(!window.openDatabase(text, false));
    QVERIFY(!window.openDatabase(m_outDir + QStringLiteral("/missing.db"), false));
    QCOMPARE(opened.count(), 0);
    QVERIFY(window.databasePath().isEmpty());
    QCOMPARE(window.windowTitle(), QStringLiteral("TinySeek Workbench"));
    QVERIFY(AppSettings().recentDatabases().isEmpty());
}

void TestMainWindow::progressInStatusBar() {
    MainWindow window;
    window.setPersistent(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* bar = window.findChild<QProgressBar*>(QStringLiteral("progressBar"));
    auto* eta = window.findChild<QLabel*>(QStringLiteral("etaLabel"));
    auto* cancel = window.findChild<QPushButton*>(QStringLiteral("cancelButton"));
    QVERIFY(bar && eta && cancel);
    // Idle: nothing to cancel, nothing shown.
    QVERIFY(bar->isHidden() && eta->isHidden() && cancel->isHidden());
    QVERIFY(!cancel->isEnabled());

    window.setProgress(30, 120, 75.0);
    QVERIFY(bar->isVisible() && eta->isVisible() && cancel->isVisible());
    QCOMPARE(bar->value(), 30);
    QCOMPARE(bar->maximum(), 120);
    // The counts are in the label beside the bar, never drawn under its fill.
    QVERIFY(!bar->isTextVisible());
    QCOMPARE(eta->text(), QStringLiteral("30/120 · ETA 1 min 15 s"));
    QSignalSpy cancelled(&window, &MainWindow::cancelRequested);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(cancelled.count(), 1);

    window.clearProgress();
    QVERIFY(bar->isHidden() && eta->isHidden() && cancel->isHidden());
}

void TestMainWindow::formatsEta() {
    QCOMPARE(MainWindow::formatEta(-1), QStringLiteral("ETA --"));
    QCOMPARE(MainWindow::formatEta(std::nan("")), QStringLiteral("ETA --"));
    QCOMPARE(MainWindow::formatEta(0.4), QStringLiteral("ETA 0 s"));
    QCOMPARE(MainWindow::formatEta(59.4), QStringLiteral("ETA 59 s"));
    QCOMPARE(MainWindow::formatEta(61), QStringLiteral("ETA 1 min 01 s"));
    QCOMPARE(MainWindow::formatEta(3600 * 2 + 60 * 5 + 9), QStringLiteral("ETA 2 h 05 min"));
}

void TestMainWindow::runActionsWaitForController() {
    MainWindow window;
    QVERIFY(window.startAction() && window.pauseAction() && window.stopAction());
    // Idle: a run can be started (New Run dialog); nothing to pause or stop.
    for (const char* name : {"actionStart", "actionNewRun"}) {
        auto* action = window.findChild<QAction*>(QLatin1String(name));
        QVERIFY2(action && action->isEnabled(), name);
    }
    for (const char* name : {"actionPause", "actionStop"}) {
        auto* action = window.findChild<QAction*>(QLatin1String(name));
        QVERIFY2(action && !action->isEnabled(), name);
    }
    auto* exportAction = window.findChild<QAction*>(QStringLiteral("actionExport"));
    QVERIFY(exportAction);
    // Nothing to export until a run is shown; the tooltip says what it will write.
    QVERIFY(!exportAction->isEnabled());
    QVERIFY(exportAction->toolTip().contains(QStringLiteral("current run")));
    auto* open = window.findChild<QAction*>(QStringLiteral("actionOpenDatabase"));
    QVERIFY(open && open->isEnabled());
}

void TestMainWindow::aboutReportsRealVersions() {
    const VersionInfo v = versionInfo();
    QCOMPARE(v.qtRuntime, QString::fromLatin1(qVersion()));
    QCOMPARE(v.sqlite, QString::fromLatin1(sqlite3_libversion()));
    QVERIFY(v.eigen.startsWith(QStringLiteral("3.")));
    QVERIFY(!v.buildType.isEmpty());
    const QString text = AboutDialog::versionsText();
    for (const QString& part : {v.app, v.qtRuntime, v.eigen, v.sqlite, v.buildType})
        QVERIFY2(text.contains(part), qPrintable(part));
    AboutDialog dialog;
    QCOMPARE(dialog.findChild<QLabel*>(QStringLiteral("versions"))->text(), text);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QString path = m_outDir + QStringLiteral("/about.png");
    QVERIFY(Screenshot::save(&dialog, path).isEmpty());
    QImage image;
    QVERIFY(image.load(path));
    QVERIFY(greyStdDev(image) > 5.0);
}

// The headless commands (cli/data_paths.cpp, no Qt) and the window must open the same
// default database, for both ways Linux names the data directory.
void TestMainWindow::defaultDatabaseMatchesHeadlessCommands() {
    const QString org = QCoreApplication::organizationName();
    const QString app = QCoreApplication::applicationName();
    const QByteArray xdg = qgetenv("XDG_DATA_HOME"), home = qgetenv("HOME");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("TinySeek"));
    QCoreApplication::setApplicationName(QStringLiteral("tinyseek"));
    QStandardPaths::setTestModeEnabled(false);  // the real rule, on scratch folders only
    qputenv("HOME", (dir.path() + QStringLiteral("/home")).toUtf8());
    qputenv("XDG_DATA_HOME", (dir.path() + QStringLiteral("/data")).toUtf8());
    const QString withXdg = MainWindow::defaultDatabasePath();
    const std::string headlessWithXdg = tinyseek::cli::default_database_path();
    qunsetenv("XDG_DATA_HOME");
    const QString withHome = MainWindow::defaultDatabasePath();
    const std::string headlessWithHome = tinyseek::cli::default_database_path();
    QStandardPaths::setTestModeEnabled(true);
    qputenv("HOME", home);
    if (xdg.isNull())
        qunsetenv("XDG_DATA_HOME");
    else
        qputenv("XDG_DATA_HOME", xdg);
    QCoreApplication::setOrganizationName(org);
    QCoreApplication::setApplicationName(app);

    QCOMPARE(withXdg, dir.path() + QStringLiteral("/data/TinySeek/tinyseek/runs.db"));
    QCOMPARE(QString::fromStdString(headlessWithXdg), withXdg);
    QCOMPARE(withHome, dir.path() + QStringLiteral("/home/.local/share/TinySeek/tinyseek/runs.db"));
    QCOMPARE(QString::fromStdString(headlessWithHome), withHome);
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
