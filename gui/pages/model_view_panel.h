// The Explore page's model view: the architecture of the open checkpoint (or of the
// deepseek-v2 / deepseek-v3 presets, counts only, nothing allocated) as a diagram in token
// order, identical consecutive blocks drawn as one row, each box with its parameters, active
// parameters and KV cache per token; clicking a box lists its tensors (Hugging Face names,
// shapes, sizes). The numbers come from core/model_structure.h, whose totals are
// `tinyseek model-info`'s.
#pragma once

// Core headers first (Eigen before Qt).
#include "core/model_config.h"
#include "core/model_structure.h"

#include <QList>
#include <QPoint>
#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

#include "viz/model_diagram.h"

class QComboBox;
class QLabel;
class QTableWidget;

namespace tinyseek::gui {

class NamedFigure;

class ModelViewPanel : public QWidget {
    Q_OBJECT

  public:
    explicit ModelViewPanel(QWidget* parent = nullptr);
    ~ModelViewPanel() override;

    // The open checkpoint's config, shown unless the user picked a preset.
    void setCheckpointConfig(const ModelConfig& config);
    // 0 = the checkpoint, 1 = deepseek-v2, 2 = deepseek-v3.
    void showSource(int index);
    // Lists the tensors of the box at {row, box} (what a click does).
    void selectBox(QPoint cell);

    const ModelStructure& structure() const { return m_structure; }
    viz::ModelDiagram* diagram() const { return m_diagram; }
    QTableWidget* tensorTable() const { return m_tensors; }
    QLabel* partInfo() const { return m_partInfo; }
    QList<viz::Exportable*> exportables() const;

  private:
    // The parts a diagram box stands for: the first (whose tensors are listed) and how many
    // identical blocks it covers.
    struct BoxParts {
        int part = -1;
        int count = 1;
    };
    void rebuild();
    void addBlockRows(QList<viz::DiagramRow>& rows, size_t& i);
    QString boxTitle(const ModelPart& part) const;

    QComboBox* m_source = nullptr;
    viz::ModelDiagram* m_diagram = nullptr;
    QLabel* m_partInfo = nullptr;
    QTableWidget* m_tensors = nullptr;
    NamedFigure* m_figure = nullptr;

    std::optional<ModelConfig> m_checkpoint;
    ModelConfig m_shown;
    ModelStructure m_structure;
    std::vector<std::vector<BoxParts>> m_boxParts;  // per diagram row, per box
};

}  // namespace tinyseek::gui
