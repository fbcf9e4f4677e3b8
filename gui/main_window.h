// MainWindow: assembles the workbench shell: one QDockWidget per page (rearrangeable,
// tabified by default with Training in front), the File/View/Help menus, the run toolbar
// and a status bar with progress, ETA and Cancel. It holds no training logic: the
// RunController (gui/live/) executes runs, the MetricsHub carries their steps and the shared
// run selection to the pages; the window only connects them to actions and pages.
#pragma once

#include <QList>
#include <QMainWindow>
#include <QMap>
#include <QMessageBox>
#include <QString>

#include "gui/theme.h"

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QToolBar;

namespace tinyseek {
struct TrainConfig;
}

namespace tinyseek::gui {

class ImportFollower;
class MetricsHub;
class Page;
class RunController;

class MainWindow : public QMainWindow {
    Q_OBJECT

  public:
    // Bump when docks or toolbars change, so an older saved layout is ignored instead of
    // restored into the wrong shape.
    static constexpr int kStateVersion = 1;

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QStringList pageIds() const;
    Page* page(const QString& id) const;
    QDockWidget* dock(const QString& id) const;
    // The page whose dock is shown in front (visible and not hidden behind a tab); the
    // first such page in pageIds() order when several docks are visible side by side.
    QString currentPageId() const;

    // When false (screenshots), nothing is written to QSettings: not the layout on close,
    // not the last database.
    void setPersistent(bool persistent) { m_persistent = persistent; }
    // Restores geometry and dock layout from QSettings; false (and the default layout is
    // kept) when nothing valid is stored.
    bool restoreLayout();
    void saveLayout();

    QString databasePath() const { return m_databasePath; }

    // The run toolbar: Start (New Run dialog when idle, continue when paused), Pause, Stop.
    QAction* startAction() const { return m_startAction; }
    QAction* pauseAction() const { return m_pauseAction; }
    QAction* stopAction() const { return m_stopAction; }
    QAction* newRunAction() const { return m_newRunAction; }

    // gui/main_window_imports.cpp: reads the logs at `path` (a file or a folder) into the open
    // database (the default one when none is open) in the background; with `follow`, keeps
    // reading what they add. importFinished() follows once the first read is stored.
    void importPath(const QString& path, bool follow);
    ImportFollower* importFollower() const { return m_importFollower; }

    // Live steps, stored runs and the current run / comparison shared by every page.
    MetricsHub* metricsHub() const { return m_hub; }
    RunController* runController() const { return m_controller; }
    qint64 currentRunId() const;

    // Starts a run of `config` in the open database (no dialog). False with a message in the
    // status bar when no database is open or a run is active.
    bool startRun(const TrainConfig& config);
    // The first-launch offer: creates the default database when none is open, then starts
    // the demo run (the default config).
    bool startDemoRun();
    // Continues stored run `runId` of the open database from its last checkpoint.
    bool resumeStoredRun(qint64 runId);
    // Where the demo run's database goes when none is open.
    static QString defaultDatabasePath();

    // "%1 s", "%1 min %2 s", "%1 h %2 min"; "--" for a negative (unknown) estimate.
    static QString formatEta(double seconds);

  public slots:
    // Shows the page's dock and brings it to the front. False for an unknown id.
    bool showPage(const QString& id);
    // Opens `path` as the run database (see DatabaseFile::check); on failure shows the
    // reason in a message box when `interactive`, and returns false either way.
    bool openDatabase(const QString& path, bool interactive = true);
    void resetLayout();
    // Named layouts, as PlotJuggler keeps them: the docks' arrangement and the Training
    // page's view (smoothing, axes, filter) under a name; load puts both back (false for an
    // unknown name).
    void saveNamedLayout(const QString& name);
    bool loadNamedLayout(const QString& name);
    void setTheme(tinyseek::gui::Theme theme);

    // Progress of the running job in the status bar: the bar reads "done/total", the ETA
    // label shows `etaSeconds` (negative = unknown) and Cancel becomes available.
    void setProgress(qint64 done, qint64 total, double etaSeconds);
    // Back to idle: progress bar, ETA and Cancel hidden.
    void clearProgress();
    void showStatusMessage(const QString& text, int timeoutMs = 5000);
    // Opens the New Run dialog (prefilled with the current run's config when there is one)
    // and starts the run on Start.
    void newRun();

  signals:
    void databaseOpened(const QString& path);
    void themeChanged(tinyseek::gui::Theme theme);
    // The user pressed Cancel in the status bar while a job was in progress.
    void cancelRequested();
    // The run every page shows changed (runId 0 = none); forwarded from the MetricsHub.
    void currentRunChanged(const QString& dbPath, qint64 runId);
    // importPath()'s first read is stored: the runs it wrote (empty when it failed).
    void importFinished(const QList<qint64>& runIds);

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    // A message box whose only button carries our own translated text, so the dialog is fully
    // translated even when Qt's own translations are not installed.
    void showMessage(QMessageBox::Icon icon, const QString& title, const QString& text);
    void createDocks();
    void createActions();
    void createFileActions();  // New Run, Open Database, Export, Quit
    void createLayoutAndAboutActions();
    void createRunActions();  // the run toolbar: Start, Pause, Stop
    void createThemeActions();
    void createLanguageActions();
    void createMenus();
    void createToolBar();
    void createStatusBar();
    void arrangeDefaultLayout();
    void rebuildRecentMenu();
    void rebuildLayoutsMenu();
    void updateTitle();
    void chooseDatabase();
    void chooseLanguage(const QString& language);
    void connectRuns();
    void createImportActions();
    void chooseImport();
    void onImported(const QString& path, const QList<qint64>& runIds, const QString& report);
    // gui/main_window_pages.cpp: the Routing, KV Cache and Rollouts pages and File > Export.
    void connectAnalysisPages();
    // The Training page's view (smoothing, axes, filter) as last set for this database.
    void restorePageViews();
    void connectRememberedViews();
    void exportRunCharts();
    void updateRunActions();
    void onRunFinished(qint64 runId, const QString& status, const QString& error);
    void onRunsListed(bool ok);
    void restoreLastRun(const QList<qint64>& runIds);
    void updateDemoOffer();

    MetricsHub* m_hub = nullptr;
    RunController* m_controller = nullptr;
    QList<Page*> m_pages;
    QMap<QString, QDockWidget*> m_docks;
    bool m_persistent = true;
    QString m_databasePath;
    bool m_restoreRunPending = false;
    bool m_restoringViews = false;  // restorePageViews() at work: its changes are not saved  // a
                                    // database was opened; its list is being read

    QAction* m_newRunAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_importAction = nullptr;
    QAction* m_stopFollowingAction = nullptr;
    ImportFollower* m_importFollower = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_resetLayoutAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_startAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_stopAction = nullptr;
    QActionGroup* m_themeGroup = nullptr;
    QActionGroup* m_languageGroup = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_layoutsMenu = nullptr;
    QToolBar* m_runToolBar = nullptr;

    QLabel* m_databaseLabel = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QLabel* m_etaLabel = nullptr;
    QPushButton* m_cancelButton = nullptr;
};

}  // namespace tinyseek::gui
