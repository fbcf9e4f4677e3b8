// MainWindow: assembles the workbench shell: one QDockWidget per page (rearrangeable,
// tabified by default with Training in front), the File/View/Help menus, the run toolbar
// and a status bar with progress, ETA and Cancel. It holds no training logic: the run
// controller (a later issue) drives the toolbar actions and the progress slots.
#pragma once

#include <QList>
#include <QMainWindow>
#include <QMap>
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

namespace tinyseek::gui {

class Page;

class MainWindow : public QMainWindow {
    Q_OBJECT

  public:
    // Bump when docks or toolbars change, so an older saved layout is ignored instead of
    // restored into the wrong shape.
    static constexpr int kStateVersion = 1;

    explicit MainWindow(QWidget* parent = nullptr);

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

    // The run toolbar, for the run controller to enable and connect.
    QAction* startAction() const { return m_startAction; }
    QAction* pauseAction() const { return m_pauseAction; }
    QAction* stopAction() const { return m_stopAction; }

    // "%1 s", "%1 min %2 s", "%1 h %2 min"; "--" for a negative (unknown) estimate.
    static QString formatEta(double seconds);

  public slots:
    // Shows the page's dock and brings it to the front. False for an unknown id.
    bool showPage(const QString& id);
    // Opens `path` as the run database (see DatabaseFile::check); on failure shows the
    // reason in a message box when `interactive`, and returns false either way.
    bool openDatabase(const QString& path, bool interactive = true);
    void resetLayout();
    void setTheme(tinyseek::gui::Theme theme);

    // Progress of the running job in the status bar: the bar reads "done/total", the ETA
    // label shows `etaSeconds` (negative = unknown) and Cancel becomes available.
    void setProgress(qint64 done, qint64 total, double etaSeconds);
    // Back to idle: progress bar, ETA and Cancel hidden.
    void clearProgress();
    void showStatusMessage(const QString& text, int timeoutMs = 5000);

  signals:
    void databaseOpened(const QString& path);
    void themeChanged(tinyseek::gui::Theme theme);
    // The user pressed Cancel in the status bar while a job was in progress.
    void cancelRequested();

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    void createDocks();
    void createActions();
    void createMenus();
    void createToolBar();
    void createStatusBar();
    void arrangeDefaultLayout();
    void rebuildRecentMenu();
    void updateTitle();
    void chooseDatabase();
    void chooseLanguage(const QString& language);

    QList<Page*> m_pages;
    QMap<QString, QDockWidget*> m_docks;
    bool m_persistent = true;
    QString m_databasePath;

    QAction* m_newRunAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_resetLayoutAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_startAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_stopAction = nullptr;
    QActionGroup* m_themeGroup = nullptr;
    QActionGroup* m_languageGroup = nullptr;
    QMenu* m_recentMenu = nullptr;
    QToolBar* m_runToolBar = nullptr;

    QLabel* m_databaseLabel = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QLabel* m_etaLabel = nullptr;
    QPushButton* m_cancelButton = nullptr;
};

}  // namespace tinyseek::gui
