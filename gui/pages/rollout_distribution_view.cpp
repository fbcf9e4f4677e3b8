#include "gui/pages/rollout_distribution_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

#include "gui/live/run_reader.h"
#include "viz/heatmap_widget.h"
#include "viz/step_histogram.h"

namespace tinyseek::gui {

RolloutDistributionView::RolloutDistributionView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* controls = new QHBoxLayout;
    auto* quantityLabel = new QLabel(tr("Distribution of"), this);
    m_quantity = new QComboBox(this);
    m_quantity->setObjectName(QStringLiteral("distributionQuantity"));
    m_quantity->addItem(tr("Total reward"), int(Quantity::reward));
    m_quantity->addItem(tr("Advantage"), int(Quantity::advantage));
    m_quantity->addItem(tr("Completion length"), int(Quantity::length));
    quantityLabel->setBuddy(m_quantity);
    auto* sourceLabel = new QLabel(tr("of"), this);
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("distributionSource"));
    m_source->addItem(tr("Training rollouts"), int(RolloutSource::train));
    m_source->addItem(tr("Held-out samples"), int(RolloutSource::eval));
    sourceLabel->setBuddy(m_source);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("distributionNote"));
    controls->addWidget(quantityLabel);
    controls->addWidget(m_quantity);
    controls->addWidget(sourceLabel);
    controls->addWidget(m_source);
    controls->addSpacing(16);
    controls->addWidget(m_note, 1);
    layout->addLayout(controls);

    m_heatmap = new viz::HeatmapWidget(this);
    m_heatmap->setObjectName(QStringLiteral("distributionHeatmap"));
    m_heatmap->setColumnAxisTitle(tr("Step"));
    m_heatmap->setValueTitle(tr("Share of the step's completions"));
    m_heatmap->setColorMap(viz::ColorMap::viridis(0.0, 1.0));
    m_heatmap->setAutoRange(false);
    layout->addWidget(m_heatmap, 1);
    clear();

    connect(m_quantity, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
    connect(m_source, &QComboBox::currentIndexChanged, this, [this] { read(); });
}

void RolloutDistributionView::setReader(RunReader* reader) {
    m_reader = reader;
}

void RolloutDistributionView::setRun(const QString& dbPath, std::int64_t runId) {
    m_dbPath = dbPath;
    m_runId = runId;
    m_columns = {};
    read();
}

void RolloutDistributionView::clear() {
    m_dbPath.clear();
    m_runId = 0;
    m_ticket = 0;
    m_columns = {};
    redraw();
}

void RolloutDistributionView::refresh() {
    if (!m_dbPath.isEmpty() && !isReading()) read();
}

void RolloutDistributionView::setQuantity(Quantity quantity) {
    m_quantity->setCurrentIndex(m_quantity->findData(int(quantity)));
}

void RolloutDistributionView::setSource(RolloutSource source) {
    m_source->setCurrentIndex(m_source->findData(int(source)));
}

QString RolloutDistributionView::noteText() const {
    return m_note->text();
}

void RolloutDistributionView::read() {
    if (!m_reader || m_dbPath.isEmpty()) return;
    const std::int64_t runId = m_runId;
    const auto source = static_cast<RolloutSource>(m_source->currentData().toInt());
    m_ticket = m_reader->read<RolloutColumns>(
        m_dbPath, this,
        [runId, source](const RunStore& store) { return store.rollout_columns(runId, source); },
        [this](ReadResult<RolloutColumns> read) {
            if (read.ticket != m_ticket) return;
            m_ticket = 0;
            m_columns = std::move(read.value);
            m_heatmap->setErrorText(read.ok() ? QString()
                                              : tr("Cannot read the rollouts: %1").arg(read.error));
            redraw();
        });
}

void RolloutDistributionView::redraw() {
    const auto quantity = static_cast<Quantity>(m_quantity->currentData().toInt());
    const std::vector<double>& values = quantity == Quantity::reward      ? m_columns.reward
                                        : quantity == Quantity::advantage ? m_columns.advantage
                                                                          : m_columns.length;
    const viz::StepHistogram h = viz::stepHistogram(m_columns.step, values, kBins);
    m_heatmap->setTitle(
        tr("%1 of %2, by step").arg(m_quantity->currentText(), m_source->currentText().toLower()));
    m_heatmap->setRowAxisTitle(m_quantity->currentText());
    m_heatmap->setMatrix(h.shares);
    if (m_dbPath.isEmpty())
        m_heatmap->setEmptyText(tr("Open a run to see how its rollouts are distributed."));
    else
        m_heatmap->setEmptyText(tr("Run %1 has stored no such completions yet.").arg(m_runId));
    if (h.counts.empty()) {
        m_note->clear();
        return;
    }
    const auto [lo, hi] = std::minmax_element(h.counts.begin(), h.counts.end());
    m_note->setText(
        *lo == *hi ? tr("%1 steps, %2 completions each").arg(h.counts.size()).arg(*lo)
                   : tr("%1 steps, %2–%3 completions each").arg(h.counts.size()).arg(*lo).arg(*hi));
}

}  // namespace tinyseek::gui
