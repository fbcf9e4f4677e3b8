// The Inference page's MTP acceptance tab: how often the MTP module's draft (speculative
// decoding, docs/ARCHITECTURE.md "MTP") is the token the main model keeps, measured by greedy
// decoding of held-out prompts of the model's task:
//   - by position in the completion, with its 95 % Wilson interval and the number of drafts;
//   - by token class (digits of the reasoning, answer digits, tags, other);
//   - at each stored checkpoint of the run, against the training step;
//   - one completion drawn as tokens: drafted and accepted, drafted and rejected, or produced
//     by the main model alone.
// DeepSeek-V3's reported 85–90 % is a band on the three charts. The panel only draws: the page
// (InferencePage) measures on a worker thread and hands the results over.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

#include <vector>

#include "gui/models/speculation_view.h"

class QLabel;
class QPushButton;
class QSpinBox;
class QTextStream;

namespace tinyseek::viz {
class BarChart;
class Exportable;
class ScalingPlot;
class TokenStrip;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class NamedFigure;

class AcceptancePanel : public QWidget {
    Q_OBJECT

  public:
    explicit AcceptancePanel(QWidget* parent = nullptr);
    ~AcceptancePanel() override;

    // The measurement of the page's model; `setting` says what was decoded and how.
    void showAcceptance(const AcceptanceView& view, const QString& setting);
    // No measurement: every acceptance figure says `why` (and what to do).
    void clearAcceptance(const QString& why);
    // Acceptance at each checkpoint, by step.
    void showCurve(const std::vector<CurvePoint>& points);
    void clearCurve(const QString& why);
    // Completion `index` of the measurement in the token strip (clamped to the range).
    void showCompletion(int index);
    void setMeasureEnabled(bool enabled);

    const AcceptanceView& acceptance() const { return m_view; }
    const std::vector<CurvePoint>& curve() const { return m_curve; }
    viz::ScalingPlot* byPositionPlot() const { return m_byPosition; }
    viz::BarChart* byClassChart() const { return m_byClass; }
    viz::ScalingPlot* curvePlot() const { return m_curvePlot; }
    viz::TokenStrip* tokenStrip() const { return m_strip; }
    QString summaryText() const;

    // inference-acceptance-by-position, -by-class, -over-training, inference-draft-tokens:
    // those with data.
    QList<viz::Exportable*> exportables() const;

  signals:
    // "Measure Again" pressed.
    void measureRequested();

  private:
    QWidget* buildStripBox();
    void describeFigures();
    void fillByPosition();
    void fillByClass();
    void writePositionCsv(QTextStream& out) const;
    void writeClassCsv(QTextStream& out) const;
    void writeCurveCsv(QTextStream& out) const;
    QString originName(TokenOrigin origin) const;

    AcceptanceView m_view;
    bool m_hasView = false;
    std::vector<CurvePoint> m_curve;

    QLabel* m_summary = nullptr;
    QLabel* m_curveStatus = nullptr;
    QPushButton* m_measureButton = nullptr;
    QSpinBox* m_completionSpin = nullptr;
    viz::ScalingPlot* m_byPosition = nullptr;
    viz::BarChart* m_byClass = nullptr;
    viz::ScalingPlot* m_curvePlot = nullptr;
    viz::TokenStrip* m_strip = nullptr;
    QList<NamedFigure*> m_figures;  // owned
};

}  // namespace tinyseek::gui
