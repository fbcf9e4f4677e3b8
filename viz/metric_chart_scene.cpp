#include "viz/metric_chart_scene.h"

#include <QAbstractTextDocumentLayout>
#include <QAreaSeries>
#include <QBrush>
#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QTextDocument>
#include <QTextOption>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "viz/color_map.h"
#include "viz/figure_painter.h"
#include "viz/smoothing.h"

namespace tinyseek::viz {

namespace {

// How many tick labels fit along a linear axis of `chart` without Qt eliding them to "...".
// Qt Charts gives each vertical-axis label the height between two ticks and truncates a label
// that does not fit, so a short chart (the Routing page's compare layout) with the usual six
// ticks showed nothing but ellipses. Vertical: two text lines per label, from the plot height
// (which the y ticks themselves do not change, so there is no feedback loop). Horizontal: room
// for an eight-character label plus a gap, from the chart width (not the plot width, which the
// y labels change).
int labelBudget(const QChart* chart, const QValueAxis* axis) {
    constexpr int kMostTicks = 7;
    const QFontMetricsF metrics(axis->labelsFont());
    double length = 0.0;
    double perLabel = 0.0;
    if (axis->orientation() == Qt::Vertical) {
        length = chart->plotArea().height();
        perLabel = 2.0 * metrics.height();
    } else {
        length = chart->size().width() - 80.0;
        perLabel = metrics.horizontalAdvance(QStringLiteral("-0000.00")) * 1.6;
    }
    if (!(length > 0.0) || !(perLabel > 0.0)) return kMostTicks;  // not laid out yet
    return std::clamp(static_cast<int>(length / perLabel) + 1, 2, kMostTicks);
}

// Nice dynamic ticks for a linear axis: a 1/2/5 step anchored at 0, at most `maxTicks` ticks,
// and just enough decimals in the labels for that step (Qt's default fixed tick count gives
// labels like 24999.75).
void applyNiceTicks(QValueAxis* axis, double min, double max, int maxTicks) {
    // niceTickStep rounds the step down as often as up, so ask it for fewer intervals until
    // the ticks fit (one interval always does: its step is at least the span / 1.5).
    double step = niceTickStep(max - min, 1);
    for (int intervals = std::max(1, maxTicks - 1); intervals > 1; --intervals) {
        const double candidate = niceTickStep(max - min, intervals);
        if (std::floor((max - min) / candidate) + 1 <= maxTicks) {
            step = candidate;
            break;
        }
    }
    // Qt Charts adds the dynamic interval to the first tick until it passes max. A step below
    // the spacing of doubles at these values (a range of a few ulps, e.g. [830.88, 830.88 +
    // 1e-13] from a deep zoom) never advances the tick: its label loop would spin forever.
    // Such a range gets two fixed ticks instead.
    const double magnitude = std::max(std::abs(min), std::abs(max));
    if (!std::isfinite(step) || !(step > magnitude * 1e-9)) {
        axis->setTickType(QValueAxis::TicksFixed);
        axis->setTickCount(2);
        axis->setLabelFormat(QStringLiteral("%.6g"));
        return;
    }
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setTickInterval(step);
    const int decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    axis->setLabelFormat(QStringLiteral("%.%1f").arg(std::clamp(decimals, 0, 12)));
}

// The colour of the in-place message: red for an error, muted otherwise.
QColor stateTextColor(bool isError) {
    if (!isError) return figureMutedTextColor();
    return currentFigureTheme() == FigureTheme::Dark ? QColor(235, 100, 100) : QColor(180, 30, 30);
}

// The range of a linear or log axis; [0, 1] without one.
void axisRange(const QAbstractAxis* axis, double* min, double* max) {
    *min = 0.0;
    *max = 1.0;
    if (const auto* log = qobject_cast<const QLogValueAxis*>(axis)) {
        *min = log->min();
        *max = log->max();
    } else if (const auto* linear = qobject_cast<const QValueAxis*>(axis)) {
        *min = linear->min();
        *max = linear->max();
    }
}

// [lo, hi] widened to whole decades (QLogValueAxis labels only powers of the base).
void toDecades(double& lo, double& hi) {
    lo = std::pow(10.0, std::floor(std::log10(lo)));
    hi = std::pow(10.0, std::ceil(std::log10(hi)));
    if (hi <= lo) hi = lo * 10.0;
}

// A linear axis whose ticks follow its range and the room the chart gives its labels.
QValueAxis* makeLinearAxis(QChart* chart) {
    auto* axis = new QValueAxis;
    const auto retick = [chart, axis] {
        applyNiceTicks(axis, axis->min(), axis->max(), labelBudget(chart, axis));
    };
    QObject::connect(axis, &QValueAxis::rangeChanged, axis, retick);
    QObject::connect(chart, &QChart::plotAreaChanged, axis, retick);
    retick();
    return axis;
}

}  // namespace

MetricChartScene::MetricChartScene(QChart* chart) : m_chart(chart) {
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(kMargin, kMargin, kMargin, kMargin));
    m_chart->setTitleFont(figureTitleFont(QFont()));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setFont(figureLabelFont(QFont()));
    m_chart->legend()->setShowToolTips(true);  // a name the legend had to shorten, in full

    m_stateItem = new QGraphicsTextItem(m_chart);
    m_stateItem->setZValue(500.0);
    QTextOption centered(Qt::AlignCenter);
    centered.setWrapMode(QTextOption::WordWrap);
    m_stateItem->document()->setDefaultTextOption(centered);
    QFont stateFont = figureLabelFont(QFont());
    stateFont.setPointSizeF(stateFont.pointSizeF() * 1.2);
    m_stateItem->setFont(stateFont);
    m_stateItem->setVisible(false);

    m_noteItem = new QGraphicsSimpleTextItem(m_chart);
    m_noteItem->setZValue(500.0);
    m_noteItem->setFont(figureSmallFont(QFont()));
    m_noteItem->setVisible(false);
    applyTheme();
}

void MetricChartScene::fitTitle() {
    const QString title = m_chart->title();
    const double room = m_chart->size().width() - 24.0;  // the chart's margins
    if (title.isEmpty() || room <= 0.0) return;
    const QFont font = fittedFont(figureTitleFont(QFont()), title, room);
    if (font != m_chart->titleFont()) m_chart->setTitleFont(font);
}

void MetricChartScene::applyTheme() {
    const QColor text = figureTextColor(), muted = figureMutedTextColor();
    m_chart->setBackgroundBrush(figureBackground());
    m_chart->setBackgroundPen(Qt::NoPen);
    m_chart->setTitleBrush(text);
    m_chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis :
         {static_cast<QAbstractAxis*>(m_xAxis), static_cast<QAbstractAxis*>(m_yAxis)}) {
        if (!axis) continue;
        axis->setLabelsColor(muted);
        axis->setTitleBrush(text);
        axis->setGridLineColor(figureGridColor());
        axis->setMinorGridLineColor(figureGridColor());
        axis->setLinePenColor(figureAxisColor());
    }
    m_noteItem->setBrush(currentFigureTheme() == FigureTheme::Dark ? QColor(235, 175, 90)
                                                                   : QColor(120, 70, 0));
    m_stateItem->setDefaultTextColor(stateTextColor(m_stateIsError));
    m_themed = static_cast<int>(currentFigureTheme());
    m_themedX = m_xAxis;
    m_themedY = m_yAxis;
}

MetricChartScene::~MetricChartScene() = default;

void MetricChartScene::ensureAxes() {
    replaceAxis(m_xAxis, m_xIsLog, m_options.logX, Qt::AlignBottom);
    replaceAxis(m_yAxis, m_yIsLog, m_options.logY, Qt::AlignLeft);
}

void MetricChartScene::replaceAxis(QAbstractAxis*& axis, bool& isLog, bool log,
                                   Qt::Alignment side) {
    if (axis && isLog == log) return;
    const auto eachSeries = [this](const std::function<void(QAbstractSeries*)>& f) {
        for (auto& [id, rs] : m_series) {
            f(rs.raw);
            f(rs.smoothed);
            if (rs.band) f(rs.band);
        }
    };
    if (axis) {
        eachSeries([axis](QAbstractSeries* s) { s->detachAxis(axis); });
        m_chart->removeAxis(axis);
        delete axis;
    }
    if (log) {
        auto* logAxis = new QLogValueAxis;
        logAxis->setBase(10.0);
        logAxis->setLabelFormat(QStringLiteral("%g"));
        logAxis->setMinorTickCount(8);  // grid lines at 2..9 x each decade
        axis = logAxis;
    } else {
        axis = makeLinearAxis(m_chart);
    }
    isLog = log;
    m_chart->addAxis(axis, side);
    eachSeries([axis](QAbstractSeries* s) { s->attachAxis(axis); });
}

void MetricChartScene::ensureSeries(const MetricPlotData& data) {
    // Drop series of runs that are gone.
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (data.run(it->first)) {
            ++it;
            continue;
        }
        removeBand(m_chart, it->second);
        m_chart->removeSeries(it->second.raw);
        m_chart->removeSeries(it->second.smoothed);
        delete it->second.raw;
        delete it->second.smoothed;
        it = m_series.erase(it);
    }
    for (const MetricPlotData::Run& run : data.runs()) {
        RunSeries& rs = m_series[run.runId];
        const QColor color = runColor(run.runId);
        if (!rs.smoothed) {
            rs.raw = new QLineSeries;
            rs.smoothed = new QLineSeries;
            QColor faint = color;
            faint.setAlpha(70);
            rs.raw->setPen(QPen(faint, 1.0));
            rs.smoothed->setPen(QPen(color, 2.0));
            for (QLineSeries* s : {rs.raw, rs.smoothed}) {
                s->setUseOpenGL(false);  // GL series crash offscreen and vanish from exports
                m_chart->addSeries(s);
                s->attachAxis(m_xAxis);
                s->attachAxis(m_yAxis);
            }
            for (QLegendMarker* marker : m_chart->legend()->markers(rs.raw))
                marker->setVisible(false);
        }
        if (rs.smoothed->pen().color() != color) {  // the user chose another colour
            QColor faint = color;
            faint.setAlpha(70);
            rs.raw->setPen(QPen(faint, 1.0));
            rs.smoothed->setPen(QPen(color, 2.0));
            removeBand(m_chart, rs);  // made again below in the new colour
        }
        ensureBand(run, rs);
        const QString name = run.name.isEmpty() ? tr("Run %1").arg(run.runId) : run.name;
        if (rs.smoothed->name() != name) rs.smoothed->setName(name);
    }
}

void MetricChartScene::ensureBand(const MetricPlotData::Run& run, RunSeries& rs) {
    if (!run.hasBand()) {
        removeBand(m_chart, rs);
        return;
    }
    if (rs.band) return;
    // The area series owns neither edge; they are parented to it so they go with it.
    rs.band = new QAreaSeries(new QLineSeries, new QLineSeries);
    rs.band->upperSeries()->setParent(rs.band);
    rs.band->lowerSeries()->setParent(rs.band);
    QColor fill = runColor(run.runId);
    fill.setAlpha(50);
    rs.band->setBrush(fill);
    rs.band->setPen(Qt::NoPen);
    rs.band->setUseOpenGL(false);
    m_chart->addSeries(rs.band);
    rs.band->attachAxis(m_xAxis);
    rs.band->attachAxis(m_yAxis);
    for (QLegendMarker* marker : m_chart->legend()->markers(rs.band)) marker->setVisible(false);
    // Series are drawn in the order they were added: the run's lines go on top again.
    for (QLineSeries* line : {rs.raw, rs.smoothed}) {
        m_chart->removeSeries(line);
        m_chart->addSeries(line);
        line->attachAxis(m_xAxis);
        line->attachAxis(m_yAxis);
    }
    for (QLegendMarker* marker : m_chart->legend()->markers(rs.raw)) marker->setVisible(false);
}

void MetricChartScene::removeBand(QChart* chart, RunSeries& rs) {
    if (!rs.band) return;
    chart->removeSeries(rs.band);
    delete rs.band;
    rs.band = nullptr;
}

// The y range mode's limits (the options' yRange) applied to the data's [yMin, yMax].
void MetricChartScene::limitYRange(const MetricPlotData& data, double& yMin, double& yMax) const {
    if (m_options.yRange == YRangeMode::StartAtZero && !m_options.logY) {
        yMin = std::min(yMin, 0.0);
        yMax = std::max(yMax, 0.0);
    }
    if (m_options.yRange != YRangeMode::IgnoreOutliers) return;
    std::vector<double> values;  // every value drawn: raw and smoothed
    for (const MetricPlotData::Run& run : data.runs())
        for (const std::vector<double>* v : {&run.series.values, &run.smoothed})
            for (double y : *v)
                if (std::isfinite(y) && (!m_options.logY || y > 0.0)) values.push_back(y);
    if (values.size() < 20) return;  // too few for percentiles to mean anything
    const auto at = [&values](double q) {
        const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(values.size() - 1));
        std::nth_element(values.begin(), values.begin() + k, values.end());
        return values[static_cast<std::size_t>(k)];
    };
    const double low = at(0.01), high = at(0.99);
    if (high > low) {
        yMin = std::max(yMin, low);
        yMax = std::min(yMax, high);
    }
}

void MetricChartScene::applyAutoRange(const MetricPlotData& data) {
    const MetricPlotData::Bounds b = data.bounds(m_options.xMode, m_options.logY, m_options.logX);
    m_xUnit = 1.0;
    if (m_options.xMode == XAxisMode::WallTime) {
        if (m_options.forcedXUnit > 0.0)
            m_xUnit = m_options.forcedXUnit;
        else if (b.valid && b.xMax >= 3.0 * 3600.0)
            m_xUnit = 3600.0;
        else if (b.valid && b.xMax >= 180.0)
            m_xUnit = 60.0;
    }
    double xMin = b.valid ? b.xMin / m_xUnit : 0.0;
    double xMax = b.valid ? b.xMax / m_xUnit : 1.0;
    if (m_options.logX) {
        if (!b.valid) xMin = 1.0;
        toDecades(xMin, xMax);
    } else if (xMax <= xMin) {
        xMin -= 0.5;
        xMax += 0.5;
    }
    double yMin = b.valid ? b.yMin : 0.0;
    double yMax = b.valid ? b.yMax : 1.0;
    if (b.valid) limitYRange(data, yMin, yMax);
    if (hasFixedYRange()) {
        yMin = m_options.fixedYMin;
        yMax = m_options.fixedYMax;
    } else if (m_options.logY) {
        if (!b.valid) {
            yMin = 1.0;
            yMax = 10.0;
        }
        toDecades(yMin, yMax);
    } else {
        // A constant series is not flat to the last bit once smoothed (the debiased EMA of
        // 830.88 ends at 830.8800000000001): a span of a few ulps counts as no span.
        const double span = yMax - yMin;
        const double flat = 1e-9 * std::max(std::abs(yMin), std::abs(yMax));
        const double pad = span > flat ? 0.05 * span : std::max(std::abs(yMax) * 0.1, 0.5);
        yMin -= pad;
        yMax += pad;
    }
    setRanges(xMin, xMax, yMin, yMax);
}

bool MetricChartScene::hasFixedYRange() const {
    const double lo = m_options.fixedYMin, hi = m_options.fixedYMax;
    return m_options.yRange == YRangeMode::Fixed && std::isfinite(lo) && std::isfinite(hi) &&
           lo < hi && (!m_options.logY || lo > 0.0);
}

void MetricChartScene::setRanges(double xMin, double xMax, double yMin, double yMax) {
    setAxisRange(m_xAxis, xMin, xMax);
    setAxisRange(m_yAxis, yMin, yMax);
}

void MetricChartScene::setAxisRange(QAbstractAxis* axis, double min, double max) {
    if (auto* log = qobject_cast<QLogValueAxis*>(axis)) {
        log->setRange(min, max);
        return;
    }
    auto* linear = qobject_cast<QValueAxis*>(axis);
    if (!linear) return;
    // Qt Charts lays the axis out for its new range before our rangeChanged handler re-ticks
    // it: with the old tick interval, a range that grew a thousandfold at once (a loaded or
    // followed run arriving in bulk) would first get thousands of tick items, seconds of work.
    // So the ticks for the new range come first.
    if (min < max) applyNiceTicks(linear, min, max, labelBudget(m_chart, linear));
    linear->setRange(min, max);
}

void MetricChartScene::ranges(double* xMin, double* xMax, double* yMin, double* yMax) const {
    axisRange(m_xAxis, xMin, xMax);
    axisRange(m_yAxis, yMin, yMax);
}

void MetricChartScene::updateAxisTitles() {
    QString xTitle = tr("Step");
    if (m_options.xMode == XAxisMode::WallTime) {
        if (m_xUnit == 3600.0)
            xTitle = tr("Wall time (h)");
        else if (m_xUnit == 60.0)
            xTitle = tr("Wall time (min)");
        else
            xTitle = tr("Wall time (s)");
    }
    m_xAxis->setTitleText(xTitle);
    m_yAxis->setTitleText(m_options.yTitle);
    m_chart->setTitle(m_options.title);
}

void MetricChartScene::fillSeries(const MetricPlotData::Run& run, RunSeries& rs, double xMin,
                                  double xMax) {
    const std::vector<double>& xs = run.xs(m_options.xMode);
    const double unit = m_options.xMode == XAxisMode::WallTime ? m_xUnit : 1.0;
    const int columns = std::max(16, m_options.columns);
    // Log x: pixel columns are even in log10(x), so decimation runs there; x <= 0 is not drawn.
    std::vector<double> logXs;
    if (m_options.logX) {
        logXs.resize(xs.size());
        for (std::size_t i = 0; i < xs.size(); ++i)
            logXs[i] = xs[i] > 0.0 ? std::log10(xs[i]) : -std::numeric_limits<double>::infinity();
    }
    const std::vector<double>& columnXs = m_options.logX ? logXs : xs;
    const auto toColumnX = [&](double x) {
        return m_options.logX ? std::log10(std::max(x * unit, 1e-300)) : x * unit;
    };
    auto build = [&](const std::vector<double>& ys) {
        // Values a log axis cannot show become NaN, which decimation drops (QLogValueAxis
        // would otherwise refuse to draw the whole series).
        std::vector<double> shown;
        const std::vector<double>* source = &ys;
        if (m_options.logY || m_options.logX) {
            shown = ys;
            for (std::size_t i = 0; i < shown.size(); ++i)
                if ((m_options.logY && shown[i] <= 0.0) || (m_options.logX && xs[i] <= 0.0))
                    shown[i] = std::numeric_limits<double>::quiet_NaN();
            source = &shown;
        }
        const std::vector<std::size_t> kept =
            decimateMinMax(columnXs, *source, toColumnX(xMin), toColumnX(xMax), columns);
        QList<QPointF> points;
        points.reserve(static_cast<qsizetype>(kept.size()));
        for (std::size_t i : kept) points.append(QPointF(xs[i] / unit, (*source)[i]));
        return points;
    };
    const QList<QPointF> smoothed = build(run.smoothed);
    // A line needs two points: one evaluation so far would draw nothing on empty-looking axes,
    // so a run with so few points in view shows them as dots.
    rs.smoothed->setPointsVisible(smoothed.size() < 3);
    rs.smoothed->replace(smoothed);
    rs.raw->replace(m_showRaw ? build(run.series.values) : QList<QPointF>());
    if (rs.band) {
        rs.band->upperSeries()->replace(build(run.smoothedHigh));
        rs.band->lowerSeries()->replace(build(run.smoothedLow));
    }
}

void MetricChartScene::refreshPoints(const MetricPlotData& data) {
    if (!m_xAxis) return;
    double xMin, xMax;
    axisRange(m_xAxis, &xMin, &xMax);
    for (const MetricPlotData::Run& run : data.runs()) {
        auto it = m_series.find(run.runId);
        if (it != m_series.end()) fillSeries(run, it->second, xMin, xMax);
    }
}

void MetricChartScene::updateState(const MetricPlotData& data) {
    m_stateIsError = !m_options.errorText.isEmpty();
    if (m_stateIsError)
        m_stateText = m_options.errorText;
    else if (!data.hasData())
        m_stateText = m_options.emptyText.isEmpty() ? tr("No data yet") : m_options.emptyText;
    else if (m_options.logY && !data.bounds(m_options.xMode, true).valid)
        m_stateText = tr("No positive values to show on a log scale");
    else
        m_stateText.clear();

    const std::size_t hidden = m_options.logY ? data.nonPositiveCount() : 0;
    m_noteText = hidden > 0 && m_stateText.isEmpty()
                     ? tr("Log scale: %n value(s) ≤ 0 not shown", "", static_cast<int>(hidden))
                     : QString();

    const bool showData = m_stateText.isEmpty();
    m_xAxis->setVisible(showData);
    m_yAxis->setVisible(showData);
    m_chart->legend()->setVisible(showData);
    for (auto& [id, rs] : m_series) {
        rs.raw->setVisible(showData && m_showRaw);
        rs.smoothed->setVisible(showData);
    }
    m_stateItem->setVisible(!showData);
    m_stateItem->setDefaultTextColor(stateTextColor(m_stateIsError));
    m_stateItem->setPlainText(m_stateText);
    m_noteItem->setVisible(!m_noteText.isEmpty());
    m_noteItem->setText(m_noteText);
}

void MetricChartScene::sync(const MetricPlotData& data, const Options& options, bool autoRange) {
    m_options = options;
    m_showRaw = data.smoothing() > 0.0;
    ensureAxes();
    if (m_themed != static_cast<int>(currentFigureTheme()) || m_themedX != m_xAxis ||
        m_themedY != m_yAxis)
        applyTheme();
    ensureSeries(data);
    if (autoRange) applyAutoRange(data);
    updateAxisTitles();
    refreshPoints(data);
    updateState(data);
    layoutOverlays();
}

void MetricChartScene::layoutOverlays() {
    const QRectF area(QPointF(0, 0), m_chart->size());
    if (m_stateItem->isVisible()) {
        const double width = std::max(120.0, std::min(480.0, area.width() - 40.0));
        m_stateItem->setTextWidth(width);
        const QRectF r = m_stateItem->boundingRect();
        m_stateItem->setPos(area.center().x() - r.width() / 2.0,
                            area.center().y() - r.height() / 2.0);
    }
    if (m_noteItem->isVisible()) {
        const QRectF plot = m_chart->plotArea();
        const QRectF r = m_noteItem->boundingRect();
        m_noteItem->setPos(plot.right() - r.width() - 6.0, plot.top() + 4.0);
    }
}

QList<QPointF> MetricChartScene::points(int runId, bool smoothed) const {
    QLineSeries* s = series(runId, smoothed);
    return s ? s->points() : QList<QPointF>();
}

QLineSeries* MetricChartScene::series(int runId, bool smoothed) const {
    const auto it = m_series.find(runId);
    if (it == m_series.end()) return nullptr;
    return smoothed ? it->second.smoothed : it->second.raw;
}

}  // namespace tinyseek::viz
