// Reward Model page: the reward-model lab's inference-time scaling experiment from a
// stored run of kind "grm_scale" (written by `tinyseek grm scale --db`):
//   - accuracy vs samples per item k (log2 axis) for voting and meta RM, each with a band
//     over the seeds (min..max) when there are several; greedy and scalar RM as reference
//     lines; judge tokens generated per item on the right axis;
//   - one held-out item's k sampled judgments (principles, critique, scores, meta-RM score,
//     whether the meta RM kept it, whether it singled out the truth) and the pooled results
//     of voting@k and meta RM@k, recomputed here with the same pooling code as the lab.
// Both figures export as PNG, SVG, PDF and CSV (right-click, or "Export Charts…").
#pragma once

#include <QList>
#include <QString>
#include <QVector>

#include <memory>
#include <vector>

#include "gui/live/run_reader.h"
#include "gui/pages/judge_stages.h"
#include "gui/pages/page.h"

class QComboBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace tinyseek {
class RunStore;
struct ScalingResult;
struct StepReport;
}  // namespace tinyseek

namespace tinyseek::viz {
class Exportable;
class ScalingPlot;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class JudgmentsFigure;
class NamedFigure;

class RewardModelPage : public Page {
    Q_OBJECT

  public:
    static constexpr const char* kId = "reward-model";
    explicit RewardModelPage(QWidget* parent = nullptr);
    ~RewardModelPage() override;

    // Shows run `runId` of the database once it is read (on the reader thread); problems
    // replace the figures with a message. clearRun() goes back to the empty state.
    void setRun(const QString& dbPath, qint64 runId);
    void clearRun();
    qint64 runId() const { return m_runId; }
    // The "grm_scale" runs of the open database, newest first (the run selector's entries).
    QList<qint64> availableRuns() const;

    // Example item (0-based, among those stored) and k of the judgments panel.
    void setExample(int index);
    void setK(int k);
    int currentK() const;

    viz::ScalingPlot* plot() const { return m_plot; }
    QTableWidget* judgmentsTable() const { return m_table; }
    QString pooledText() const;
    QList<viz::Exportable*> exportables() const;
    bool isBusy() const override;  // reading the experiments or one of them

  public slots:
    // Lists the database's scaling runs and shows the newest (empty state when none), once
    // the list is read. The page connects this to its window's databaseOpened(QString)
    // signal when there is one.
    void setDatabase(const QString& path);
    // Reads the list again and keeps the experiment shown when it is still there.
    void refresh();

  private:
    struct Sample {
        QString text;
        QString principles;
        QString critique;
        std::vector<int> scores;
        bool valid = false;
        bool right = false;
        double meta = 0.0;
        int length = 0;
    };
    struct Example {
        QString prompt;
        int best = -1;
        int candidates = 0;
        QList<Sample> samples;
    };

    // What setRun() reads.
    struct ScalingRun {
        QString name;
        int kMeta = 0;
        int labSeeds = 0;   // judges trained on their own (an experiment), 0 = one judge
        int drawSeeds = 1;  // sampling draws of one judge
        std::vector<ScalingResult> rows;
        QList<Example> examples;
        QList<JudgeStages> labs;  // each judge's training, from its output directory
    };
    static Example exampleOf(const StepReport& report);
    static ScalingRun readScalingRun(const RunStore& store, qint64 runId);

    void buildUi();
    QHBoxLayout* buildTopBar();  // experiment, Refresh, Export
    void buildMessages();        // the summary, stage and error lines
    viz::ScalingPlot* buildPlot(QWidget* parent);
    QWidget* buildJudgmentsPanel(QWidget* parent);  // item, k, the table, pooled results
    void connectControls();
    void listRuns(const QString& path, qint64 keep);
    struct ScalingRunEntry {
        qint64 id = 0;
        QString name;
    };
    void showRunList(const QString& path, qint64 keep,
                     const ReadResult<QList<ScalingRunEntry>>& runs);
    void showScalingRun(const QString& dbPath, qint64 runId, ScalingRun run);
    void showError(const QString& message);
    void updatePlot();
    void updateJudgments();
    void populateRunCombo(const QList<ScalingRunEntry>& entries);

    QString m_dbPath;
    qint64 m_runId = 0;
    quint64 m_listTicket = 0;  // the list of experiments being read; 0 = none
    quint64 m_runTicket = 0;   // the experiment being read; 0 = none
    QList<qint64> m_runs;
    int m_kMetaOption = 0;  // 0 = k/2
    std::vector<ScalingResult> m_rows;
    QVector<int> m_ks;
    QList<Example> m_examples;

    QWidget* m_body = nullptr;
    QComboBox* m_runCombo = nullptr;
    QPushButton* m_refreshButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_stages = nullptr;  // what each judge's training stages did
    QLabel* m_error = nullptr;
    viz::ScalingPlot* m_plot = nullptr;
    QSpinBox* m_exampleSpin = nullptr;
    QComboBox* m_kCombo = nullptr;
    QLabel* m_prompt = nullptr;
    QTableWidget* m_table = nullptr;
    QLabel* m_pooled = nullptr;
    std::unique_ptr<JudgmentsFigure> m_judgmentsFigure;
    std::unique_ptr<NamedFigure> m_namedPlot;
    std::unique_ptr<NamedFigure> m_namedJudgments;
};

}  // namespace tinyseek::gui
