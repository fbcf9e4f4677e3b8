#include "viz/bar_chart.h"

#include <QMouseEvent>

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QPainter>
#include <QTextStream>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

#include "viz/color_map.h"
#include "viz/figure_painter.h"

namespace tinyseek::viz {

namespace {
constexpr double kSlotFill = 0.8;  // share of a category slot taken by its bars
}  // namespace

BarChart::BarChart(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_emptyText = tr("No data yet");
}

void BarChart::setData(const QStringList& categories, const QStringList& groups,
                       const std::vector<std::vector<double>>& values) {
    m_categories = categories;
    m_groups = groups;
    m_values.assign(static_cast<std::size_t>(groups.size()),
                    std::vector<double>(static_cast<std::size_t>(categories.size()),
                                        std::numeric_limits<double>::quiet_NaN()));
    for (std::size_t g = 0; g < m_values.size() && g < values.size(); ++g)
        for (std::size_t c = 0; c < m_values[g].size() && c < values[g].size(); ++c)
            m_values[g][c] = values[g][c];
    update();
}

double BarChart::value(int group, int category) const {
    if (group < 0 || category < 0 || group >= m_groups.size() || category >= m_categories.size())
        return std::numeric_limits<double>::quiet_NaN();
    return m_values[static_cast<std::size_t>(group)][static_cast<std::size_t>(category)];
}

void BarChart::setTitle(const QString& title) {
    m_title = title;
    update();
}

void BarChart::setXAxisTitle(const QString& text) {
    m_xTitle = text;
    update();
}

void BarChart::setYAxisTitle(const QString& text) {
    m_yTitle = text;
    update();
}

void BarChart::setLogScale(bool on) {
    m_log = on;
    update();
}

void BarChart::setValueFormatter(const ValueFormatter& format) {
    m_format = format;
    update();
}

void BarChart::setAxisFormatter(const ValueFormatter& format) {
    m_axisFormat = format;
    update();
}

void BarChart::setNote(const QString& text) {
    m_note = text;
    update();
}

void BarChart::setReferenceLines(const QList<ReferenceLine>& lines) {
    m_references = lines;
    update();
}

QString BarChart::referenceLabel(int reference) const {
    if (reference < 0 || reference >= m_references.size()) return QString();
    const ReferenceLine& r = m_references[reference];
    if (r.isBand()) return tr("%1 = %2–%3").arg(r.label, format(r.value), format(r.high));
    return tr("%1 = %2").arg(r.label, format(r.value));
}

void BarChart::setEmptyText(const QString& text) {
    m_emptyText = text;
    update();
}

void BarChart::setErrorText(const QString& text) {
    m_errorText = text;
    update();
}

QString BarChart::formatBytes(double bytes) {
    if (!std::isfinite(bytes)) return tr("n/a");
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (std::abs(v) >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    const QString number = u == 0 ? QString::number(v, 'g', 4) : QString::number(v, 'g', 3);
    return number + QLatin1Char(' ') + QLatin1String(units[u]);
}

QString BarChart::format(double v) const {
    if (!std::isfinite(v)) return tr("n/a");
    return m_format ? m_format(v) : QString::number(v, 'g', 4);
}

bool BarChart::hasDrawableValue() const {
    for (const auto& row : m_values)
        for (double v : row)
            if (std::isfinite(v) && (!m_log || v > 0.0)) return true;
    return false;
}

QString BarChart::fullNote() const {
    QString note = m_note;
    bool anyNonPositive = false;
    for (const auto& row : m_values)
        for (double v : row) anyNonPositive |= std::isfinite(v) && v <= 0.0;
    if (m_log && anyNonPositive) {
        if (!note.isEmpty()) note += QLatin1Char(' ');
        note += tr("Values ≤ 0 cannot be shown on a log scale.");
    }
    return note;
}

AxisScale BarChart::yScale() const {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    const auto take = [&](double v) {
        if (!std::isfinite(v) || (m_log && v <= 0.0)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    };
    for (const auto& row : m_values)
        for (double v : row) take(v);
    for (const ReferenceLine& r : m_references) {
        take(r.value);
        take(r.high);
    }
    // Bars grow from the axis minimum; a value on or just above the lowest decade would get
    // almost no height, so start one decade lower when the smallest value is below 2x it.
    if (m_log) {
        if (!(lo > 0.0)) return AxisScale::logarithmic(lo, hi);
        const double decade = std::pow(10.0, std::floor(std::log10(lo) + 1e-9));
        return AxisScale::logarithmic(lo < 2.0 * decade ? decade / 10.0 : decade, hi);
    }
    return AxisScale::linear(lo, hi, true);
}

QString BarChart::valueLabel(int group, int category) const {
    const double v = value(group, category);
    if (m_log && std::isfinite(v) && v <= 0.0) return tr("≤ 0");
    return format(v);
}

BarChart::Layout BarChart::computeLayout(const QRectF& canvas) const {
    Layout l;
    const QFontMetricsF titleFm(figureTitleFont(font()));
    const QFontMetricsF fm(figureLabelFont(font()));
    const QFontMetricsF smallFm(figureSmallFont(font()));
    double top = canvas.top() + kFigureMargin;
    if (!m_title.isEmpty()) {
        l.title = QRectF(canvas.left(), top, canvas.width(), titleFm.height() * 1.3);
        top = l.title.bottom() + 4.0;
    }
    double bottom = canvas.bottom() - kFigureMargin;
    const QRectF inner(canvas.left() + kFigureMargin, top, canvas.width() - 2 * kFigureMargin,
                       std::max(0.0, bottom - top));
    const QString note = fullNote();
    if (!note.isEmpty()) {
        const QRectF r = smallFm.boundingRect(QRectF(inner.left(), 0, inner.width(), 1000),
                                              Qt::TextWordWrap, note);
        l.note = QRectF(inner.left(), bottom - r.height(), inner.width(), r.height());
        bottom = l.note.top() - 4.0;
    }
    const int legendRows = legendPlaces(inner.left(), inner.right(), 0.0).rows;
    if (legendRows > 0) {
        const double h = legendRows * fm.height() * 1.3;
        l.legend = QRectF(inner.left(), bottom - h, inner.width(), h);
        bottom = l.legend.top() - 6.0;
    }
    if (!m_xTitle.isEmpty()) bottom -= fm.height() + 4.0;
    bottom -= fm.height() + 6.0;  // category labels

    const AxisScale scale = yScale();
    double tickW = 0.0;
    for (double t : scale.majorTicks())
        tickW = std::max(tickW, smallFm.horizontalAdvance(
                                    m_axisFormat ? m_axisFormat(t) : defaultTickText(scale, t)));
    const double left = inner.left() + (m_yTitle.isEmpty() ? 0.0 : fm.height() + 6.0) + tickW + 8.0;
    const double right = inner.right() - 4.0;

    // Value labels sit above the bars; turn them upright when they are wider than a bar.
    double labelW = 0.0;
    for (int g = 0; g < m_groups.size(); ++g)
        for (int c = 0; c < m_categories.size(); ++c)
            labelW = std::max(labelW, smallFm.horizontalAdvance(valueLabel(g, c)));
    const int nc = std::max<qsizetype>(1, m_categories.size());
    const int ng = std::max<qsizetype>(1, m_groups.size());
    const double barW = (right - left) / nc * kSlotFill / ng;
    // Bars of a group touch, so a label wider than its bar (less a small gap) would run into
    // its neighbour's.
    l.verticalLabels = labelW > barW - 4.0;
    l.labelHeadroom = (l.verticalLabels ? labelW : smallFm.height()) + 6.0;
    l.plot = QRectF(
        QPointF(left, top + l.labelHeadroom),
        QPointF(std::max(left + 10.0, right), std::max(top + l.labelHeadroom + 10.0, bottom)));
    return l;
}

BarChart::BarSlot BarChart::barSlot(const Layout& l, int group, int category) const {
    const double slot = l.plot.width() / m_categories.size();
    const double barW = slot * kSlotFill / m_groups.size();
    return {l.plot.left() + category * slot + slot * (1.0 - kSlotFill) / 2.0 + group * barW, barW};
}

QRectF BarChart::barRectIn(const Layout& l, int group, int category) const {
    const double v = value(group, category);
    const AxisScale scale = yScale();
    if (!scale.accepts(v)) return QRectF();
    const BarSlot bar = barSlot(l, group, category);
    const double x = bar.x;
    const double barW = bar.width;
    const double base = m_log ? l.plot.bottom() : valueToY(scale, 0.0, l.plot);
    const double y = valueToY(scale, v, l.plot);
    return QRectF(QPointF(x + 1.0, std::min(y, base)), QPointF(x + barW - 1.0, std::max(y, base)));
}

void BarChart::setGroupColors(const QList<QColor>& colors) {
    m_groupColors = colors;
    update();
}

QColor BarChart::groupColor(int group) const {
    return group >= 0 && group < m_groupColors.size() ? m_groupColors.at(group)
                                                      : categoryColor(group);
}

int BarChart::categoryAt(const QPointF& pos, const QRectF& canvas) const {
    if (m_categories.isEmpty() || m_groups.isEmpty()) return -1;
    const Layout l = computeLayout(canvas);
    if (pos.y() < l.plot.top() || pos.y() > l.plot.bottom()) return -1;
    for (int c = 0; c < m_categories.size(); ++c) {
        const BarSlot first = barSlot(l, 0, c);
        const BarSlot last = barSlot(l, static_cast<int>(m_groups.size()) - 1, c);
        if (pos.x() >= first.x && pos.x() <= last.x + last.width) return c;
    }
    return -1;
}

void BarChart::mousePressEvent(QMouseEvent* event) {
    const int category = categoryAt(event->position(), rect());
    if (event->button() == Qt::LeftButton && category >= 0) emit categoryClicked(category);
    QWidget::mousePressEvent(event);
}

QRectF BarChart::barRect(int group, int category, const QRectF& canvas) const {
    if (group < 0 || category < 0 || group >= m_groups.size() || category >= m_categories.size())
        return QRectF();
    return barRectIn(computeLayout(canvas), group, category);
}

void BarChart::paint(QPainter& painter, const QRectF& canvas) const {
    painter.save();
    const Layout l = computeLayout(canvas);
    paintFigureFrame(painter, canvas, l.title, m_title, font());
    const bool isError = !m_errorText.isEmpty();
    if (isError || m_categories.isEmpty() || m_groups.isEmpty() || !hasDrawableValue()) {
        const QString text = isError ? m_errorText
                                     : (m_log && !m_categories.isEmpty() && !m_groups.isEmpty()
                                            ? tr("No positive values to show on a log scale")
                                            : m_emptyText);
        paintFigureState(painter, canvas, l.title, font(), text, isError);
        painter.restore();
        return;
    }

    painter.setFont(figureSmallFont(font()));
    const double tickW = paintVerticalAxis(painter, yScale(), l.plot, false, true, m_axisFormat);
    for (int g = 0; g < m_groups.size(); ++g)
        for (int c = 0; c < m_categories.size(); ++c) paintBar(painter, l, g, c);
    painter.setPen(QPen(QColor(120, 120, 120), 1.0));
    painter.drawLine(l.plot.bottomLeft(), l.plot.bottomRight());
    painter.drawLine(l.plot.bottomLeft(), QPointF(l.plot.left(), l.plot.top()));
    paintReferences(painter, l.plot);
    paintAxisLabels(painter, l.plot, tickW);
    paintLegend(painter, l.legend);
    if (!l.note.isEmpty()) {
        painter.setFont(figureSmallFont(font()));
        painter.setPen(QColor(100, 100, 100));
        painter.drawText(l.note, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, fullNote());
    }
    painter.restore();
}

void BarChart::paintBar(QPainter& painter, const Layout& l, int group, int category) const {
    const QColor color = groupColor(group);
    QRectF bar = barRectIn(l, group, category);
    if (!bar.isEmpty()) {
        painter.fillRect(bar, color);
        painter.setPen(QPen(color.darker(130), 1.0));
        painter.drawRect(bar);
    } else {
        // No bar: put the "n/a" / "<= 0" label on the baseline of where it would be.
        const BarSlot slot = barSlot(l, group, category);
        bar = QRectF(slot.x, l.plot.bottom(), slot.width, 0.0);
    }
    const QString label = valueLabel(group, category);
    const QFontMetricsF smallFm(figureSmallFont(font()));
    const bool negative = !m_log && value(group, category) < 0.0;
    const double anchorY = negative ? bar.bottom() : bar.top();
    painter.setPen(bar.height() > 0 ? figureTextColor() : QColor(130, 130, 130));
    if (l.verticalLabels) {
        const double w = smallFm.horizontalAdvance(label);
        const double cy = negative ? anchorY + 3.0 + w / 2.0 : anchorY - 3.0 - w / 2.0;
        drawVerticalText(painter, QPointF(bar.center().x(), cy), label, w + 1.0);
    } else {
        const QRectF box(bar.center().x() - 200.0,
                         negative ? anchorY + 2.0 : anchorY - smallFm.height() - 2.0, 400.0,
                         smallFm.height());
        painter.drawText(box, Qt::AlignHCenter | Qt::AlignVCenter, label);
    }
}

void BarChart::paintAxisLabels(QPainter& painter, const QRectF& plot, double tickWidth) const {
    const QFont labelFont = figureLabelFont(font());
    const QFontMetricsF fm(labelFont);
    painter.setFont(labelFont);
    painter.setPen(figureTextColor());
    const double slot = plot.width() / m_categories.size();
    for (int c = 0; c < m_categories.size(); ++c) {
        const QRectF box(plot.left() + c * slot, plot.bottom() + 4.0, slot, fm.height());
        painter.drawText(box, Qt::AlignHCenter | Qt::AlignTop,
                         fm.elidedText(m_categories[c], Qt::ElideRight, slot));
    }
    if (!m_xTitle.isEmpty())
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + 6.0 + fm.height(), plot.width(), fm.height()),
            Qt::AlignCenter, m_xTitle);
    if (!m_yTitle.isEmpty())
        drawVerticalText(
            painter, QPointF(plot.left() - tickWidth - 6.0 - fm.height() / 2.0, plot.center().y()),
            m_yTitle, plot.height() + 16.0);
}

QColor BarChart::referenceColor(int reference) const {
    return categoryColor(static_cast<int>(m_groups.size()) + reference).darker(115);
}

// Each reference in its own colour (after the groups'), named in the legend.
void BarChart::paintReferences(QPainter& painter, const QRectF& plot) const {
    const AxisScale scale = yScale();
    for (int r = 0; r < m_references.size(); ++r) {
        const ReferenceLine& ref = m_references[r];
        if (!scale.accepts(ref.value)) continue;
        const bool band = ref.isBand() && scale.accepts(ref.high);
        drawReference(
            painter, plot, valueToY(scale, ref.value, plot),
            band ? valueToY(scale, ref.high, plot) : std::numeric_limits<double>::quiet_NaN(),
            referenceColor(r));
    }
}

// Legend entries, groups then references, wrapped into rows between left and right.
BarChart::LegendLayout BarChart::legendPlaces(double left, double right, double top) const {
    const QFontMetricsF fm(figureLabelFont(font()));
    const double rowH = fm.height() * 1.3;
    LegendLayout out;
    double x = left;
    int row = 0;
    const int entries = static_cast<int>(m_groups.size() + m_references.size());
    for (int i = 0; i < entries; ++i) {
        const QString text = i < m_groups.size()
                                 ? m_groups[i]
                                 : referenceLabel(i - static_cast<int>(m_groups.size()));
        const double w = fm.height() + 5.0 + fm.horizontalAdvance(text) + 18.0;
        if (x > left && x + w > right) {
            x = left;
            ++row;
        }
        out.places << QRectF(x, top + row * rowH, w, rowH);
        x += w;
    }
    out.rows = entries > 0 ? row + 1 : 0;
    return out;
}

// A filled swatch per group, a dotted line (over a band's tint) per reference.
void BarChart::paintLegend(QPainter& painter, const QRectF& legend) const {
    const QFontMetricsF fm(figureLabelFont(font()));
    painter.setFont(figureLabelFont(font()));
    const LegendLayout layout = legendPlaces(legend.left(), legend.right(), legend.top());
    for (int i = 0; i < layout.places.size(); ++i) {
        const QRectF place = layout.places[i];
        const QRectF swatch(place.left(), place.center().y() - fm.height() / 2 + 2, fm.height() - 4,
                            fm.height() - 4);
        const bool isGroup = i < m_groups.size();
        const int r = i - static_cast<int>(m_groups.size());
        if (isGroup) {
            painter.fillRect(swatch, groupColor(i));
        } else {
            const double nan = std::numeric_limits<double>::quiet_NaN();
            drawReference(painter, swatch, swatch.center().y(),
                          m_references[r].isBand() ? swatch.top() + 2.0 : nan, referenceColor(r));
        }
        painter.setPen(figureTextColor());
        painter.drawText(QRectF(swatch.right() + 5.0, place.top(), place.width(), place.height()),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         isGroup ? m_groups[i] : referenceLabel(r));
    }
}

void BarChart::writeCsv(QTextStream& out) const {
    out << "category,group,value\n";
    for (int c = 0; c < m_categories.size(); ++c)
        for (int g = 0; g < m_groups.size(); ++g)
            out << csvField(m_categories[c]) << ',' << csvField(m_groups[g]) << ','
                << csvNumber(value(g, c)) << '\n';
    for (const ReferenceLine& r : m_references) {
        out << "reference," << csvField(r.label) << ',' << csvNumber(r.value) << '\n';
        if (r.isBand())
            out << "reference," << csvField(r.label) << ',' << csvNumber(r.high) << '\n';
    }
}

void BarChart::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    paint(painter, rect());
}

bool BarChart::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const Layout l = computeLayout(rect());
        for (int g = 0; g < m_groups.size(); ++g)
            for (int c = 0; c < m_categories.size(); ++c)
                if (barRectIn(l, g, c).contains(help->pos())) {
                    QToolTip::showText(
                        help->globalPos(),
                        tr("%1, %2: %3").arg(m_categories[c], m_groups[g], valueLabel(g, c)), this);
                    return true;
                }
        QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

}  // namespace tinyseek::viz
