// The Explore page's per-token internals of the current text, on three tabs:
//   Routing     per MoE layer, tokens x experts with the gate weights of the chosen experts,
//               the shared expert marked as always on, and where the router bias swapped an
//               expert in or out; below, each token coloured by its top-1 expert in that
//               layer (the Routing page's token strip), its top-1 expert in every layer on
//               hover.
//   Attention   per layer and head, the causal attention matrix, or the share of each score
//               that comes from MLA's decoupled RoPE part; the latent cache per token beside
//               what MHA would hold.
//   Logit lens  at every block boundary, the probability of the final prediction (where the
//               answer forms), the top token there on hover.
// Definitions in core/forward_inspection.h. The view only draws what it is given.
#pragma once

// Core headers first (Eigen before Qt).
#include "core/forward_inspection.h"
#include "core/tokenizer.h"

#include <QList>
#include <QString>
#include <QTabWidget>

#include <optional>

class QComboBox;
class QLabel;

namespace tinyseek::viz {
class Exportable;
class HeatmapWidget;
class TokenStrip;
}  // namespace tinyseek::viz

namespace tinyseek::gui {

class NamedFigure;

class ForwardInternalsView : public QTabWidget {
    Q_OBJECT

  public:
    enum Tab { routingTab = 0, attentionTab = 1, lensTab = 2 };
    enum class AttentionValue { weight = 0, ropeShare = 1 };

    explicit ForwardInternalsView(QWidget* parent = nullptr);
    ~ForwardInternalsView() override;

    // `tokenizer` names the tokens; `config` gives the cache sizes.
    void showInspection(const ForwardInspection& inspection, const Tokenizer& tokenizer,
                        const ModelConfig& config);
    void clear(const QString& why);

    void setRoutingLayer(int index);  // index into the inspection's MoE layers
    void setAttention(int layer, int head, AttentionValue value);

    viz::HeatmapWidget* routingMap() const { return m_routing; }
    viz::TokenStrip* topExpertStrip() const { return m_topExpert; }
    viz::HeatmapWidget* attentionMap() const { return m_attention; }
    viz::HeatmapWidget* lensMap() const { return m_lens; }
    QLabel* attentionInfo() const { return m_attentionInfo; }
    QList<viz::Exportable*> exportables() const;

  private:
    QWidget* buildRoutingTab();
    QWidget* buildAttentionTab();
    QWidget* buildLensTab();
    void drawRouting();
    void drawTopExperts();
    void drawAttention();
    void drawLens();
    QString tokenLabel(int position) const;  // "3 ‘7’"
    QString text(int token) const;

    QComboBox* m_routingLayer = nullptr;
    viz::HeatmapWidget* m_routing = nullptr;
    viz::TokenStrip* m_topExpert = nullptr;
    QComboBox* m_attentionLayer = nullptr;
    QComboBox* m_head = nullptr;
    QComboBox* m_attentionValue = nullptr;
    viz::HeatmapWidget* m_attention = nullptr;
    QLabel* m_attentionInfo = nullptr;
    viz::HeatmapWidget* m_lens = nullptr;
    QList<NamedFigure*> m_figures;

    std::optional<ForwardInspection> m_inspection;
    Tokenizer m_tokenizer;  // a copy: the page may load another checkpoint meanwhile
    ModelConfig m_config;
};

}  // namespace tinyseek::gui
