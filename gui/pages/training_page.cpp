#include "gui/pages/training_page.h"
#include "gui/pages/page_registry.h"

#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpacerItem>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "gui/figures/figure_export.h"
#include "gui/live/metric_catalog.h"
#include "gui/live/metrics_hub.h"
#include "gui/live/run_reader.h"
#include "gui/models/text_filter.h"
#include "training/run_store.h"
#include "viz/color_map.h"
#include "viz/exporters.h"
#include "viz/metric_chart.h"

namespace tinyseek::gui {

namespace {

constexpr int kChartMinWidth = 420;
constexpr int kChartMinHeight = 260;
// Longest stretch the page spends updating charts before it lets the event loop run.
constexpr qint64 kRefreshSliceMs = 4;
// Live steps redraw the charts at most this often.
constexpr int kLiveRefreshMs = 250;

// Bounds of the finite values (raw and smoothed) of every run whose x lies in [x0, x1] (data
// units: steps, or seconds for wall time). False when no point is in range.
bool yRangeIn(const viz::MetricPlotData& data, viz::XAxisMode mode, double x0, double x1,
              bool positiveOnly, double* y0, double* y1) {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const viz::MetricPlotData::Run& run : data.runs()) {
        const std::vector<double>& xs = run.xs(mode);
        auto i = static_cast<std::size_t>(std::lower_bound(xs.begin(), xs.end(), x0) - xs.begin());
        for (; i < xs.size() && xs[i] <= x1; ++i) {
            for (double v : {run.series.values[i], run.smoothed[i]}) {
                if (!std::isfinite(v) || (positiveOnly && v <= 0.0)) continue;
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    }
    if (!(lo <= hi)) return false;
    if (positiveOnly) {
        *y0 = lo / 1.15;
        *y1 = hi * 1.15;
    } else {
        const double pad = hi > lo ? 0.05 * (hi - lo) : std::max(0.5, 0.05 * std::abs(hi));
        *y0 = lo - pad;
        *y1 = hi + pad;
    }
    return true;
}

// Longest stretch of steps a zoomed-in chart reads in full from the store.
constexpr std::size_t kMostDetailSteps = 20000;

}  // namespace

QString TrainingPage::runLabel(const HubRun& run) {
    return tr("%1 (#%2)").arg(run.name).arg(run.id);
}

TrainingPage::TrainingPage(QWidget* parent) : Page(QString::fromLatin1(kId), parent) {
    setTitle(pageTitle(QString::fromLatin1(kId)));
    setEmptyStateText(
        tr("Reward curves and every GRPO and SFT metric of the selected runs will appear here once "
           "a run is started or opened."));

    m_emptyActions = new QWidget(this);
    auto* emptyRow = new QHBoxLayout(m_emptyActions);
    m_demoButton = new QPushButton(tr("Start the Demo Run"), m_emptyActions);
    m_demoButton->setObjectName(QStringLiteral("demoButton"));
    m_demoButton->setToolTip(
        tr("Train the tiny model on 3-digit addition (SFT cold start, then GRPO) in this "
           "database; the curves start moving within seconds"));
    connect(m_demoButton, &QPushButton::clicked, this, &TrainingPage::demoRequested);
    emptyRow->addStretch();
    emptyRow->addWidget(m_demoButton);
    emptyRow->addStretch();
    contentLayout()->addWidget(m_emptyActions);
    m_emptyActions->hide();
    // The empty-state line and the demo button sit together in the middle: spacers above
    // and below take the free height while the page is empty, and none once charts exist.
    m_emptyTop = new QSpacerItem(0, 0, QSizePolicy::Minimum, QSizePolicy::Expanding);
    m_emptyBottom = new QSpacerItem(0, 0, QSizePolicy::Minimum, QSizePolicy::Expanding);
    contentLayout()->insertItem(0, m_emptyTop);
    contentLayout()->addItem(m_emptyBottom);

    m_body = new QWidget(this);
    auto* body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    buildControls();
    // The runs bar scrolls sideways instead of widening the window when many runs are shown.
    auto* runsArea = new QScrollArea(m_body);
    runsArea->setObjectName(QStringLiteral("runsBarScroll"));
    runsArea->setFrameShape(QFrame::NoFrame);
    runsArea->setWidgetResizable(true);
    runsArea->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* runsWidget = new QWidget(runsArea);
    runsWidget->setLayout(m_runsBar);
    m_runsBar->setContentsMargins(0, 0, 0, 0);
    runsArea->setWidget(runsWidget);
    runsArea->setFixedHeight(2 * fontMetrics().height() +
                             runsArea->horizontalScrollBar()->sizeHint().height());
    auto* runsRow = new QHBoxLayout;
    runsRow->addWidget(runsArea, 1);
    addGroupControls(runsRow);
    body->addLayout(runsRow);

    m_scroll = new QScrollArea(m_body);
    m_scroll->setObjectName(QStringLiteral("chartScroll"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_grid = new QWidget(m_scroll);
    m_gridLayout = new QGridLayout(m_grid);
    m_gridLayout->setContentsMargins(0, 0, 0, 0);
    m_gridLayout->setSpacing(8);
    m_scroll->setWidget(m_grid);
    m_scroll->viewport()->installEventFilter(this);
    body->addWidget(m_scroll, 1);
    // Which charts are on screen is known only after the layout pass that follows a show,
    // resize or new chart: check once the events already queued (layout requests) are done.
    m_visibilityCheck.setSingleShot(true);
    m_visibilityCheck.setInterval(0);
    connect(&m_visibilityCheck, &QTimer::timeout, this, &TrainingPage::refreshVisible);
    m_alignPlots.setSingleShot(true);
    m_alignPlots.setInterval(0);
    connect(&m_alignPlots, &QTimer::timeout, this, &TrainingPage::alignPlotAreas);
    m_liveRefresh.setSingleShot(true);
    m_liveRefresh.setInterval(kLiveRefreshMs);
    connect(&m_liveRefresh, &QTimer::timeout, this, &TrainingPage::refreshVisible);
    connect(m_scroll->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &TrainingPage::refreshVisible);
    contentLayout()->addWidget(m_body, 1);
    m_body->hide();
}

void TrainingPage::buildControls() {
    auto* controls = new QHBoxLayout;
    addSmoothingControl(controls);
    controls->addSpacing(12);
    addAxisControls(controls);
    controls->addSpacing(12);
    addFilterAndButtons(controls);
    static_cast<QVBoxLayout*>(m_body->layout())->addLayout(controls);

    m_runsBar = new QHBoxLayout;
    m_runsBar->setSpacing(12);
}

void TrainingPage::addGroupControls(QHBoxLayout* row) {
    m_groupLabel = new QLabel(tr("Group runs differing only in"), m_body);
    m_groupKey = new QComboBox(m_body);
    m_groupKey->setObjectName(QStringLiteral("groupKeyCombo"));
    m_groupKey->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_groupKey->setToolTip(
        tr("Runs of one kind whose configurations agree on everything but this key (e.g. the "
           "seeds of one experiment) are drawn as their mean inside a band"));
    m_groupLabel->setBuddy(m_groupKey);
    m_bandKind = new QComboBox(m_body);
    m_bandKind->setObjectName(QStringLiteral("bandKindCombo"));
    m_bandKind->addItem(tr("min–max band"));
    m_bandKind->addItem(tr("± std band"));
    connect(m_groupKey, &QComboBox::currentIndexChanged, this, [this] {
        updateGroups();
        markAllDirty();
        refreshVisible();
    });
    connect(m_bandKind, &QComboBox::currentIndexChanged, this, [this] {
        markAllDirty();
        refreshVisible();
    });
    row->addWidget(m_groupLabel);
    row->addWidget(m_groupKey);
    row->addWidget(m_bandKind);
    populateGroupKeys();
}

void TrainingPage::setGroupKey(const QString& key) {
    populateGroupKeys();
    const int index = m_groupKey->findData(key);
    if (index >= 0) m_groupKey->setCurrentIndex(index);
}

QString TrainingPage::groupKey() const {
    return m_groupKey->currentData().toString();
}

void TrainingPage::setBandKind(viz::BandKind kind) {
    m_bandKind->setCurrentIndex(kind == viz::BandKind::StdDev ? 1 : 0);
}

QList<RunConfig> TrainingPage::shownConfigs() const {
    QList<RunConfig> out;
    if (!m_hub) return out;
    for (qint64 id : m_hub->shownRuns())
        if (const HubRun* run = m_hub->run(id)) out.append({id, run->kind, run->config});
    return out;
}

// The keys that tell the shown runs apart, "seed" first; the choice survives when still there.
// Configs are parsed only when the shown runs or their configs change, not on every live step.
void TrainingPage::populateGroupKeys() {
    const bool several = m_hub && m_hub->shownRuns().size() > 1;
    for (QWidget* w : {static_cast<QWidget*>(m_groupLabel), static_cast<QWidget*>(m_groupKey),
                       static_cast<QWidget*>(m_bandKind)})
        w->setVisible(several);
    QList<RunConfig> configs = shownConfigs();
    if (m_groupKey->count() > 0 && configs == m_configs) return;
    m_configs = std::move(configs);
    QStringList keys = differingConfigKeys(m_configs);
    if (keys.removeAll(QStringLiteral("seed")) > 0) keys.prepend(QStringLiteral("seed"));
    QStringList listed;
    for (int i = 1; i < m_groupKey->count(); ++i) listed << m_groupKey->itemData(i).toString();
    if (m_groupKey->count() == 0 || listed != keys) {  // unchanged: leave an open list be
        const QString keep = groupKey();
        const QSignalBlocker block(m_groupKey);
        m_groupKey->clear();
        m_groupKey->addItem(tr("nothing (each run apart)"), QString());
        for (const QString& key : keys) m_groupKey->addItem(key, key);
        const int index = m_groupKey->findData(keep);
        m_groupKey->setCurrentIndex(index >= 0 ? index : 0);
    }
    updateGroups();
    markAllDirty();
}

// The groups of the shown runs under the chosen key; none when each run is drawn apart.
void TrainingPage::updateGroups() {
    m_bandKind->setEnabled(!groupKey().isEmpty());
    m_groups = groupKey().isEmpty() ? QList<QList<qint64>>() : groupRuns(m_configs, groupKey());
}

viz::XAxisMode TrainingPage::xAxisMode() const {
    return m_xAxis->currentIndex() == 1 ? viz::XAxisMode::WallTime : viz::XAxisMode::Step;
}

void TrainingPage::addSmoothingControl(QHBoxLayout* controls) {
    auto* smoothingLabel = new QLabel(tr("Smoothing"), m_body);
    m_smoothing = new QSlider(Qt::Horizontal, m_body);
    m_smoothing->setObjectName(QStringLiteral("smoothingSlider"));
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(60);
    m_smoothing->setMaximumWidth(180);
    m_smoothing->setToolTip(
        tr("Exponential moving average with debiasing (as TensorBoard); the raw values stay "
           "drawn faintly behind"));
    smoothingLabel->setBuddy(m_smoothing);
    m_smoothingValue = new QLabel(m_body);
    m_smoothingValue->setMinimumWidth(32);
    connect(m_smoothing, &QSlider::valueChanged, this, [this](int value) {
        m_smoothingValue->setText(QString::number(value / 100.0, 'f', 2));
        for (auto it = m_charts.cbegin(); it != m_charts.cend(); ++it)
            it.value()->setSmoothing(MetricCatalog::isSparse(it.key()) ? 0.0 : value / 100.0);
    });
    m_smoothingValue->setText(QString::number(m_smoothing->value() / 100.0, 'f', 2));
    connect(m_smoothing, &QSlider::valueChanged, this, &TrainingPage::viewChanged);
    controls->addWidget(smoothingLabel);
    controls->addWidget(m_smoothing);
    controls->addWidget(m_smoothingValue);
}

void TrainingPage::addFilterAndButtons(QHBoxLayout* controls) {
    m_filter = new QLineEdit(m_body);
    m_filter->setObjectName(QStringLiteral("metricFilter"));
    m_filter->setPlaceholderText(tr("Filter metrics…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(200);
    connect(m_filter, &QLineEdit::textChanged, this, &TrainingPage::relayout);
    connect(m_filter, &QLineEdit::textChanged, this, &TrainingPage::viewChanged);

    auto* reset = new QPushButton(tr("Reset Zoom"), m_body);
    reset->setObjectName(QStringLiteral("resetZoomButton"));
    reset->setToolTip(
        tr("Show all data in every chart (double-click a chart to reset only that one)"));
    connect(reset, &QPushButton::clicked, this, &TrainingPage::resetZoom);
    auto* clear = new QPushButton(tr("Clear View"), m_body);
    clear->setObjectName(QStringLiteral("clearViewButton"));
    clear->setToolTip(
        tr("Back to the current run alone: remove the compared runs, the metric "
           "filter and the zoom, and fit every y axis to all values"));
    connect(clear, &QPushButton::clicked, this, &TrainingPage::clearView);
    auto* exportButton = new QPushButton(tr("Export Charts…"), m_body);
    exportButton->setObjectName(QStringLiteral("exportChartsButton"));
    exportButton->setToolTip(
        tr("Write every shown chart as PNG, SVG, PDF and CSV (all data) into a folder"));
    connect(exportButton, &QPushButton::clicked, this, &TrainingPage::exportCharts);
    controls->addWidget(m_filter);
    controls->addStretch();
    controls->addWidget(reset);
    controls->addWidget(clear);
    controls->addWidget(exportButton);
}

void TrainingPage::setHub(MetricsHub* hub) {
    if (m_hub) disconnect(m_hub, nullptr, this, nullptr);
    m_hub = hub;
    if (hub) {
        connect(hub, &MetricsHub::runDataChanged, this, &TrainingPage::onRunDataChanged);
        connect(hub, &MetricsHub::selectionChanged, this, &TrainingPage::onSelectionChanged);
        connect(hub, &MetricsHub::runRemoved, this, &TrainingPage::onSelectionChanged);
    }
    onSelectionChanged();
}

QStringList TrainingPage::chartKeys() const {
    return m_keys;
}

viz::MetricChart* TrainingPage::chart(const QString& key) const {
    return m_charts.value(key, nullptr);
}

QStringList TrainingPage::visibleChartKeys() const {
    QStringList keys;
    for (const QString& key : m_keys)
        if (!m_charts.value(key)->isHidden()) keys << key;
    return keys;
}

void TrainingPage::setSmoothing(double weight) {
    m_smoothing->setValue(static_cast<int>(std::lround(std::clamp(weight, 0.0, 0.99) * 100.0)));
}

double TrainingPage::smoothing() const {
    return m_smoothing->value() / 100.0;
}

void TrainingPage::setWallTimeAxis(bool wallTime) {
    m_xAxis->setCurrentIndex(wallTime ? 1 : 0);
}

void TrainingPage::setFilter(const QString& text) {
    m_filter->setText(text);
}

void TrainingPage::resetZoom() {
    m_linking = true;
    for (viz::MetricChart* c : std::as_const(m_charts)) c->resetZoom();
    m_linking = false;
}

void TrainingPage::setDemoOffered(bool offered) {
    m_demoButton->setVisible(offered);
    updateEmptyState();
}

bool TrainingPage::isDemoOffered() const {
    return !m_demoButton->isHidden();
}

void TrainingPage::onSelectionChanged() {
    populateGroupKeys();
    syncChartSet();
    markAllDirty();
    rebuildRunsBar();
    updateEmptyState();
    m_visibilityCheck.start();
}

void TrainingPage::onRunDataChanged(qint64 runId) {
    if (!m_hub || !m_hub->shownRuns().contains(runId)) return;
    const HubRun* run = m_hub->run(runId);
    if (!run) return;
    bool newKey = false;
    for (const auto& [key, series] : run->metrics) {
        if (!m_charts.contains(key)) newKey = true;
        m_dirty.insert(key);
    }
    if (newKey) syncChartSet();
    populateGroupKeys();  // a loaded run's config arrives with its data
    updateChip(runId);
    updateEmptyState();
    // Live data: charts follow at kLiveRefreshMs at most, however fast steps arrive (the
    // timer is not restarted while it runs), so a fast trainer costs a bounded share of the
    // GUI thread.
    if (!m_liveRefresh.isActive()) m_liveRefresh.start();
}

void TrainingPage::syncChartSet() {
    QStringList keys =
        m_hub ? MetricCatalog::sorted(m_hub->metricKeys(m_hub->shownRuns())) : QStringList();
    keys.removeIf([](const QString& key) { return !MetricCatalog::isCharted(key); });
    if (keys == m_keys) return;
    for (auto it = m_charts.begin(); it != m_charts.end();) {
        if (keys.contains(it.key())) {
            ++it;
            continue;
        }
        m_dirty.remove(it.key());
        delete it.value();
        it = m_charts.erase(it);
    }
    for (const QString& key : keys) {
        if (m_charts.contains(key)) continue;
        auto* chart = new viz::MetricChart(m_grid);
        chart->setObjectName(QStringLiteral("chart_") + key);
        chart->setTitle(MetricCatalog::title(key));
        chart->setYAxisTitle(MetricCatalog::axisLabel(key));
        const QString description = MetricCatalog::description(key);
        chart->setToolTip(description.isEmpty() ? tr("Metric %1").arg(key)
                                                : tr("%1 (metric %2)").arg(description, key));
        chart->setMinimumSize(kChartMinWidth * 3 / 4, kChartMinHeight);
        chart->setSmoothing(MetricCatalog::isSparse(key) ? 0.0 : smoothing());
        chart->setXAxisMode(xAxisMode());
        chart->setLogX(m_logX->isChecked());
        chart->setLogY(m_logY->isChecked());
        chart->setEmptyText(tr("No values of %1 in the shown runs").arg(key));
        connect(chart, &viz::MetricChart::xRangeChanged, this,
                [this, chart] { linkXRange(chart); });
        connect(chart->chart(), &QChart::plotAreaChanged, &m_alignPlots,
                qOverload<>(&QTimer::start));
        connect(chart, &viz::MetricChart::detailWanted, this,
                [this, key](double first, double last) { readDetail(key, first, last); });
        chart->setFullSeriesSource([this, key](int runId, viz::MetricSeries* out) {
            return readFullSeries(key, runId, out);
        });
        chart->installEventFilter(this);
        // Right-click: this chart through the export dialog (size, scale, format, background),
        // or every shown chart of the page; and the chart's own y range.
        FigureExport::install(
            chart, chart,
            [this] {
                QList<viz::Exportable*> shown;
                for (const QString& k : visibleChartKeys()) shown << m_charts.value(k);
                return shown;
            },
            [this, key](QMenu& menu) { addChartYRangeMenu(menu, key); });
        m_charts.insert(key, chart);
        m_dirty.insert(key);
    }
    m_keys = keys;
    relayout();
}

int TrainingPage::columnCount() const {
    const int width = m_scroll->viewport()->width();
    return std::clamp(width / kChartMinWidth, 1, 4);
}

void TrainingPage::relayout() {
    m_columns = columnCount();
    while (m_gridLayout->count() > 0) delete m_gridLayout->takeAt(0);
    const TextFilter filter(m_filter->text());
    m_filter->setToolTip(filter.isValid()
                             ? tr("Charts whose metric name or title contains the text; "
                                  "alternatives split by '|', or /a regular expression/")
                             : filter.error());
    int index = 0;
    for (const QString& key : m_keys) {
        viz::MetricChart* chart = m_charts.value(key);
        const bool match = filter.matches(key) || filter.matches(MetricCatalog::title(key));
        chart->setVisible(match);
        if (!match) continue;
        m_gridLayout->addWidget(chart, index / m_columns, index % m_columns);
        ++index;
    }
    for (int c = 0; c < 4; ++c) m_gridLayout->setColumnStretch(c, c < m_columns ? 1 : 0);
    m_visibilityCheck.start();
}

void TrainingPage::markAllDirty() {
    for (const QString& key : m_keys) m_dirty.insert(key);
}

bool TrainingPage::isOnScreen(const QWidget* widget) const {
    // isVisible() is false while the page sits behind another dock tab. visibleRegion() cannot
    // tell scrolled-out charts apart: a chart view's opaque viewport covers all of it, so its
    // own visible region is always empty. Intersect with the scroll area's viewport instead.
    if (!widget->isVisible()) return false;
    QWidget* viewport = m_scroll->viewport();
    const QRect area(widget->mapTo(viewport, QPoint(0, 0)), widget->size());
    return area.intersects(viewport->rect());
}

void TrainingPage::refreshVisible() {
    // Top to bottom, one time slice per event-loop pass: updating a chart (smoothing, axes,
    // decimation, replace) takes a few milliseconds, so a dozen at once would hold the loop
    // for tens of milliseconds per training step. The rest continue on the next pass.
    updateSharedYRange();
    QElapsedTimer clock;
    clock.start();
    for (const QString& key : std::as_const(m_keys)) {
        if (!m_dirty.contains(key)) continue;
        viz::MetricChart* chart = m_charts.value(key);
        if (!chart || !isOnScreen(chart)) continue;
        if (clock.elapsed() >= kRefreshSliceMs) {
            m_visibilityCheck.start();
            return;
        }
        updateChart(key);
        m_dirty.remove(key);
    }
}

void TrainingPage::recolourRuns() {
    for (auto it = m_chips.cbegin(); it != m_chips.cend(); ++it) updateChip(it.key());
    markAllDirty();
    refreshVisible();
}

void TrainingPage::refreshAll() {
    updateSharedYRange();
    for (const QString& key : std::as_const(m_dirty))
        if (m_charts.contains(key)) updateChart(key);
    m_dirty.clear();
}

void TrainingPage::updateChart(const QString& key) {
    viz::MetricChart* chart = m_charts.value(key);
    if (!chart || !m_hub) return;
    QList<viz::RunCurve> curves;
    auto seriesOf = [&](qint64 id) -> const viz::MetricSeries* {
        const HubRun* run = m_hub->run(id);
        if (!run) return nullptr;
        const auto it = run->metrics.find(key);
        return it == run->metrics.end() ? nullptr : &it->second;
    };
    for (qint64 id : m_hub->shownRuns()) {
        const QList<qint64>* group = nullptr;
        for (const QList<qint64>& g : m_groups)
            if (g.contains(id)) group = &g;
        if (group && group->size() > 1) {
            if (group->front() == id) curves.append(groupCurve(*group, key));
            continue;
        }
        if (const viz::MetricSeries* series = seriesOf(id))
            curves.append({static_cast<int>(id),
                           runLabel(*m_hub->run(id)),
                           *series,
                           {},
                           {},
                           m_hub->run(id)->isThinned(key)});
    }
    applyChartYRange(key, chart);
    chart->setSeries(curves);
}

// Every point of steps first..last of each shown run held thinned, read from the store for a
// zoomed-in chart; skipped when the stretch is long (the thinned points then already give
// the chart about two points per pixel column).
void TrainingPage::readDetail(const QString& key, double first, double last) {
    if (!m_hub) return;
    for (qint64 id : m_hub->shownRuns()) {
        const HubRun* run = m_hub->run(id);
        if (!run || !run->isThinned(key)) continue;
        const auto from = static_cast<qint64>(std::floor(first));
        const auto to = static_cast<qint64>(std::ceil(last));
        const auto n = std::upper_bound(run->steps.begin(), run->steps.end(), to) -
                       std::lower_bound(run->steps.begin(), run->steps.end(), from);
        if (n > static_cast<std::ptrdiff_t>(kMostDetailSteps)) continue;
        QPointer<viz::MetricChart> chart = m_charts.value(key);
        m_hub->reader()->read<viz::MetricSeries>(
            m_hub->databasePath(), this,
            [id, key, from, to](const RunStore& store) {
                return chartSeries(key, store.metric_series(id, key.toStdString(), from, to));
            },
            [chart, id, first, last](const ReadResult<viz::MetricSeries>& result) {
                if (chart && result.ok())
                    chart->setRunDetail(static_cast<int>(id), first, last, result.value);
            });
    }
}

// A thinned run's every point of `key`, for a CSV export (read on the GUI thread: the export
// writes its files now).
bool TrainingPage::readFullSeries(const QString& key, int runId, viz::MetricSeries* out) const {
    if (!m_hub) return false;
    const ReadResult<viz::MetricSeries> result = m_hub->reader()->readNow<viz::MetricSeries>(
        m_hub->databasePath(), [runId, key](const RunStore& store) {
            return chartSeries(key, store.metric_series(runId, key.toStdString()));
        });
    if (!result.ok() || result.value.isEmpty()) return false;
    *out = result.value;
    return true;
}

// A group's mean inside its band, in the colour of its first run.
viz::RunCurve TrainingPage::groupCurve(const QList<qint64>& group, const QString& key) const {
    std::vector<viz::MetricSeries> series;
    for (qint64 id : group) {
        const HubRun* run = m_hub->run(id);
        if (!run) continue;
        const auto it = run->metrics.find(key);
        if (it != run->metrics.end()) series.push_back(it->second);
    }
    const viz::BandKind kind =
        m_bandKind->currentIndex() == 1 ? viz::BandKind::StdDev : viz::BandKind::MinMax;
    viz::SeriesBand band = viz::seriesBand(series, kind, xAxisMode());
    QStringList ids;
    for (qint64 id : group) ids << QStringLiteral("#%1").arg(id);
    const QString name =
        tr("%1 (%2)").arg(m_hub->run(group.front())->name, ids.join(QLatin1Char(' ')));
    return {static_cast<int>(group.front()), name, std::move(band.mean), std::move(band.low),
            std::move(band.high)};
}

void TrainingPage::rebuildRunsBar() {
    while (QLayoutItem* item = m_runsBar->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_chips.clear();
    if (!m_hub) return;
    for (qint64 id : m_hub->shownRuns()) {
        if (!m_hub->run(id)) continue;
        auto* chip = new QLabel(m_body);
        chip->setObjectName(QStringLiteral("runChip_%1").arg(id));
        chip->setTextFormat(Qt::RichText);
        m_chips.insert(id, chip);
        m_runsBar->addWidget(chip);
        updateChip(id);
        if (id != m_hub->currentRun()) {
            auto* remove = new QToolButton(m_body);
            remove->setObjectName(QStringLiteral("removeOverlay_%1").arg(id));
            remove->setText(QStringLiteral("×"));
            remove->setAutoRaise(true);
            remove->setToolTip(tr("Remove this run from the comparison"));
            connect(remove, &QToolButton::clicked, this, [this, id] {
                if (m_hub) m_hub->removeOverlay(id);
            });
            m_runsBar->addWidget(remove);
        }
    }
    m_runsBar->addStretch();
}

void TrainingPage::updateChip(qint64 runId) {
    QLabel* chip = m_chips.value(runId, nullptr);
    const HubRun* run = m_hub ? m_hub->run(runId) : nullptr;
    if (!chip || !run) return;
    QString state;
    if (run->live)
        state = run->lastStep() ? tr("live, step %1").arg(*run->lastStep()) : tr("live");
    else
        state = run->steps.size() == 1 ? tr("1 step")
                                       : tr("%1 steps").arg(static_cast<qint64>(run->steps.size()));
    const QString role = runId == m_hub->currentRun() ? tr("current") : tr("compared");
    chip->setText(QStringLiteral("<span style=\"color:%1\">&#9679;</span> <b>%2</b> "
                                 "<span style=\"color:gray\">%3 · %4</span>")
                      .arg(viz::runColor(static_cast<int>(runId)).name(),
                           runLabel(*run).toHtmlEscaped(), role, state));
}

void TrainingPage::updateEmptyState() {
    const bool hasCharts = !m_keys.isEmpty();
    if (!hasCharts && m_hub && !m_hub->shownRuns().isEmpty())
        setEmptyStateText(
            tr("The shown run has no steps yet; its curves appear here as soon as the first "
               "step is stored."));
    else if (!hasCharts)
        setEmptyStateText(
            tr("Reward curves and every GRPO and SFT metric of the selected runs will appear "
               "here once a run is started or opened."));
    setEmptyStateVisible(!hasCharts);
    m_emptyActions->setVisible(!hasCharts && !m_demoButton->isHidden());
    m_body->setVisible(hasCharts);
    // Label (index 1) keeps its natural height while the spacers centre it with the button.
    const auto grow = hasCharts ? QSizePolicy::Fixed : QSizePolicy::Expanding;
    m_emptyTop->changeSize(0, 0, QSizePolicy::Minimum, grow);
    m_emptyBottom->changeSize(0, 0, QSizePolicy::Minimum, grow);
    contentLayout()->setStretch(1, 0);
    contentLayout()->invalidate();
}

void TrainingPage::linkXRange(viz::MetricChart* source) {
    if (m_linking || !m_linkX->isChecked()) return;
    m_linking = true;
    double x0, x1, y0, y1;
    source->visibleRange(&x0, &x1, &y0, &y1);
    const double s0 = x0 * source->xUnitSeconds();
    const double s1 = x1 * source->xUnitSeconds();
    const viz::XAxisMode mode = xAxisMode();
    for (viz::MetricChart* c : std::as_const(m_charts)) {
        if (c == source || c->stateText().size() > 0) continue;
        if (source->isAutoRange()) {
            c->resetZoom();
            continue;
        }
        double cy0, cy1, unused0, unused1;
        c->visibleRange(&unused0, &unused1, &cy0, &cy1);
        // The y range follows what is visible in the new x range, as after a box zoom.
        yRangeIn(c->data(), mode, s0, s1, c->logY(), &cy0, &cy1);
        const double unit = c->xUnitSeconds();
        c->zoomToRange(s0 / unit, s1 / unit, cy0, cy1);
    }
    m_linking = false;
}

// The widest y-axis labels decide where every plot area starts: charts stacked in a column
// then share their x pixels, and a linked zoom shows the same step at the same x in all.
void TrainingPage::alignPlotAreas() {
    const QStringList keys = visibleChartKeys();
    double left = 0.0;
    for (const QString& key : keys) {
        const viz::MetricChart* chart = m_charts.value(key);
        if (chart->stateText().isEmpty()) left = std::max(left, chart->naturalPlotLeft());
    }
    for (const QString& key : keys) m_charts.value(key)->alignPlotLeft(left);
}

void TrainingPage::exportCharts() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export Charts to Folder"));
    if (dir.isEmpty()) return;
    refreshAll();
    QList<viz::Exportable*> items;
    for (const QString& key : visibleChartKeys()) items << m_charts.value(key);
    const viz::ExportReport report = viz::Exporter::exportAll(items, dir);
    QMessageBox box(
        report.ok() ? QMessageBox::Information : QMessageBox::Warning, tr("Export Charts"),
        report.ok()
            ? tr("Wrote %1 files to %2.").arg(report.written.size()).arg(dir)
            : tr("Some files could not be written:\n%1").arg(report.errors.join(QLatin1Char('\n'))),
        QMessageBox::NoButton, this);
    box.addButton(tr("OK"), QMessageBox::AcceptRole);
    box.exec();
}

void TrainingPage::showEvent(QShowEvent* event) {
    Page::showEvent(event);
    m_visibilityCheck.start();
}

bool TrainingPage::eventFilter(QObject* watched, QEvent* event) {
    const QEvent::Type type = event->type();
    if (type == QEvent::Resize || type == QEvent::Show) {
        // The viewport's width decides the number of columns; a chart that was just laid
        // out or shown may have become visible.
        if (watched == m_scroll->viewport() && !m_keys.isEmpty() && columnCount() != m_columns)
            relayout();
        m_visibilityCheck.start();
    }
    return Page::eventFilter(watched, event);
}

}  // namespace tinyseek::gui
