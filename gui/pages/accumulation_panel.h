// The Precision page's first tab: the error of an FP8 GEMM's limited accumulator against the
// inner dimension K, never promoted, promoted to FP32 every N_C elements, and in plain FP32
// (core/fp8_gemm_error.h, the experiment of `tinyseek fp8 gemm-error`), on log axes beside
// DeepSeek-V3's "nearly 2%" at K = 4096. Computed on the panel's own worker thread, one K at
// a time (progress and Cancel between them).
#pragma once

#include <QList>
#include <QWidget>

#include <vector>

#include "core/fp8_gemm_error.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace tinyseek::viz {
class Exportable;
class ScalingPlot;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class JobStrip;
class NamedFigure;

class AccumulationPanel : public QWidget {
    Q_OBJECT

  public:
    explicit AccumulationPanel(QWidget* parent = nullptr);
    ~AccumulationPanel() override;

    // The experiment as the controls set it.
    Fp8GemmErrorConfig config() const;
    // Starts it on the worker thread (false while it runs).
    bool compute();
    bool isComputing() const;
    // The rows of the last finished computation, by K.
    const std::vector<Fp8GemmErrorRow>& rows() const { return m_rows; }
    viz::ScalingPlot* plot() const { return m_plot; }
    JobStrip* strip() const { return m_strip; }
    // precision-accumulation: once computed.
    QList<viz::Exportable*> exportables() const;

  signals:
    void computed();

  private:
    QWidget* buildControls();
    void showRows();
    void writeCsv(QTextStream& out) const;

    QComboBox* m_entries = nullptr;
    QCheckBox* m_outliers = nullptr;
    QSpinBox* m_bits = nullptr;
    QSpinBox* m_promoteEvery = nullptr;
    QComboBox* m_statistic = nullptr;
    JobStrip* m_strip = nullptr;
    viz::ScalingPlot* m_plot = nullptr;
    QLabel* m_note = nullptr;
    Fp8GemmErrorConfig m_config;  // of m_rows
    std::vector<Fp8GemmErrorRow> m_rows;
    QList<NamedFigure*> m_figures;  // owned
};

}  // namespace tinyseek::gui
