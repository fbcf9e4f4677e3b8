// Runs page: the runs of the open database in a sortable table (name, kind, task, status,
// steps, best held-out accuracy, created), with Open (make it the current run of every page),
// Compare (overlay it on the Training page), Resume (continue a stopped, interrupted or failed
// run from its last checkpoint), Rename, Delete (after confirmation) and Open Database. Reads with
// its own read-only RunStore connection per refresh; writes (rename, delete) open a short
// read-write one, so the trainer's connection is never shared.
#pragma once

#include <QList>
#include <QString>
#include <QTimer>

#include "gui/pages/page.h"

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace tinyseek::gui {

class MetricsHub;

class RunsPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "runs";
    enum Column {
        Name,
        Kind,
        Task,
        Status,
        Steps,
        BestAccuracy,
        Created,
        Id,
        Parent,  // the run a control arm is compared with
        Shown,
        ColumnCount
    };

    explicit RunsPage(QWidget* parent = nullptr);

    void setHub(MetricsHub* hub);
    // Lists the runs of `path` (empty: no database, the empty state is shown).
    void setDatabase(const QString& path);
    QString databasePath() const { return m_databasePath; }
    // Re-reads the list; false (and the reason shown in the page) when the file cannot be read.
    bool refresh();
    QString errorText() const;

    QTableView* table() const { return m_table; }
    int rowCount() const;
    // Run id of a row in view order (after sorting).
    qint64 runIdAt(int row) const;
    // Text of a cell in view order.
    QString cellText(int row, Column column) const;
    QList<qint64> selectedRunIds() const;
    void selectRun(qint64 runId);
    // A run that must not be renamed away or deleted (the one training right now); 0 = none.
    void setActiveRun(qint64 runId);
    // While any run trains, no other can be resumed (one run at a time).
    void setTrainingActive(bool active);

    // The operations behind the buttons, without dialogs. False with a translated reason.
    bool renameRun(qint64 runId, const QString& name, QString* error = nullptr);
    bool deleteRun(qint64 runId, QString* error = nullptr);
    bool openRun(qint64 runId, QString* error = nullptr);
    bool compareRun(qint64 runId, QString* error = nullptr);

  signals:
    void runOpened(qint64 runId);
    void runCompared(qint64 runId);
    void runDeleted(qint64 runId);
    void runRenamed(qint64 runId, const QString& name);
    void openDatabaseRequested();
    // Resume was pressed for a run that can continue (the window starts it).
    void resumeRequested(qint64 runId);

  private:
    void onOpen();
    void onCompare();
    void onRename();
    void onDelete();
    bool canResume(qint64 runId) const;
    void updateButtons();
    void updateShownColumn();
    void showError(const QString& text);
    void scheduleRefresh();

    MetricsHub* m_hub = nullptr;
    QString m_databasePath;
    qint64 m_activeRun = 0;
    bool m_trainingActive = false;
    QWidget* m_body = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_error = nullptr;
    QTableView* m_table = nullptr;
    QStandardItemModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QPushButton* m_openButton = nullptr;
    QPushButton* m_compareButton = nullptr;
    QPushButton* m_resumeButton = nullptr;
    QPushButton* m_renameButton = nullptr;
    QPushButton* m_deleteButton = nullptr;
    QPushButton* m_refreshButton = nullptr;
    QPushButton* m_openDatabaseButton = nullptr;
    QTimer m_refreshTimer;  // coalesces refreshes while a live run stores steps
};

}  // namespace tinyseek::gui
