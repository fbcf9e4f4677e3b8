// The Precision page's third tab: a run trained in FP8 against its FP32 twin (same config,
// seed and data order) from the run database (training/precision_comparison.h, as `tinyseek
// fp8 loss-gap`): both SFT loss curves, the relative gap of their trailing means underneath,
// and beside it the gap between the FP32 twin and an FP32 run of another seed when one is
// stored — the noise an FP8 gap has to stand out from. The page reads; the panel draws.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

#include "training/precision_comparison.h"

class QLabel;
class QPushButton;

namespace tinyseek::viz {
class CurveChart;
class Exportable;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class NamedFigure;

class Fp8TrainingPanel : public QWidget {
    Q_OBJECT

  public:
    explicit Fp8TrainingPanel(QWidget* parent = nullptr);
    ~Fp8TrainingPanel() override;

    void showComparison(const PrecisionComparison& comparison);
    // Nothing to compare: the charts say `why`.
    void clearComparison(const QString& why);

    const PrecisionComparison& comparison() const { return m_comparison; }
    viz::CurveChart* lossChart() const { return m_loss; }
    viz::CurveChart* gapChart() const { return m_gap; }
    QString summary() const;
    // Trailing-mean window of the gap curve for an SFT stage of `sftSteps` steps.
    static int gapWindow(std::int64_t sftSteps);
    // precision-training-loss, precision-training-gap: once two runs are compared.
    QList<viz::Exportable*> exportables() const;

  signals:
    // "Overlay on the Training page": the compared runs (FP8, FP32 twin, other seed).
    void overlayRequested(const QList<qint64>& runIds);

  private:
    QString describeGaps() const;
    QString describeAccuracy() const;

    PrecisionComparison m_comparison;
    bool m_shown = false;
    viz::CurveChart* m_loss = nullptr;
    viz::CurveChart* m_gap = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_overlay = nullptr;
    QList<NamedFigure*> m_figures;  // owned
};

}  // namespace tinyseek::gui
