#include "gui/pages/model_view_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "gui/figures/figure_export.h"

namespace tinyseek::gui {

namespace {

// FLOPs per token are quoted at model-info's default sequence length (128, or the context
// when shorter), so both print the same.
int flopsTokens(const ModelConfig& c) {
    return std::min(128, c.max_position_embeddings);
}

QString grouped(int64_t n) {
    return QLocale(QLocale::English).toString(qlonglong(n));
}

QString shapeText(const std::vector<int64_t>& shape) {
    QStringList dims;
    for (int64_t d : shape) dims << QString::number(d);
    return QLatin1Char('(') + dims.join(QStringLiteral(", ")) + QLatin1Char(')');
}

// Colour of a box by what it computes.
int colorOf(ModelPart::Kind kind) {
    switch (kind) {
        case ModelPart::Kind::attention:
            return 0;
        case ModelPart::Kind::dense_mlp:
            return 2;
        case ModelPart::Kind::moe:
            return 1;
        case ModelPart::Kind::mtp:
            return 3;
        default:
            return 7;
    }
}

bool sameBlock(const ModelPart& a1, const ModelPart& f1, const ModelPart& a2, const ModelPart& f2) {
    return a1.params == a2.params && f1.kind == f2.kind && f1.params == f2.params;
}

}  // namespace

ModelViewPanel::ModelViewPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Architecture of:"), this));
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("modelSourceCombo"));
    m_source->addItems(
        {tr("this checkpoint"), tr("DeepSeek-V2 (counts only)"), tr("DeepSeek-V3 (counts only)")});
    row->addWidget(m_source);
    row->addStretch(1);
    layout->addLayout(row);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_diagram = new viz::ModelDiagram(splitter);
    m_diagram->setObjectName(QStringLiteral("modelDiagram"));
    auto* side = new QWidget(splitter);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    m_partInfo = new QLabel(tr("Click a box to list its tensors."), side);
    m_partInfo->setObjectName(QStringLiteral("modelPartInfo"));
    m_partInfo->setWordWrap(true);
    m_tensors = new QTableWidget(0, 4, side);
    m_tensors->setObjectName(QStringLiteral("modelTensorTable"));
    m_tensors->setHorizontalHeaderLabels(
        {tr("Tensor"), tr("Shape"), tr("Parameters"), tr("Bytes (bf16)")});
    m_tensors->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tensors->verticalHeader()->setVisible(false);
    m_tensors->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_tensors->setEditTriggers(QAbstractItemView::NoEditTriggers);
    sideLayout->addWidget(m_partInfo);
    sideLayout->addWidget(m_tensors, 1);
    splitter->addWidget(m_diagram);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({420, 280});
    layout->addWidget(splitter, 1);
    connect(m_source, &QComboBox::currentIndexChanged, this, &ModelViewPanel::showSource);
    connect(m_diagram, &viz::ModelDiagram::boxClicked, this,
            [this](int r, int b) { selectBox(QPoint(r, b)); });
    FigureExport::install(m_diagram, m_diagram, [this] { return exportables(); });
    m_figure = new NamedFigure(QStringLiteral("explore-model"), m_diagram);
    m_diagram->setEmptyText(tr("No model yet."));
}

ModelViewPanel::~ModelViewPanel() {
    delete m_figure;
}

void ModelViewPanel::setCheckpointConfig(const ModelConfig& config) {
    m_checkpoint = config;
    if (m_source->currentIndex() == 0) showSource(0);
}

void ModelViewPanel::showSource(int index) {
    if (index < 0 || index >= m_source->count()) return;
    if (m_source->currentIndex() != index) return m_source->setCurrentIndex(index);
    if (index == 0 && !m_checkpoint) return;
    m_shown = index == 1   ? ModelConfig::preset("deepseek-v2")
              : index == 2 ? ModelConfig::preset("deepseek-v3")
                           : *m_checkpoint;
    rebuild();
}

QList<viz::Exportable*> ModelViewPanel::exportables() const {
    if (m_diagram->rows().isEmpty()) return {};
    return {m_figure};
}

QString ModelViewPanel::boxTitle(const ModelPart& part) const {
    const ModelConfig& c = m_shown;
    switch (part.kind) {
        case ModelPart::Kind::embedding:
            return tr("Token embedding");
        case ModelPart::Kind::attention:
            return c.attention == AttentionKind::mla   ? tr("MLA attention")
                   : c.attention == AttentionKind::gqa ? tr("GQA attention")
                                                       : tr("MHA attention");
        case ModelPart::Kind::dense_mlp:
            return tr("Dense SwiGLU MLP");
        case ModelPart::Kind::moe:
            return tr("MoE: %1 shared + %2 routed, top-%3")
                .arg(c.n_shared_experts)
                .arg(c.n_routed_experts)
                .arg(c.num_experts_per_tok);
        case ModelPart::Kind::final_norm:
            return tr("Final RMSNorm");
        case ModelPart::Kind::head:
            return tr("Output head (lm_head)");
        case ModelPart::Kind::mtp:
            return tr("MTP module (depth %1)").arg(c.num_nextn_predict_layers);
    }
    return QString();
}

// One row per run of identical consecutive blocks, starting at parts[i] (an attention part);
// i moves past them.
void ModelViewPanel::addBlockRows(QList<viz::DiagramRow>& rows, size_t& i) {
    const auto& parts = m_structure.parts;
    const size_t first = i;
    size_t end = i + 2;
    while (end + 1 < parts.size() && parts[end].kind == ModelPart::Kind::attention &&
           sameBlock(parts[first], parts[first + 1], parts[end], parts[end + 1]))
        end += 2;
    const int count = static_cast<int>((end - first) / 2);
    const int l0 = parts[first].layer, l1 = parts[end - 2].layer;
    viz::DiagramRow row;
    row.label =
        count == 1 ? tr("Block %1").arg(l0) : tr("Blocks %1–%2 (×%3)").arg(l0).arg(l1).arg(count);
    const QString each = count > 1 ? tr(" each") : QString();
    const ModelPart& attn = parts[first];
    const ModelPart& ffn = parts[first + 1];
    row.boxes << viz::DiagramBox{
        boxTitle(attn),
        {tr("%1 parameters%2").arg(grouped(attn.params), each),
         tr("KV cache %1 B per token%2 (bf16)").arg(grouped(attn.kv_bytes_per_token), each)},
        colorOf(attn.kind)};
    QStringList ffnLines = {tr("%1 parameters%2").arg(grouped(ffn.params), each)};
    if (ffn.kind == ModelPart::Kind::moe)
        ffnLines << tr("%1 active per token").arg(grouped(ffn.active_params));
    row.boxes << viz::DiagramBox{boxTitle(ffn), ffnLines, colorOf(ffn.kind)};
    rows << row;
    m_boxParts.push_back({{int(first), count}, {int(first + 1), count}});
    i = end;
}

void ModelViewPanel::rebuild() {
    m_structure = model_structure(m_shown, flopsTokens(m_shown));
    m_boxParts.clear();
    QList<viz::DiagramRow> rows;
    const auto& parts = m_structure.parts;
    const auto single = [&](const QString& label, std::vector<size_t> indices) {
        viz::DiagramRow row;
        row.label = label;
        std::vector<BoxParts> boxes;
        for (size_t p : indices) {
            QStringList lines = {tr("%1 parameters").arg(grouped(parts[p].params))};
            if (parts[p].kind == ModelPart::Kind::mtp)
                lines << tr("shares embedding and head; KV %1 B per token when drafting")
                             .arg(grouped(parts[p].kv_bytes_per_token));
            row.boxes << viz::DiagramBox{boxTitle(parts[p]), lines, colorOf(parts[p].kind)};
            boxes.push_back({int(p), 1});
        }
        rows << row;
        m_boxParts.push_back(boxes);
    };
    size_t i = 0;
    single(tr("Input"), {i++});
    while (i < parts.size() && parts[i].kind == ModelPart::Kind::attention) addBlockRows(rows, i);
    single(tr("Output"), {i, i + 1});
    i += 2;
    if (i < parts.size()) single(tr("MTP"), {i});
    m_diagram->setRows(rows);
    m_diagram->setTitle(tr("Architecture of “%1”").arg(QString::fromStdString(m_shown.name)));
    m_diagram->setSummary(
        {tr("%1 parameters (%2 without MTP), %3 active per token")
             .arg(grouped(m_structure.total_params), grouped(m_structure.main_params),
                  grouped(m_structure.active_per_token)),
         tr("%1 MFLOP per token forward at %2 tokens (MTP included); KV cache %3 B per token "
            "(%4, bf16)")
             .arg(m_structure.forward_flops_per_token / 1e6, 0, 'f', 2)
             .arg(m_structure.seq_len)
             .arg(grouped(m_structure.kv_bytes_per_token))
             .arg(QString::fromLatin1(to_string(m_structure.scheme)).toUpper())});
    selectBox(QPoint(1, 0));
}

void ModelViewPanel::selectBox(QPoint cell) {
    if (cell.x() < 0 || cell.x() >= int(m_boxParts.size()) || cell.y() < 0 ||
        cell.y() >= int(m_boxParts[cell.x()].size()))
        return;
    m_diagram->setSelected(cell);
    const BoxParts box = m_boxParts[cell.x()][cell.y()];
    const ModelPart& part = m_structure.parts[box.part];
    QString info = tr("%1, %2: %3 parameters, %4 active per token")
                       .arg(boxTitle(part), m_diagram->rows()[cell.x()].label, grouped(part.params),
                            grouped(part.active_params));
    if (part.kv_bytes_per_token > 0)
        info += tr("; KV cache %1 B per token (bf16)").arg(grouped(part.kv_bytes_per_token));
    if (box.count > 1)
        info += QStringLiteral(". ") +
                tr("The tensors of block %1 are listed; the other %n block(s) have the same.",
                   nullptr, box.count - 1)
                    .arg(part.layer);
    m_partInfo->setText(info);
    m_tensors->setRowCount(static_cast<int>(part.tensors.size()));
    for (int r = 0; r < m_tensors->rowCount(); ++r) {
        const TensorInfo& t = part.tensors[r];
        const QStringList cells = {QString::fromStdString(t.name), shapeText(t.shape),
                                   grouped(t.numel), grouped(2 * t.numel)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c >= 2) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_tensors->setItem(r, c, item);
        }
    }
    m_tensors->resizeColumnsToContents();
}

}  // namespace tinyseek::gui
