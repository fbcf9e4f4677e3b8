#include "viz/metric_chart.h"

#include <QChart>
#include <QGraphicsEllipseItem>
#include <QGraphicsLayout>
#include <QGraphicsLineItem>
#include <QGraphicsScene>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

#include "viz/chart_callout.h"
#include "viz/color_map.h"
#include "viz/figure_painter.h"

namespace tinyseek::viz {

namespace {
QString formatValue(double v) {
    if (!std::isfinite(v)) return QStringLiteral("—");
    return QString::number(v, 'g', 5);
}
}  // namespace

MetricChart::MetricChart(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setMinimumSize(240, 180);

    m_scene = std::make_unique<MetricChartScene>(chart());
    applyTheme();
    connect(&figureThemeNotifier(), &FigureThemeNotifier::changed, this, &MetricChart::applyTheme);
    m_options.emptyText = tr("No data yet");

    m_crosshair = new QGraphicsLineItem(chart());
    m_crosshair->setPen(QPen(QColor(90, 90, 90), 1.0, Qt::DashLine));
    m_crosshair->setZValue(900.0);
    m_crosshair->setVisible(false);
    m_callout = new ChartCallout(chart());
    m_callout->setVisible(false);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(30);
    connect(&m_refreshTimer, &QTimer::timeout, this, &MetricChart::rebuild);
    connect(chart(), &QChart::plotAreaChanged, this, [this] {
        m_scene->layoutOverlays();
        m_refreshTimer.start();  // the column count follows the plot width
    });
    rebuild();
}

MetricChart::~MetricChart() = default;

void MetricChart::applyTheme() {
    m_scene->applyTheme();
    setBackgroundBrush(figureBackground());  // the view's edges around the chart
}

void MetricChart::paintEvent(QPaintEvent* event) {
    m_scene->fitTitle();
    QChartView::paintEvent(event);
}

void MetricChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) applyTheme();
    QChartView::changeEvent(event);
}

void MetricChart::setTitle(const QString& title) {
    m_options.title = title;
    rebuild();
}

void MetricChart::setYAxisTitle(const QString& text) {
    m_options.yTitle = text;
    rebuild();
}

void MetricChart::setSeries(const QList<RunCurve>& runs) {
    m_data.clear();
    for (const RunCurve& r : runs) {
        const QString name = r.runName.isEmpty() ? tr("Run %1").arg(r.runId) : r.runName;
        if (r.thinned)
            m_data.setThinnedRun(r.runId, name, r.series);
        else
            m_data.setRun(r.runId, name, r.series, r.low, r.high);
    }
    rebuild();
}

void MetricChart::updateRun(int runId, const QString& runName, const MetricSeries& series) {
    m_data.setRun(runId, runName.isEmpty() ? tr("Run %1").arg(runId) : runName, series);
    rebuild();
}

void MetricChart::removeRun(int runId) {
    if (m_data.removeRun(runId)) rebuild();
}

void MetricChart::clearRuns() {
    m_data.clear();
    m_autoRange = true;
    rebuild();
}

void MetricChart::setSmoothing(double weight) {
    m_data.setSmoothing(weight);
    rebuild();
}

void MetricChart::setXAxisMode(XAxisMode mode) {
    if (mode == m_options.xMode) return;
    m_options.xMode = mode;
    m_autoRange = true;
    rebuild();
}

void MetricChart::setYRangeMode(YRangeMode mode) {
    if (mode == m_options.yRange) return;
    m_options.yRange = mode;
    m_autoRange = true;
    rebuild();
}

void MetricChart::setFixedYRange(double min, double max) {
    if (m_options.yRange == YRangeMode::Fixed && m_options.fixedYMin == min &&
        m_options.fixedYMax == max)
        return;
    m_options.yRange = YRangeMode::Fixed;
    m_options.fixedYMin = min;
    m_options.fixedYMax = max;
    m_autoRange = true;
    rebuild();
}

void MetricChart::setLogX(bool on) {
    if (on == m_options.logX) return;
    m_options.logX = on;
    m_autoRange = true;
    rebuild();
}

void MetricChart::setLogY(bool on) {
    if (on == m_options.logY) return;
    m_options.logY = on;
    m_autoRange = true;
    rebuild();
}

void MetricChart::setEmptyText(const QString& text) {
    m_options.emptyText = text;
    rebuild();
}

void MetricChart::setErrorText(const QString& text) {
    m_options.errorText = text;
    rebuild();
}

QString MetricChart::stateText() const {
    return m_scene->stateText();
}
QString MetricChart::logNoteText() const {
    return m_scene->noteText();
}
double MetricChart::xUnitSeconds() const {
    return m_options.xMode == XAxisMode::WallTime ? m_scene->xUnitSeconds() : 1.0;
}

int MetricChart::plotColumns() const {
    const double w = chart()->plotArea().width();
    if (w > 20.0) return static_cast<int>(w);
    return width() > 100 ? static_cast<int>(width() * 0.85) : 800;
}

void MetricChart::rebuild() {
    m_refreshTimer.stop();
    if (m_autoRange) {  // all of every run in view: the thinned points are enough
        m_data.clearDetails();
        m_wantedDetail = {0.0, -1.0};
    }
    m_options.columns = plotColumns();
    m_applyingRange = true;
    m_scene->sync(m_data, m_options, m_autoRange);
    m_applyingRange = false;
    connectAxes();
    requestDetail();
    if (m_callout->isVisible()) {
        const QPoint pos = viewport()->mapFromGlobal(QCursor::pos());
        showHoverAt(pos);
    }
}

void MetricChart::requestDetail() {
    if (m_autoRange || !m_data.hasThinnedRuns()) return;
    double x0, x1, y0, y1;
    visibleRange(&x0, &x1, &y0, &y1);
    const double unit = xUnitSeconds();
    double first = std::numeric_limits<double>::infinity(), last = -first;
    for (const MetricPlotData::Run& run : m_data.runs()) {
        const std::vector<double>& xs = run.xs(m_options.xMode);
        if (!run.thinned || xs.empty()) continue;
        // One point beyond each edge, so the line runs on to the plot's border.
        auto i0 = static_cast<std::size_t>(std::lower_bound(xs.begin(), xs.end(), x0 * unit) -
                                           xs.begin());
        auto i1 = static_cast<std::size_t>(std::upper_bound(xs.begin(), xs.end(), x1 * unit) -
                                           xs.begin());
        i0 = i0 > 0 ? i0 - 1 : 0;
        i1 = std::min(i1, xs.size() - 1);
        if (i0 > i1 || m_data.detailCovers(run.runId, run.series.steps[i0], run.series.steps[i1]))
            continue;
        first = std::min(first, run.series.steps[i0]);
        last = std::max(last, run.series.steps[i1]);
    }
    if (!(first <= last) || m_wantedDetail == std::make_pair(first, last)) return;
    m_wantedDetail = {first, last};
    emit detailWanted(first, last);
}

void MetricChart::setRunDetail(int runId, double firstStep, double lastStep,
                               const MetricSeries& detail) {
    if (m_autoRange) return;  // zoomed out again before the detail arrived
    if (m_data.setDetail(runId, firstStep, lastStep, detail)) rebuild();
}

void MetricChart::connectAxes() {
    connect(m_scene->xAxis(), SIGNAL(rangeChanged(qreal, qreal)), this, SLOT(onAxisRangeChanged()),
            Qt::UniqueConnection);
    connect(m_scene->yAxis(), SIGNAL(rangeChanged(qreal, qreal)), this, SLOT(onAxisRangeChanged()),
            Qt::UniqueConnection);
}

void MetricChart::onAxisRangeChanged() {
    if (m_applyingRange) return;
    m_autoRange = false;
    m_refreshTimer.start();
    emitXRange();
}

void MetricChart::emitXRange() {
    double x0, x1, y0, y1;
    m_scene->ranges(&x0, &x1, &y0, &y1);
    emit xRangeChanged(x0, x1);
}

void MetricChart::refreshVisiblePoints() {
    rebuild();
}

void MetricChart::resetZoom() {
    m_autoRange = true;
    rebuild();
    emitXRange();
}

void MetricChart::zoomToRange(double xMin, double xMax, double yMin, double yMax) {
    m_autoRange = false;
    m_applyingRange = true;
    m_scene->setRanges(xMin, xMax, yMin, yMax);
    m_applyingRange = false;
    refreshVisiblePoints();
    emitXRange();
}

void MetricChart::zoomBy(double factor, const QPointF& viewPos) {
    const QRectF plot = chart()->plotArea();
    if (!m_scene->stateText().isEmpty() || plot.width() < 2 || !(factor > 0.0)) return;
    QPointF c = chart()->mapFromScene(mapToScene(viewPos.toPoint()));
    if (!plot.contains(c)) c = plot.center();
    // Keep the point under the mouse fixed: each edge moves towards it by `factor`.
    const QRectF r(c.x() - (c.x() - plot.left()) * factor, c.y() - (c.y() - plot.top()) * factor,
                   plot.width() * factor, plot.height() * factor);
    chart()->zoomIn(r);
    refreshVisiblePoints();
}

void MetricChart::panBy(const QPointF& pixels) {
    if (!m_scene->stateText().isEmpty()) return;
    chart()->scroll(-pixels.x(), pixels.y());
    refreshVisiblePoints();
}

double MetricChart::naturalPlotLeft() const {
    return chart()->plotArea().left() - m_extraLeft;
}

void MetricChart::alignPlotLeft(double left) {
    const int extra = std::max(0, static_cast<int>(std::lround(left - naturalPlotLeft())));
    if (extra == m_extraLeft) return;
    m_extraLeft = extra;
    QMargins margins = chart()->margins();
    margins.setLeft(MetricChartScene::kMargin + extra);
    chart()->setMargins(margins);
}

void MetricChart::visibleRange(double* xMin, double* xMax, double* yMin, double* yMax) const {
    m_scene->ranges(xMin, xMax, yMin, yMax);
}

QList<HoverValue> MetricChart::hoverValues(double x) const {
    return m_data.hoverValues(x * xUnitSeconds(), m_options.xMode);
}

// Both coordinates of a point, whichever the axis shows: "Step 1200 · 6 min 40 s" (the run's
// training time at that step).
QString MetricChart::formatX(double step, double wallSeconds) const {
    QString time;
    const qint64 s = std::llround(std::max(0.0, wallSeconds));
    if (!std::isfinite(wallSeconds))
        time = tr("time unknown");
    else if (s < 60)
        time = tr("%1 s").arg(formatValue(std::max(0.0, wallSeconds)));
    else if (s < 3600)
        time = tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    else
        time = tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    return tr("Step %1 · %2").arg(formatValue(step), time);
}

void MetricChart::showHoverAt(const QPointF& viewPos) {
    const QRectF plot = chart()->plotArea();
    const QPointF c = chart()->mapFromScene(mapToScene(viewPos.toPoint()));
    QLineSeries* anchorSeries = nullptr;
    for (const MetricPlotData::Run& r : m_data.runs()) {
        anchorSeries = m_scene->series(r.runId, true);
        if (anchorSeries) break;
    }
    if (!m_scene->stateText().isEmpty() || !plot.contains(c) || !anchorSeries) {
        hideHover();
        return;
    }
    const double x = chart()->mapToValue(c, anchorSeries).x();
    const QList<HoverValue> values = hoverValues(x);
    if (values.isEmpty()) {
        hideHover();
        return;
    }

    m_crosshair->setLine(QLineF(c.x(), plot.top(), c.x(), plot.bottom()));
    m_crosshair->setVisible(true);

    while (m_hoverDots.size() < values.size()) {
        auto* dot = new QGraphicsEllipseItem(-4, -4, 8, 8, chart());
        dot->setZValue(950.0);
        m_hoverDots.append(dot);
    }
    const bool smoothing = m_data.smoothing() > 0.0;
    const double unit = xUnitSeconds();
    // Header: the x of the first run's nearest point; a run whose nearest point sits elsewhere
    // (runs log different steps) names its own x.
    const HoverValue& first = values.first();
    const QString header = formatX(first.step, first.wallTime);
    QList<ChartCallout::Line> lines;
    for (qsizetype i = 0; i < m_hoverDots.size(); ++i) {
        QGraphicsEllipseItem* dot = m_hoverDots[i];
        if (i >= values.size()) {
            dot->setVisible(false);
            continue;
        }
        const HoverValue& h = values[i];
        const double px = m_options.xMode == XAxisMode::Step ? h.step : h.wallTime / unit;
        const bool drawable = std::isfinite(h.smoothed) && (!m_options.logY || h.smoothed > 0.0);
        const QPointF p = chart()->mapToPosition(QPointF(px, h.smoothed), anchorSeries);
        dot->setVisible(drawable && plot.contains(p));
        dot->setPos(p);
        dot->setBrush(h.color);
        dot->setPen(QPen(Qt::white, 1.5));

        QString text = smoothing ? tr("%1: %2 (smoothed %3)")
                                       .arg(h.runName, formatValue(h.raw), formatValue(h.smoothed))
                                 : tr("%1: %2").arg(h.runName, formatValue(h.raw));
        const QString ownX = formatX(h.step, h.wallTime);
        if (ownX != header) text += QStringLiteral("  ·  ") + ownX;
        lines.append({h.color, text});
    }
    m_callout->setContent(header, lines);
    m_callout->placeNear(c, plot);
    m_callout->setVisible(true);
}

void MetricChart::hideHover() {
    m_crosshair->setVisible(false);
    m_callout->setVisible(false);
    for (QGraphicsEllipseItem* dot : m_hoverDots) dot->setVisible(false);
}

QString MetricChart::hoverText() const {
    if (!m_callout->isVisible()) return QString();
    QStringList out{m_callout->header()};
    for (const ChartCallout::Line& l : m_callout->lines()) out << l.text;
    return out.join(QLatin1Char('\n'));
}

QList<QPointF> MetricChart::drawnPoints(int runId, bool smoothed) const {
    return m_scene->points(runId, smoothed);
}

void MetricChart::renderTo(QPainter& painter, const QRectF& target) {
    // A separate chart in its own scene, built by the same MetricChartScene code: the export
    // neither depends on this widget being shown nor disturbs what the user sees.
    QGraphicsScene scene;
    auto* exportChart = new QChart;
    scene.addItem(exportChart);
    exportChart->resize(target.size());
    MetricChartScene builder(exportChart);
    MetricChartScene::Options options = m_options;
    options.columns = std::max(16, static_cast<int>(target.width()));
    if (!m_autoRange) options.forcedXUnit = m_scene->xUnitSeconds();
    builder.sync(m_data, options, true);
    if (!m_autoRange) {
        double x0, x1, y0, y1;
        m_scene->ranges(&x0, &x1, &y0, &y1);
        builder.setRanges(x0, x1, y0, y1);
    }
    // The chart lays itself out on a posted LayoutRequest, which never arrives here (no event
    // loop turn): lay out now, then once more after the second pass with the real plot width.
    exportChart->layout()->activate();
    options.columns = std::max(16, static_cast<int>(exportChart->plotArea().width()));
    builder.sync(m_data, options, false);
    exportChart->layout()->activate();
    builder.layoutOverlays();
    builder.fitTitle();
    painter.save();
    scene.render(&painter, target, QRectF(QPointF(0, 0), target.size()));
    painter.restore();
}

void MetricChart::mousePressEvent(QMouseEvent* event) {
    const bool pan =
        event->button() == Qt::MiddleButton ||
        (event->button() == Qt::LeftButton && event->modifiers().testFlag(Qt::ControlModifier));
    if (pan) {
        m_panning = true;
        m_lastPanPos = event->position();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void MetricChart::mouseMoveEvent(QMouseEvent* event) {
    if (m_panning) {
        const QPointF delta = event->position() - m_lastPanPos;
        m_lastPanPos = event->position();
        hideHover();
        panBy(delta);
        event->accept();
        return;
    }
    showHoverAt(event->position());
    QChartView::mouseMoveEvent(event);
}

void MetricChart::mouseReleaseEvent(QMouseEvent* event) {
    if (m_panning) {
        m_panning = false;
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void MetricChart::mouseDoubleClickEvent(QMouseEvent* event) {
    resetZoom();
    event->accept();
}

void MetricChart::wheelEvent(QWheelEvent* event) {
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0.0) return;
    hideHover();
    zoomBy(std::pow(0.8, notches), event->position());
    event->accept();
}

void MetricChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    m_scene->layoutOverlays();
    m_refreshTimer.start();
}

void MetricChart::leaveEvent(QEvent* event) {
    hideHover();
    QChartView::leaveEvent(event);
}

}  // namespace tinyseek::viz
