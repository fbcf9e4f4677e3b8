#include "viz/scaling_plot.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextStream>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

#include "viz/color_map.h"
#include "viz/figure_painter.h"

namespace tinyseek::viz {

namespace {
constexpr double kXPad = 14.0;  // keeps markers at the first/last k inside the frame
constexpr double kHitRadius = 8.0;

QRectF xMappingRect(const QRectF& plot) {
    return plot.adjusted(kXPad, 0, -kXPad, 0);
}

// Where (k, v) is drawn in `plot`: k on the padded log2 x axis, v on the y scale `ys`.
QPointF plotPoint(double k, double v, const QRectF& plot, const AxisScale& xs,
                  const AxisScale& ys) {
    return QPointF(valueToX(xs, k, xMappingRect(plot)), valueToY(ys, v, plot));
}

// How much of the polylines runs through `rect` (grown by 3 px): points sampled along every
// segment that fall inside.
int curveHits(const QRectF& rect, const QList<QPolygonF>& polylines) {
    constexpr int kSamplesPerSegment = 24;
    const QRectF area = rect.adjusted(-3.0, -3.0, 3.0, 3.0);
    int hits = 0;
    for (const QPolygonF& line : polylines)
        for (int i = 0; i + 1 < line.size(); ++i)
            for (int j = 0; j <= kSamplesPerSegment; ++j) {
                const double t = double(j) / kSamplesPerSegment;
                hits += area.contains(line[i] + t * (line[i + 1] - line[i]));
            }
    return hits;
}

double at(const std::vector<double>& v, std::size_t i) {
    return i < v.size() ? v[i] : std::numeric_limits<double>::quiet_NaN();
}

// The curve's means as drawn: every point whose k fits the x axis and has a finite mean.
QPolygonF meanPolyline(const ScalingCurve& curve, const QRectF& plot, const AxisScale& xs,
                       const AxisScale& ys) {
    QPolygonF line;
    for (std::size_t i = 0; i < curve.k.size(); ++i)
        if (xs.accepts(curve.k[i]) && ys.accepts(at(curve.mean, i)))
            line << plotPoint(curve.k[i], curve.mean[i], plot, xs, ys);
    return line;
}

// The seed spread: the high edge left to right, then the low edge back.
void paintBand(QPainter& painter, const ScalingCurve& curve, const QColor& color,
               const QRectF& plot, const AxisScale& xs, const AxisScale& ys) {
    QPolygonF band;
    for (std::size_t i = 0; i < curve.k.size(); ++i)
        if (xs.accepts(curve.k[i]) && ys.accepts(at(curve.high, i)))
            band << plotPoint(curve.k[i], curve.high[i], plot, xs, ys);
    for (std::size_t i = curve.k.size(); i-- > 0;)
        if (xs.accepts(curve.k[i]) && ys.accepts(at(curve.low, i)))
            band << plotPoint(curve.k[i], curve.low[i], plot, xs, ys);
    QColor fill = color;
    fill.setAlpha(50);
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawPolygon(band);
}

// A method's line with round markers, or a cost curve's dashed line with square ones.
void paintCurve(QPainter& painter, const QPolygonF& points, const QColor& color, bool dashed) {
    QPainterPath path;
    for (qsizetype i = 0; i < points.size(); ++i)
        i > 0 ? path.lineTo(points[i]) : path.moveTo(points[i]);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(color, 2.0, dashed ? Qt::DashLine : Qt::SolidLine));
    painter.drawPath(path);
    for (const QPointF& p : points) {
        if (dashed) {
            painter.setPen(QPen(color, 1.5));
            painter.setBrush(Qt::white);
            painter.drawRect(QRectF(p - QPointF(3.5, 3.5), QSizeF(7, 7)));
        } else {
            painter.setPen(QPen(Qt::white, 1.0));
            painter.setBrush(color);
            painter.drawEllipse(p, 4.0, 4.0);
        }
    }
}
}  // namespace

ScalingPlot::ScalingPlot(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_emptyText = tr("No data yet");
    m_xTitle = tr("Samples per item (k)");
}

void ScalingPlot::setCurves(const QList<ScalingCurve>& curves) {
    m_curves = curves;
    update();
}

void ScalingPlot::setReferenceLines(const QList<ReferenceLine>& lines) {
    m_references = lines;
    update();
}

void ScalingPlot::setSecondaryCurves(const QList<ScalingCurve>& curves) {
    m_secondary = curves;
    update();
}

void ScalingPlot::setTitle(const QString& title) {
    m_title = title;
    update();
}

void ScalingPlot::setXAxisTitle(const QString& text) {
    m_xTitle = text;
    update();
}

void ScalingPlot::setLinearX(bool on) {
    m_linearX = on;
    update();
}

void ScalingPlot::setXSymbol(const QString& symbol) {
    m_xSymbol = symbol;
    update();
}

void ScalingPlot::setYAxisTitle(const QString& text) {
    m_yTitle = text;
    update();
}

void ScalingPlot::setSecondaryAxisTitle(const QString& text) {
    m_secondaryTitle = text;
    update();
}

void ScalingPlot::setYRange(double minimum, double maximum) {
    m_fixedY = true;
    m_yMin = std::min(minimum, maximum);
    m_yMax = std::max(minimum, maximum);
    update();
}

void ScalingPlot::setLogY(bool on) {
    m_logY = on;
    update();
}

void ScalingPlot::clearYRange() {
    m_fixedY = false;
    update();
}

void ScalingPlot::setEmptyText(const QString& text) {
    m_emptyText = text;
    update();
}

void ScalingPlot::setErrorText(const QString& text) {
    m_errorText = text;
    update();
}

bool ScalingPlot::hasData() const {
    const AxisScale xs = xScale();
    for (const ScalingCurve& c : m_curves)
        for (std::size_t i = 0; i < c.k.size(); ++i)
            if (xs.accepts(c.k[i]) && std::isfinite(at(c.mean, i))) return true;
    return false;
}

QColor ScalingPlot::curveColor(int index) const {
    const int slot = m_curves[index].colorIndex;
    return categoryColor(slot >= 0 ? slot : index);
}

QColor ScalingPlot::secondaryColor(int index) const {
    // Secondary curves reuse the colour of the method with the same name (its cost), else
    // take the next free palette entry.
    for (int i = 0; i < m_curves.size(); ++i)
        if (m_curves[i].name == m_secondary[index].name) return curveColor(i);
    return categoryColor(static_cast<int>(m_curves.size()) + index);
}

AxisScale ScalingPlot::xScale() const {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    for (const QList<ScalingCurve>* list : {&m_curves, &m_secondary})
        for (const ScalingCurve& c : *list)
            for (double k : c.k)
                if ((m_linearX || k > 0.0) && std::isfinite(k)) {
                    lo = std::min(lo, k);
                    hi = std::max(hi, k);
                }
    return m_linearX ? AxisScale::linear(lo, hi) : AxisScale::logarithmic(lo, hi, 2.0);
}

AxisScale ScalingPlot::yScale() const {
    if (m_fixedY)
        return m_logY ? AxisScale::logarithmic(m_yMin, m_yMax) : AxisScale::linear(m_yMin, m_yMax);
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    auto take = [&](double v) {
        if (!std::isfinite(v) || (m_logY && v <= 0.0)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    };
    for (const ScalingCurve& c : m_curves) {
        for (double v : c.mean) take(v);
        for (double v : c.low) take(v);
        for (double v : c.high) take(v);
    }
    for (const ReferenceLine& r : m_references) {
        take(r.value);
        take(r.high);
    }
    return m_logY ? AxisScale::logarithmic(lo, hi) : AxisScale::linear(lo, hi);
}

AxisScale ScalingPlot::secondaryScale() const {
    double hi = -std::numeric_limits<double>::infinity();
    double lo = std::numeric_limits<double>::infinity();
    for (const ScalingCurve& c : m_secondary)
        for (double v : c.mean)
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    return AxisScale::linear(lo, hi, true);
}

QList<ScalingPlot::LegendEntry> ScalingPlot::legendEntries() const {
    QList<LegendEntry> out;
    for (int i = 0; i < m_curves.size(); ++i)
        out.append({m_curves[i].name, curveColor(i), m_curves[i].dashed ? 2 : 0});
    const int base = static_cast<int>(m_curves.size() + m_secondary.size());
    for (int i = 0; i < m_references.size(); ++i)
        out.append({m_references[i].label, categoryColor(base + i).darker(115), 1});
    for (int i = 0; i < m_secondary.size(); ++i) {
        const QString text =
            m_secondaryTitle.isEmpty()
                ? tr("%1 (right axis)").arg(m_secondary[i].name)
                : tr("%1: %2 (right axis)").arg(m_secondary[i].name, m_secondaryTitle);
        out.append({text, secondaryColor(i), 2});
    }
    return out;
}

QList<ScalingPlot::LegendPlace> ScalingPlot::legendPlaces(const QList<LegendEntry>& entries,
                                                          const QFontMetricsF& fm, double left,
                                                          double right, double top,
                                                          double rowHeight) {
    QList<LegendPlace> places;
    double x = left;
    double y = top;
    int row = 0;
    for (const LegendEntry& e : entries) {
        const double w = 28.0 + fm.horizontalAdvance(e.text) + 16.0;
        if (x > left && x + w > right) {
            x = left;
            y += rowHeight;
            ++row;
        }
        places.append({x, y, w, row});
        x += w;
    }
    return places;
}

ScalingPlot::Layout ScalingPlot::computeLayout(const QRectF& canvas) const {
    Layout l;
    const QFontMetricsF titleFm(figureTitleFont(font()));
    const QFontMetricsF fm(figureLabelFont(font()));
    const QFontMetricsF smallFm(figureSmallFont(font()));
    double top = canvas.top() + kFigureMargin;
    if (!m_title.isEmpty()) {
        l.title = QRectF(canvas.left(), top, canvas.width(), titleFm.height() * 1.3);
        top = l.title.bottom() + 4.0;
    }
    // Legend rows (entries wrap) at the bottom.
    const double innerLeft = canvas.left() + kFigureMargin;
    const double innerRight = canvas.right() - kFigureMargin;
    const QList<LegendPlace> places =
        legendPlaces(legendEntries(), fm, innerLeft, innerRight, 0.0, 0.0);
    const int rows = places.isEmpty() ? 0 : places.back().row + 1;
    l.legendRows = rows;
    double bottom = canvas.bottom() - kFigureMargin;
    if (rows > 0) {
        l.legend = QRectF(innerLeft, bottom - rows * fm.height() * 1.3, innerRight - innerLeft,
                          rows * fm.height() * 1.3);
        bottom = l.legend.top() - 6.0;
    }
    bottom -= (m_xTitle.isEmpty() ? 0.0 : fm.height() + 4.0) + smallFm.height() + 6.0;

    auto widest = [&](const AxisScale& s) {
        double w = 0.0;
        for (double t : s.majorTicks())
            w = std::max(w, smallFm.horizontalAdvance(defaultTickText(s, t)));
        return w + 8.0;
    };
    const double left =
        innerLeft + (m_yTitle.isEmpty() ? 0.0 : fm.height() + 6.0) + widest(yScale());
    double right = innerRight - 4.0;
    if (!m_secondary.isEmpty())
        right = innerRight - widest(secondaryScale()) -
                (m_secondaryTitle.isEmpty() ? 0.0 : fm.height() + 6.0);
    l.plot = QRectF(QPointF(left, top + 6.0),
                    QPointF(std::max(left + 20.0, right), std::max(top + 26.0, bottom)));
    return l;
}

QPointF ScalingPlot::pointPosition(int curve, int index, const QRectF& canvas,
                                   bool secondary) const {
    const QList<ScalingCurve>& list = secondary ? m_secondary : m_curves;
    if (curve < 0 || curve >= list.size() || index < 0) return QPointF();
    const ScalingCurve& c = list[curve];
    const std::size_t i = static_cast<std::size_t>(index);
    if (i >= c.k.size()) return QPointF();
    const QRectF plot = computeLayout(canvas).plot;
    const AxisScale ys = secondary ? secondaryScale() : yScale();
    return plotPoint(c.k[i], at(c.mean, i), plot, xScale(), ys);
}

void ScalingPlot::paint(QPainter& painter, const QRectF& canvas) const {
    painter.save();
    const Layout l = computeLayout(canvas);
    paintFigureFrame(painter, canvas, l.title, m_title, font());
    const bool isError = !m_errorText.isEmpty();
    if (isError || !hasData()) {
        paintFigureState(painter, canvas, l.title, font(), isError ? m_errorText : m_emptyText,
                         isError);
        painter.restore();
        return;
    }
    painter.setRenderHint(QPainter::Antialiasing);
    const AxisScale xs = xScale();
    const AxisScale ys = yScale();

    painter.setFont(figureSmallFont(font()));
    const double leftW = paintVerticalAxis(painter, ys, l.plot, false, true);
    double rightW = 0.0;
    if (!m_secondary.isEmpty())
        rightW = paintVerticalAxis(painter, secondaryScale(), l.plot, true, false);
    paintHorizontalAxis(painter, xs, xMappingRect(l.plot), true);
    painter.setPen(QPen(QColor(120, 120, 120), 1.0));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(l.plot);

    const QList<LegendEntry> entries = legendEntries();
    paintData(painter, canvas, l.plot, xs, ys, entries);
    paintAxisTitles(painter, l.plot, leftW, rightW);
    paintLegend(painter, l.legend, entries);
    painter.restore();
}

void ScalingPlot::paintData(QPainter& painter, const QRectF& canvas, const QRectF& plot,
                            const AxisScale& xs, const AxisScale& ys,
                            const QList<LegendEntry>& entries) const {
    painter.save();
    painter.setClipRect(plot.adjusted(-6, -6, 6, 6));
    // Bands first, so every line stays on top of every band.
    for (int c = 0; c < m_curves.size(); ++c) {
        const ScalingCurve& curve = m_curves[c];
        if (curve.low.empty() || curve.high.empty()) continue;
        paintBand(painter, curve, curveColor(c), plot, xs, ys);
    }
    paintReferenceLines(painter, canvas, plot, ys, entries);
    for (int s = 0; s < m_secondary.size(); ++s)
        paintCurve(painter, meanPolyline(m_secondary[s], plot, xs, secondaryScale()),
                   secondaryColor(s), true);
    for (int c = 0; c < m_curves.size(); ++c)
        paintCurve(painter, meanPolyline(m_curves[c], plot, xs, ys), curveColor(c),
                   m_curves[c].dashed);
    painter.restore();
}

// Each line is labelled where its label covers no other label and the fewest curves
// (referenceLabelRects).
void ScalingPlot::paintReferenceLines(QPainter& painter, const QRectF& canvas, const QRectF& plot,
                                      const AxisScale& ys,
                                      const QList<LegendEntry>& entries) const {
    const QFont smallFont = figureSmallFont(font());
    const QList<QRectF> labels = referenceLabelRects(canvas);
    for (int r = 0; r < m_references.size(); ++r) {
        const QColor color = entries[m_curves.size() + r].color;
        const ReferenceLine& ref = m_references[r];
        drawReference(
            painter, plot, valueToY(ys, ref.value, plot),
            ref.isBand() ? valueToY(ys, ref.high, plot) : std::numeric_limits<double>::quiet_NaN(),
            color);
        painter.setPen(color);
        painter.setFont(smallFont);
        const QRectF label = labels[r];
        const bool left = label.center().x() < plot.center().x();
        painter.drawText(label, (left ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignBottom,
                         referenceLabelText(r));
    }
}

void ScalingPlot::paintAxisTitles(QPainter& painter, const QRectF& plot, double leftAxisWidth,
                                  double rightAxisWidth) const {
    const QFont labelFont = figureLabelFont(font());
    const QFontMetricsF fm(labelFont);
    const QFontMetricsF smallFm(figureSmallFont(font()));
    painter.setFont(labelFont);
    painter.setPen(figureTextColor());
    if (!m_xTitle.isEmpty())
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + smallFm.height() + 8.0, plot.width(), fm.height()),
            Qt::AlignCenter, m_xTitle);
    if (!m_yTitle.isEmpty())
        drawVerticalText(
            painter,
            QPointF(plot.left() - leftAxisWidth - 4.0 - fm.height() / 2.0, plot.center().y()),
            m_yTitle, plot.height() + 16.0);
    if (!m_secondaryTitle.isEmpty() && !m_secondary.isEmpty())
        drawVerticalText(
            painter,
            QPointF(plot.right() + rightAxisWidth + 4.0 + fm.height() / 2.0, plot.center().y()),
            m_secondaryTitle, plot.height() + 16.0);
}

// A line sample in each entry's style.
void ScalingPlot::paintLegend(QPainter& painter, const QRectF& legend,
                              const QList<LegendEntry>& entries) const {
    const QFont labelFont = figureLabelFont(font());
    const QFontMetricsF fm(labelFont);
    const double rowH = fm.height() * 1.3;
    painter.setFont(labelFont);
    const QList<LegendPlace> places =
        legendPlaces(entries, fm, legend.left(), legend.right(), legend.top(), rowH);
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const LegendEntry& e = entries[i];
        const double x = places[i].x;
        const double y = places[i].y;
        const double cy = y + rowH / 2.0;
        const Qt::PenStyle style =
            e.style == 0 ? Qt::SolidLine : (e.style == 1 ? Qt::DotLine : Qt::DashLine);
        painter.setPen(QPen(e.color, 2.0, style));
        painter.drawLine(QPointF(x, cy), QPointF(x + 22.0, cy));
        if (e.style == 0) {
            painter.setPen(QPen(Qt::white, 1.0));
            painter.setBrush(e.color);
            painter.drawEllipse(QPointF(x + 11.0, cy), 4.0, 4.0);
        } else if (e.style == 2) {
            painter.setPen(QPen(e.color, 1.5));
            painter.setBrush(Qt::white);
            painter.drawRect(QRectF(x + 7.5, cy - 3.5, 7, 7));
        }
        painter.setPen(figureTextColor());
        painter.drawText(QRectF(x + 28.0, y, places[i].width, rowH),
                         Qt::AlignLeft | Qt::AlignVCenter, e.text);
    }
}

QString ScalingPlot::referenceLabelText(int reference) const {
    const ReferenceLine& r = m_references[reference];
    if (r.isBand())
        return tr("%1 = %2–%3")
            .arg(r.label, QString::number(r.value, 'g', 3), QString::number(r.high, 'g', 3));
    return tr("%1 = %2").arg(r.label, QString::number(r.value, 'g', 3));
}

QRectF ScalingPlot::referenceLabelRect(int reference, const QRectF& canvas) const {
    if (reference < 0 || reference >= m_references.size()) return QRectF();
    return referenceLabelRects(canvas)[reference];
}

// In the order of the lines, each label takes the first of four places (above the line at the
// right or left end, then below it) that overlaps no label placed before it and covers the
// fewest curves: two lines a few pixels apart ("Scalar RM" and "Random pick") would otherwise
// write their labels over each other.
QList<QRectF> ScalingPlot::referenceLabelRects(const QRectF& canvas) const {
    const QRectF plot = computeLayout(canvas).plot;
    const QFontMetricsF fm(figureSmallFont(font()));
    // Every curve (both axes) as drawn: a label there would hide it (e.g. "Greedy judge" on
    // the voting and token curves at k = 32). Layout and scales once, not per point.
    const AxisScale xs = xScale();
    QList<QPolygonF> polylines;
    for (bool secondary : {false, true}) {
        const AxisScale ys = secondary ? secondaryScale() : yScale();
        for (const ScalingCurve& curve : secondary ? m_secondary : m_curves)
            polylines << meanPolyline(curve, plot, xs, ys);
    }
    QList<QRectF> placed;
    for (int r = 0; r < m_references.size(); ++r) {
        const ReferenceLine& ref = m_references[r];
        // Above the line (above a band's upper edge), or below it (below the band's lower edge).
        const double top =
            valueToY(yScale(), ref.isBand() ? std::max(ref.value, ref.high) : ref.value, plot);
        const double bottom =
            valueToY(yScale(), ref.isBand() ? std::min(ref.value, ref.high) : ref.value, plot);
        const double width = fm.horizontalAdvance(referenceLabelText(r)) + 4.0;
        const double right = plot.right() - 4.0 - width, left = plot.left() + 4.0;
        const double above = top - fm.height() - 1.0, below = bottom + 1.0;
        QRectF best;
        long bestCost = std::numeric_limits<long>::max();
        for (const QPointF& at : {QPointF(right, above), QPointF(left, above),
                                  QPointF(right, below), QPointF(left, below)}) {
            const QRectF rect(at, QSizeF(width, fm.height()));
            long cost = curveHits(rect, polylines);
            for (const QRectF& other : placed)
                if (rect.intersects(other)) cost += 1000000;
            if (cost < bestCost) {
                bestCost = cost;
                best = rect;
            }
        }
        placed << best;
    }
    return placed;
}

QString ScalingPlot::toolTipAt(const QPointF& pos, const QRectF& canvas) const {
    if (!m_errorText.isEmpty() || !hasData()) return QString();
    double best = kHitRadius;
    QString text;
    for (bool secondary : {false, true}) {
        const QList<ScalingCurve>& list = secondary ? m_secondary : m_curves;
        for (int c = 0; c < list.size(); ++c) {
            const ScalingCurve& curve = list[c];
            for (std::size_t i = 0; i < curve.k.size(); ++i) {
                const QPointF p = pointPosition(c, static_cast<int>(i), canvas, secondary);
                const double d = std::hypot(p.x() - pos.x(), p.y() - pos.y());
                if (!(d < best)) continue;
                best = d;
                text = tr("%1, %2 = %3: %4")
                           .arg(curve.name, m_xSymbol)
                           .arg(curve.k[i])
                           .arg(QString::number(curve.mean[i], 'g', 4));
                if (std::isfinite(at(curve.low, i)) && std::isfinite(at(curve.high, i)))
                    text += tr(" (range %1 – %2)")
                                .arg(QString::number(curve.low[i], 'g', 4),
                                     QString::number(curve.high[i], 'g', 4));
            }
        }
    }
    return text;
}

void ScalingPlot::writeCsv(QTextStream& out) const {
    out << "series,kind," << csvField(m_xSymbol) << ",value,low,high\n";
    auto write = [&](const ScalingCurve& c, const char* kind) {
        for (std::size_t i = 0; i < c.k.size(); ++i)
            out << csvField(c.name) << ',' << kind << ',' << csvNumber(c.k[i]) << ','
                << csvNumber(at(c.mean, i)) << ','
                << (i < c.low.size() ? csvNumber(c.low[i]) : QString()) << ','
                << (i < c.high.size() ? csvNumber(c.high[i]) : QString()) << '\n';
    };
    for (const ScalingCurve& c : m_curves) write(c, "method");
    for (const ReferenceLine& r : m_references) {
        out << csvField(r.label) << ",reference,,";
        if (r.isBand())
            out << ',' << csvNumber(r.value) << ',' << csvNumber(r.high) << '\n';
        else
            out << csvNumber(r.value) << ",,\n";
    }
    for (const ScalingCurve& c : m_secondary) write(c, "secondary");
}

void ScalingPlot::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    paint(painter, rect());
}

bool ScalingPlot::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos(), rect());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

}  // namespace tinyseek::viz
