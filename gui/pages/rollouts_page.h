// Rollouts page. The sampled completions of a run (step, prompt, completion, accuracy, format
// and total reward, advantage, length): the full stored history, read page by page from the
// run database, filterable by a step range and a minimum total reward. Live steps append
// their rollouts as they are stored.
#pragma once

#include <QList>
#include <QString>

#include <memory>

#include "gui/pages/page.h"
#include "training/step_report.h"

class QCheckBox;
class QDoubleSpinBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;

namespace tinyseek {
struct RolloutQuery;
}

namespace tinyseek::viz {
class Exportable;
}

namespace tinyseek::gui {

class NamedFigure;
class RolloutTableFigure;
class RolloutTableModel;

class RolloutsPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "rollouts";
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

    RolloutTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QString countText() const;
    // The table as a figure (the first rows as a picture, every matching row as CSV).
    QList<viz::Exportable*> exportables() const;

    void setReader(RunReader* reader) override;
    bool isBusy() const override;  // counting the rows of the run or filter

  private:
    QHBoxLayout* buildFilters();  // step range, minimum reward, count, export
    QTableView* buildTable();
    void connectFilters();  // typing applies after a pause, toggles at once
    RolloutQuery currentFilter() const;
    void showRunError(const QString& reason);
    void applyFilter();
    void updateCount();

    RolloutTableModel* m_model = nullptr;
    QWidget* m_content = nullptr;
    QTableView* m_view = nullptr;
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
