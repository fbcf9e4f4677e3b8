#include "gui/pages/routing_page.h"
#include "gui/pages/page_registry.h"

#include <QChart>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "gui/figures/figure_export.h"
#include "gui/live/run_reader.h"
#include "gui/pages/token_routing_view.h"
#include "training/run_store.h"
#include "viz/curve_chart.h"
#include "viz/heatmap_widget.h"
#include "viz/token_strip.h"

namespace tinyseek::gui {

RoutingPage::RoutingPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("Which experts the router picks (load per layer and expert, over time, and per token) "
           "will appear here once a run is started or opened."));
    buildUi();
    m_content->hide();
}

RoutingPage::~RoutingPage() {
    qDeleteAll(m_figures);
}

void RoutingPage::buildUi() {
    m_content = new QWidget(this);
    auto* outer = new QVBoxLayout(m_content);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(buildControls());

    m_info = new QLabel(m_content);
    m_info->setObjectName(QStringLiteral("routingInfo"));
    m_info->setWordWrap(true);
    outer->addWidget(m_info);

    auto* scroll = new QScrollArea(m_content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* grid = new QWidget(scroll);
    m_grid = new QGridLayout(grid);
    m_grid->setContentsMargins(0, 0, 0, 0);
    scroll->setWidget(grid);
    outer->addWidget(scroll, 1);

    buildHeatmaps(grid);
    buildCurveCharts(grid);
    buildTokenView(grid);
    nameFigures();
    contentLayout()->addWidget(m_content, 1);
    relayout();
    connectControls();
}

QHBoxLayout* RoutingPage::buildControls() {
    auto* controls = new QHBoxLayout;
    auto* stepTitle = new QLabel(tr("Step:"), m_content);
    m_stepSlider = new QSlider(Qt::Horizontal, m_content);
    m_stepSlider->setObjectName(QStringLiteral("stepSlider"));
    m_stepSlider->setToolTip(tr("Scrub through the stored steps"));
    stepTitle->setBuddy(m_stepSlider);
    m_stepLabel = new QLabel(m_content);
    m_stepLabel->setObjectName(QStringLiteral("stepLabel"));
    m_stepLabel->setMinimumWidth(150);
    auto* layerTitle = new QLabel(tr("Layer:"), m_content);
    m_layerCombo = new QComboBox(m_content);
    m_layerCombo->setObjectName(QStringLiteral("layerCombo"));
    m_layerCombo->setToolTip(tr("Layer shown over time, in the bias chart and in the token view"));
    layerTitle->setBuddy(m_layerCombo);
    auto* compareTitle = new QLabel(tr("Compare with:"), m_content);
    m_compareCombo = new QComboBox(m_content);
    m_compareCombo->setObjectName(QStringLiteral("compareCombo"));
    m_compareCombo->setToolTip(
        tr("Show another run of this database side by side, on the same colour scale"));
    compareTitle->setBuddy(m_compareCombo);
    m_exportButton = new QPushButton(tr("Export Charts…"), m_content);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setToolTip(tr("Write every chart of this page as PNG, SVG, PDF and CSV"));
    controls->addWidget(stepTitle);
    controls->addWidget(m_stepSlider, 3);
    controls->addWidget(m_stepLabel);
    controls->addSpacing(12);
    controls->addWidget(layerTitle);
    controls->addWidget(m_layerCombo);
    controls->addSpacing(12);
    controls->addWidget(compareTitle);
    controls->addWidget(m_compareCombo, 1);
    controls->addWidget(m_exportButton);
    return controls;
}

void RoutingPage::buildHeatmaps(QWidget* grid) {
    const auto figures = [this] { return exportables(); };
    for (int side = 0; side < 2; ++side) {
        auto* now = new viz::HeatmapWidget(grid);
        now->setObjectName(QStringLiteral("loadHeatmap%1").arg(side));
        now->setRowAxisTitle(tr("Layer"));
        now->setColumnAxisTitle(tr("Expert"));
        now->setValueTitle(tr("Load ÷ balanced load"));
        now->setAutoRange(false);
        now->setMinimumHeight(180);
        FigureExport::install(now, now, figures);
        m_loadNow[side] = now;

        auto* overTime = new viz::HeatmapWidget(grid);
        overTime->setObjectName(QStringLiteral("loadOverTimeHeatmap%1").arg(side));
        overTime->setRowAxisTitle(tr("Expert"));
        overTime->setColumnAxisTitle(tr("Step"));
        overTime->setValueTitle(tr("Load ÷ balanced load"));
        overTime->setAutoRange(false);
        overTime->setMinimumHeight(180);
        FigureExport::install(overTime, overTime, figures);
        m_loadOverTime[side] = overTime;
    }
}

void RoutingPage::buildCurveCharts(QWidget* grid) {
    const auto figures = [this] { return exportables(); };
    m_maxVioChart = new viz::CurveChart(grid);
    m_maxVioChart->setObjectName(QStringLiteral("maxVioChart"));
    m_maxVioChart->setTitle(tr("MaxVio per layer (0 = perfectly balanced)"));
    m_maxVioChart->setYAxisTitle(tr("MaxVio"));
    m_maxVioChart->setSmoothing(0.0);
    m_maxVioChart->setCsvColumns({QStringLiteral("run"), QStringLiteral("layer")},
                                 QStringLiteral("max_vio"));
    m_maxVioChart->setMinimumHeight(240);
    FigureExport::install(m_maxVioChart, m_maxVioChart, figures);

    m_biasChart = new viz::CurveChart(grid);
    m_biasChart->setObjectName(QStringLiteral("biasChart"));
    m_biasChart->setYAxisTitle(tr("Router bias b_i"));
    m_biasChart->setSmoothing(0.0);
    m_biasChart->setCsvColumns(
        {QStringLiteral("run"), QStringLiteral("layer"), QStringLiteral("expert")},
        QStringLiteral("bias"));
    m_biasChart->setMinimumHeight(240);
    // Eight experts: a legend column on the right keeps every name readable.
    m_biasChart->chart()->legend()->setAlignment(Qt::AlignRight);
    FigureExport::install(m_biasChart, m_biasChart, figures);
}

void RoutingPage::buildTokenView(QWidget* grid) {
    m_tokenView = new TokenRoutingView(grid);
    m_tokenView->setObjectName(QStringLiteral("tokenView"));
    m_tokenView->setMinimumHeight(150);
    FigureExport::install(m_tokenView->strip(), m_tokenView->strip(),
                          [this] { return exportables(); });
}

void RoutingPage::nameFigures() {
    m_figures = {
        new NamedFigure(QStringLiteral("routing-load-by-layer"), m_loadNow[0]),
        new NamedFigure(QStringLiteral("routing-load-over-time"), m_loadOverTime[0]),
        new NamedFigure(QStringLiteral("routing-max-vio"), m_maxVioChart),
        new NamedFigure(QStringLiteral("routing-router-bias"), m_biasChart),
        new NamedFigure(QStringLiteral("routing-token-experts"), m_tokenView->strip()),
        new NamedFigure(QStringLiteral("routing-load-by-layer-compare"), m_loadNow[1]),
        new NamedFigure(QStringLiteral("routing-load-over-time-compare"), m_loadOverTime[1])};
}

void RoutingPage::connectControls() {
    connect(m_stepSlider, &QSlider::valueChanged, this, [this] {
        refreshLoadNow(0);
        refreshLoadNow(1);
        if (!m_stepSlider->isSliderDown()) m_tokenView->setStep(currentStep());
    });
    connect(m_stepSlider, &QSlider::sliderReleased, this,
            [this] { m_tokenView->setStep(currentStep()); });
    connect(m_layerCombo, &QComboBox::activated, this, [this] {
        setLayer(m_layerCombo->currentData().toInt());
        m_preferredLayer = currentLayer();
        emit layerChosen(currentLayer());
    });
    connect(m_compareCombo, &QComboBox::activated, this,
            [this] { setCompareRun(m_compareCombo->currentData().toLongLong()); });
    connect(m_exportButton, &QPushButton::clicked, this,
            [this] { FigureExport::exportAll(this, exportables()); });
}

void RoutingPage::relayout() {
    while (m_grid->count() > 0) delete m_grid->takeAt(0);
    const bool comparing = m_compare.runId != 0;
    m_loadNow[1]->setVisible(comparing);
    m_loadOverTime[1]->setVisible(comparing);
    for (int r = 0; r < 4; ++r) m_grid->setRowStretch(r, 0);
    if (!comparing) {
        m_grid->addWidget(m_loadNow[0], 0, 0);
        m_grid->addWidget(m_loadOverTime[0], 0, 1);
        m_grid->addWidget(m_maxVioChart, 1, 0);
        m_grid->addWidget(m_biasChart, 1, 1);
        m_grid->addWidget(m_tokenView, 2, 0, 1, 2);
        m_grid->setRowStretch(0, 3);
        m_grid->setRowStretch(1, 3);
        m_grid->setRowStretch(2, 2);
    } else {
        m_grid->addWidget(m_loadNow[0], 0, 0);
        m_grid->addWidget(m_loadNow[1], 0, 1);
        m_grid->addWidget(m_loadOverTime[0], 1, 0);
        m_grid->addWidget(m_loadOverTime[1], 1, 1);
        m_grid->addWidget(m_maxVioChart, 2, 0);
        m_grid->addWidget(m_biasChart, 2, 1);
        m_grid->addWidget(m_tokenView, 3, 0, 1, 2);
        for (int r = 0; r < 3; ++r) m_grid->setRowStretch(r, 3);
        m_grid->setRowStretch(3, 2);
    }
    m_grid->setColumnStretch(0, 1);
    m_grid->setColumnStretch(1, 1);
}

void RoutingPage::setReader(RunReader* reader) {
    Page::setReader(reader);
    m_tokenView->setReader(reader);
}

void RoutingPage::setRun(const QString& dbPath, qint64 runId) {
    clearRun();
    m_dbPath = dbPath;
    setEmptyStateVisible(false);
    m_content->show();
    if (!reader()) return;
    // Held while it is read, so its live steps are kept for it (appendSteps).
    m_main.runId = runId;
    m_mainTicket = reader()->read<MainRead>(
        dbPath, this, [runId](const RunStore& store) { return readMainRun(store, runId); },
        [this, runId](ReadResult<MainRead> read) {
            if (read.ticket != m_mainTicket) return;  // another run was set since
            m_mainTicket = 0;
            if (read.ok()) {
                showMainRun(std::move(read.value));
                return;
            }
            m_main = RoutingHistory();
            m_liveWhileReading.clear();
            showError(tr("Cannot show run %1: %2").arg(runId).arg(read.error));
        });
}

RoutingPage::MainRead RoutingPage::readMainRun(const RunStore& store, qint64 runId) {
    MainRead read;
    read.history = RoutingHistory::load(store, runId);
    try {
        read.runs = store.list_runs();
    } catch (const std::exception&) {
        // The list stays with "(no comparison)"; the main run is still shown.
    }
    return read;
}

void RoutingPage::showMainRun(MainRead read) {
    m_main = std::move(read.history);
    // Steps the read already saw are ignored by append().
    for (const StepReport& r : std::exchange(m_liveWhileReading, {})) m_main.append(r);
    m_tokenView->setSource(m_dbPath, m_main.runId);
    fillCompareCombo(read.runs);
    fillLayerCombo();
    updateScrubber(true);
    refreshFigures();
    m_tokenView->setStep(currentStep());
}

void RoutingPage::clearRun() {
    m_tokenView->setSource(QString(), 0);
    m_mainTicket = 0;
    m_compareTicket = 0;
    m_liveWhileReading.clear();
    m_main = RoutingHistory();
    m_compare = RoutingHistory();
    m_dbPath.clear();
    m_info->clear();
    m_compareCombo->clear();
    m_layerCombo->clear();
    relayout();
    refreshFigures();
    m_content->hide();
    setEmptyStateVisible(true);
}

void RoutingPage::showError(const QString& text) {
    m_info->setText(text);
    m_info->setStyleSheet(QStringLiteral("color: #c0392b;"));
    for (viz::HeatmapWidget* h : {m_loadNow[0], m_loadOverTime[0]}) h->setErrorText(text);
}

void RoutingPage::appendSteps(const QList<StepReport>& reports) {
    if (m_main.runId == 0) return;
    if (m_mainTicket != 0) {
        for (const StepReport& r : reports)
            if (r.run_id == m_main.runId) m_liveWhileReading.append(r);
        return;
    }
    const bool wasEmpty = m_main.isEmpty();
    const bool atEnd = m_stepSlider->value() >= m_stepSlider->maximum();
    bool added = false;
    bool rollouts = false;
    for (const StepReport& r : reports) {
        if (r.run_id != m_main.runId) continue;
        const int before = m_main.stepCount();
        m_main.append(r);
        added = added || m_main.stepCount() > before;
        rollouts = rollouts || !r.rollouts.empty();
    }
    if (!added) return;
    if (wasEmpty) fillLayerCombo();
    // Following the newest step moves the heatmaps only; the token view keeps its rollout
    // until the user scrubs (a trace per live update would never settle), except that the
    // first stored rollouts fill an empty view.
    {
        const QSignalBlocker block(m_stepSlider);
        updateScrubber(atEnd || wasEmpty);
    }
    refreshFigures();
    if (rollouts && m_tokenView->rolloutStep() < 0 && !m_tokenView->isTracing() &&
        !m_tokenView->isListing())
        m_tokenView->setStep(currentStep());
}

void RoutingPage::refreshTokenView() {
    if (m_mainTicket == 0 && !m_main.isEmpty()) m_tokenView->setStep(currentStep());
}

void RoutingPage::setCompareRun(qint64 runId) {
    m_compare = RoutingHistory();
    m_compareTicket = 0;
    if (runId != 0 && m_main.runId != 0 && reader()) {
        m_compare.runId = runId;  // its side is laid out now and filled when read
        m_compareTicket = reader()->read<RoutingHistory>(
            m_dbPath, this,
            [runId](const RunStore& store) { return RoutingHistory::load(store, runId); },
            [this, runId](ReadResult<RoutingHistory> read) {
                if (read.ticket != m_compareTicket) return;  // another comparison since
                m_compareTicket = 0;
                showCompareRun(runId, std::move(read.value), read.error);
            });
    }
    const int index = m_compareCombo->findData(qint64(m_compare.runId));
    if (index >= 0) m_compareCombo->setCurrentIndex(index);
    relayout();
    refreshFigures();
}

void RoutingPage::showCompareRun(qint64 runId, RoutingHistory history, const QString& error) {
    m_compare = std::move(history);
    if (!error.isEmpty()) {
        m_info->setText(tr("Cannot compare with run %1: %2").arg(runId).arg(error));
        m_compare = RoutingHistory();
    }
    const int index = m_compareCombo->findData(qint64(m_compare.runId));
    if (index >= 0) m_compareCombo->setCurrentIndex(index);
    relayout();
    refreshFigures();
}

void RoutingPage::fillCompareCombo(const std::vector<RunInfo>& runs) {
    m_compareCombo->clear();
    m_compareCombo->addItem(tr("(no comparison)"), qint64(0));
    for (const RunInfo& run : runs) {
        if (run.id == m_main.runId) continue;
        m_compareCombo->addItem(tr("%1 (run %2)").arg(QString::fromStdString(run.name)).arg(run.id),
                                qint64(run.id));
    }
    // A comparison chosen while the main run was read.
    const int index = m_compareCombo->findData(qint64(m_compare.runId));
    if (index >= 0) m_compareCombo->setCurrentIndex(index);
}

QVariantMap RoutingPage::viewState() const {
    return {{QStringLiteral("layer"), m_preferredLayer >= 0 ? m_preferredLayer : currentLayer()}};
}

void RoutingPage::restoreViewState(const QVariantMap& view) {
    if (!view.contains(QStringLiteral("layer"))) return;
    m_preferredLayer = view.value(QStringLiteral("layer")).toInt();
    if (m_layerCombo->findData(m_preferredLayer) >= 0) setLayer(m_preferredLayer);
}

void RoutingPage::fillLayerCombo() {
    const int previous = m_preferredLayer >= 0 ? m_preferredLayer : currentLayer();
    m_layerCombo->clear();
    for (int row = 0; row < m_main.layerCount(); ++row)
        m_layerCombo->addItem(m_main.layerName(row), m_main.layerAt(row));
    const int index = m_layerCombo->findData(previous);
    m_layerCombo->setCurrentIndex(index >= 0 ? index : 0);
    m_tokenView->setLayer(currentLayer());
}

void RoutingPage::updateScrubber(bool keepAtEnd) {
    const int n = m_main.stepCount();
    m_stepSlider->setEnabled(n > 1);
    m_stepSlider->setRange(0, std::max(0, n - 1));
    if (keepAtEnd) m_stepSlider->setValue(std::max(0, n - 1));
    refreshLoadNow(0);
    refreshLoadNow(1);
}

void RoutingPage::setStep(std::int64_t step) {
    if (m_main.isEmpty()) return;
    m_stepSlider->setValue(m_main.indexAtOrBefore(step));
}

std::int64_t RoutingPage::currentStep() const {
    if (m_main.isEmpty()) return 0;
    return m_main.stepAt(std::clamp(m_stepSlider->value(), 0, m_main.stepCount() - 1));
}

void RoutingPage::setLayer(int layer) {
    const int index = m_layerCombo->findData(layer);
    if (index < 0) return;
    m_layerCombo->setCurrentIndex(index);
    refreshLoadOverTime(0);
    refreshLoadOverTime(1);
    refreshCurves();
    m_tokenView->setLayer(layer);
}

int RoutingPage::currentLayer() const {
    return m_layerCombo->count() > 0 ? m_layerCombo->currentData().toInt() : -1;
}

QString RoutingPage::runLabel(const RoutingHistory& h) const {
    QString mode;
    if (h.balanceMode == QLatin1String("aux_free"))
        mode = tr("aux-loss-free");
    else if (h.balanceMode == QLatin1String("aux_free_seq"))
        mode = tr("aux-loss-free + sequence loss");
    else if (h.balanceMode == QLatin1String("aux_loss"))
        mode = tr("aux loss");
    else if (h.balanceMode == QLatin1String("none"))
        mode = tr("no balancing");
    else
        mode = tr("balancing unknown");
    const QString name = h.runName.isEmpty() ? tr("Run %1").arg(h.runId) : h.runName;
    // Titles must fit above a heatmap: a name that already says the mode is enough.
    if (name.contains(mode, Qt::CaseInsensitive)) return name;
    return tr("%1 (%2)").arg(name, mode);
}

QString RoutingPage::formatVio(double vio) {
    return std::isfinite(vio) ? QString::number(vio, 'f', 2) : tr("n/a");
}

double RoutingPage::colorScaleMax() const {
    // Fixed scale 0 .. E/K (the most an expert can get under top-K routing), shared by both
    // runs so equal colours mean equal load. Without K, the data decides (at least 2).
    double top = std::max(m_main.maxRelativeLoad(), m_compare.maxRelativeLoad());
    if (top > 1.0) return top;
    top = 2.0;
    for (const RoutingHistory* h : {&m_main, &m_compare})
        for (int i = 0; i < h->stepCount(); ++i)
            top = std::max(top, static_cast<double>(h->relativeLoadAt(i).finiteRange().second));
    return top;
}

void RoutingPage::refreshFigures() {
    refreshLoadNow(0);
    refreshLoadNow(1);
    refreshLoadOverTime(0);
    refreshLoadOverTime(1);
    refreshCurves();
    if (m_main.runId != 0 && m_main.isEmpty()) {
        m_info->setStyleSheet(QString());
        m_info->setText(tr("%1 has stored no expert statistics yet (a dense model, or no step "
                           "finished).")
                            .arg(runLabel(m_main)));
    } else if (!m_main.isEmpty()) {
        m_info->setStyleSheet(QString());
        m_info->setText(
            tr("Colour = each expert's share of the routed tokens ÷ the balanced share 1/%1: "
               "white is balanced, red overloaded, blue starved, grey not recorded at that "
               "step. %2 marks dead experts (< %3 of balanced), %4 overloaded ones (> %5×).")
                .arg(m_main.experts())
                .arg(QStringLiteral("✕"))
                .arg(QStringLiteral("%1%").arg(kDeadBelow * 100))
                .arg(QStringLiteral("▲"))
                .arg(kOverloaded));
    }
}

void RoutingPage::refreshLoadNow(int side) {
    viz::HeatmapWidget* w = m_loadNow[side];
    const RoutingHistory& h = side == 0 ? m_main : m_compare;
    w->clearError();
    w->setColorMap(viz::ColorMap::diverging(0.0, 1.0, colorScaleMax()));
    if (h.isEmpty()) {
        w->setTitle(h.runId ? runLabel(h) : QString());
        w->setEmptyText(tr("No expert statistics stored."));
        w->setMatrix(viz::Matrix());
        return;
    }
    const int index = side == 0 ? std::clamp(m_stepSlider->value(), 0, h.stepCount() - 1)
                                : h.indexAtOrBefore(currentStep());
    viz::Matrix m = h.relativeLoadAt(index);
    double worst = std::nan("");
    for (int row = 0; row < h.layerCount(); ++row) {
        const double vio = h.maxVio(row, index);
        if (std::isfinite(vio)) worst = std::isfinite(worst) ? std::max(worst, vio) : vio;
        m.rowLabels[row] = tr("%1 · MaxVio %2").arg(h.layerName(row), formatVio(vio));
    }
    std::vector<std::uint8_t> marks(m.data().size(), 0);
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const float v = m.data()[i];
        if (std::isfinite(v) && v < kDeadBelow) marks[i] = 1;
        if (std::isfinite(v) && v > kOverloaded) marks[i] = 2;
    }
    w->setMatrix(m);
    w->setCellMarkers(marks, {{tr("dead (< %1% of balanced)").arg(kDeadBelow * 100),
                               viz::MarkerShape::Cross, QColor(20, 20, 20)},
                              {tr("overloaded (> %1× balanced)").arg(kOverloaded),
                               viz::MarkerShape::Triangle, QColor(20, 20, 20)}});
    w->setTitle(
        tr("%1 · step %2 · MaxVio %3").arg(runLabel(h)).arg(h.stepAt(index)).arg(formatVio(worst)));
}

void RoutingPage::refreshLoadOverTime(int side) {
    viz::HeatmapWidget* w = m_loadOverTime[side];
    const RoutingHistory& h = side == 0 ? m_main : m_compare;
    w->clearError();
    w->setColorMap(viz::ColorMap::diverging(0.0, 1.0, colorScaleMax()));
    const int row = h.rowOfLayer(currentLayer());
    if (h.isEmpty() || row < 0) {
        w->setTitle(h.runId ? runLabel(h) : QString());
        w->setEmptyText(tr("No expert statistics stored for this layer."));
        w->setMatrix(viz::Matrix());
        return;
    }
    w->setMatrix(h.relativeLoadOverTime(row));
    w->setTitle(tr("%1 · %2 over time").arg(runLabel(h), h.layerName(row)));
}

void RoutingPage::refreshCurves() {
    // One run: MaxVio of every layer. Two runs: the chosen layer of each, so the comparison
    // is two curves with the runs' names (every layer of both would be a crowd).
    QList<viz::LabelledCurve> vio;
    const bool comparing = m_compare.runId != 0 && !m_compare.isEmpty();
    for (int side = 0; side < (comparing ? 2 : 1); ++side) {
        const RoutingHistory& h = side == 0 ? m_main : m_compare;
        const QString runName = h.runName.isEmpty() ? tr("Run %1").arg(h.runId) : h.runName;
        for (int row = 0; row < h.layerCount(); ++row) {
            if (comparing && h.layerAt(row) != currentLayer()) continue;
            viz::LabelledCurve c;
            c.id = comparing ? side : row;
            c.legend = comparing ? runLabel(h) : h.layerName(row);
            c.labels = {runName, QString::number(h.layerAt(row))};
            c.series = h.maxVioSeries(row);
            vio << c;
        }
    }
    const int layerRow = m_main.rowOfLayer(currentLayer());
    m_maxVioChart->setTitle(
        comparing && layerRow >= 0
            ? tr("MaxVio · %1 (0 = perfectly balanced)").arg(m_main.layerName(layerRow))
            : tr("MaxVio per layer (0 = perfectly balanced)"));
    m_maxVioChart->setEmptyText(tr("No expert statistics stored."));
    m_maxVioChart->setCurves(vio);

    QList<viz::LabelledCurve> bias;
    const int row = m_main.rowOfLayer(currentLayer());
    if (row >= 0 && m_main.hasBias()) {
        const QString runName =
            m_main.runName.isEmpty() ? tr("Run %1").arg(m_main.runId) : m_main.runName;
        for (int e = 0; e < m_main.experts(); ++e) {
            viz::LabelledCurve c;
            c.id = e;
            c.legend = tr("Expert %1").arg(e);
            c.labels = {runName, QString::number(m_main.layerAt(row)), QString::number(e)};
            c.series = m_main.biasSeries(row, e);
            bias << c;
        }
    }
    const QString title =
        row >= 0 ? tr("Router bias · %1 · %2").arg(m_main.layerName(row), runLabel(m_main))
                 : tr("Router bias per expert");
    m_biasChart->setTitle(title);
    m_biasChart->setEmptyText(tr("No router bias stored."));
    m_biasChart->setCurves(bias);
}

bool RoutingPage::isBusy() const {
    return m_mainTicket != 0 || m_compareTicket != 0 || m_tokenView->isListing() ||
           m_tokenView->isTracing();
}

QList<viz::Exportable*> RoutingPage::exportables() const {
    QList<viz::Exportable*> out;
    const bool comparing = m_compare.runId != 0;
    for (NamedFigure* f : m_figures) {
        viz::Exportable* fig = f->figure();
        if ((fig == m_loadNow[1] || fig == m_loadOverTime[1]) && !comparing) continue;
        if (auto* h = dynamic_cast<viz::HeatmapWidget*>(fig); h && h->matrix().isEmpty()) continue;
        if (auto* c = dynamic_cast<viz::CurveChart*>(fig); c && c->curves().isEmpty()) continue;
        if (auto* s = dynamic_cast<viz::TokenStrip*>(fig); s && s->tokens().isEmpty()) continue;
        out << f;
    }
    return out;
}

}  // namespace tinyseek::gui
