// The Precision page's fourth tab: training-state memory under FP32, BF16 mixed precision and
// DeepSeek-V3's FP8 recipe (core/fp8_memory.h, as `tinyseek fp8 memory`), per component, for
// the run's model or DeepSeek-V3's published dimensions. Computed from the config (nothing is
// allocated), so it is immediate and needs no worker thread.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

#include "core/fp8_memory.h"
#include "core/model_config.h"

class QComboBox;

namespace tinyseek::viz {
class BarChart;
class Exportable;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class NamedFigure;

class MemoryPanel : public QWidget {
    Q_OBJECT

  public:
    explicit MemoryPanel(QWidget* parent = nullptr);
    ~MemoryPanel() override;

    // The model the first choice shows, described as e.g. "this run's model (tiny)".
    void setModel(const ModelConfig& config, const QString& description);
    // 0: the run's model, 1: DeepSeek-V3.
    void showModel(int index);
    const Fp8MemoryResult& result() const { return m_result; }
    viz::BarChart* chart() const { return m_chart; }
    // precision-memory.
    QList<viz::Exportable*> exportables() const;

  private:
    void refresh();
    void writeCsv(QTextStream& out) const;

    ModelConfig m_config;
    QComboBox* m_model = nullptr;
    viz::BarChart* m_chart = nullptr;
    Fp8MemoryResult m_result;
    QList<NamedFigure*> m_figures;  // owned
};

}  // namespace tinyseek::gui
