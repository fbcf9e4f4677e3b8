// Runs page: the runs of the open database in a sortable table (name, kind, task, status,
// steps, best held-out accuracy, created), with Open (make it the current run of every page),
// Compare (overlay it on the Training page), Resume (continue a stopped, interrupted or failed
// run from its last checkpoint), Rename, Delete (after confirmation) and Open Database. The list
// is read through the page's RunReader, off the GUI thread; writes (rename, delete) open a
// short read-write connection, so the trainer's connection is never shared.
#pragma once

#include <QColor>
#include <QHash>
#include <QList>
#include <QString>
#include <QTimer>

#include <vector>

#include "gui/pages/page.h"

class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItem;
class QStandardItemModel;
class QTableView;

namespace tinyseek {
struct RunInfo;
}

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
        Precision,  // FP32, or FP8 and how its recipe departs from DeepSeek-V3's
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
    // Reads the list again, on the reader thread: the table follows when it arrives, or the
    // reason it cannot be read is shown in the page; refreshed() says which.
    void refresh();
    bool isRefreshing() const;
    QString errorText() const;

    QTableView* table() const { return m_table; }
    int rowCount() const;
    // Run id of a row in view order (after sorting).
    qint64 runIdAt(int row) const;
    // Every listed run.
    QList<qint64> runIds() const;
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

    // Gives the run `color` everywhere (an invalid colour: back to its own); the window
    // remembers it for this database. The Colour… button asks with a colour dialog.
    void setRunColor(qint64 runId, const QColor& color);
    // Shows only the runs whose name contains the text (alternatives split by '|', or
    // /a regular expression/, ignoring case), as the filter box above the list does.
    void setFilter(const QString& text);

  signals:
    void runColorChosen(qint64 runId, const QColor& color);
    void runOpened(qint64 runId);
    void runCompared(qint64 runId);
    void runDeleted(qint64 runId);
    void runRenamed(qint64 runId, const QString& name);
    void openDatabaseRequested();
    // Resume was pressed for a run that can continue (the window starts it).
    void resumeRequested(qint64 runId);
    // A refresh ended: the list is shown (ok) or the reason it cannot be read.
    void refreshed(bool ok);

  private:
    QHBoxLayout* buildButtons();
    void buildMessages();  // the summary line and the error line
    QTableView* buildTable();
    // Buttons, double-click and selection; refreshes while a run stores steps, coalesced.
    void connectActions();
    void showRuns(const std::vector<RunInfo>& runs);
    void showListError(const QString& reason);
    QList<QStandardItem*> rowOf(const RunInfo& run, const QHash<qint64, QString>& names) const;
    QString statusText(const RunInfo& run) const;
    QStandardItem* itemOf(qint64 runId, Column column) const;
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
    QPushButton* m_colorButton = nullptr;
    QLineEdit* m_filter = nullptr;
    QPushButton* m_deleteButton = nullptr;
    QPushButton* m_refreshButton = nullptr;
    QPushButton* m_openDatabaseButton = nullptr;
    QTimer m_refreshTimer;     // coalesces refreshes while a live run stores steps
    quint64 m_listTicket = 0;  // the list being read; 0 = none
};

}  // namespace tinyseek::gui
