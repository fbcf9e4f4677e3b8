// The Precision page's second tab: how the granularity of FP8 scales decides the quantisation
// error of a trained model's real weights and activations — one scale per tensor against
// DeepSeek-V3's tiles (T x T weight blocks, 1 x T activation tiles) — with and without
// injected outliers (training/fp8_quant_probe.h, the experiment of `tinyseek fp8
// quant-error`). The model is the run's latest checkpoint; computed on the panel's own
// worker thread.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

#include "core/fp8_quant_error.h"

class QComboBox;
class QLabel;
class QSpinBox;

namespace tinyseek::viz {
class BarChart;
class Exportable;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class JobStrip;
class NamedFigure;

class GranularityPanel : public QWidget {
    Q_OBJECT

  public:
    explicit GranularityPanel(QWidget* parent = nullptr);
    ~GranularityPanel() override;

    // The checkpoint to measure (empty: none, the charts say `why`); forgets the last result.
    // A computation running for the previous checkpoint is cancelled, and when it was
    // computing, the new checkpoint is computed once it has stopped.
    void setCheckpoint(const QString& dir, const QString& description, const QString& why = {});
    QString checkpoint() const { return m_dir; }

    Fp8QuantErrorConfig config() const;
    bool compute();  // false while computing or without a checkpoint
    bool isComputing() const;
    const Fp8QuantErrorResult& result() const { return m_result; }
    bool hasResult() const { return m_hasResult; }
    viz::BarChart* errorChart() const { return m_error; }
    viz::BarChart* flushedChart() const { return m_flushed; }
    JobStrip* strip() const { return m_strip; }
    // precision-granularity-error, precision-granularity-flushed: once computed.
    QList<viz::Exportable*> exportables() const;

  signals:
    void computed();

  private:
    QWidget* buildControls();
    void showResult(int tokens);
    void clearCharts(const QString& why);
    void writeCsv(QTextStream& out) const;

    QComboBox* m_tile = nullptr;
    QComboBox* m_format = nullptr;
    QSpinBox* m_outliers = nullptr;
    QLabel* m_model = nullptr;
    JobStrip* m_strip = nullptr;
    viz::BarChart* m_error = nullptr;
    viz::BarChart* m_flushed = nullptr;
    QString m_dir;
    Fp8QuantErrorResult m_result;
    bool m_hasResult = false;
    bool m_computeWhenStopped = false;
    QList<NamedFigure*> m_figures;  // owned
};

}  // namespace tinyseek::gui
