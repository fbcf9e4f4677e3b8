#include "gui/pages/forward_internals_view.h"

#include "core/kv_accounting.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

#include "gui/figures/figure_export.h"
#include "viz/color_map.h"
#include "viz/heatmap_widget.h"
#include "viz/token_strip.h"

namespace tinyseek::gui {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
// Bias markers: visible on viridis' dark and light ends and on the legend's background.
const QColor kBiasMark(230, 50, 110);

// The combo's items become `items` (unchanged when they already are), keeping the current
// index where it still exists; no signal.
void refill(QComboBox* combo, const QStringList& items) {
    QStringList now;
    for (int i = 0; i < combo->count(); ++i) now << combo->itemText(i);
    if (now == items) return;
    const QSignalBlocker block(combo);
    const int kept = combo->currentIndex();
    combo->clear();
    combo->addItems(items);
    combo->setCurrentIndex(kept >= 0 && kept < items.size() ? kept : 0);
}

QComboBox* labelledCombo(QHBoxLayout* row, const QString& label, const QString& name,
                         QWidget* parent) {
    row->addWidget(new QLabel(label, parent));
    auto* combo = new QComboBox(parent);
    combo->setObjectName(name);
    row->addWidget(combo);
    return combo;
}

}  // namespace

ForwardInternalsView::ForwardInternalsView(QWidget* parent) : QTabWidget(parent) {
    setObjectName(QStringLiteral("exploreInternals"));
    addTab(buildRoutingTab(), tr("Routing"));
    addTab(buildAttentionTab(), tr("Attention"));
    addTab(buildLensTab(), tr("Logit Lens"));
    const auto figures = [this] { return exportables(); };
    FigureExport::install(m_routing, m_routing, figures);
    FigureExport::install(m_topExpert, m_topExpert, figures);
    FigureExport::install(m_attention, m_attention, figures);
    FigureExport::install(m_lens, m_lens, figures);
    m_figures = {new NamedFigure(QStringLiteral("explore-routing"), m_routing),
                 new NamedFigure(QStringLiteral("explore-top-expert"), m_topExpert),
                 new NamedFigure(QStringLiteral("explore-attention"), m_attention),
                 new NamedFigure(QStringLiteral("explore-logit-lens"), m_lens)};
    clear(tr("Nothing inspected yet."));
}

ForwardInternalsView::~ForwardInternalsView() {
    qDeleteAll(m_figures);
}

QWidget* ForwardInternalsView::buildRoutingTab() {
    auto* tab = new QWidget(this);
    auto* layout = new QVBoxLayout(tab);
    auto* row = new QHBoxLayout;
    m_routingLayer = labelledCombo(row, tr("MoE layer:"), QStringLiteral("routingLayerCombo"), tab);
    row->addStretch(1);
    layout->addLayout(row);
    m_routing = new viz::HeatmapWidget(tab);
    m_routing->setObjectName(QStringLiteral("exploreRoutingMap"));
    m_routing->setRowAxisTitle(tr("Token"));
    m_routing->setColumnAxisTitle(tr("Expert"));
    m_routing->setValueTitle(tr("Gate weight"));
    m_routing->setMinimumHeight(260);
    layout->addWidget(m_routing, 3);
    m_topExpert = new viz::TokenStrip(tab);
    m_topExpert->setObjectName(QStringLiteral("exploreTopExpert"));
    m_topExpert->setCategoryPattern(tr("Expert %1"));
    layout->addWidget(m_topExpert, 1);
    connect(m_routingLayer, &QComboBox::currentIndexChanged, this, [this] {
        drawRouting();
        drawTopExperts();
    });
    return tab;
}

QWidget* ForwardInternalsView::buildAttentionTab() {
    auto* tab = new QWidget(this);
    auto* layout = new QVBoxLayout(tab);
    auto* row = new QHBoxLayout;
    m_attentionLayer = labelledCombo(row, tr("Layer:"), QStringLiteral("attentionLayerCombo"), tab);
    m_head = labelledCombo(row, tr("Head:"), QStringLiteral("attentionHeadCombo"), tab);
    m_attentionValue = labelledCombo(row, tr("Show:"), QStringLiteral("attentionValueCombo"), tab);
    m_attentionValue->addItems({tr("Attention weight"), tr("RoPE share of the score")});
    row->addStretch(1);
    layout->addLayout(row);
    m_attention = new viz::HeatmapWidget(tab);
    m_attention->setObjectName(QStringLiteral("exploreAttentionMap"));
    m_attention->setRowAxisTitle(tr("Query"));
    m_attention->setColumnAxisTitle(tr("Key"));
    m_attention->setColorMap(viz::ColorMap::viridis(0.0, 1.0));
    m_attention->setMinimumHeight(260);
    layout->addWidget(m_attention, 1);
    m_attentionInfo = new QLabel(tab);
    m_attentionInfo->setObjectName(QStringLiteral("attentionInfo"));
    m_attentionInfo->setWordWrap(true);
    layout->addWidget(m_attentionInfo);
    for (QComboBox* combo : {m_attentionLayer, m_head, m_attentionValue})
        connect(combo, &QComboBox::currentIndexChanged, this, &ForwardInternalsView::drawAttention);
    return tab;
}

QWidget* ForwardInternalsView::buildLensTab() {
    auto* tab = new QWidget(this);
    auto* layout = new QVBoxLayout(tab);
    m_lens = new viz::HeatmapWidget(tab);
    m_lens->setObjectName(QStringLiteral("exploreLensMap"));
    m_lens->setTitle(tr("Logit lens: the final prediction's probability at each layer"));
    m_lens->setRowAxisTitle(tr("Residual stream after"));
    m_lens->setColumnAxisTitle(tr("Position (its token)"));
    m_lens->setValueTitle(tr("Probability"));
    m_lens->setColorMap(viz::ColorMap::viridis(0.0, 1.0));
    m_lens->setMinimumHeight(220);
    layout->addWidget(m_lens, 1);
    auto* note = new QLabel(
        tr("Each row reads the residual stream through the final norm and the output head. "
           "Bright cells: the prediction the model finally makes at that position is already "
           "there. Hover a cell for that layer's own top token."),
        tab);
    note->setWordWrap(true);
    layout->addWidget(note);
    return tab;
}

void ForwardInternalsView::clear(const QString& why) {
    m_inspection.reset();
    for (viz::HeatmapWidget* w : {m_routing, m_attention, m_lens}) {
        w->setMatrix(viz::Matrix());
        w->clearCellMarkers();
        w->setEmptyText(why);
    }
    m_topExpert->setTokens({}, {});
    m_topExpert->setEmptyText(why);
    m_attentionInfo->clear();
}

QString ForwardInternalsView::text(int token) const {
    return viz::TokenStrip::visibleText(QString::fromStdString(m_tokenizer.token_text(token)));
}

QString ForwardInternalsView::tokenLabel(int position) const {
    return tr("%1 “%2”").arg(position).arg(text(m_inspection->tokens[position]));
}

void ForwardInternalsView::showInspection(const ForwardInspection& inspection,
                                          const Tokenizer& tokenizer, const ModelConfig& config) {
    m_inspection = inspection;
    m_tokenizer = tokenizer;
    m_config = config;
    QStringList routing, layers, heads;
    for (const RoutingMap& r : inspection.routing) routing << tr("layer %1").arg(r.layer);
    for (const AttentionMap& a : inspection.attention) layers << tr("layer %1").arg(a.layer);
    const int headCount = inspection.attention.empty() ? 0 : inspection.attention.front().heads;
    for (int h = 0; h < headCount; ++h) heads << tr("head %1").arg(h);
    refill(m_routingLayer, routing);
    refill(m_attentionLayer, layers);
    refill(m_head, heads);
    drawRouting();
    drawTopExperts();
    drawAttention();
    drawLens();
}

void ForwardInternalsView::setRoutingLayer(int index) {
    m_routingLayer->setCurrentIndex(index);
}

void ForwardInternalsView::setAttention(int layer, int head, AttentionValue value) {
    const QSignalBlocker b1(m_attentionLayer), b2(m_head);
    m_attentionLayer->setCurrentIndex(layer);
    m_head->setCurrentIndex(head);
    m_attentionValue->setCurrentIndex(static_cast<int>(value));
    drawAttention();
}

void ForwardInternalsView::drawRouting() {
    const int index = m_routingLayer->currentIndex();
    if (!m_inspection || index < 0 || index >= static_cast<int>(m_inspection->routing.size())) {
        m_routing->setMatrix(viz::Matrix());
        m_routing->setEmptyText(m_inspection ? tr("This model has no MoE layer.")
                                             : tr("Nothing inspected yet."));
        return;
    }
    const RoutingMap& r = m_inspection->routing[index];
    const int n = static_cast<int>(m_inspection->tokens.size());
    const bool shared = m_inspection->shared_experts > 0;
    const int cols = r.experts + (shared ? 1 : 0);
    viz::Matrix m(n, cols, 0.0f);
    std::vector<std::uint8_t> marks(static_cast<size_t>(n) * cols, 0);
    QStringList notes;
    for (int t = 0; t < n; ++t) {
        m.rowLabels << tokenLabel(t);
        for (int e = 0; e < r.experts; ++e) {
            m.setValue(t, e, r.gate(t, e));
            for (int k = 0; k < r.top_k; ++k) {
                if (r.pushed_in[size_t(t) * r.top_k + k] == e) marks[size_t(t) * cols + e] = 1;
                if (r.pushed_out[size_t(t) * r.top_k + k] == e) marks[size_t(t) * cols + e] = 2;
            }
            notes << tr("affinity %1, bias %2")
                         .arg(r.score[size_t(t) * r.experts + e], 0, 'f', 3)
                         .arg(r.bias[e], 0, 'f', 3);
        }
        if (shared) {
            m.setValue(t, r.experts, 1.0f);
            marks[size_t(t) * cols + r.experts] = 3;
            notes << QString();
        }
    }
    for (int e = 0; e < r.experts; ++e) m.colLabels << QString::number(e);
    if (shared) m.colLabels << tr("shared");
    m_routing->setColorMap(viz::ColorMap::viridis(0.0, 1.0));
    m_routing->setMatrix(m);
    m_routing->setCellNotes(notes);
    m_routing->setCellMarkers(
        marks,
        {{tr("bias pushed it in"), viz::MarkerShape::Triangle, kBiasMark},
         {tr("bias pushed it out of the top-%1").arg(r.top_k), viz::MarkerShape::Cross, kBiasMark},
         {tr("shared (always on)"), viz::MarkerShape::Circle, Qt::black}});
    m_routing->setTitle(tr("Gate weights of the chosen experts, layer %1 (top-%2 of %3)")
                            .arg(r.layer)
                            .arg(r.top_k)
                            .arg(r.experts));
}

void ForwardInternalsView::drawTopExperts() {
    const int index = m_routingLayer->currentIndex();
    if (!m_inspection || index < 0 || index >= static_cast<int>(m_inspection->routing.size())) {
        m_topExpert->setTokens({}, {});
        return;
    }
    QStringList tokens, tips;
    std::vector<int> top;
    for (size_t t = 0; t < m_inspection->tokens.size(); ++t) {
        tokens << QString::fromStdString(m_tokenizer.token_text(m_inspection->tokens[t]));
        top.push_back(m_inspection->routing[index].top_expert(int(t)));
        QStringList lines;
        for (const RoutingMap& r : m_inspection->routing)
            lines << tr("layer %1: expert %2 (%3)")
                         .arg(r.layer)
                         .arg(r.top_expert(int(t)))
                         .arg(r.gate(int(t), r.top_expert(int(t))), 0, 'f', 2);
        tips << tr("Top-1 expert by layer") + QLatin1Char('\n') + lines.join(QLatin1Char('\n'));
    }
    m_topExpert->setTokens(tokens, top, tips);
    m_topExpert->setTitle(tr("Each token's top-1 expert in layer %1 (hover: every layer)")
                              .arg(m_inspection->routing[index].layer));
    m_topExpert->setLegendTitle(
        tr("Top-1 expert (layer %1)").arg(m_inspection->routing[index].layer));
}

void ForwardInternalsView::drawAttention() {
    const int layer = m_attentionLayer->currentIndex(), head = m_head->currentIndex();
    if (!m_inspection || layer < 0 || head < 0 ||
        layer >= static_cast<int>(m_inspection->attention.size())) {
        m_attention->setMatrix(viz::Matrix());
        return;
    }
    const AttentionMap& a = m_inspection->attention[layer];
    const bool share = m_attentionValue->currentIndex() == int(AttentionValue::ropeShare);
    const int n = a.tokens;
    viz::Matrix m(n, n, kNaN);
    double weighted = 0;  // attention-weighted RoPE share, averaged over queries
    for (int i = 0; i < n; ++i) {
        m.rowLabels << tokenLabel(i);
        m.colLabels << tokenLabel(i);
        for (int j = 0; j <= i; ++j) {
            m.setValue(i, j, share ? a.share(head, i, j) : a.prob(head, i, j));
            weighted += double(a.prob(head, i, j)) * a.share(head, i, j) / n;
        }
    }
    m_attention->setMatrix(m);
    m_attention->setValueTitle(share ? tr("RoPE share") : tr("Attention weight"));
    m_attention->setTitle(
        share
            ? tr("Share of each score from the RoPE part, layer %1, head %2").arg(a.layer).arg(head)
            : tr("Attention weights, layer %1, head %2").arg(a.layer).arg(head));
    const auto floats = [this](KvScheme s) { return kv_elements_per_token_per_layer(m_config, s); };
    const KvScheme own = kv_scheme_of(m_config);
    QString info = tr("What this head attends to comes %1% from position (RoPE) and %2% from "
                      "content, weighted by attention.")
                       .arg(100.0 * weighted, 0, 'f', 1)
                       .arg(100.0 * (1.0 - weighted), 0, 'f', 1);
    if (own == KvScheme::mla)
        info += QLatin1Char(' ') +
                tr("The cache keeps c_KV (%1) and the shared k_rope (%2): %3 floats per token "
                   "per layer; MHA would keep %4, %5× more.")
                    .arg(m_config.kv_lora_rank)
                    .arg(m_config.qk_rope_head_dim)
                    .arg(floats(KvScheme::mla))
                    .arg(floats(KvScheme::mha))
                    .arg(double(floats(KvScheme::mha)) / floats(KvScheme::mla), 0, 'f', 1);
    m_attentionInfo->setText(info);
}

void ForwardInternalsView::drawLens() {
    if (!m_inspection) return;
    const ForwardInspection& in = *m_inspection;
    const int n = static_cast<int>(in.tokens.size());
    viz::Matrix m(in.boundaries, n, 0.0f);
    QStringList notes;
    for (int b = 0; b < in.boundaries; ++b) {
        m.rowLabels << (b == 0 ? tr("embeddings") : tr("block %1").arg(b - 1));
        for (int t = 0; t < n; ++t) {
            const LensCell& c = in.lens_at(b, t);
            m.setValue(b, t, c.final_token_prob);
            notes << tr("top token here: “%1” (%2%); final: “%3”")
                         .arg(text(c.token))
                         .arg(100.0 * c.prob, 0, 'f', 1)
                         .arg(text(in.lens_at(in.boundaries - 1, t).token));
        }
    }
    for (int t = 0; t < n; ++t) m.colLabels << tokenLabel(t);
    m_lens->setMatrix(m);
    m_lens->setCellNotes(notes);
}

QList<viz::Exportable*> ForwardInternalsView::exportables() const {
    if (!m_inspection) return {};
    QList<viz::Exportable*> out;
    if (!m_inspection->routing.empty()) out << m_figures[0] << m_figures[1];
    out << m_figures[2] << m_figures[3];
    return out;
}

}  // namespace tinyseek::gui
