// Rollouts page. The sampled completions of a run (step, prompt, completion, accuracy, format
// and total reward, advantage, length): the full stored history, read page by page from the
// run database, filterable by a step range and a minimum total reward, for the training
// rollouts or the held-out evaluation samples. Listed one row per completion or one row per
// prompt (unique-prompt mode); the selected row's whole group is shown below it with the
// per-token view of one completion (RolloutGroupView). A second tab draws reward, advantage
// and length as histograms over steps (RolloutDistributionView). Live steps append their
// rollouts as they are stored.
#pragma once

#include <QList>
#include <QString>

#include <memory>

#include "gui/pages/page.h"
#include "training/run_store.h"
#include "training/step_report.h"

class QAbstractItemModel;
class QCheckBox;
class QDoubleSpinBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QSpinBox;
class QComboBox;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTimer;

namespace tinyseek::viz {
class Exportable;
}

namespace tinyseek::gui {

class NamedFigure;
class RolloutDistributionView;
class RolloutGroupModel;
class RolloutGroupView;
class RolloutTableFigure;
class RolloutTableModel;

class RolloutsPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "rollouts";
    // Section ids for --page: the completions tab and the distributions tab.
    static constexpr const char* kSections[2] = {"completions", "distributions"};
    explicit RolloutsPage(QWidget* parent = nullptr);
    ~RolloutsPage() override;

    // Shows the rollouts of run `runId` once they are counted (on the reader thread);
    // problems are shown in place of the table.
    void setRun(const QString& dbPath, qint64 runId);
    void clearRun();
    // Live steps of the shown run: their rollouts are already stored, the table re-counts.
    void appendSteps(const QList<tinyseek::StepReport>& reports);

    // Filters; nullopt-like "no bound" is -1 for the upper step and `enabled = false` for the
    // reward. Applied at once (the spin boxes apply after a short pause while typing).
    void setStepRange(qint64 from, qint64 to);
    void setMinimumReward(bool enabled, double minimum);
    void setSource(RolloutSource source);
    // One row per prompt (a GRPO group or a held-out problem) instead of per completion.
    void setUniquePrompts(bool on);
    // Shows the group of a row of the list shown (completions or prompts).
    void showGroupOfRow(int row);
    void showSection(const QString& section) override;

    RolloutTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    RolloutGroupModel* groupModel() const { return m_groupModel; }
    QTableView* groupListView() const { return m_groupList; }
    RolloutGroupView* groupView() const { return m_groupView; }
    RolloutDistributionView* distributionView() const { return m_distributions; }
    QString countText() const;
    // The table as a figure (the first rows as a picture, every matching row as CSV).
    QList<viz::Exportable*> exportables() const;

    void setReader(RunReader* reader) override;
    bool isBusy() const override;  // counting the rows or reading groups or distributions

  private:
    QHBoxLayout* buildFilters();  // source, list mode, step range, minimum reward, count, export
    QTableView* buildTable();
    QTableView* buildGroupList();
    QTableView* newListView(const QString& name, QAbstractItemModel* model);
    QWidget* buildCompletionsTab();
    void connectFilters();  // typing applies after a pause, toggles at once
    RolloutQuery currentFilter() const;
    void showRunError(const QString& reason);
    void applyFilter();
    void readGroupsIfListed();  // the unique-prompt list, when it is the list shown
    void updateCount();

    RolloutTableModel* m_model = nullptr;
    RolloutGroupModel* m_groupModel = nullptr;
    QString m_dbPath;
    QWidget* m_content = nullptr;
    QTabWidget* m_tabs = nullptr;
    QStackedWidget* m_lists = nullptr;
    QTableView* m_view = nullptr;
    QTableView* m_groupList = nullptr;
    RolloutGroupView* m_groupView = nullptr;
    RolloutDistributionView* m_distributions = nullptr;
    bool m_distributionsStale = false;  // live steps arrived while the tab was not shown
    QComboBox* m_source = nullptr;
    QComboBox* m_listMode = nullptr;
    QSpinBox* m_fromStep = nullptr;
    QSpinBox* m_toStep = nullptr;
    QCheckBox* m_useMinReward = nullptr;
    QDoubleSpinBox* m_minReward = nullptr;
    QPushButton* m_resetButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QLabel* m_count = nullptr;
    QTimer* m_filterTimer = nullptr;
    std::unique_ptr<RolloutTableFigure> m_figure;
    std::unique_ptr<NamedFigure> m_named;
};

}  // namespace tinyseek::gui
