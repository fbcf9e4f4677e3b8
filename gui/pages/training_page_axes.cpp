// The Training page's axes: x as step or wall time, log x and log y, the page's y range (a
// mode, fixed limits, or one range shared by every chart), each chart's own y range, and the
// view state the window remembers per database.
#include <QActionGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSlider>

#include <cmath>
#include <limits>

#include "gui/dialogs/y_range_dialog.h"
#include "gui/live/metric_catalog.h"
#include "gui/live/metrics_hub.h"
#include "gui/pages/training_page.h"
#include "viz/metric_chart.h"

namespace tinyseek::gui {

namespace {

// The y range combo's entries after the viz::YRangeMode ones (Auto .. Fixed).
constexpr int kSharedYRangeIndex = static_cast<int>(viz::YRangeMode::Fixed) + 1;

void applyYRange(viz::MetricChart* chart, viz::YRangeMode mode, double min, double max) {
    if (mode == viz::YRangeMode::Fixed)
        chart->setFixedYRange(min, max);
    else
        chart->setYRangeMode(mode);
}

}  // namespace

void TrainingPage::addAxisControls(QHBoxLayout* controls) {
    auto* xLabel = new QLabel(tr("X axis"), m_body);
    m_xAxis = new QComboBox(m_body);
    m_xAxis->setObjectName(QStringLiteral("xAxisCombo"));
    m_xAxis->addItem(tr("Step"));
    m_xAxis->addItem(tr("Wall time"));
    xLabel->setBuddy(m_xAxis);
    connect(m_xAxis, &QComboBox::currentIndexChanged, this, [this] {
        for (viz::MetricChart* c : std::as_const(m_charts)) c->setXAxisMode(xAxisMode());
        if (!groupKey().isEmpty()) {  // groups line their runs up on the x axis
            markAllDirty();
            refreshVisible();
        }
    });
    m_logX = new QCheckBox(tr("Log x"), m_body);
    m_logX->setObjectName(QStringLiteral("logXCheck"));
    m_logX->setToolTip(tr("Logarithmic x axis (early steps spread out); step 0 is not drawn"));
    connect(m_logX, &QCheckBox::toggled, this, [this](bool on) {
        for (viz::MetricChart* c : std::as_const(m_charts)) c->setLogX(on);
    });
    m_logY = new QCheckBox(tr("Log y"), m_body);
    m_logY->setObjectName(QStringLiteral("logYCheck"));
    m_logY->setToolTip(tr("Logarithmic y axis; values <= 0 are hidden and counted in a note"));
    connect(m_logY, &QCheckBox::toggled, this, [this](bool on) {
        for (viz::MetricChart* c : std::as_const(m_charts)) c->setLogY(on);
        updateSharedYRange();  // a log axis leaves values <= 0 out of the shared range
        refreshVisible();
    });
    m_yRange = makeYRangeCombo();
    for (QObject* control : {static_cast<QObject*>(m_xAxis), static_cast<QObject*>(m_yRange)})
        connect(qobject_cast<QComboBox*>(control), &QComboBox::currentIndexChanged, this,
                &TrainingPage::viewChanged);
    for (QCheckBox* box : {m_logX, m_logY})
        connect(box, &QCheckBox::toggled, this, &TrainingPage::viewChanged);

    m_linkX = new QCheckBox(tr("Link x zoom"), m_body);
    m_linkX->setObjectName(QStringLiteral("linkXCheck"));
    m_linkX->setChecked(true);
    m_linkX->setToolTip(tr("Zooming or panning one chart shows the same x range in all"));
    controls->addWidget(xLabel);
    controls->addWidget(m_xAxis);
    controls->addSpacing(12);
    controls->addWidget(m_logX);
    controls->addWidget(m_logY);
    controls->addWidget(m_yRange);
    controls->addWidget(m_linkX);
}

QComboBox* TrainingPage::makeYRangeCombo() {
    auto* combo = new QComboBox(m_body);
    combo->setObjectName(QStringLiteral("yRangeCombo"));
    // In viz::YRangeMode order, then the shared range.
    combo->addItems({tr("Y: all values"), tr("Y: ignore outliers"), tr("Y: start at zero"),
                     tr("Y: fixed…"), tr("Y: same in every chart")});
    combo->setToolTip(
        tr("How the charts fit their y axis: to all values, to the 1st–99th percentile (a "
           "spike does not flatten the rest), to all values and zero, to limits you set, or "
           "one range for every chart so their scales compare. Right-click a chart to give it "
           "its own."));
    connect(combo, &QComboBox::activated, this, &TrainingPage::onYRangeActivated);
    connect(combo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index != static_cast<int>(viz::YRangeMode::Fixed)) m_lastYRangeIndex = index;
        m_sharedY.reset();
        updateSharedYRange();
        markAllDirty();
        refreshVisible();
    });
    return combo;
}

// "Y: fixed…" chosen by the user asks for the limits; cancelling goes back to the last choice.
void TrainingPage::onYRangeActivated(int index) {
    if (index != static_cast<int>(viz::YRangeMode::Fixed)) return;
    double min = m_fixedY.first, max = m_fixedY.second;
    if (askFixedYRange(tr("every chart without a range of its own"), &min, &max))
        setFixedYRange(min, max);
    else
        m_yRange->setCurrentIndex(m_lastYRangeIndex);
}

bool TrainingPage::askFixedYRange(const QString& what, double* min, double* max) {
    YRangeDialog dialog(what, *min, *max, m_logY->isChecked(), this);
    if (dialog.exec() != QDialog::Accepted) return false;
    *min = dialog.minimum();
    *max = dialog.maximum();
    return true;
}

void TrainingPage::setLogX(bool on) {
    m_logX->setChecked(on);
}

void TrainingPage::setLogY(bool on) {
    m_logY->setChecked(on);
}

void TrainingPage::setYRangeMode(viz::YRangeMode mode) {
    m_yRange->setCurrentIndex(static_cast<int>(mode));
}

viz::YRangeMode TrainingPage::yRangeMode() const {
    const int index = m_yRange->currentIndex();
    return index >= kSharedYRangeIndex || index < 0 ? viz::YRangeMode::Fixed
                                                    : static_cast<viz::YRangeMode>(index);
}

void TrainingPage::setFixedYRange(double min, double max) {
    m_fixedY = {min, max};
    if (m_yRange->currentIndex() == static_cast<int>(viz::YRangeMode::Fixed)) {
        markAllDirty();
        refreshVisible();
        emit viewChanged();
    } else {
        setYRangeMode(viz::YRangeMode::Fixed);
    }
}

void TrainingPage::setSharedYRange() {
    m_yRange->setCurrentIndex(kSharedYRangeIndex);
}

bool TrainingPage::isYRangeShared() const {
    return m_yRange->currentIndex() == kSharedYRangeIndex;
}

void TrainingPage::setChartYRange(const QString& key, std::optional<ChartYRange> range) {
    if (range ? m_chartYRanges.value(key) == *range && m_chartYRanges.contains(key)
              : !m_chartYRanges.contains(key))
        return;
    if (range)
        m_chartYRanges.insert(key, *range);
    else
        m_chartYRanges.remove(key);
    m_sharedY.reset();
    updateSharedYRange();
    m_dirty.insert(key);
    refreshVisible();
    emit viewChanged();
}

std::optional<TrainingPage::ChartYRange> TrainingPage::chartYRange(const QString& key) const {
    const auto it = m_chartYRanges.constFind(key);
    return it == m_chartYRanges.cend() ? std::nullopt : std::optional<ChartYRange>(*it);
}

// What updateChart() applies before it hands the chart its data.
void TrainingPage::applyChartYRange(const QString& key, viz::MetricChart* chart) const {
    if (const auto own = m_chartYRanges.constFind(key); own != m_chartYRanges.cend())
        applyYRange(chart, own->mode, own->min, own->max);
    else if (isYRangeShared() && m_sharedY)
        chart->setFixedYRange(m_sharedY->first, m_sharedY->second);
    else if (isYRangeShared())  // nothing to share yet
        chart->setYRangeMode(viz::YRangeMode::Auto);
    else
        applyYRange(chart, yRangeMode(), m_fixedY.first, m_fixedY.second);
}

// Recomputed before charts are brought up to date; a changed range redraws every chart.
void TrainingPage::updateSharedYRange() {
    if (!isYRangeShared()) return;
    const auto range = sharedYRange();
    if (range == m_sharedY) return;
    m_sharedY = range;
    markAllDirty();
}

// The smallest range holding every finite value (every value > 0 on log y) of the shown
// runs in the shown charts that follow the page, padded as a single chart pads its own.
std::optional<std::pair<double, double>> TrainingPage::sharedYRange() const {
    if (!m_hub) return std::nullopt;
    const bool log = m_logY->isChecked();
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const QString& key : visibleChartKeys()) {
        if (m_chartYRanges.contains(key)) continue;
        for (qint64 id : m_hub->shownRuns()) {
            const HubRun* run = m_hub->run(id);
            if (!run) continue;
            const auto it = run->metrics.find(key);
            if (it == run->metrics.end()) continue;
            for (double v : it->second.values) {
                if (!std::isfinite(v) || (log && v <= 0.0)) continue;
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    }
    if (!(lo <= hi)) return std::nullopt;
    if (log)
        return std::make_pair(std::pow(10.0, std::floor(std::log10(lo))),
                              std::pow(10.0, std::ceil(std::log10(hi)) + (lo == hi)));
    const double pad = hi > lo ? 0.05 * (hi - lo) : std::max(0.5, 0.1 * std::abs(hi));
    return std::make_pair(lo - pad, hi + pad);
}

// Right-click › Y Axis of This Chart: the page's setting, a mode, or limits of its own.
void TrainingPage::addChartYRangeMenu(QMenu& menu, const QString& key) {
    QMenu* sub = menu.addMenu(tr("Y Axis of This Chart"));
    auto* group = new QActionGroup(sub);
    const std::optional<ChartYRange> own = chartYRange(key);
    const auto add = [&](const QString& text, std::optional<viz::YRangeMode> mode) {
        QAction* action = sub->addAction(text);
        action->setCheckable(true);
        action->setChecked(own ? mode && own->mode == *mode : !mode);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, key, mode] {
            if (!mode) return setChartYRange(key, std::nullopt);
            ChartYRange range{*mode};
            if (*mode == viz::YRangeMode::Fixed) {
                double x0, x1;
                if (viz::MetricChart* chart = m_charts.value(key))
                    chart->visibleRange(&x0, &x1, &range.min, &range.max);
                if (const auto current = chartYRange(key)) {
                    range.min = current->min;
                    range.max = current->max;
                }
                const QString what = QStringLiteral("“%1”").arg(MetricCatalog::title(key));
                if (!askFixedYRange(what, &range.min, &range.max)) return;
            }
            setChartYRange(key, range);
        });
    };
    add(tr("Like the Page"), std::nullopt);
    sub->addSeparator();
    add(tr("All Values"), viz::YRangeMode::Auto);
    add(tr("Ignore Outliers"), viz::YRangeMode::IgnoreOutliers);
    add(tr("Start at Zero"), viz::YRangeMode::StartAtZero);
    add(tr("Fixed Range…"), viz::YRangeMode::Fixed);
}

QVariantMap TrainingPage::viewState() const {
    QVariantMap own;
    for (auto it = m_chartYRanges.cbegin(); it != m_chartYRanges.cend(); ++it)
        own.insert(it.key(), QVariantList{static_cast<int>(it->mode), it->min, it->max});
    return {
        {QStringLiteral("smoothing"), smoothing()},
        {QStringLiteral("xAxis"),
         xAxisMode() == viz::XAxisMode::WallTime ? QStringLiteral("time") : QStringLiteral("step")},
        {QStringLiteral("logX"), m_logX->isChecked()},
        {QStringLiteral("logY"), m_logY->isChecked()},
        {QStringLiteral("yRange"), m_yRange->currentIndex()},
        {QStringLiteral("yFixed"), QVariantList{m_fixedY.first, m_fixedY.second}},
        {QStringLiteral("chartYRanges"), own},
        {QStringLiteral("filter"), m_filter->text()}};
}

void TrainingPage::restoreViewState(const QVariantMap& view) {
    if (view.contains(QStringLiteral("smoothing")))
        setSmoothing(view.value(QStringLiteral("smoothing")).toDouble());
    if (view.contains(QStringLiteral("xAxis")))
        setWallTimeAxis(view.value(QStringLiteral("xAxis")).toString() == QLatin1String("time"));
    if (view.contains(QStringLiteral("logX"))) setLogX(view.value(QStringLiteral("logX")).toBool());
    if (view.contains(QStringLiteral("logY"))) setLogY(view.value(QStringLiteral("logY")).toBool());
    const QVariantList fixed = view.value(QStringLiteral("yFixed")).toList();
    if (fixed.size() == 2) m_fixedY = {fixed[0].toDouble(), fixed[1].toDouble()};
    const int yRange = view.value(QStringLiteral("yRange"), -1).toInt();
    if (yRange >= 0 && yRange <= kSharedYRangeIndex) m_yRange->setCurrentIndex(yRange);
    if (view.contains(QStringLiteral("chartYRanges"))) {
        m_chartYRanges.clear();
        const QVariantMap own = view.value(QStringLiteral("chartYRanges")).toMap();
        for (auto it = own.cbegin(); it != own.cend(); ++it) {
            const QVariantList v = it.value().toList();
            const int mode = v.value(0, -1).toInt();
            if (v.size() != 3 || mode < 0 || mode > static_cast<int>(viz::YRangeMode::Fixed))
                continue;  // written by another version: the chart follows the page
            m_chartYRanges.insert(
                it.key(), {static_cast<viz::YRangeMode>(mode), v[1].toDouble(), v[2].toDouble()});
        }
        markAllDirty();
    }
    if (view.contains(QStringLiteral("filter")))
        setFilter(view.value(QStringLiteral("filter")).toString());
}

void TrainingPage::clearView() {
    if (m_hub)
        for (qint64 id : m_hub->overlays()) m_hub->removeOverlay(id);
    setFilter(QString());
    m_chartYRanges.clear();
    setYRangeMode(viz::YRangeMode::Auto);
    markAllDirty();
    resetZoom();
    emit viewChanged();
}

}  // namespace tinyseek::gui
